#!/usr/bin/env bash
# make demo, part 2: the device as a driver meets it. Two toe-sims (the emulated PCIe
# function, docs/toe-sim.md) joined by a cable; unmodified lspci reads A's published
# configuration space; the driver core (toe-devtest) attaches to each through libpci,
# A installs a connection by admin command and sends TSO, B plays the peer and answers
# with data that A's fast path places in host memory and acknowledges. tshark then
# reads A's capture. Virtual time: the same run gives the same capture every time.
set -euo pipefail
BUILD=${1:-build}
OUT=${2:-out}
BACKEND=${TOE_DEMO_BACKEND:-model}
D=$OUT/demo-device
rm -rf "$D"
mkdir -p "$D/a" "$D/b"
pids=()
trap 'for p in "${pids[@]}"; do kill -INT "$p" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT

echo "== OpenTOE demo: the emulated device ($BACKEND backend) and the driver core"
"$BUILD/bin/toe-sim" --pci-dir="$D/a" --backend="$BACKEND" --wire=listen:"$D/cable" \
  --pcap="$OUT/demo_device.pcap" >"$D/a.log" 2>&1 &
pids+=($!)
for _ in $(seq 200); do [ -S "$D/cable" ] && break; sleep 0.05; done
"$BUILD/bin/toe-sim" --pci-dir="$D/b" --wire=connect:"$D/cable" >"$D/b.log" 2>&1 &
pids+=($!)
for n in a b; do
  for _ in $(seq 200); do [ -S "$D/$n/devices/0000:00:05.0/toe-sim.sock" ] && break; sleep 0.05; done
done
echo "-- lspci -A linux-sysfs -O sysfs.path=$D/a -vv (unmodified pciutils)"
lspci -A linux-sysfs -O sysfs.path="$D/a" -vv -nn 2>/dev/null | sed -n '1,4p;/Region 0/p;/MSI-X/,/PBA/p'
echo
echo "-- the driver core attaches to each through libpci and runs the admin queue (IDENTIFY);"
echo "   A installs a connection by CONN_CREATE and makes 8 TSO sends; B, the peer, checks"
echo "   every segment and sends 8 data segments back, which A's fast path places and ACKs"
"$BUILD/bin/toe-devtest" --pci-dir "$D/b" --seed 7 --timeout 60s traffic-b 8 >"$D/b.txt" 2>&1 &
b=$!
"$BUILD/bin/toe-devtest" --pci-dir "$D/a" --seed 7 --timeout 60s --info traffic-a 8 | sed 's/^/   /'
wait $b
sed 's/^/   /' "$D/b.txt"
for p in "${pids[@]}"; do kill -INT "$p"; done
wait
pids=()
echo
echo "-- A's capture, as tshark decodes it (checksums validated)"
tshark -n -r "$OUT/demo_device.pcap" -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE -c 3 2>/dev/null
echo "   ..."
tshark -n -r "$OUT/demo_device.pcap" -o tcp.check_checksum:TRUE -q -z conv,tcp 2>/dev/null | sed -n '/<->/p'
bad=$(tshark -n -r "$OUT/demo_device.pcap" -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE \
      -Y 'tcp.checksum.status == 0 || ip.checksum.status == 0' 2>/dev/null | wc -l)
echo "frames with a bad IPv4 or TCP checksum according to tshark: $bad"
[ "$bad" -eq 0 ]
grep -h 'stopped at' "$D/a.log" | sed 's/^/   /'
echo "capture: $OUT/demo_device.pcap"
