#!/usr/bin/env bash
# Unmodified lspci, pointed at the tree toe-sim publishes, must show the device as
# docs/device.md describes it: IDs, class, BAR0 and its size, the capabilities. A second
# toe-sim on the same tree is refused; SIGTERM removes the tree.
#   lspci_sees_device.sh BUILD_DIR OUT_DIR
set -euo pipefail
BUILD=$1
mkdir -p "$2"
DIR=$2/pci-lspci
rm -rf "$DIR"
"$BUILD/bin/toe-sim" --pci-dir "$DIR" > "$2/pci-lspci.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
# Readiness: the published line (bounded: 100 looks, however slow the machine).
for _ in $(seq 100); do
  grep -q "published 0000:00:05.0" "$2/pci-lspci.log" && break
  kill -0 $pid 2>/dev/null || { cat "$2/pci-lspci.log"; exit 1; }
  sleep 0.05
done
grep -q "toe-sim: model backend, virtual time, published 0000:00:05.0 under $DIR " "$2/pci-lspci.log"

out=$(lspci -A linux-sysfs -O sysfs.path="$DIR" -vv -nn 2>/dev/null)
echo "$out"
expect() {
  grep -qxF -- "$1" <<<"$out" || { echo "lspci_sees_device: missing line: '$1'"; exit 1; }
}
expect "00:05.0 Ethernet controller [0200]: Device [1234:70e0] (rev 01)"
expect $'\tSubsystem: Device [1234:0001]'
expect $'\tRegion 0: Memory at fe000000 (64-bit, non-prefetchable) [disabled] [size=64K]'
expect $'\tCapabilities: [40] Power Management version 3'
expect $'\tCapabilities: [50] Express (v2) Endpoint, MSI 00'
expect $'\t\tLnkSta:\tSpeed 8GT/s, Width x8'
expect $'\tCapabilities: [b0] MSI-X: Enable- Count=32 Masked-'
expect $'\t\tVector table: BAR=0 offset=00008000'
expect $'\t\tPBA: BAR=0 offset=00009000'
[ "$(grep -c '^[0-9a-f]' <<<"$out")" = 1 ] || { echo "lspci_sees_device: more than one function"; exit 1; }

# One publisher per function.
if "$BUILD/bin/toe-sim" --pci-dir "$DIR" 2> "$2/pci-lspci-second.log"; then
  echo "lspci_sees_device: a second toe-sim published the same function"; exit 1
fi
grep -q "0000:00:05.0 is published by another toe-sim" "$2/pci-lspci-second.log"

kill -TERM $pid
wait $pid
trap - EXIT
[ ! -e "$DIR/devices" ] || { echo "lspci_sees_device: $DIR/devices left behind"; exit 1; }
echo "lspci_sees_device: ok"
