# ---- the RTL device: toe_dev_rtl_new() (rtl/toe_dev.sv, sim/dev/rtl, docs/device.md) -------
# rtl/toe_dev.sv and its dev_* blocks around the TX and RX engines, Verilated once per
# connection-table size the harness offers (the size is an RTL parameter), and the C++
# harness that serves its ports; tests/dev-rtl/test_dev_rtl.c drives it through
# sim/dev/toe_dev.h (tests/suites/30-dev-rtl.sh). Built for speed of building: -O2 on
# the harness, OPT_FAST=-O1 on the Verilated code, --x-assign fast, no tracing.
RTL_DEV_BLOCKS := $(sort $(wildcard rtl/dev_*.sv))
RTL_DEV   := $(RTL_ALL) $(RTL_DEV_BLOCKS) rtl/toe_dev.sv
RTL_DEV_MODULES := $(basename $(notdir $(RTL_DEV_BLOCKS))) toe_dev
DEV_RTL_SIZES := 64 4096
DEV_RTL_LIB := $(BUILD)/dev/libtoedevrtl.a
DEV_RTL_SRCS := sim/dev/rtl/toe_dev_rtl.cpp
DEV_RTL_TEST := $(BUILD)/tests/dev/test_dev_rtl
DEV_RTL_TEST_SRCS := tests/dev-rtl/test_dev_rtl.c tests/dev/dev_test_env.c
VL_INC := /usr/share/verilator/include
DEV_RTL_CXXFLAGS := -std=gnu++17 -O2 $(WARN) -isystem $(VL_INC) -isystem $(VL_INC)/vltstd \
                    -Iinclude -Isim/dev -Isim/tb $(foreach n,$(DEV_RTL_SIZES),-I$(BUILD)/obj_dev_c$(n))

# dev_rtl_model SIZE: the Verilated device with a SIZE-entry table, class Vtoe_dev_cSIZE
define dev_rtl_model
$(BUILD)/obj_dev_c$(1)/Vtoe_dev_c$(1)__ALL.a: $(RTL_DEV) $(RTL_WAIVERS)
	@mkdir -p $(BUILD)/obj_dev_c$(1)
	verilator --cc --build -j $(JOBS) -Wall --top-module toe_dev -GConnMax=$(1) \
	  --prefix Vtoe_dev_c$(1) -Mdir $(BUILD)/obj_dev_c$(1) --x-assign fast --x-initial fast \
	  -O3 -CFLAGS "-O1" -MAKEFLAGS "OPT_FAST=-O1 OPT_SLOW=-O1" \
	  $(abspath $(RTL_WAIVERS) $(RTL_DEV)) > $(BUILD)/obj_dev_c$(1).log 2>&1 \
	  || { tail -40 $(BUILD)/obj_dev_c$(1).log; exit 1; }
endef
$(foreach n,$(DEV_RTL_SIZES),$(eval $(call dev_rtl_model,$(n))))

DEV_RTL_MODELS := $(foreach n,$(DEV_RTL_SIZES),$(BUILD)/obj_dev_c$(n)/Vtoe_dev_c$(n)__ALL.a)

$(BUILD)/dev/rtl/toe_dev_rtl.o: $(DEV_RTL_SRCS) sim/dev/toe_dev.h sim/tb/tb_ports.h include/toe_formats.h \
                                $(DEV_RTL_MODELS)
	@mkdir -p $(@D)
	$(CXX) $(DEV_RTL_CXXFLAGS) -c $< -o $@

# Verilator's runtime (not our code: its own warnings settings).
DEV_RTL_VL_OBJS := $(BUILD)/dev/rtl/verilated.o $(BUILD)/dev/rtl/verilated_threads.o
$(BUILD)/dev/rtl/verilated.o: $(VL_INC)/verilated.cpp
$(BUILD)/dev/rtl/verilated_threads.o: $(VL_INC)/verilated_threads.cpp
$(DEV_RTL_VL_OBJS):
	@mkdir -p $(@D)
	$(CXX) -std=gnu++17 -O2 -isystem $(VL_INC) -isystem $(VL_INC)/vltstd -c $< -o $@

