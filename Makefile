# OpenTOE top-level build.
#
#   make demo    the main job: install what is missing, build, run the TX demo
#   make test    install what is missing, build, run every test; ends "N passed, N failed"
#   make lint    Verilator -Wall and Yosys read of all RTL; C/C++ with -Werror
#   make bench   throughput, simulation speed, checksum speed, synthesis -> out/bench.json
#   make synth   Yosys synthesis report of the TX path -> out/synth.txt
#   make deps    apt-get install the Debian packages the project needs
#   make formats regenerate rtl/toe_pkg.sv, include/toe_formats.h, docs/formats.md
#
# Programs go to build/bin, generated artifacts (pcaps, logs, reports) to out/.

SHELL := /bin/bash
.DEFAULT_GOAL := all

BUILD  ?= build
OUT    ?= out
JOBS   ?= 2
WIDTHS := 64 128 256 512
TOE_SEED ?= 1

CC  := gcc
CXX := g++
WARN     := -Wall -Wextra -Werror
CFLAGS   := -std=c11 -O2 -g $(WARN) -Iinclude -Isim/model
# Verilator's generated makefiles use ccache when OBJCACHE names it.
export OBJCACHE := $(shell command -v ccache 2>/dev/null)

# ---- sources -------------------------------------------------------------------------
FORMATS_SRC := rtl/data/toe_formats.json
FORMATS_OUT := rtl/toe_pkg.sv include/toe_formats.h docs/formats.md

RTL_PKGS := rtl/toe_pkg.sv rtl/toe_net_pkg.sv rtl/toe_tx_pkg.sv
RTL_TX   := $(RTL_PKGS) rtl/toe_fifo.sv rtl/toe_csum.sv rtl/tx_desc_check.sv \
            rtl/tx_cmd_stage.sv rtl/tx_dma_plan.sv rtl/tx_payload_buf.sv \
            rtl/tx_hdr_prep.sv rtl/tx_frame_emit.sv rtl/toe_tx_engine.sv
RTL_RX   := rtl/toe_pkg.sv rtl/toe_net_pkg.sv rtl/toe_rx_pkg.sv rtl/toe_fifo.sv rtl/toe_regq.sv rtl/toe_csum.sv \
            rtl/rx_ingress.sv rtl/rx_parse.sv rtl/rx_conn_proc.sv rtl/rx_conn.sv rtl/rx_ack_build.sv rtl/rx_dispatch.sv rtl/toe_rx_engine.sv
# Packages first: every module refers to them.
RTL_ALL  := $(RTL_PKGS) rtl/toe_rx_pkg.sv \
            $(filter-out $(RTL_PKGS) rtl/toe_rx_pkg.sv,$(sort $(RTL_TX) $(RTL_RX)))
RTL_WAIVERS := rtl/lint/toe_pkg.vlt
# Every module, for per-module lint (packages are linted through their users).
RTL_MODULES := $(basename $(notdir $(filter-out $(RTL_PKGS) rtl/toe_rx_pkg.sv,$(RTL_ALL))))

