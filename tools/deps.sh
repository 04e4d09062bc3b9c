#!/usr/bin/env bash
# Installs the Debian packages OpenTOE needs (make deps). Idempotent: when every
# package is already installed it only checks, without touching apt.
set -euo pipefail

PACKAGES=(
  build-essential   # gcc, g++, make
  python3           # the format generator, the bench and test drivers
  verilator         # RTL lint and co-simulation (5.006 on Debian 12)
  yosys             # RTL read check and synthesis reports (0.23 on Debian 12)
  tshark            # the independent decoder the oracle tests use
  libpcap-dev       # pcap writing in the model and testbenches
  libcmocka-dev     # C unit tests
  ccache            # cheap rebuilds of Verilated models (OBJCACHE)
  pciutils          # lspci: the emulated device seen as a real one
  libpci-dev        # libpci: how the driver finds the device
  gcc-riscv64-unknown-elf  # the firmware's RV32IMC build (size against its budget)
  valgrind          # memory checks of the driver (reset during traffic)
  libsodium-dev     # SipHash-2-4 and the CSPRNG behind ISNs and SYN cookies (driver/tcp)
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "deps: not root and no sudo; install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
