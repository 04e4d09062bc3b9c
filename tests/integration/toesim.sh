#!/usr/bin/env bash
# The device as a driver meets it: toe-sim processes on every backend, the driver core
# (toe-devtest) attaching through libpci, raw frames across a cable, determinism,
# resets, a toe-sim that dies, a second driver. One check per call:
#
#   tests/integration/toesim.sh BUILD OUT CHECK [ARGS...]
#
# TOESIM_ARGS (e.g. -v) goes to every toe-sim a check starts.
# Every check makes its own directory under OUT/toesim/CHECK, starts what it needs,
# stops everything it started (also on failure) and exits 0 only when the check holds.
set -uo pipefail

BUILD=$1 OUT=$2 CHECK=$3
shift 3
SIM=$BUILD/bin/toe-sim
DT=$BUILD/bin/toe-devtest
DIR=$OUT/toesim/$CHECK
rm -rf "$DIR"
mkdir -p "$DIR"
PIDS=()

cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill -INT "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null
  done
  wait 2>/dev/null
}
trap cleanup EXIT

# backend_args NAME: toe-sim's options for a backend name in a check: model, rtl,
# lockstep (RTL against the model), lockself (lockstep with a second model as the
# primary: the comparison itself under test).
backend_args() {
  case $1 in
  lockself) echo "--backend=lockstep --lockstep-primary=model" ;;
  *) echo "--backend=$1" ;;
  esac
}

# lockstep_clean BACKEND LOG: a lockstep backend's log must end with its clean report;
# any other backend has nothing to report.
lockstep_clean() {
  case $1 in
  lockstep) grep -q "lockstep (RTL vs model): no divergence" "$2" ;;
  lockself) grep -q "lockstep (model A vs model): no divergence" "$2" ;;
  *) true ;;
  esac
}

# start_sim NAME ARGS...: a toe-sim publishing under DIR/NAME, log DIR/NAME.log.
start_sim() {
  local name=$1
  shift
  mkdir -p "$DIR/$name"
  "$SIM" --pci-dir="$DIR/$name" ${TOESIM_ARGS:-} "$@" >"$DIR/$name.log" 2>&1 &
  PIDS+=($!)
  # Published when the socket exists (the cable, if any, is up too).
  for _ in $(seq 300); do
    [ -S "$DIR/$name/devices/0000:00:05.0/toe-sim.sock" ] && return 0
    kill -0 "${PIDS[-1]}" 2>/dev/null || break
    sleep 0.05
  done
  echo "toe-sim $name did not come up:"; cat "$DIR/$name.log"
  return 1
}

