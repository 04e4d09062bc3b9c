#!/usr/bin/env bash
# tshark, which shares no code with OpenTOE, judges the ARP and ICMP frames
# tests/net/test_net.c wrote: the ARP fields as it decodes them, both checksums of
# every ICMP message, and each echo reply matched by tshark's own request/response
# tracking to the request it answers.
#   check_net_pcap.sh PCAP
set -euo pipefail
got=$(tshark -r "$1" -o ip.check_checksum:TRUE -T fields -E separator=, -e frame.number -e frame.len \
      -e arp.opcode -e arp.src.hw_mac -e arp.src.proto_ipv4 -e arp.dst.proto_ipv4 -e vlan.id \
      -e icmp.type -e icmp.checksum.status -e ip.checksum.status -e icmp.resp_to -e icmp.ident \
      -e icmp.seq 2>/dev/null)
want="1,60,1,02:54:4f:45:00:01,192.0.2.1,192.0.2.2,,,,,,,
2,60,1,52:54:00:12:34:56,192.0.2.2,192.0.2.1,,,,,,,
3,60,2,02:54:4f:45:00:01,192.0.2.1,192.0.2.2,,,,,,,
4,66,,,,,,8,1,1,,7238,1
5,66,,,,,,0,1,1,4,7238,1
6,64,,,,,5,8,1,1,,7238,1
7,60,,,,,5,0,1,1,6,7238,1"
echo "$got"
if [ "$got" != "$want" ]; then
  echo "check_net_pcap: tshark reads something else; expected:"
  echo "$want"
  exit 1
fi
echo "check_net_pcap: tshark agrees (ARP fields; ICMP and IPv4 checksums good; replies matched to requests)"
