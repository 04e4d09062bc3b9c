# ---- the device model: toe_dev_model_new() (sim/dev/model, docs/device.md) ----------------
# The whole device - BAR0, queues, MSI-X, firmware window - around the TX and RX engine
# models; its unit tests are tests/dev/*.c, run by tests/suites/20-dev-model.sh.
DEVMODEL_SRCS := $(wildcard sim/dev/model/*.c)
DEVMODEL_HDRS := $(wildcard sim/dev/model/*.h) sim/dev/toe_dev.h $(MODEL_HDRS)
DEVMODEL_LIB  := $(BUILD)/dev/libtoedevmodel.a
DEVMODEL_TEST := $(BUILD)/tests/dev/test_dev_model
DEVMODEL_TEST_SRCS := $(wildcard tests/dev/*.c)
DEVMODEL_TEST_HDRS := $(wildcard tests/dev/*.h) tests/unit/test_seed.h

$(BUILD)/dev/model/%.o: sim/dev/model/%.c $(DEVMODEL_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Isim/dev -c $< -o $@

$(DEVMODEL_LIB): $(patsubst sim/dev/model/%.c,$(BUILD)/dev/model/%.o,$(DEVMODEL_SRCS))
	@rm -f $@
	ar rcs $@ $^

$(DEVMODEL_TEST): $(DEVMODEL_TEST_SRCS) $(DEVMODEL_TEST_HDRS) $(DEVMODEL_LIB) $(MODEL_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Isim/dev -Itests/unit -Itests/dev $(DEVMODEL_TEST_SRCS) $(DEVMODEL_LIB) \
	  $(MODEL_LIB) -lcmocka -o $@

all: $(DEVMODEL_LIB) $(DEVMODEL_TEST)
LINT_C_EXTRA += $(DEVMODEL_LIB) $(DEVMODEL_TEST)