MODEL_SRCS := $(wildcard sim/model/*.c)
MODEL_HDRS := $(wildcard sim/model/*.h) include/toe_formats.h
MODEL_OBJS := $(patsubst sim/model/%.c,$(BUILD)/model/%.o,$(MODEL_SRCS))
MODEL_LIB  := $(BUILD)/model/libtoemodel.a

# toe-sim's device side (configuration space, sysfs tree) and the driver, as libraries
# that the programs and the unit tests link.
SIMDEV_SRCS := sim/toe-sim/pci_config.c sim/toe-sim/pci_tree.c
SIMDEV_HDRS := $(wildcard sim/toe-sim/*.h) include/toe_formats.h
SIMDEV_LIB  := $(BUILD)/toe-sim/libtoesim.a
DRV_SRCS    := driver/toe_pci.c driver/toe_plat_mmio.c
DRV_HDRS    := $(wildcard driver/*.h) include/toe_formats.h
DRV_LIB     := $(BUILD)/driver/libtoedrv.a
PROGRAMS    := $(BUILD)/bin/toe-sim

UNIT_SRCS  := $(wildcard tests/unit/test_*.c)
UNIT_BINS  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))

TB_TX_SRCS := sim/tb/tb_tx.cpp sim/tb/tb_tx_jobs.cpp
TB_TX_HDRS := sim/tb/tb_tx_jobs.h sim/tb/tb_ports.h
TB_TX_BINS := $(foreach w,$(WIDTHS),$(BUILD)/bin/tb_tx_w$(w))
TB_CSUM_BINS := $(foreach w,$(WIDTHS),$(BUILD)/bin/tb_csum_w$(w))
TB_RX_SRCS := sim/tb/tb_rx.cpp sim/tb/tb_rx_frames.cpp sim/tb/tb_rx_conn.cpp sim/tb/tb_rx_collide.cpp \
              sim/tb/tb_rx_delack.cpp
TB_RX_HDRS := sim/tb/tb_rx_frames.h sim/tb/tb_rx_conn.h sim/tb/tb_rx_collide.h sim/tb/tb_rx_delack.h \
              sim/tb/tb_ports.h
# One RX testbench per width with the default table (what is synthesised), and one
# 64-bit build with the largest table the RTL allows.
RX_TB_CONN_MAX := 4096
RX_TB_CONN_MAX_BIG := 65536
TB_RX_BIG  := $(BUILD)/bin/tb_rx_w64_c$(RX_TB_CONN_MAX_BIG)
TB_RX_BINS := $(foreach w,$(WIDTHS),$(BUILD)/bin/tb_rx_w$(w)) $(TB_RX_BIG)

BENCH_BINS := $(BUILD)/bin/bench_csum $(BUILD)/bin/bench_chan

# The message channel between toe-sim and the driver (docs/device.md, The channel).
CHAN_SRCS := $(wildcard sim/chan/*.c)
CHAN_HDRS := $(wildcard sim/chan/*.h) include/toe_formats.h
CHAN_LIB  := $(BUILD)/chan/libtoechan.a
# Its tests once more under AddressSanitizer and UBSan: it maps another process's
# memory and parses what that process writes.
CHAN_ASAN_TEST := $(BUILD)/asan/tests/test_chan
ASAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# The cable's impairment stage (sim/wire, docs/wire.md): a library of its own, since
# toe-sim's Ethernet port uses it and the model does not.
WIRE_SRCS := $(wildcard sim/wire/toe_*.c)
WIRE_HDRS := $(wildcard sim/wire/*.h)
WIRE_OBJS := $(patsubst sim/wire/%.c,$(BUILD)/wire/%.o,$(WIRE_SRCS))
WIRE_LIB  := $(BUILD)/wire/libtoewire.a
BENCH_BINS += $(BUILD)/bin/bench_impair
WIRE_BINS := $(BUILD)/bin/toe-impair-demo

.PHONY: all deps test test-run lint lint-rtl lint-tb lint-c bench synth demo formats clean help
all: $(MODEL_LIB) $(SIMDEV_LIB) $(DRV_LIB) $(PROGRAMS) $(UNIT_BINS) $(TB_TX_BINS) $(TB_CSUM_BINS) \
     $(TB_RX_BINS) $(BENCH_BINS) $(WIRE_BINS)

help:
	@sed -n '3,11p' Makefile

deps:
	@tools/deps.sh

# ---- formats: one source of truth --------------------------------------------------------
formats:
	python3 tools/gen_formats.py $(FORMATS_SRC) .

# ---- C reference model -------------------------------------------------------------------
$(BUILD)/model/%.o: sim/model/%.c $(MODEL_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(MODEL_LIB): $(MODEL_OBJS)
	@rm -f $@
	ar rcs $@ $^

# ---- toe-sim and the driver ----------------------------------------------------------------
$(BUILD)/toe-sim/%.o: sim/toe-sim/%.c $(SIMDEV_HDRS) $(wildcard sim/dev/*.h sim/chan/*.h sim/wire/*.h firmware/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Isim/toe-sim -Isim/dev -Isim/chan -Isim/wire -Ifirmware -c $< -o $@

$(SIMDEV_LIB): $(patsubst sim/toe-sim/%.c,$(BUILD)/toe-sim/%.o,$(SIMDEV_SRCS))
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/driver/%.o: driver/%.c $(DRV_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Idriver -c $< -o $@

$(DRV_LIB): $(patsubst driver/%.c,$(BUILD)/driver/%.o,$(DRV_SRCS))
	@rm -f $@
	ar rcs $@ $^

# toe-sim itself (the core, cable, lockstep, every backend, the firmware) is linked in
# mk/toe-sim.mk, once the libraries of the other fragments are known.

# The device side and the driver meet in this test: it links both, and libpci.
$(BUILD)/tests/test_pci: tests/unit/test_pci.c $(SIMDEV_LIB) $(DRV_LIB) $(wildcard tests/unit/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Isim/toe-sim -Idriver $< $(SIMDEV_LIB) $(DRV_LIB) -lcmocka -lpci -o $@

# ---- the cable: impairment stage ----------------------------------------------------------
$(BUILD)/wire/%.o: sim/wire/%.c $(WIRE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Isim/wire -c $< -o $@

$(WIRE_LIB): $(WIRE_OBJS)
	@rm -f $@
	ar rcs $@ $^

# Before the generic unit-test rule, which links the model library only.
$(BUILD)/tests/test_wire: tests/unit/test_wire.c $(WIRE_LIB) $(WIRE_HDRS) $(wildcard tests/unit/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Isim/wire $< $(WIRE_LIB) -lcmocka -lm -o $@

$(BUILD)/bin/bench_impair: sim/wire/bench_impair.c $(WIRE_LIB) $(WIRE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -O3 -Isim/wire $< $(WIRE_LIB) -o $@

# A capture through the stage, written back with the delivery times (docs/wire.md).
$(BUILD)/bin/toe-impair-demo: sim/wire/impair_demo.c $(WIRE_LIB) $(WIRE_HDRS) $(MODEL_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Isim/wire $< $(WIRE_LIB) $(MODEL_LIB) -lpcap -lm -o $@

$(BUILD)/tests/%: tests/unit/%.c $(MODEL_LIB) $(wildcard tests/unit/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $< $(MODEL_LIB) -lcmocka -lpcap -o $@

$(BUILD)/bin/bench_csum: sim/bench/bench_csum.c $(MODEL_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -O3 $< $(MODEL_LIB) -lpcap -o $@

# ---- the channel ---------------------------------------------------------------------------
all: $(CHAN_LIB) $(CHAN_ASAN_TEST)

$(BUILD)/chan/%.o: sim/chan/%.c $(CHAN_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Isim/chan -c $< -o $@

$(CHAN_LIB): $(patsubst sim/chan/%.c,$(BUILD)/chan/%.o,$(CHAN_SRCS))
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/tests/test_chan: tests/unit/test_chan.c $(CHAN_LIB) $(wildcard tests/unit/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Isim/chan $< $(CHAN_LIB) -lcmocka -o $@

$(CHAN_ASAN_TEST): tests/unit/test_chan.c $(CHAN_SRCS) $(CHAN_HDRS) $(wildcard tests/unit/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -O1 $(ASAN_FLAGS) -Isim/chan $< $(CHAN_SRCS) -lcmocka -o $@

$(BUILD)/bin/bench_chan: sim/bench/bench_chan.c $(CHAN_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Isim/chan $< $(CHAN_LIB) -o $@

# ---- Verilated TX engine + co-simulation testbench, one build per datapath width ---------
VFLAGS := --cc --exe --build -j $(JOBS) -Wall --top-module toe_tx_engine -O3
# TRACE=1 builds the testbenches with FST waveform tracing (--trace=FILE.fst to record).
ifeq ($(TRACE),1)
VFLAGS += --trace-fst
endif
TB_CFLAGS := -O2 -I$(CURDIR)/include -I$(CURDIR)/sim/model -I$(CURDIR)/sim/tb

$(BUILD)/bin/tb_tx_w%: $(RTL_TX) $(RTL_WAIVERS) $(TB_TX_SRCS) $(TB_TX_HDRS) $(MODEL_LIB)
	@mkdir -p $(@D) $(BUILD)/obj_tx_w$*
	verilator $(VFLAGS) -GW=$* -Mdir $(BUILD)/obj_tx_w$* \
	  -CFLAGS "$(TB_CFLAGS) -DTB_WIDTH=$*" -LDFLAGS "$(abspath $(MODEL_LIB)) -lpcap" \
	  $(abspath $(RTL_WAIVERS) $(RTL_TX) $(TB_TX_SRCS)) -o $(abspath $@) > $(BUILD)/obj_tx_w$*.log 2>&1 \
	  || { tail -40 $(BUILD)/obj_tx_w$*.log; exit 1; }

# The RX engine against the RX model: tb_rx_wW at width W with RX_TB_CONN_MAX entries,
# tb_rx_w64_cN with N entries.
#   rx_tb NAME,WIDTH,CONN_MAX
define rx_tb
$(BUILD)/bin/tb_rx_$(1): $(RTL_RX) $(RTL_WAIVERS) $(TB_RX_SRCS) $(TB_RX_HDRS) $(MODEL_LIB)
	@mkdir -p $$(@D) $(BUILD)/obj_rx_$(1)
	verilator --cc --exe --build -j $(JOBS) -Wall --top-module toe_rx_engine -O3 -GW=$(2) \
	  -GConnMax=$(3) -Mdir $(BUILD)/obj_rx_$(1) \
	  -CFLAGS "$(TB_CFLAGS) -DTB_WIDTH=$(2) -DTB_CONN_MAX=$(3)" -LDFLAGS "$(abspath $(MODEL_LIB)) -lpcap" \
	  $(abspath $(RTL_WAIVERS) $(RTL_RX) $(TB_RX_SRCS)) -o $$(abspath $$@) \
	  > $(BUILD)/obj_rx_$(1).log 2>&1 || { tail -40 $(BUILD)/obj_rx_$(1).log; exit 1; }
endef
$(foreach w,$(WIDTHS),$(eval $(call rx_tb,w$(w),$(w),$(RX_TB_CONN_MAX))))
$(eval $(call rx_tb,w64_c$(RX_TB_CONN_MAX_BIG),64,$(RX_TB_CONN_MAX_BIG)))

# The checksum unit alone, against the model's RFC 1071 sum.
$(BUILD)/bin/tb_csum_w%: rtl/toe_net_pkg.sv rtl/toe_csum.sv sim/tb/tb_csum.cpp sim/tb/tb_ports.h $(MODEL_LIB)
	@mkdir -p $(@D) $(BUILD)/obj_csum_w$*
	verilator --cc --exe --build -j $(JOBS) -Wall --top-module toe_csum -O3 -GW=$* -Mdir $(BUILD)/obj_csum_w$* \
	  -CFLAGS "$(TB_CFLAGS) -DTB_WIDTH=$*" -LDFLAGS "$(abspath $(MODEL_LIB))" \
	  $(abspath rtl/toe_net_pkg.sv rtl/toe_csum.sv sim/tb/tb_csum.cpp) -o $(abspath $@) \
	  > $(BUILD)/obj_csum_w$*.log 2>&1 || { tail -40 $(BUILD)/obj_csum_w$*.log; exit 1; }

# ---- tests ------------------------------------------------------------------------------
# `make test` first installs what is missing, then builds and runs in a second make so
# that the tools it just installed are found.
test: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all
	@$(MAKE) --no-print-directory test-run

test-run:
	@BUILD=$(BUILD) OUT=$(OUT) WIDTHS="$(WIDTHS)" TOE_SEED=$(TOE_SEED) tests/run_tests.sh

# ---- lint ------------------------------------------------------------------------------
lint: deps
	@$(MAKE) --no-print-directory lint-rtl lint-tb lint-c && echo "lint: clean"

# Verilator -Wall on every module on its own and on the top at every width, then Yosys
# reading the whole TX path (it accepts a smaller SystemVerilog subset, see
# docs/rtl-style.md).
lint-rtl:
	@set -e; for m in $(RTL_MODULES); do \
	  verilator --lint-only -Wall $(RTL_WAIVERS) $(RTL_ALL) --top-module $$m; done
	@set -e; for top in toe_tx_engine toe_rx_engine; do for w in $(WIDTHS); do \
	  verilator --lint-only -Wall $(RTL_WAIVERS) $(RTL_ALL) --top-module $$top -GW=$$w; done; done
	@set -e; for top in toe_tx_engine toe_rx_engine; do for w in $(WIDTHS); do \
	  yosys -q -p "read_verilog -sv $(RTL_ALL); chparam -set W $$w $$top; \
	               hierarchy -check -top $$top; proc"; done; done
	@echo "lint-rtl: $(words $(RTL_MODULES)) modules and both tops at widths $(WIDTHS): Verilator -Wall and Yosys clean"

# The testbench C++ with warnings as errors (the Verilated code itself is not ours).
lint-tb: $(TB_TX_BINS) $(TB_CSUM_BINS) $(TB_RX_BINS)
	@set -e; for w in $(WIDTHS); do for f in $(TB_TX_SRCS) sim/tb/tb_csum.cpp $(TB_RX_SRCS); do \
	  $(CXX) -std=gnu++17 -fsyntax-only $(WARN) -DTB_WIDTH=$$w -DTB_CONN_MAX=$(RX_TB_CONN_MAX) \
	    -I$(BUILD)/obj_tx_w$$w -I$(BUILD)/obj_csum_w$$w \
	    -I$(BUILD)/obj_rx_w$$w \
	    -isystem /usr/share/verilator/include -isystem /usr/share/verilator/include/vltstd \
	    -Iinclude -Isim/model -Isim/tb $$f; done; done
	@set -e; for f in $(TB_RX_SRCS); do \
	  $(CXX) -std=gnu++17 -fsyntax-only $(WARN) -DTB_WIDTH=64 -DTB_CONN_MAX=$(RX_TB_CONN_MAX_BIG) \
	    -I$(BUILD)/obj_rx_w64_c$(RX_TB_CONN_MAX_BIG) \
	    -isystem /usr/share/verilator/include -isystem /usr/share/verilator/include/vltstd \
	    -Iinclude -Isim/model -Isim/tb $$f; done
	@echo "lint-tb: testbench sources clean with $(WARN)"

# All C is built with -Werror; this rebuilds it from scratch to prove it.
lint-c:
	@rm -rf $(BUILD)/lint-c && $(MAKE) --no-print-directory BUILD=$(BUILD)/lint-c \
	  $(BUILD)/lint-c/model/libtoemodel.a $(patsubst $(BUILD)/%,$(BUILD)/lint-c/%,$(UNIT_BINS)) \
	  $(patsubst $(BUILD)/%,$(BUILD)/lint-c/%,$(BENCH_BINS) $(PROGRAMS)) \
	  $(BUILD)/lint-c/bin/bench_impair $(BUILD)/lint-c/bin/toe-impair-demo \
	  $(patsubst $(BUILD)/%,$(BUILD)/lint-c/%,$(LINT_C_EXTRA)) >/dev/null \
	  && echo "lint-c: C clean with $(WARN)"

# ---- synthesis and bench --------------------------------------------------------------------
synth: deps
	@mkdir -p $(OUT)
	tools/synth.sh $(OUT)
	@[ ! -f $(FW_SIZE_REPORT) ] || { echo; cat $(FW_SIZE_REPORT); } >> $(OUT)/synth.txt

bench: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all
	@[ -f $(OUT)/synth.json ] || $(MAKE) --no-print-directory synth
	python3 tools/bench.py --build $(BUILD) --out $(OUT)

# ---- demo ------------------------------------------------------------------------------
demo: deps
	@$(MAKE) --no-print-directory -j$(JOBS) $(BUILD)/bin/tb_tx_w64 $(BUILD)/bin/toe-sim $(BUILD)/bin/toe-devtest
	@tools/demo.sh $(BUILD) $(OUT)
	@echo
	@tools/demo_device.sh $(BUILD) $(OUT)

clean:
	rm -rf $(BUILD) $(OUT)

# ---- one fragment per area (sim/dev, firmware, driver, toe-sim): mk/<area>.mk ----------------
# Each adds its programs to `all`, its lint-only builds to LINT_C_EXTRA and its tests to
# tests/suites/<area>.sh, which tests/run_tests.sh sources in name order.
LINT_C_EXTRA :=
include $(sort $(wildcard mk/*.mk))
