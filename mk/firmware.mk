# ---- the management firmware (firmware/, firmware/README.md) ------------------------------
# One source, two builds: natively as a library toe-sim links (libtoefw.a), and for
# RV32IMC as the image a NIC's management core runs (toe-fw-rv32.elf), whose size is
# checked against FW_CODE_BUDGET (out/firmware-size.txt, out/firmware.json).

FW_SRCS := $(wildcard firmware/toe_fw*.c)
FW_HDRS := $(wildcard firmware/*.h) include/toe_formats.h
FW_LIB  := $(BUILD)/firmware/libtoefw.a
FW_ELF  := $(BUILD)/firmware/toe-fw-rv32.elf
FW_TEST := $(BUILD)/tests/firmware/test_fw
FW_SIZE_REPORT := $(OUT)/firmware-size.txt

FW_NATIVE_OBJS := $(patsubst firmware/%.c,$(BUILD)/firmware/native/%.o,$(FW_SRCS))
$(FW_NATIVE_OBJS): $(BUILD)/firmware/native/%.o: firmware/%.c $(FW_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -ffreestanding -Ifirmware -c $< -o $@

$(FW_LIB): $(FW_NATIVE_OBJS)
	@rm -f $@
	ar rcs $@ $^

# RV32IMC with Debian's bare-metal GCC: no libc, no heap, no floating point
# (ilp32, no F/D); libgcc only for what the compiler itself may call.
RV32_CC     := riscv64-unknown-elf-gcc
RV32_CFLAGS := -std=c11 -march=rv32imc -mabi=ilp32 -Os -g -ffreestanding -nostdlib \
               -ffunction-sections -fdata-sections $(WARN) -Iinclude -Ifirmware
RV32_LD     := firmware/rv32/link.ld
FW_RV32_LIB_OBJS  := $(patsubst firmware/%.c,$(BUILD)/firmware/rv32/lib/%.o,$(FW_SRCS))
FW_RV32_PORT_OBJS := $(BUILD)/firmware/rv32/start.o $(BUILD)/firmware/rv32/main.o \
                     $(BUILD)/firmware/rv32/mem.o

$(FW_RV32_LIB_OBJS): $(BUILD)/firmware/rv32/lib/%.o: firmware/%.c $(FW_HDRS)
	@mkdir -p $(@D)
	$(RV32_CC) $(RV32_CFLAGS) -c $< -o $@

$(BUILD)/firmware/rv32/main.o $(BUILD)/firmware/rv32/mem.o: $(BUILD)/firmware/rv32/%.o: \
		firmware/rv32/%.c $(FW_HDRS)
	@mkdir -p $(@D)
	$(RV32_CC) $(RV32_CFLAGS) -c $< -o $@

$(BUILD)/firmware/rv32/start.o: firmware/rv32/start.S
	@mkdir -p $(@D)
	$(RV32_CC) $(RV32_CFLAGS) -c $< -o $@

$(FW_ELF): $(FW_RV32_PORT_OBJS) $(FW_RV32_LIB_OBJS) $(RV32_LD)
	$(RV32_CC) $(RV32_CFLAGS) -T $(RV32_LD) -Wl,--gc-sections -Wl,--no-warn-rwx-segments -Wl,-Map=$(@:.elf=.map) \
	  $(FW_RV32_PORT_OBJS) $(FW_RV32_LIB_OBJS) -lgcc -o $@

# Fails the build when the image is above FW_CODE_BUDGET.
$(FW_SIZE_REPORT): $(FW_ELF) firmware/rv32/fw_size.sh include/toe_formats.h
	@firmware/rv32/fw_size.sh $(FW_ELF) $(OUT) >/dev/null

.PHONY: fw-size
fw-size: $(FW_ELF)
	@firmware/rv32/fw_size.sh $(FW_ELF) $(OUT)

# The firmware's unit tests, against a fake of the management window.
FW_TEST_SRCS := tests/firmware/test_fw.c tests/firmware/fake_fw_window.c
$(FW_TEST): $(FW_TEST_SRCS) tests/firmware/fake_fw_window.h tests/unit/test_seed.h $(FW_LIB) $(FW_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Ifirmware -Itests/firmware -Itests/unit $(FW_TEST_SRCS) $(FW_LIB) -lcmocka -o $@

# Once more under AddressSanitizer and UBSan: the firmware parses what the host writes.
FW_ASAN_TEST := $(BUILD)/asan/tests/firmware/test_fw
$(FW_ASAN_TEST): $(FW_TEST_SRCS) tests/firmware/fake_fw_window.h tests/unit/test_seed.h $(FW_SRCS) $(FW_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -O1 $(ASAN_FLAGS) -Ifirmware -Itests/firmware -Itests/unit $(FW_TEST_SRCS) \
	  $(FW_SRCS) -lcmocka -o $@

all: $(FW_LIB) $(FW_ELF) $(FW_SIZE_REPORT) $(FW_TEST) $(FW_ASAN_TEST)
LINT_C_EXTRA += $(FW_LIB) $(FW_ELF) $(FW_TEST)

# make synth reports the firmware's size beside the hardware's (out/synth.txt).
synth: $(FW_SIZE_REPORT)
