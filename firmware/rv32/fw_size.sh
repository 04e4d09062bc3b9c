#!/usr/bin/env bash
# The RV32 firmware's size against its budget.
#
#   fw_size.sh ELF OUTDIR [BUDGET]
#
# Prints text, data, bss (the stack is in bss) and their sum; writes the report
# to OUTDIR/firmware-size.txt and {"firmware_rv32_bytes": N} to
# OUTDIR/firmware.json (merged into out/bench.json by make bench); fails when
# the sum is above BUDGET, by default FW_CODE_BUDGET from include/toe_formats.h.
set -euo pipefail

elf=$1
out=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
budget=${3:-$(sed -n 's/^#define FW_CODE_BUDGET \([0-9]*\)u.*/\1/p' "$root/include/toe_formats.h")}
[ -n "$budget" ] || { echo "fw_size: FW_CODE_BUDGET not found in include/toe_formats.h" >&2; exit 2; }
size=${RV32_SIZE:-riscv64-unknown-elf-size}

mkdir -p "$out"
read -r text data bss _ < <("$size" "$elf" | tail -n 1)
total=$((text + data + bss))
verdict="within"
[ "$total" -le "$budget" ] || verdict="ABOVE"
{
  echo "RV32IMC firmware $elf"
  "$size" -A "$elf" | grep -E '^\.' | grep -Ev '^\.(debug|comment|riscv)'
  echo "text $text data $data bss $bss (stack included)"
  echo "firmware_rv32_bytes $total of FW_CODE_BUDGET $budget: $verdict budget"
} >"$out/firmware-size.txt"
printf '{"firmware_rv32_bytes": %d}\n' "$total" >"$out/firmware.json"
cat "$out/firmware-size.txt"
if [ "$verdict" != "within" ]; then
  echo "fw_size: $total bytes is above the budget of $budget" >&2
  exit 1
fi
