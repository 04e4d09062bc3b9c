#!/usr/bin/env python3
"""Independent oracle for the TX datapath: judge a capture with tshark alone.

  check_tx_pcap.py CAPTURE.pcap FLOWS.tsv

tshark (Wireshark's dissectors, which share no code with OpenTOE) decodes every frame
with IPv4, TCP and UDP checksum validation on. The check fails unless:
  - no frame is malformed, and every IPv4/TCP/UDP checksum is verified Good;
  - every TCP segment of a flow listed in FLOWS.tsv carries at most the flow's MSS
    less the option bytes (RFC 6691: 12 when the timestamp option is present), and
    carries the timestamp option exactly when the flow uses timestamps;
  - every segment but an initial SYN has ACK set (RFC 9293 section 3.10.7.4);
  - within each such flow, sequence numbers are contiguous: a segment starts where the
    previous one ended (payload + SYN + FIN, modulo 2^32).
FLOWS.tsv (written by the co-simulation) lists src_ip, src_port, dst_ip, dst_port, mss,
timestamps (0/1).
"""
import subprocess
import sys

FIELDS = ["frame.number", "eth.type", "ip.src", "ip.dst", "ip.checksum.status",
          "tcp.srcport", "tcp.dstport", "tcp.checksum.status", "tcp.seq_raw", "tcp.len",
          "tcp.flags.syn", "tcp.flags.fin", "tcp.flags.ack", "tcp.options.timestamp.tsval",
          "udp.checksum.status", "_ws.malformed"]
GOOD = "1"  # Wireshark's PROTO_CHECKSUM_E_GOOD


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    pcap, flows_path = sys.argv[1], sys.argv[2]
    flows = {}
    with open(flows_path) as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            sip, sport, dip, dport, mss, ts = line.split()
            flows[(sip, int(sport), dip, int(dport))] = (int(mss), ts == "1")

    cmd = ["tshark", "-n", "-r", pcap, "-o", "ip.check_checksum:TRUE",
           "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
           "-T", "fields", "-E", "separator=\t", "-E", "occurrence=f"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout

    errors = []
    frames = tcp_checked = ip_good = tcp_good = udp_good = 0
    last_end = {}
    for line in out.splitlines():
        v = dict(zip(FIELDS, line.split("\t")))
        frames += 1
        n = v["frame.number"]
        if v.get("_ws.malformed"):
            errors.append(f"frame {n}: malformed")
        if v["ip.src"]:
            if v["ip.checksum.status"] != GOOD:
                errors.append(f"frame {n}: IPv4 checksum status {v['ip.checksum.status']!r}")
            ip_good += 1
        if v["udp.checksum.status"]:
            if v["udp.checksum.status"] != GOOD:
                errors.append(f"frame {n}: UDP checksum status {v['udp.checksum.status']!r}")
            udp_good += 1
        if not v["tcp.srcport"]:
            continue
        if v["tcp.checksum.status"] != GOOD:
            errors.append(f"frame {n}: TCP checksum status {v['tcp.checksum.status']!r}")
        tcp_good += 1
        syn, fin, ack = (v["tcp.flags.syn"] in ("1", "True"), v["tcp.flags.fin"] in ("1", "True"),
                         v["tcp.flags.ack"] in ("1", "True"))
        if not ack and not syn:
            errors.append(f"frame {n}: ACK clear on a segment that is not an initial SYN")
        key = (v["ip.src"], int(v["tcp.srcport"]), v["ip.dst"], int(v["tcp.dstport"]))
        if key not in flows:
            continue
        mss, ts = flows[key]
        has_ts = bool(v["tcp.options.timestamp.tsval"])
        if has_ts != ts:
            errors.append(f"frame {n}: timestamp option {'present' if has_ts else 'missing'}, flow says {ts}")
        seg_max = mss - (12 if has_ts else 0)
        length = int(v["tcp.len"])
        if length > seg_max:
            errors.append(f"frame {n}: {length} payload bytes, more than {seg_max} (MSS {mss})")
        seq = int(v["tcp.seq_raw"])
        if key in last_end and last_end[key] != seq:
            errors.append(f"frame {n}: seq {seq} but the flow's previous segment ended at {last_end[key]}")
        last_end[key] = (seq + length + syn + fin) % (1 << 32)
        tcp_checked += 1

    print(f"check_tx_pcap: {frames} frames; checksums good: {ip_good} IPv4, {tcp_good} TCP, "
          f"{udp_good} UDP; {tcp_checked} segments in {len(last_end)} flows checked for MSS "
          f"and contiguity")
    if frames == 0 or tcp_checked == 0:
        errors.append("nothing to check: the capture has no segments of the listed flows")
    for e in errors[:20]:
        print("check_tx_pcap: " + e)
    if errors:
        print(f"check_tx_pcap: FAIL ({len(errors)} problems)")
        return 1
    print("check_tx_pcap: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
