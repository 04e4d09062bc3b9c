#!/usr/bin/env bash
# Synthesises the TX path with Yosys (Debian's 0.23) for a Xilinx 7-series target and
# writes the report to OUT/synth.txt and the figures to OUT/synth.json: LUTs,
# flip-flops, block RAM, LUT RAM and the longest combinational path in cells (each LUT,
# MUXF and CARRY4 counts one level; flip-flops are cut out of the path search, see
# ../shared/perf-notes.md; LUT RAM cells are cut too, as their writes are clocked but
# ltp would see a path through them). The TX engine at widths 64 (the default) and 512,
# the checksum unit alone at 512 bits (to set beside Corundum's rx_checksum), and the RX
# engine at 64 bits with its default 4096-entry table (about ten minutes here).
# SYNTH_DEV=1 adds the whole device (rtl/toe_dev.sv: both engines and every dev_* block)
# at 64 bits with a 64-entry table and without the simulation-only idle warp (Warp=0:
# its divider is no part of the hardware); SYNTH_DEV=only synthesises the device alone
# (about twelve minutes and 6 GB of memory here: 58.7k LUTs, 35.1k FFs, 8 RAMB36).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-out}
mkdir -p "$OUT"
PKGS="rtl/toe_pkg.sv rtl/toe_net_pkg.sv rtl/toe_tx_pkg.sv"
RX="$PKGS rtl/toe_rx_pkg.sv rtl/toe_fifo.sv rtl/toe_regq.sv rtl/toe_csum.sv rtl/rx_ingress.sv rtl/rx_parse.sv rtl/rx_conn_proc.sv
    rtl/rx_conn.sv rtl/rx_ack_build.sv rtl/rx_dispatch.sv rtl/toe_rx_engine.sv"
TX="$PKGS rtl/toe_fifo.sv rtl/toe_csum.sv rtl/tx_desc_check.sv rtl/tx_cmd_stage.sv
    rtl/tx_dma_plan.sv rtl/tx_payload_buf.sv rtl/tx_hdr_prep.sv rtl/tx_frame_emit.sv
    rtl/toe_tx_engine.sv"
report=$OUT/synth.txt
{
  echo "OpenTOE synthesis: $(yosys -V)"
  echo "command: make synth ($(date -u +%Y-%m-%d))"
  echo "flow: read_verilog -sv; chparam W; synth_xilinx -flatten; stat; ltp -noff (FFs and LUT RAM excluded)"
} >"$report"
json="{"

# synth NAME TOP WIDTH KEY_SUFFIX FILES...  (PARAMS: chparam arguments, default -set W WIDTH)
synth() {
  local name=$1 top=$2 w=$3 sfx=$4; shift 4
  local files tag=${name}_w$w params=${PARAMS:-"-set W $w"}
  files=$(echo "$@")  # one line: a newline would end the Yosys command
  yosys -q -l "$OUT/synth_$tag.log" -p "read_verilog -sv $files; chparam $params $top; \
      synth_xilinx -flatten -top $top; \
      tee -o $OUT/synth_${tag}_stat.txt stat; \
      tee -o $OUT/synth_${tag}_ltp.txt ltp -noff w:* t:* %u t:FD* %d t:RAM* %d" >/dev/null 2>&1 \
    || { tail -20 "$OUT/synth_$tag.log"; exit 1; }
  local luts ffs bram lutram levels
  read -r luts ffs bram lutram levels < <(python3 - "$OUT/synth_${tag}_stat.txt" "$OUT/synth_${tag}_ltp.txt" <<'PY'
import re, sys
stat = open(sys.argv[1]).read()
cells = {m.group(1): int(m.group(2)) for m in re.finditer(r"^\s+(\w+)\s+(\d+)\s*$", stat, re.M)}
luts = sum(v for k, v in cells.items() if re.fullmatch(r"LUT[1-6]", k))
ffs = sum(v for k, v in cells.items() if re.fullmatch(r"FD[A-Z]*", k))
# Block RAM in RAMB36 equivalents; LUT RAM in LUTs (RAM32M/RAM64M use 4, RAM32X1D 2).
bram = cells.get("RAMB36E1", 0) + 0.5 * cells.get("RAMB18E1", 0)
lutram = 4 * (cells.get("RAM32M", 0) + cells.get("RAM64M", 0)) + 2 * cells.get("RAM32X1D", 0) \
         + 2 * cells.get("RAM64X1D", 0) + cells.get("RAM64X1S", 0) + cells.get("RAM32X1S", 0)
levels = int(re.search(r"length=(\d+)", open(sys.argv[2]).read()).group(1))
print(luts, ffs, bram, lutram, levels)
PY
)
  {
    echo
    echo "== $top, W=$w"
    echo "LUTs (logic): $luts   flip-flops: $ffs   block RAM (RAMB36): $bram   LUT RAM (LUTs): $lutram"
    echo "longest combinational path: $levels levels"
    cat "$OUT/synth_${tag}_stat.txt"
    grep -m1 "Longest" "$OUT/synth_${tag}_ltp.txt" || true
  } >>"$report"
  json+="\"synth_luts_$name$sfx\": $luts, \"synth_ffs_$name$sfx\": $ffs, \"synth_bram36_$name$sfx\": $bram, "
  json+="\"synth_lutram_$name$sfx\": $lutram, \"synth_lut_levels_$name$sfx\": $levels, "
  echo "synth: $top W=$w: $luts LUTs, $ffs FFs, $bram RAMB36, $lutram LUT-RAM LUTs, $levels levels"
}

DEV="$PKGS rtl/toe_rx_pkg.sv rtl/toe_fifo.sv rtl/toe_regq.sv rtl/toe_csum.sv rtl/rx_ingress.sv rtl/rx_parse.sv
     rtl/rx_conn_proc.sv rtl/rx_conn.sv rtl/rx_ack_build.sv rtl/rx_dispatch.sv rtl/toe_rx_engine.sv
     rtl/tx_desc_check.sv rtl/tx_cmd_stage.sv rtl/tx_dma_plan.sv rtl/tx_payload_buf.sv rtl/tx_hdr_prep.sv
     rtl/tx_frame_emit.sv rtl/toe_tx_engine.sv $(ls rtl/dev_*.sv) rtl/toe_dev.sv"
if [ "${SYNTH_DEV:-0}" != only ]; then
  synth tx toe_tx_engine 64 "" $TX
  synth tx toe_tx_engine 512 _w512 $TX
  synth csum toe_csum 512 _w512 rtl/toe_net_pkg.sv rtl/toe_csum.sv
  # The idle warp (Warp) exists for virtual time only; its divider is no hardware.
  PARAMS="-set W 64 -set Warp 0" synth rx toe_rx_engine 64 "" $RX
fi
if [ "${SYNTH_DEV:-0}" != 0 ]; then
  PARAMS="-set ConnMax 64 -set Warp 0" synth dev toe_dev 64 "" $DEV
fi
json="${json%, }}"
echo "$json" >"$OUT/synth.json"
# The figures also go into out/bench.json (kept with whatever make bench put there).
python3 - "$OUT/synth.json" "$OUT/bench.json" <<'PY'
import json, os, sys
bench = json.load(open(sys.argv[2])) if os.path.exists(sys.argv[2]) else {}
bench.update(json.load(open(sys.argv[1])))
with open(sys.argv[2], "w") as fh:
    json.dump(bench, fh, indent=1, sort_keys=True)
    fh.write("\n")
PY
echo "synth: report in $report; figures in $OUT/synth.json and $OUT/bench.json"
