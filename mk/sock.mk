# ---- the socket layer's pieces (driver/sock): local port selection -------------------------
SOCK_SRCS := $(wildcard driver/sock/*.c)
SOCK_HDRS := $(wildcard driver/sock/*.h)
SOCK_LIB  := $(BUILD)/driver/libtoesock.a
SOCK_TEST := $(BUILD)/tests/sock/test_ports

$(BUILD)/sock/%.o: driver/sock/%.c $(SOCK_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Idriver/sock -c $< -o $@

$(SOCK_LIB): $(patsubst driver/sock/%.c,$(BUILD)/sock/%.o,$(SOCK_SRCS))
	@mkdir -p $(@D)
	@rm -f $@
	ar rcs $@ $^

$(SOCK_TEST): tests/sock/test_ports.c $(SOCK_LIB) $(SOCK_HDRS) tests/unit/test_seed.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Idriver/sock -Itests/unit $< $(SOCK_LIB) -lcmocka -o $@

all: $(SOCK_LIB) $(SOCK_TEST)
LINT_C_EXTRA += $(SOCK_LIB) $(SOCK_TEST)
