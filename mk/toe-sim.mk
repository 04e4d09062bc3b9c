# ---- toe-sim (sim/toe-sim, docs/toe-sim.md) and the programs that test it ------------------
# toe-sim links every backend: the model, the Verilated RTL (C++: linked with g++) and
# both in lockstep, with the firmware, the channel, the cable's impairment stage and
# libpcap. toe-devtest drives a toe-sim through the driver core (tests/integration).
TOESIM_SRCS := sim/toe-sim/toe_sim.c sim/toe-sim/sim_core.c sim/toe-sim/sim_cable.c \
               sim/toe-sim/sim_opts.c sim/toe-sim/sim_lockstep.c
TOESIM_OBJS := $(patsubst sim/toe-sim/%.c,$(BUILD)/toe-sim/%.o,$(TOESIM_SRCS))
TOESIM_LIBS := $(SIMDEV_LIB) $(DEVMODEL_LIB) $(DEV_RTL_LIB) $(FW_LIB) $(CHAN_LIB) $(WIRE_LIB) $(MODEL_LIB)

$(BUILD)/bin/toe-sim: $(TOESIM_OBJS) $(TOESIM_LIBS)
	@mkdir -p $(@D)
	$(CXX) $(TOESIM_OBJS) $(TOESIM_LIBS) -lpcap -lm -lpthread -o $@

# It also hosts the device itself (--local, sim/local: mk/local.mk), so it links both
# device libraries with g++.
$(BUILD)/bin/toe-devtest: tests/integration/toe_devtest.c $(LOCAL_LIBS) $(NET_LIB) $(DRV_HDRS) $(NET_HDRS) \
                          $(LOCAL_HDRS)
	@mkdir -p $(@D)
	@mkdir -p $(BUILD)/integration
	$(CC) $(CFLAGS) -Idriver -Idriver/net -Isim/chan -Isim/local -c $< -o $(BUILD)/integration/toe_devtest.o
	$(CXX) $(BUILD)/integration/toe_devtest.o $(NET_LIB) $(LOCAL_LIBS) -lpci -lpcap -pthread -latomic -o $@

# The whole device in one process, for make bench (docs/perf.md).
$(BUILD)/bin/bench_dev: sim/bench/bench_dev.c $(DEVMODEL_LIB) $(DEV_RTL_LIB) $(MODEL_LIB) sim/dev/toe_dev.h
	@mkdir -p $(@D) $(BUILD)/bench
	$(CC) $(CFLAGS) -O2 -Isim/dev -c $< -o $(BUILD)/bench/bench_dev.o
	$(CXX) $(BUILD)/bench/bench_dev.o $(DEVMODEL_LIB) $(DEV_RTL_LIB) $(MODEL_LIB) -lpthread -o $@

all: $(BUILD)/bin/toe-sim $(BUILD)/bin/toe-devtest $(BUILD)/bin/bench_dev
LINT_C_EXTRA += $(BUILD)/bin/toe-devtest
