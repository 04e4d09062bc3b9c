# ---- toe-packetdrill.so: the embedded TOE for upstream packetdrill (driver/pdso) -------------
# `packetdrill --so_filename=build/lib/toe-packetdrill.so --so_flags=...` (docs/packetdrill.md,
# "Upstream packetdrill: toe-packetdrill.so"). A shared object needs position-independent
# code, and the project's static libraries are built without -fPIC: every C source the
# harness needs is compiled once more here, with -fPIC and -fvisibility=hidden, into
# $(BUILD)/pdso/obj/<its path>.o. The RTL device (Verilated C++) gets a PIC build of its
# own too (below). The version script exports packetdrill_interface_init alone.
# This fragment is read after mk/stackdrv.mk ("toe-" sorts after "stack"): the source
# lists of the other fragments are known here.
PDSO_LIB := $(BUILD)/lib/toe-packetdrill.so
PDSO_MAP := driver/pdso/toe-packetdrill.map
PDSO_OWN_SRCS := $(wildcard driver/pdso/*.c)
PDSO_SRCS := $(PDSO_OWN_SRCS) $(wildcard driver/stack/*.c) $(SOCK_SRCS) $(TCP_SRCS) $(NET_SRCS) \
             $(CONF_SRCS) $(MODEL_SRCS) $(LOCAL_SRCS) $(DRV_ALL_SRCS) $(CHAN_SRCS) $(FW_SRCS) \
             $(DEVMODEL_SRCS)
PDSO_OBJS := $(patsubst %.c,$(BUILD)/pdso/obj/%.o,$(PDSO_SRCS))
# Every directory's headers, for every object (the union of the fragments' -I flags).
PDSO_INC_DIRS := include sim/model sim/dev sim/dev/model sim/local sim/chan firmware driver \
                 driver/stack driver/include driver/conf driver/net driver/sock driver/tcp driver/pdso
PDSO_INC  := $(addprefix -I,$(PDSO_INC_DIRS))
PDSO_HDRS := $(foreach d,$(PDSO_INC_DIRS),$(wildcard $(d)/*.h))
PDSO_CFLAGS := $(CFLAGS) -fPIC -fvisibility=hidden

$(BUILD)/pdso/obj/firmware/%.o: PDSO_XFLAGS := -ffreestanding
$(BUILD)/pdso/obj/%.o: %.c $(PDSO_HDRS)
	@mkdir -p $(@D)
	$(CC) $(PDSO_CFLAGS) $(PDSO_XFLAGS) $(PDSO_INC) -c $< -o $@

# The RTL device, position-independent: its harness and Verilator's runtime from the same
# sources as mk/dev-rtl.mk, and each Verilated model's generated C++ (in $(BUILD)/obj_dev_cN,
# from the archive's rule there) compiled again with -fPIC.
PDSO_RTL_DIR := $(BUILD)/pdso/rtl
PDSO_RTL_LIB := $(PDSO_RTL_DIR)/libtoedevrtl-pic.a
PDSO_CXXFLAGS := -fPIC -fvisibility=hidden

$(PDSO_RTL_DIR)/toe_dev_rtl.o: $(DEV_RTL_SRCS) sim/dev/toe_dev.h sim/tb/tb_ports.h include/toe_formats.h \
                               $(DEV_RTL_MODELS)
	@mkdir -p $(@D)
	$(CXX) $(DEV_RTL_CXXFLAGS) $(PDSO_CXXFLAGS) -c $< -o $@

$(PDSO_RTL_DIR)/verilated.o: $(VL_INC)/verilated.cpp
$(PDSO_RTL_DIR)/verilated_threads.o: $(VL_INC)/verilated_threads.cpp
$(PDSO_RTL_DIR)/verilated.o $(PDSO_RTL_DIR)/verilated_threads.o:
	@mkdir -p $(@D)
	$(CXX) -std=gnu++17 -O2 $(PDSO_CXXFLAGS) -isystem $(VL_INC) -isystem $(VL_INC)/vltstd -c $< -o $@

# The generated sources of model N: every .cpp Verilator wrote for it, compiled with its
# makefile's flags (verilated.mk: the VM_* defines, CFG_CXXFLAGS_NO_UNUSED; OPT -O1 as
# mk/dev-rtl.mk asks), one archive member each.
PDSO_VL_FLAGS := -std=gnu++17 -O1 $(PDSO_CXXFLAGS) -isystem $(VL_INC) -isystem $(VL_INC)/vltstd \
                 -DVM_COVERAGE=0 -DVM_SC=0 -DVM_TRACE=0 -DVM_TRACE_FST=0 -DVM_TRACE_VCD=0 \
                 -faligned-new -fcf-protection=none -Wno-bool-operation -Wno-sign-compare \
                 -Wno-uninitialized -Wno-unused-but-set-variable -Wno-unused-parameter \
                 -Wno-unused-variable -Wno-shadow
define pdso_rtl_model
$(PDSO_RTL_DIR)/c$(1).stamp: $(BUILD)/obj_dev_c$(1)/Vtoe_dev_c$(1)__ALL.a
	@rm -rf $(PDSO_RTL_DIR)/c$(1) && mkdir -p $(PDSO_RTL_DIR)/c$(1)
	@set -e; for f in $(BUILD)/obj_dev_c$(1)/Vtoe_dev_c$(1)*.cpp; do \
	  echo "$(CXX) ... -fPIC -c $$$$f"; \
	  $(CXX) $(PDSO_VL_FLAGS) -I$(BUILD)/obj_dev_c$(1) \
	    -c $$$$f -o $(PDSO_RTL_DIR)/c$(1)/$$$$(basename $$$$f .cpp).o; done
	@touch $$@
endef
$(foreach n,$(DEV_RTL_SIZES),$(eval $(call pdso_rtl_model,$(n))))

$(PDSO_RTL_LIB): $(PDSO_RTL_DIR)/toe_dev_rtl.o $(PDSO_RTL_DIR)/verilated.o $(PDSO_RTL_DIR)/verilated_threads.o \
                 $(foreach n,$(DEV_RTL_SIZES),$(PDSO_RTL_DIR)/c$(n).stamp)
	@rm -f $@
	ar rcs $@ $(PDSO_RTL_DIR)/toe_dev_rtl.o $(PDSO_RTL_DIR)/verilated.o $(PDSO_RTL_DIR)/verilated_threads.o \
	  $(foreach n,$(DEV_RTL_SIZES),$(PDSO_RTL_DIR)/c$(n)/*.o)

# g++ links it: the RTL device is C++. -z defs: nothing left undefined.
$(PDSO_LIB): $(PDSO_OBJS) $(PDSO_RTL_LIB) $(PDSO_MAP)
	@mkdir -p $(@D)
	$(CXX) -shared -Wl,--version-script=$(PDSO_MAP) -Wl,-z,defs -Wl,-soname,toe-packetdrill.so \
	  $(PDSO_OBJS) $(PDSO_RTL_LIB) -lsodium -lpci -lpcap -pthread -latomic -o $@

# The loader test: what upstream does with the library, through the table only
# (tests/pdso/so_loader.c); it links nothing of ours but the interface header.
PDSO_LOADER := $(BUILD)/tests/pdso/so_loader
$(PDSO_LOADER): tests/pdso/so_loader.c driver/pdso/packetdrill_iface.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Idriver/pdso $< -ldl -pthread -o $@

all: $(PDSO_LIB) $(PDSO_LOADER)
# lint-c: our own sources and the loader (the rest are other fragments' sources, linted there).
LINT_C_EXTRA += $(patsubst %.c,$(BUILD)/pdso/obj/%.o,$(PDSO_OWN_SRCS)) $(PDSO_LOADER)
