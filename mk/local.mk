# ---- the in-process platform (sim/local, docs/driver.md "The in-process platform") -------
# toe_plat_local: a toe_dev (model or RTL) and the firmware inside the driver's process,
# in deterministic virtual time. libtoelocal.a calls both device constructors, so a
# program links it with $(LOCAL_LIBS) (driver, firmware, both devices, the model) and
# g++ (the RTL library is C++): $(CXX) ... $(LOCAL_LIBS) -lpci -pthread -latomic.
LOCAL_SRCS := $(wildcard sim/local/*.c)
LOCAL_HDRS := $(wildcard sim/local/*.h)
LOCAL_LIB  := $(BUILD)/local/libtoelocal.a
LOCAL_LIBS := $(LOCAL_LIB) $(DRV2_LIBS) $(FW_LIB) $(DEVMODEL_LIB) $(DEV_RTL_LIB) $(MODEL_LIB)
LOCAL_TEST := $(BUILD)/tests/local/test_plat_local
LOCAL_ASAN_TEST := $(BUILD)/tests/local/test_plat_local_asan
LOCAL_TEST_DEPS := tests/local/test_plat_local.c $(LOCAL_HDRS) $(DRV_HDRS) sim/dev/toe_dev.h $(FW_HDRS) \
                   tests/unit/test_seed.h
LOCAL_CFLAGS := -Isim/local -Idriver -Isim/dev -Ifirmware

$(BUILD)/local/%.o: sim/local/%.c $(LOCAL_HDRS) $(DRV_HDRS) sim/dev/toe_dev.h $(FW_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LOCAL_CFLAGS) -c $< -o $@

$(LOCAL_LIB): $(patsubst sim/local/%.c,$(BUILD)/local/%.o,$(LOCAL_SRCS))
	@rm -f $@
	ar rcs $@ $^

$(LOCAL_TEST): $(LOCAL_TEST_DEPS) $(LOCAL_LIBS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LOCAL_CFLAGS) -Itests/unit -c $< -o $@.o
	$(CXX) $@.o $(LOCAL_LIBS) -lcmocka -lpci -pthread -latomic -o $@

# The model's cases (-DTEST_MODEL_ONLY) once more under AddressSanitizer and UBSan, every C part built from
# its sources (the RTL library, not ours to instrument, is linked as it is).
LOCAL_ASAN_SRCS := $(LOCAL_SRCS) $(DRV_ALL_SRCS) $(CHAN_SRCS) $(FW_SRCS) $(DEVMODEL_SRCS) $(MODEL_SRCS)
$(LOCAL_ASAN_TEST): $(LOCAL_TEST_DEPS) $(LOCAL_ASAN_SRCS) $(DEVMODEL_HDRS) $(CHAN_HDRS) $(DEV_RTL_LIB)
	@mkdir -p $(@D)
	@rm -rf $@.objs && mkdir -p $@.objs
	@set -e; for f in $< $(LOCAL_ASAN_SRCS); do \
	  $(CC) $(CFLAGS) -O1 $(ASAN_FLAGS) $(LOCAL_CFLAGS) -Isim/chan -Itests/unit -DTEST_MODEL_ONLY -c $$f \
	    -o $@.objs/$$(echo $$f | tr / _ | sed 's/\.c$$/.o/'); done
	$(CXX) $(ASAN_FLAGS) $@.objs/*.o $(DEV_RTL_LIB) -lcmocka -lpci -lpcap -pthread -latomic -o $@

all: $(LOCAL_LIB) $(LOCAL_TEST) $(LOCAL_ASAN_TEST)
LINT_C_EXTRA += $(LOCAL_LIB) $(LOCAL_TEST)
