#!/usr/bin/env bash
# Synthesises the TX path with Yosys (Debian's 0.23) for a Xilinx 7-series target and
# writes the report to OUT/synth.txt and the figures to OUT/synth.json:
# LUTs, flip-flops, block RAM, LUT RAM and the longest combinational path in cells
# (each LUT, MUXF and CARRY4 counts one level; flip-flops are cut out of the path
# search, see ../shared/perf-notes.md). Widths: 64 (the default) and 512.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-out}
mkdir -p "$OUT"
RTL="rtl/toe_pkg.sv rtl/toe_net_pkg.sv rtl/toe_tx_pkg.sv rtl/toe_fifo.sv rtl/toe_csum.sv
     rtl/tx_desc_check.sv rtl/tx_cmd_stage.sv rtl/tx_dma_plan.sv rtl/tx_payload_buf.sv
     rtl/tx_hdr_prep.sv rtl/tx_frame_emit.sv rtl/toe_tx_engine.sv"
RTL=$(echo $RTL)  # one line: a newline would end the Yosys command
report=$OUT/synth.txt
{
  echo "OpenTOE TX path synthesis: $(yosys -V)"
  echo "command: make synth ($(date -u +%Y-%m-%d))"
  echo "flow: read_verilog -sv; chparam W; synth_xilinx -flatten -top toe_tx_engine; stat; ltp -noff (FFs excluded)"
} >"$report"
json="{"
for w in 64 512; do
  log=$OUT/synth_w$w.log
  yosys -q -l "$log" -p "read_verilog -sv $RTL; chparam -set W $w toe_tx_engine; \
      synth_xilinx -flatten -top toe_tx_engine; \
      tee -o $OUT/synth_w${w}_stat.txt stat; \
      tee -o $OUT/synth_w${w}_ltp.txt ltp -noff w:* t:* %u t:FD* %d" >/dev/null 2>&1 || { tail -20 "$log"; exit 1; }
  read -r luts ffs bram lutram levels < <(python3 - "$OUT/synth_w${w}_stat.txt" "$OUT/synth_w${w}_ltp.txt" <<'PY'
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
    echo "== W=$w"
    echo "LUTs (logic): $luts   flip-flops: $ffs   block RAM (RAMB36): $bram   LUT RAM (LUTs): $lutram"
    echo "longest combinational path: $levels levels"
    cat "$OUT/synth_w${w}_stat.txt"
    grep -m1 "Longest" "$OUT/synth_w${w}_ltp.txt" || true
  } >>"$report"
  sfx=""; [ "$w" = 64 ] || sfx="_w$w"
  json+="\"synth_luts_tx$sfx\": $luts, \"synth_ffs_tx$sfx\": $ffs, \"synth_bram36_tx$sfx\": $bram, "
  json+="\"synth_lutram_tx$sfx\": $lutram, \"synth_lut_levels_tx$sfx\": $levels, "
  echo "synth: W=$w: $luts LUTs, $ffs FFs, $bram RAMB36, $lutram LUT-RAM LUTs, $levels levels"
done
json="${json%, }}"
echo "$json" >"$OUT/synth.json"
echo "synth: report in $report"
