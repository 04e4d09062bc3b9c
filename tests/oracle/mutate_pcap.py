#!/usr/bin/env python3
"""Make a damaged copy of a capture, to show the oracle notices damage.

  mutate_pcap.py IN OUT flip FRAME OFFSET   flip the low bit of one byte
  mutate_pcap.py IN OUT drop FRAME          leave one frame out

FRAME counts from 1 as in Wireshark. Reads classic pcap (micro- or nanosecond).
"""
import struct
import sys


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    src, dst, op, frame = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    data = open(src, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic not in (0xA1B2C3D4, 0xA1B23C4D):
        sys.exit("mutate_pcap: not a little-endian classic pcap")
    out = bytearray(data[:24])
    pos, n = 24, 0
    while pos < len(data):
        incl = struct.unpack("<I", data[pos + 8:pos + 12])[0]
        rec = bytearray(data[pos:pos + 16 + incl])
        pos += 16 + incl
        n += 1
        if n == frame and op == "drop":
            continue
        if n == frame and op == "flip":
            rec[16 + int(sys.argv[5])] ^= 0x01
        out += rec
    if n < frame:
        sys.exit(f"mutate_pcap: only {n} frames")
    open(dst, "wb").write(out)


if __name__ == "__main__":
    main()