# stop_sims: SIGINT every toe-sim, wait for them, show their logs.
stop_sims() {
  cleanup
  PIDS=()
  for f in "$DIR"/*.log; do echo "--- $f"; cat "$f"; done
}

# A pair joined by a cable: A listens, B connects (both must be up before either
# driver runs). pair BACKEND_A BACKEND_B [A's options...]
pair() {
  local a=$1 b=$2
  shift 2
  # shellcheck disable=SC2046
  "$SIM" --pci-dir="$DIR/a" ${TOESIM_ARGS:-} $(backend_args "$a") --wire=listen:"$DIR/cable" \
    --pcap="$DIR/a.pcap" --seed="${SEED:-1}" "$@" >"$DIR/a.log" 2>&1 &
  PIDS+=($!)
  mkdir -p "$DIR/a" "$DIR/b"
  for _ in $(seq 200); do [ -S "$DIR/cable" ] && break; sleep 0.05; done
  # shellcheck disable=SC2046
  start_sim b $(backend_args "$b") --wire=connect:"$DIR/cable" --pcap="$DIR/b.pcap" --seed="${SEED:-1}" \
    || return 1
  for _ in $(seq 200); do [ -S "$DIR/a/devices/0000:00:05.0/toe-sim.sock" ] && return 0; sleep 0.05; done
  echo "toe-sim a did not come up"; cat "$DIR/a.log"; return 1
}

SEED=${TOE_SEED:-1}
case $CHECK in
bringup-*)
  # The driver comes up through libpci on one backend; lspci sees the function.
  backend=${CHECK#bringup-}
  # shellcheck disable=SC2046
  start_sim dev $(backend_args "$backend") || exit 1
  lspci -A linux-sysfs -O sysfs.path="$DIR/dev" -vv -d 1234:70e0 >"$DIR/lspci.txt" 2>/dev/null
  grep -q "Ethernet controller: Device 1234:70e0" "$DIR/lspci.txt" || { cat "$DIR/lspci.txt"; exit 1; }
  "$DT" --pci-dir "$DIR/dev" info | tee "$DIR/info.txt" || { stop_sims; exit 1; }
  grep -q "interface 1.0, firmware 1.0, features 0x1f, 4096 connections, 32 MSI-X vectors, 7 queues, 64-bit datapath at 250 MHz, tick 10000 ns" "$DIR/info.txt" || exit 1
  "$DT" --pci-dir "$DIR/dev" --polled info >/dev/null || { stop_sims; exit 1; }
  stop_sims
  lockstep_clean "$backend" "$DIR/dev.log"
  ;;
raw-*)
  # N seeded raw frames from A's driver through A's TX ring, the cable and B's
  # exception ring arrive at B's driver byte for byte. raw-BACKENDA-BACKENDB-N
  IFS=- read -r _ a b n <<<"$CHECK"
  pair "$a" "$b" || exit 1
  "$DT" --pci-dir "$DIR/b" --seed "$SEED" --timeout 60s raw-recv "$n" >"$DIR/recv.txt" 2>&1 &
  r=$!
  "$DT" --pci-dir "$DIR/a" --seed "$SEED" raw-send "$n"; rs=$?
  wait $r; rr=$?
  cat "$DIR/recv.txt"
  stop_sims
  [ $rs -eq 0 ] && [ $rr -eq 0 ] || exit 1
  for s in a b; do ! grep -q "DIVERGENCE" "$DIR/$s.log" || exit 1; done
  ;;
determinism|determinism-*)
  # The same seed twice - impairment on the cable included - gives the same frames at
  # the same times: identical pcaps, byte for byte. A third run with another seed
  # differs, so the comparison can fail. determinism[-BACKEND] (A's; default model)
  backend=model
  [ "$CHECK" = determinism ] || backend=${CHECK#determinism-}
  run_once() {
    local tag=$1 seed=$2
    SEED=$seed pair "$backend" model --delay=20us --jitter=5us --loss=3% --duplicate=2% --reorder=10% \
      --corrupt=1% || return 1
    "$DT" --pci-dir "$DIR/b" --seed "$seed" hold 3ms >/dev/null &
    local h=$!
    "$DT" --pci-dir "$DIR/a" --seed "$seed" raw-send 400 >/dev/null || return 1
    wait $h || return 1
    stop_sims >/dev/null
    mv "$DIR/a.pcap" "$DIR/a-$tag.pcap"
    mv "$DIR/b.pcap" "$DIR/b-$tag.pcap"
    mv "$DIR/a.log" "$DIR/a-$tag.log"
    mv "$DIR/b.log" "$DIR/b-$tag.log"
  }
  run_once 1 "$SEED" && run_once 2 "$SEED" && run_once 3 $((SEED + 1)) || exit 1
  n=$(tshark -r "$DIR/b-1.pcap" 2>/dev/null | wc -l)
  echo "B received $n frames of A's 400 (impaired)"
  cmp "$DIR/a-1.pcap" "$DIR/a-2.pcap" && cmp "$DIR/b-1.pcap" "$DIR/b-2.pcap" || exit 1
  echo "same seed: identical pcaps on both ends"
  ! cmp -s "$DIR/b-1.pcap" "$DIR/b-3.pcap" || { echo "another seed gave the same capture"; exit 1; }
  echo "seed $((SEED + 1)): a different capture"
  [ "$n" -gt 300 ] && [ "$n" -lt 420 ]
  ;;
traffic-*)
  # The TX and RX traffic generators through the full device: A (the backend under
  # test, lockstep for the proof) installs a connection, sends TSO, receives in-order
  # data its fast path places and ACKs; B plays the peer with raw frames.
  IFS=- read -r _ a n <<<"$CHECK"
  pair "$a" model || exit 1
  "$DT" --pci-dir "$DIR/b" --seed "$SEED" --timeout 120s traffic-b "$n" >"$DIR/b.txt" 2>&1 &
  r=$!
  "$DT" --pci-dir "$DIR/a" --seed "$SEED" --timeout 120s traffic-a "$n"; ra=$?
  wait $r; rb=$?
  cat "$DIR/b.txt"
  stop_sims
  [ $ra -eq 0 ] && [ $rb -eq 0 ] || exit 1
  lockstep_clean "$a" "$DIR/a.log"
  ;;
lockfault-*)
  # The comparison can fail: a byte flipped in the primary's Nth frame or DMA write,
  # or its Nth MSI-X hidden, as lockstep sees them, stops toe-sim (exit status 3) with
  # a report naming it. lockfault-KIND-N-BACKEND (KIND frame, dma or irq; BACKEND
  # lockstep or lockself)
  IFS=- read -r _ kind n a <<<"$CHECK"
  pair "$a" model --lockstep-fault="$kind:$n" || exit 1
  "$DT" --pci-dir "$DIR/b" --seed "$SEED" --timeout 10s traffic-b 4 >"$DIR/b.txt" 2>&1 &
  "$DT" --pci-dir "$DIR/a" --seed "$SEED" --timeout 10s traffic-a 4 >"$DIR/a.txt" 2>&1
  wait "${PIDS[0]}"; rc=$?
  PIDS=("${PIDS[@]:1}")
  stop_sims
  echo "A's toe-sim exit status $rc"
  [ $rc -eq 3 ] && grep -q "LOCKSTEP DIVERGENCE" "$DIR/a.log" || exit 1
  case $kind in
  frame) grep -q "other frame #$((n - 1)) differs at byte" "$DIR/a.log" ;;
  dma) grep -q "DMA: host address 0x[0-9a-f]*: .* wrote 0x" "$DIR/a.log" ;;
  irq) grep -q "MSI-X: vector [0-9]* sent a message on the model only" "$DIR/a.log" ;;
  esac
  ;;
bad-input-*)
  # Malformed descriptors and admin commands: the driver refuses what is API misuse,
  # the device completes the rest with their exact errors and goes on.
  backend=${CHECK#bad-input-}
  # shellcheck disable=SC2046
  start_sim dev $(backend_args "$backend") || exit 1
  "$DT" --pci-dir "$DIR/dev" bad-input || { stop_sims; exit 1; }
  stop_sims
  # The IDENTIFY aimed outside host memory: refused by the channel's bounds check,
  # logged and counted (in lockstep the model's write is checked too: two).
  grep -q "DMA of 64 bytes at 0x[0-9a-f]* refused: outside \[0x" "$DIR/dev.log" || exit 1
  grep -Eq "channel: (1|2) DMA accesses refused by the bounds check" "$DIR/dev.log" || exit 1
  lockstep_clean "$backend" "$DIR/dev.log"
  ;;
ping-*)
  # ping works against the TOE: B resolves A's MAC by ARP and sends seeded echo
  # requests of 0 to 1472 data bytes through the cable; A's device hands them up
  # (not TCP) and A's driver answers through driver/net; B checks each reply.
  IFS=- read -r _ a n <<<"$CHECK"
  pair "$a" model || exit 1
  "$DT" --pci-dir "$DIR/a" --seed "$SEED" responder 2s >"$DIR/a.txt" 2>&1 &
  r=$!
  "$DT" --pci-dir "$DIR/b" --seed "$SEED" ping "$n"; rp=$?
  wait $r; ra=$?
  cat "$DIR/a.txt"
  stop_sims
  [ $rp -eq 0 ] && [ $ra -eq 0 ] || exit 1
  grep -q "responder: 1 ARP requests, 1 replies; ICMP: $n echo requests, $n replies, 0 checksum errors" \
    "$DIR/a.txt" || exit 1
  lockstep_clean "$a" "$DIR/a.log"
  ;;
reset)
  # A function-level reset in the middle of raw sends: every send completes or is
  # aborted, the reset is reported once, the driver runs on (under valgrind).
  backend=$1
  start_sim dev --backend="$backend" || exit 1
  if command -v valgrind >/dev/null; then
    valgrind -q --error-exitcode=9 --leak-check=full "$DT" --pci-dir "$DIR/dev" reset 600 || exit 1
  else
    "$DT" --pci-dir "$DIR/dev" reset 600 || exit 1
  fi
  ;;
killed)
  # toe-sim killed under a driver that waits: the driver reports the device gone at
  # once (the channel's end), not after its guard, and exits non-zero. Real time,
  # so that the wait lasts.
  start_sim dev --time=real || exit 1
  "$DT" --pci-dir "$DIR/dev" hold 3600s >"$DIR/hold.txt" 2>&1 &
  h=$!
  sleep 1
  kill -KILL "${PIDS[0]}"
  t0=$(date +%s%N)
  wait $h; rc=$?
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  cat "$DIR/hold.txt"
  echo "driver exit status $rc, $ms ms after the kill"
  # Closed, not timed out: the driver saw the channel end rather than waiting out a guard.
  [ $rc -ne 0 ] && grep -q "toe-sim closed the channel" "$DIR/hold.txt"
  ;;
lone-driver)
  # A cable peer that never gets a driver holds its clock only --driver-wait long:
  # then it runs on, and the driver on the other side is served (no deadlock).
  "$SIM" --pci-dir="$DIR/a" --wire=listen:"$DIR/cable" >"$DIR/a.log" 2>&1 &
  PIDS+=($!)
  mkdir -p "$DIR/a" "$DIR/b"
  for _ in $(seq 200); do [ -S "$DIR/cable" ] && break; sleep 0.05; done
  start_sim b --wire=connect:"$DIR/cable" --driver-wait=300 || exit 1
  for _ in $(seq 200); do [ -S "$DIR/a/devices/0000:00:05.0/toe-sim.sock" ] && break; sleep 0.05; done
  "$DT" --pci-dir "$DIR/a" info || { stop_sims; exit 1; }
  stop_sims
  grep -q "toe-sim: no driver within 300 ms: the device runs on without one" "$DIR/b.log"
  ;;
second-driver)
  # A device has one driver: a second attach is refused, naming the function; the
  # first goes on undisturbed.
  start_sim dev --time=real || exit 1
  "$DT" --pci-dir "$DIR/dev" hold 4s >"$DIR/first.txt" 2>&1 &
  f=$!
  sleep 1
  out=$("$DT" --pci-dir "$DIR/dev" info 2>&1); rc=$?
  echo "$out"
  wait $f; rf=$?
  [ $rc -ne 0 ] && grep -q "in use by another driver" <<<"$out" && [ $rf -eq 0 ]
  ;;
busy-tree)
  # Two toe-sims cannot publish the same function.
  start_sim dev || exit 1
  out=$("$SIM" --pci-dir="$DIR/dev" 2>&1); rc=$?
  echo "$out"
  [ $rc -eq 1 ] && grep -qi "toe-sim" <<<"$out"
  ;;
local-agrees-*)
  # The in-process platform (sim/local) and toe-sim over the channel give one driver
  # command the same frames at the same times: toe-sim's --pcap against toe-devtest
  # --local's, as tshark prints them (times to the ns, every byte). A run with another
  # seed differs, so the comparison can fail. local-agrees-BACKEND-COMMAND-N
  IFS=- read -r _ _ backend cmd n <<<"$CHECK"
  [ "$cmd" = raw ] && cmd=raw-send
  start_sim dev --backend="$backend" --pcap="$DIR/sim.pcap" || exit 1
  "$DT" --pci-dir "$DIR/dev" --seed "$SEED" "$cmd" "$n" >"$DIR/chan.txt" 2>&1; rc=$?
  stop_sims >/dev/null
  "$DT" --local "$backend" --pcap "$DIR/local.pcap" --seed "$SEED" "$cmd" "$n" >"$DIR/local.txt" 2>&1; rl=$?
  "$DT" --local "$backend" --pcap "$DIR/other.pcap" --seed "$((SEED + 1))" "$cmd" "$n" >/dev/null 2>&1
  cat "$DIR/chan.txt" "$DIR/local.txt"
  [ $rc -eq 0 ] && [ $rl -eq 0 ] || exit 1
  tshark -r "$DIR/sim.pcap" -P -x -t e >"$DIR/sim.txt" 2>/dev/null
  tshark -r "$DIR/local.pcap" -P -x -t e >"$DIR/local-pcap.txt" 2>/dev/null
  tshark -r "$DIR/other.pcap" -P -x -t e >"$DIR/other.txt" 2>/dev/null
  frames=$(tshark -r "$DIR/local.pcap" 2>/dev/null | wc -l)
  echo "$frames frames; last: $(tshark -r "$DIR/local.pcap" -t e 2>/dev/null | tail -n 1)"
  [ "$frames" -gt 0 ] || exit 1
  diff "$DIR/sim.txt" "$DIR/local-pcap.txt" >"$DIR/diff.txt" || { head -20 "$DIR/diff.txt"; exit 1; }
  ! cmp -s "$DIR/local-pcap.txt" "$DIR/other.txt" || { echo "another seed gave the same capture"; exit 1; }
  ;;
*)
  echo "toesim.sh: unknown check $CHECK"; exit 2 ;;
esac
