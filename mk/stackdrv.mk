# ---- the stack over the driver, and the embedded TOE (driver/stack, docs/tcp.md) ---------
# libtoestackdrv.a: the stack's netif over the driver core, with the hardware fast path
# (toed and the harness use it). libtoeharness.a: the in-process device (mk/local.mk)
# + driver + stack, in virtual time. A program links $(HARNESS_LIBS) with g++ and
# $(HARNESS_LDLIBS) (the RTL device is C++).
STACKDRV_LIB := $(BUILD)/driver/libtoestackdrv.a
HARNESS_LIB  := $(BUILD)/driver/libtoeharness.a
HARNESS_INC  := $(STACK_INC) -Idriver -Isim/local -Isim/dev
HARNESS_LIBS := $(HARNESS_LIB) $(STACKDRV_LIB) $(STACK_LIBS) $(LOCAL_LIBS)
HARNESS_LDLIBS := -lsodium -lpci -lpcap -pthread -latomic
HARNESS_HDRS := $(STACK_HDRS) $(LOCAL_HDRS) $(DRV_HDRS)
HARNESS_TEST := $(BUILD)/tests/harness/test_harness

$(BUILD)/stackdrv/%.o: driver/stack/%.c $(HARNESS_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(HARNESS_INC) -c $< -o $@

$(STACKDRV_LIB): $(BUILD)/stackdrv/toe_stack_drv.o
	@rm -f $@
	ar rcs $@ $^

$(HARNESS_LIB): $(BUILD)/stackdrv/toe_harness.o
	@rm -f $@
	ar rcs $@ $^

$(HARNESS_TEST): tests/harness/test_harness.c $(HARNESS_LIBS) $(HARNESS_HDRS) tests/unit/test_seed.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(HARNESS_INC) -Itests/unit -c $< -o $@.o
	$(CXX) $@.o $(HARNESS_LIBS) -lcmocka $(HARNESS_LDLIBS) -o $@

all: $(STACKDRV_LIB) $(HARNESS_LIB) $(HARNESS_TEST)
LINT_C_EXTRA += $(STACKDRV_LIB) $(HARNESS_LIB) $(HARNESS_TEST)

# toe-packetdrill (docs/packetdrill.md, "Running scripts"): the runner's objects
# (mk/pktdrill.mk) on the embedded TOE.
$(PD_RUNNER): $(PD_EXEC_OBJS) $(PD_RUN_LIB) $(PD_LIB) $(HARNESS_LIBS)
	@mkdir -p $(@D)
	$(CXX) $(PD_EXEC_OBJS) $(PD_RUN_LIB) $(PD_LIB) $(HARNESS_LIBS) $(HARNESS_LDLIBS) -lm -o $@

all: $(PD_RUNNER)
LINT_C_EXTRA += $(PD_RUNNER)

# make bench's TCP figures (sim/bench/bench_tcp.c, docs/perf.md).
$(BUILD)/bin/bench_tcp: sim/bench/bench_tcp.c $(HARNESS_LIBS) $(HARNESS_HDRS)
	@mkdir -p $(@D) $(BUILD)/bench
	$(CC) $(CFLAGS) $(HARNESS_INC) -c $< -o $(BUILD)/bench/bench_tcp.o
	$(CXX) $(BUILD)/bench/bench_tcp.o $(HARNESS_LIBS) $(HARNESS_LDLIBS) -o $@

all: $(BUILD)/bin/bench_tcp
LINT_C_EXTRA += $(BUILD)/bin/bench_tcp
