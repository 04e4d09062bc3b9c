# ---- the driver core (driver/, docs/driver.md) ------------------------------------------
# The top Makefile builds driver/toe_pci.c and toe_plat_mmio.c into $(DRV_LIB); the
# pieces both platforms share (the DMA allocator, toe_plat.c) join it here. The
# channel platform and the driver proper are $(DRV2_LIB), which needs $(DRV_LIB),
# $(CHAN_LIB) and -lpci after it.
DRV_SHARED_OBJS := $(BUILD)/driver/toe_dma.o $(BUILD)/driver/toe_plat.o
$(DRV_LIB): $(DRV_SHARED_OBJS)

DRV2_SRCS := driver/toe_plat_chan.c driver/toe_dev_drv.c driver/toe_drv_ring.c \
             driver/toe_drv_admin.c driver/toe_drv_irq.c driver/toe_drv_raw.c
DRV2_LIB  := $(BUILD)/driver/libtoedrv2.a
DRV2_LIBS := $(DRV2_LIB) $(DRV_LIB) $(CHAN_LIB)

$(BUILD)/driver2/%.o: driver/%.c $(DRV_HDRS) $(CHAN_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Idriver -Isim/chan -c $< -o $@

$(DRV2_LIB): $(patsubst driver/%.c,$(BUILD)/driver2/%.o,$(DRV2_SRCS))
	@rm -f $@
	ar rcs $@ $^

DRV_TEST_HDRS := $(wildcard tests/driver/*.h) $(wildcard tests/unit/*.h)

# The channel platform and the driver's bring-up against a fake device (a child
# process on the device side of sim/chan), published as a sysfs tree by toe-sim's
# library.
$(BUILD)/tests/driver/test_plat_chan: tests/driver/test_plat_chan.c $(DRV2_LIBS) $(SIMDEV_LIB) \
                                      $(DRV_HDRS) $(CHAN_HDRS) $(DRV_TEST_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Idriver -Isim/chan -Isim/toe-sim -Itests/unit $< $(DRV2_LIBS) $(SIMDEV_LIB) \
	  -lcmocka -lpci -o $@

# The ring consumers fed random and hostile entries, under AddressSanitizer and
# UBSan: built from the sources, not the libraries.
DRV_ALL_SRCS := $(DRV2_SRCS) driver/toe_pci.c driver/toe_plat_mmio.c driver/toe_dma.c driver/toe_plat.c
$(BUILD)/tests/driver/test_drv_fuzz: tests/driver/test_drv_fuzz.c $(DRV_ALL_SRCS) $(CHAN_SRCS) $(DRV_HDRS) \
                                     $(CHAN_HDRS) $(DRV_TEST_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -O1 $(ASAN_FLAGS) -Idriver -Isim/chan -Itests/unit $< $(DRV_ALL_SRCS) $(CHAN_SRCS) \
	  -lcmocka -lpci -o $@

DRV_TEST_BINS := $(BUILD)/tests/driver/test_plat_chan $(BUILD)/tests/driver/test_drv_fuzz
all: $(DRV2_LIB) $(DRV_TEST_BINS)
LINT_C_EXTRA += $(DRV2_LIB) $(DRV_TEST_BINS)