# One archive: the harness, both Verilated models and Verilator's runtime.
$(DEV_RTL_LIB): $(BUILD)/dev/rtl/toe_dev_rtl.o $(DEV_RTL_VL_OBJS) $(DEV_RTL_MODELS)
	@rm -f $@
	@{ echo "create $@"; for a in $(DEV_RTL_MODELS); do echo "addlib $$a"; done; \
	   for o in $< $(DEV_RTL_VL_OBJS); do echo "addmod $$o"; done; echo save; echo end; } | ar -M
	ranlib $@

$(DEV_RTL_TEST): $(DEV_RTL_TEST_SRCS) $(DEVMODEL_TEST_HDRS) $(DEV_RTL_LIB) $(DEVMODEL_LIB) $(MODEL_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Isim/dev -Itests/unit -Itests/dev -c tests/dev-rtl/test_dev_rtl.c -o $@.o
	$(CC) $(CFLAGS) -Isim/dev -Itests/unit -Itests/dev -c tests/dev/dev_test_env.c -o $@.env.o
	$(CXX) $@.o $@.env.o $(DEV_RTL_LIB) $(DEVMODEL_LIB) $(MODEL_LIB) -lcmocka -pthread -latomic -o $@

all: $(DEV_RTL_LIB) $(DEV_RTL_TEST)

# Lint: Verilator -Wall on every dev_* block on its own and on the top at both sizes,
# then a Yosys read of the device.
.PHONY: lint-rtl-dev
lint-rtl-dev:
	@set -e; for m in $(RTL_DEV_MODULES); do \
	  verilator --lint-only -Wall $(RTL_WAIVERS) $(RTL_DEV) --top-module $$m; done
	@set -e; for n in $(DEV_RTL_SIZES); do \
	  verilator --lint-only -Wall $(RTL_WAIVERS) $(RTL_DEV) --top-module toe_dev -GConnMax=$$n; done
	@# Yosys notes the small register arrays (rings, vectors) it keeps as flip-flops.
	@set -o pipefail; yosys -q -p "read_verilog -sv $(RTL_DEV); chparam -set ConnMax 64 toe_dev; \
	              hierarchy -check -top toe_dev; proc" 2>&1 | { grep -v "^Warning: Replacing memory" || true; }
	@echo "lint-rtl-dev: $(words $(RTL_DEV_MODULES)) device modules: Verilator -Wall and Yosys clean"
lint: lint-rtl-dev

# The model's own cases (tests/dev/test_dev_*.c) against the RTL, transaction-level
# through a settling wrapper; the cases that rest on the model's timing are listed out.
DEV_ON_RTL_TEST := $(BUILD)/tests/dev/test_dev_on_rtl
DEV_ON_RTL_SRCS := tests/dev-rtl/test_dev_on_rtl.c tests/dev/dev_test_env.c \
                   $(filter-out tests/dev/test_dev_model.c tests/dev-rtl/test_dev_rtl.c tests/dev-rtl/test_dev_on_rtl.c,$(wildcard tests/dev/test_dev_*.c))
$(DEV_ON_RTL_TEST): $(DEV_ON_RTL_SRCS) $(DEVMODEL_TEST_HDRS) $(DEV_RTL_LIB) $(DEVMODEL_LIB) $(MODEL_LIB)
	@mkdir -p $(@D)
	@rm -rf $@.objs && mkdir -p $@.objs
	@set -e; for f in $(DEV_ON_RTL_SRCS); do \
	  $(CC) $(CFLAGS) -Isim/dev -Itests/unit -Itests/dev -c $$f -o $@.objs/$$(basename $$f .c).o; done
	$(CXX) $@.objs/*.o $(DEV_RTL_LIB) $(DEVMODEL_LIB) $(MODEL_LIB) -lcmocka -pthread -latomic -o $@

all: $(DEV_ON_RTL_TEST)
LINT_C_EXTRA += $(DEV_RTL_TEST) $(DEV_ON_RTL_TEST)
