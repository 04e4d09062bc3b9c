#!/usr/bin/env bash
# Runs every OpenTOE test suite and ends with one line: "N passed, N failed".
#
# Called by `make test` after the build. Each test's output goes to
# out/test-logs/<name>.log; a failing test prints the tail of its log. cmocka suites
# count each of their test cases. Random tests take their seed from TOE_SEED (default
# 1) and print it, so a failure can be rerun exactly.
set -uo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
OUT=${OUT:-out}
WIDTHS=${WIDTHS:-64 128 256 512}
SEED=${TOE_SEED:-1}
LOGS=$OUT/test-logs
mkdir -p "$LOGS"
rm -f "$LOGS"/*.log

passed=0
failed=0
failed_names=()

note_fail() {
  failed=$((failed + 1))
  failed_names+=("$1")
  echo "FAIL  $1  (log: $2)"
  tail -n 15 "$2" | sed 's/^/      | /'
}

# run NAME COMMAND...: one test, passes when the command exits 0.
run() {
  local name=$1; shift
  local log=$LOGS/${name//\//_}.log
  if "$@" >"$log" 2>&1; then
    passed=$((passed + 1))
    echo "PASS  $name"
  else
    note_fail "$name" "$log"
  fi
}

# run_fails NAME PATTERN COMMAND...: passes when the command fails and its output
# contains PATTERN (the tests that show a checker can fail).
run_fails() {
  local name=$1 pattern=$2; shift 2
  local log=$LOGS/${name//\//_}.log
  if "$@" >"$log" 2>&1; then
    echo "(the command succeeded, but it had to fail)" >>"$log"
    note_fail "$name" "$log"
  elif grep -q -- "$pattern" "$log"; then
    passed=$((passed + 1))
    echo "PASS  $name"
  else
    echo "(failed without the expected '$pattern')" >>"$log"
    note_fail "$name" "$log"
  fi
}

# skip NAME REASON: a test that cannot run in this tree; always says why. Counted on a line
# of their own before the summary.
skipped=0
skipped_names=()
skip() {
  skipped=$((skipped + 1))
  skipped_names+=("$1")
  echo "SKIP  $1  ($2)"
}

# run_cmocka NAME BINARY: a cmocka program; every test case counts.
run_cmocka() {
  local name=$1 bin=$2
  local log=$LOGS/${name//\//_}.log
  TOE_SEED=$SEED "$bin" >"$log" 2>&1
  local rc=$?
  local p f
  p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\./\1/p' "$log" | tail -n 1)
  f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:/\1/p' "$log" | tail -n 1)
  p=${p:-0}; f=${f:-0}
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi  # crashed before its summary
  passed=$((passed + p))
  if [ "$f" -gt 0 ]; then
    failed=$((failed + f - 1))
    note_fail "$name ($f of $((p + f)) cases)" "$log"
  else
    echo "PASS  $name ($p cases)"
  fi
}

echo "== formats"
run formats/generated-match-source tools/check_formats.sh

echo "== lint"
run lint/rtl make -s lint-rtl
run lint/tb-cxx make -s lint-tb

echo "== unit (cmocka)"
for t in "$BUILD"/tests/test_*; do
  [ -x "$t" ] || continue
  run_cmocka "unit/$(basename "$t")" "$t"
done
# The channel once more under AddressSanitizer and UBSan: it maps another process's
# memory and checks everything that process writes.
run_cmocka "unit-asan/test_chan" "$BUILD/asan/tests/test_chan"

echo "== the device as a driver sees it"
run pci/lspci-sees-device tests/pci/lspci_sees_device.sh "$BUILD" "$OUT"

echo "== co-simulation: RTL vs C model (seed $SEED)"
for w in $WIDTHS; do
  run "cosim/w$w/checksum-unit" "$BUILD/bin/tb_csum_w$w" --seed="$SEED"
done
for w in $WIDTHS; do
  tb=$BUILD/bin/tb_tx_w$w
  # The 64-bit directed run leaves the issue's capture, out/tx.pcap.
  cap=$OUT/tx_w$w; [ "$w" = 64 ] && cap=$OUT/tx
  run "cosim/w$w/directed" "$tb" --mode=directed --seed="$SEED" \
      --pcap="$cap.pcap" --flows="${cap}_flows.tsv"
  run "cosim/w$w/directed-backpressure" "$tb" --mode=directed --seed="$SEED" \
      --backpressure=30 --dma-latency=5
  run "cosim/w$w/random-backpressure" "$tb" --mode=random --seed="$SEED" --count=1500 \
      --backpressure=25 --dma-latency=40 \
      --pcap="$OUT/tx_w${w}_random.pcap" --flows="$OUT/tx_w${w}_random_flows.tsv"
done
for w in $WIDTHS; do
  tb=$BUILD/bin/tb_rx_w$w
  run "cosim/w$w/rx-directed" "$tb" --mode=directed --seed="$SEED"
  run "cosim/w$w/rx-directed-backpressure" "$tb" --mode=directed --seed="$SEED" --backpressure=40
  run "cosim/w$w/rx-random-backpressure" "$tb" --mode=random --seed="$SEED" --count=2000 --backpressure=25
  # Connections: placement, ACKs, events, commands; the 64-bit run keeps its ACKs.
  acks=""; [ "$w" = 64 ] && acks="--acks=$OUT/rx-acks.pcap"
  run "cosim/w$w/rx-connections" "$tb" --mode=conn --seed="$SEED" --count=1500 $acks
  run "cosim/w$w/rx-connections-backpressure" "$tb" --mode=conn --seed="$((SEED + 1))" --count=1500 \
      --backpressure=30
done
# The delayed-ACK cap (RFC 1122 4.2.3.2): cfg_delack_ticks above DELACK_TICKS_MAX
# (50000 ticks, 500 ms) behaves as DELACK_TICKS_MAX. 50000 ticks of simulation each; the
# tick that sends every ACK, its TSval and the entry on both sides of each deadline are
# checked against the contract, not only against the model.
for w in $WIDTHS; do
  case $w in 64|512) ;; *) continue ;; esac
  tb=$BUILD/bin/tb_rx_w$w
  run "cosim/w$w/rx-delack-cap-100000" "$tb" --mode=delack-cap --seed="$SEED" --delack=100000
  run "cosim/w$w/rx-delack-cap-0xffffffff" "$tb" --mode=delack-cap --seed="$SEED" --delack=0xFFFFFFFF \
      --backpressure=30
  if [ "$w" = 64 ]; then
    run "cosim/w$w/rx-delack-cap-50001" "$tb" --mode=delack-cap --seed="$SEED" --delack=50001
    run "cosim/w$w/rx-delack-below-cap-49999" "$tb" --mode=delack-cap --seed="$SEED" --delack=49999
    # The checks notice a deadline one tick off either way.
    run_fails "cosim/w$w/rx-delack-cap-detects-late" "against the contract" \
        "$tb" --mode=delack-cap --seed="$SEED" --delack=100000 --expect-skew=1
    run_fails "cosim/w$w/rx-delack-cap-detects-early" "against the contract" \
        "$tb" --mode=delack-cap --seed="$SEED" --delack=100000 --expect-skew=-1
  fi
done
# The largest connection table (ConnMax 65536, 64-bit): thousands of connections over
# every part of it, the top conn_id, a bucket pair filled in both banks (TABLE_FULL,
# EXISTS), most traffic on a hot set and the rest anywhere.
big=$BUILD/bin/tb_rx_w64_c65536
run "cosim/w64-c65536/rx-directed" "$big" --mode=directed --seed="$SEED"
run "cosim/w64-c65536/rx-connections-12000" "$big" --mode=conn --seed="$SEED" --count=4000 --conns=12000
run "cosim/w64-c65536/rx-connections-4000-backpressure" "$big" --mode=conn --seed="$((SEED + 1))" \
    --count=3000 --conns=4000 --backpressure=30
# A connection script too short to reach every case must fail as a coverage hole.
run_fails "cosim/w64/rx-coverage-hole-is-reported" "COVERAGE HOLE" \
    "$BUILD/bin/tb_rx_w64" --mode=conn --seed="$SEED" --count=20
run_fails "cosim/w64/injected-fault-is-caught" "differs at byte 23" \
    "$BUILD/bin/tb_tx_w64" --mode=directed --seed="$SEED" --inject-fault=23

echo "== independent oracle: tshark"
run oracle/tx.pcap tests/oracle/check_tx_pcap.py "$OUT/tx.pcap" "$OUT/tx_flows.tsv"
for w in $WIDTHS; do
  run "oracle/w$w-random" tests/oracle/check_tx_pcap.py "$OUT/tx_w${w}_random.pcap" \
      "$OUT/tx_w${w}_random_flows.tsv"
done
# The oracle must notice a flipped payload bit and a missing segment.
mut=$OUT/oracle-mutants
mkdir -p "$mut"
run_fails oracle/detects-flipped-bit "TCP checksum status" \
    bash -c "tests/oracle/mutate_pcap.py $OUT/tx.pcap $mut/flip.pcap flip 3 100 &&
             tests/oracle/check_tx_pcap.py $mut/flip.pcap $OUT/tx_flows.tsv"
run_fails oracle/detects-missing-segment "previous segment ended" \
    bash -c "tests/oracle/mutate_pcap.py $OUT/tx.pcap $mut/drop.pcap drop 3 &&
             tests/oracle/check_tx_pcap.py $mut/drop.pcap $OUT/tx_flows.tsv"

# The ACKs the RX engine generated, judged by tshark's checksums and TCP analysis.
run oracle/rx-acks tests/oracle/check_rx_acks.py "$OUT/rx-acks.pcap"
run_fails oracle/rx-acks-detects-flipped-bit "checksum status" \
    bash -c "tests/oracle/mutate_pcap.py $OUT/rx-acks.pcap $mut/ack-flip.pcap flip 5 40 &&
             tests/oracle/check_rx_acks.py $mut/ack-flip.pcap"

# The cable's impairment stage (docs/wire.md) on the TX capture, judged by tshark and
# editcap: no impairment changes nothing, a fixed delay is editcap's time shift, the
# frames that arrive are the ones counted, and tshark sees the reordering.
echo "== wire: a capture through the impairment stage, read back by tshark (seed $SEED)"
demo=$BUILD/bin/toe-impair-demo
wd=$OUT/wire
mkdir -p "$wd"
run wire/pcap-identity bash -c "$demo --in=$OUT/tx.pcap --out=$wd/identity.pcap &&
     cmp <(tshark -r $OUT/tx.pcap -P -x -t e) <(tshark -r $wd/identity.pcap -P -x -t e)"
run wire/pcap-delay-10us-is-editcap-shift bash -c "$demo --in=$OUT/tx.pcap --out=$wd/delay.pcap --delay=10us &&
     editcap -t 0.00001 $OUT/tx.pcap $wd/delay-editcap.pcap &&
     cmp <(tshark -r $wd/delay-editcap.pcap -P -x -t e) <(tshark -r $wd/delay.pcap -P -x -t e)"
run wire/pcap-loss-counted bash -c "set -o pipefail; $demo --in=$OUT/tx.pcap --out=$wd/loss.pcap --loss=20% --seed=$SEED |
     tee /dev/stderr | { read -r _ _ _ _ n_in _ n_out _; n=\$(tshark -r $wd/loss.pcap | wc -l);
     echo \"tshark reads \$n frames\"; [ \"\$n\" -eq \"\$n_out\" ] && [ \"\$n_out\" -lt \"\$n_in\" ]; }"
run wire/pcap-reorder-seen-by-tshark bash -c "base=\$(tshark -r $OUT/tx.pcap -Y tcp.analysis.out_of_order | wc -l) &&
     $demo --in=$OUT/tx.pcap --out=$wd/reorder.pcap --delay=10us --reorder=5% --seed=$SEED &&
     n=\$(tshark -r $wd/reorder.pcap -Y tcp.analysis.out_of_order | wc -l) &&
     echo \"tshark out-of-order segments: \$base before, \$n after\" && [ \"\$n\" -gt \"\$base\" ]"
run_fails wire/reorder-without-delay-refused "reorder: needs delay_ps > 0" \
    "$demo" --in="$OUT/tx.pcap" --out="$wd/refused.pcap" --reorder=5%

# One suite per area (tests/suites/NN-area.sh), sourced so that they count here.
for suite in tests/suites/*.sh; do
  [ -f "$suite" ] || continue
  # shellcheck source=/dev/null
  . "$suite"
done

echo
if [ "$skipped" -gt 0 ]; then
  echo "$skipped skipped: ${skipped_names[*]}"
fi
if [ ${#failed_names[@]} -gt 0 ]; then
  echo "failed: ${failed_names[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
