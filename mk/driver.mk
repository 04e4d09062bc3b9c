# ---- the driver core (driver/, docs/driver.md) ------------------------------------------
# The top Makefile builds driver/toe_pci.c and toe_plat_mmio.c into $(DRV_LIB); the
# pieces both platforms share (the DMA allocator, toe_plat.c) join it here. The
# channel platform and the driver proper are $(DRV2_LIB), which needs $(DRV_LIB),
# $(CHAN_LIB) and -lpci after it.
DRV_SHARED_OBJS := $(BUILD)/driver/toe_dma.o $(BUILD)/driver/toe_plat.o
$(DRV_LIB): $(DRV_SHARED_OBJS)

DRV2_SRCS := driver/toe_plat_chan.c
DRV2_LIB  := $(BUILD)/driver/libtoedrv2.a
DRV2_LIBS := $(DRV2_LIB) $(DRV_LIB) $(CHAN_LIB)

$(BUILD)/driver2/%.o: driver/%.c $(DRV_HDRS) $(CHAN_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Idriver -Isim/chan -c $< -o $@

$(DRV2_LIB): $(patsubst driver/%.c,$(BUILD)/driver2/%.o,$(DRV2_SRCS))
	@rm -f $@
	ar rcs $@ $^

all: $(DRV2_LIB)
LINT_C_EXTRA += $(DRV2_LIB)
