# ---- the driver's tunables (driver/conf, docs/knobs.md) -----------------------------------
CONF_SRCS := $(wildcard driver/conf/*.c)
CONF_HDRS := $(wildcard driver/conf/*.h)
CONF_LIB  := $(BUILD)/driver/libtoeconf.a
CONF_TEST := $(BUILD)/tests/conf/test_knobs

$(BUILD)/conf/%.o: driver/conf/%.c $(CONF_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Idriver/conf -c $< -o $@

$(CONF_LIB): $(patsubst driver/conf/%.c,$(BUILD)/conf/%.o,$(CONF_SRCS))
	@mkdir -p $(@D)
	@rm -f $@
	ar rcs $@ $^

$(CONF_TEST): tests/conf/test_knobs.c $(CONF_LIB) $(CONF_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Idriver/conf $< $(CONF_LIB) -lcmocka -o $@

all: $(CONF_LIB) $(CONF_TEST)
LINT_C_EXTRA += $(CONF_LIB) $(CONF_TEST)
