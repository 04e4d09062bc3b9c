#!/usr/bin/env python3
"""Independent oracle for the ACKs the RX engine generates: judge them with tshark.

  check_rx_acks.py ACKS.pcap

tshark decodes every ACK with IPv4 and TCP checksum validation and its own TCP
analysis. The check fails unless:
  - every frame is IPv4/TCP with both checksums verified Good, ACK the only flag set and
    no payload;
  - per flow, acknowledgment numbers never go backwards (modulo 2^32);
  - tshark's "duplicate ACK" mark sits exactly on the ACKs that repeat the previous
    ACK's sequence number, acknowledgment number and window in their flow (RFC 5681's
    definition, seen from the wire), and its "window update" mark only on ACKs that
    repeat both numbers with a different window;
  - at least one duplicate ACK and one window update were seen, so the marks were
    really tested.
"""
import subprocess
import sys

FIELDS = ["frame.number", "ip.src", "ip.dst", "tcp.srcport", "tcp.dstport", "ip.checksum.status",
          "tcp.checksum.status", "tcp.flags", "tcp.len", "tcp.seq_raw", "tcp.ack_raw", "tcp.window_size",
          "tcp.analysis.duplicate_ack", "tcp.analysis.window_update"]
GOOD = "1"


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    cmd = ["tshark", "-n", "-r", sys.argv[1], "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
           "-o", "tcp.relative_sequence_numbers:FALSE",
           "-T", "fields", "-E", "separator=\t", "-E", "occurrence=f"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    errors = []
    last = {}
    frames = dups = wupd = 0
    for line in out.splitlines():
        v = dict(zip(FIELDS, line.split("\t")))
        n = v["frame.number"]
        frames += 1
        if v["ip.checksum.status"] != GOOD or v["tcp.checksum.status"] != GOOD:
            errors.append(f"frame {n}: checksum status ip {v['ip.checksum.status']!r} tcp {v['tcp.checksum.status']!r}")
            continue
        if int(v["tcp.flags"], 16) != 0x10 or v["tcp.len"] != "0":
            errors.append(f"frame {n}: flags {v['tcp.flags']} length {v['tcp.len']}, not a pure ACK")
        key = (v["ip.src"], v["tcp.srcport"], v["ip.dst"], v["tcp.dstport"])
        seq, ack, win = int(v["tcp.seq_raw"]), int(v["tcp.ack_raw"]), int(v["tcp.window_size"])
        dup_mark, upd_mark = bool(v["tcp.analysis.duplicate_ack"]), bool(v["tcp.analysis.window_update"])
        if key in last:
            pseq, pack, pwin = last[key]
            if (ack - pack) % (1 << 32) >= (1 << 31):
                errors.append(f"frame {n}: ack {ack} behind the previous {pack}")
            repeat = seq == pseq and ack == pack and win == pwin
            if dup_mark != repeat:
                errors.append(f"frame {n}: tshark duplicate-ACK mark {dup_mark}, but same seq, ack and window: {repeat}")
            if upd_mark and not (seq == pseq and ack == pack and win != pwin):
                errors.append(f"frame {n}: tshark window-update mark on an ACK that is not one")
        dups += dup_mark
        wupd += upd_mark
        last[key] = (seq, ack, win)
    print(f"check_rx_acks: {frames} ACKs in {len(last)} flows; tshark: {dups} duplicate ACKs, {wupd} window updates")
    if frames == 0 or dups == 0 or wupd == 0:
        errors.append("the capture does not exercise duplicate ACKs and window updates")
    for e in errors[:20]:
        print("check_rx_acks: " + e)
    print("check_rx_acks: " + ("FAIL" if errors else "ok"))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
