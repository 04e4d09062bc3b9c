# ARP and ICMP echo in the driver (driver/net, docs/net.md): cmocka cases, the same
# under ASan+UBSan (seeded mutations), and tshark's reading of the frames they wrote.
echo "== driver: ARP and ICMP echo (seed $SEED)"
export TOE_NET_PCAP=$OUT/net.pcap
run_cmocka "net/test_net" "$BUILD/tests/net/test_net"
unset TOE_NET_PCAP
run_cmocka "net-asan/test_net" "$BUILD/tests/net/test_net_asan"
run net/tshark-reads-arp-and-icmp tests/net/check_net_pcap.sh "$OUT/net.pcap"
run_fails net/tshark-check-detects-flipped-bit "tshark reads something else" \
    bash -c "tests/oracle/mutate_pcap.py $OUT/net.pcap $OUT/net-flip.pcap flip 5 40 &&
             tests/net/check_net_pcap.sh $OUT/net-flip.pcap"
