#!/usr/bin/env bash
# tshark, which shares no code with OpenTOE, decodes the frames
# tests/pktdrill/test_pd_match.c built from packetdrill lines (and one TOE
# SYN-ACK it wrote with the model's codec): addresses, ports, flags, absolute
# seq/ack, window, payload length, ECN, every option value, and both checksums
# validated. The values below are worked out by hand from the lines, with the
# script's ISN 0xFFFFFFFE and the TOE's 0xFFFFFFFF, so relative numbers cross
# 2^32:
#   1  < S 0:0(0) win 65535 <mss 1460,sackOK,nop,nop,nop,wscale 7>   seq ISN_R
#   2  the TOE's SYN-ACK: seq ISN_L, ack ISN_R+1 = 0xFFFFFFFF
#   3  < . 1:1(0) ack 1 win 257                  seq ISN_R+1, ack ISN_L+1 = 0
#   4  < P. 1:1001(1000) ack 1 win 257 <nop,nop,TS val 700 ecr 5000>
#      ecr mapped: 5000 - 5000 (script's first TS val) + 0xFFFFFFF0 (the TOE's)
#   5  < . 1001:1001(0) ack 101 win 257 <nop,nop,sack 201:301 401:501>
#      seq ISN_R+1001 = 999, ack and SACK edges ISN_L + N = N - 1
#   6  < [ce] F. 1001:1001(0) ack 101 win 257   ECN field 3
#   check_pd_pcap.sh PCAP
set -euo pipefail
got=$(tshark -r "$1" -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE \
      -o tcp.relative_sequence_numbers:FALSE -T fields -E separator=, -E aggregator=' ' \
      -e frame.number -e ip.src -e ip.dst -e tcp.srcport -e tcp.dstport -e tcp.flags.str \
      -e tcp.seq_raw -e tcp.ack_raw -e tcp.window_size_value -e tcp.len -e ip.dsfield.ecn \
      -e tcp.options.mss_val -e tcp.options.wscale.shift -e tcp.option_kind \
      -e tcp.options.timestamp.tsval -e tcp.options.timestamp.tsecr \
      -e tcp.options.sack_le -e tcp.options.sack_re -e tcp.checksum.status -e ip.checksum.status \
      2>/dev/null)
want="1,192.0.2.1,192.168.0.1,50000,8080,··········S·,4294967294,0,65535,0,0,1460,7,2 4 1 1 1 3,,,,,1,1
2,192.168.0.1,192.0.2.1,8080,50000,·······A··S·,4294967295,4294967295,65535,0,0,1460,7,2 1 3,,,,,1,1
3,192.0.2.1,192.168.0.1,50000,8080,·······A····,4294967295,0,257,0,0,,,,,,,,1,1
4,192.0.2.1,192.168.0.1,50000,8080,·······AP···,4294967295,0,257,1000,0,,,1 1 8,700,4294967280,,,1,1
5,192.0.2.1,192.168.0.1,50000,8080,·······A····,999,100,257,0,0,,,1 1 5,,,200 400,300 500,1,1
6,192.0.2.1,192.168.0.1,50000,8080,·······A···F,999,100,257,0,3,,,,,,,,1,1"
echo "$got"
if [ "$got" != "$want" ]; then
  echo "check_pd_pcap: tshark reads something else; expected:"
  echo "$want"
  exit 1
fi
echo "check_pd_pcap: tshark agrees (flags, absolute seq/ack across 2^32, options, ECN; both checksums good)"
