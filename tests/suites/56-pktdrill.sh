# The packetdrill script parser (driver/pktdrill, docs/packetdrill.md), sourced by
# tests/run_tests.sh: its run, run_fails and run_cmocka count here.
echo "== pktdrill: the script parser; fuzzed under ASan+UBSan (seed $SEED)"
run_cmocka "pktdrill/test_pd_parse" "$BUILD/tests/pktdrill/test_pd_parse"
run_cmocka "pktdrill-asan/test_pd_parse" "$BUILD/tests/pktdrill/asan/test_pd_parse"
run_cmocka "pktdrill/test_pd_fuzz" "$BUILD/tests/pktdrill/test_pd_fuzz"
# Many more mutants under the sanitizers: a read past the buffer or a leak fails here.
PD_FUZZ_ITERS=100000 run_cmocka "pktdrill-asan/test_pd_fuzz" "$BUILD/tests/pktdrill/asan/test_pd_fuzz"

# toe-pd-parse: every script in the corpus, its canonical print parsed once more,
# and a malformed script refused with its position and exit status 1.
pd_out=$OUT/pktdrill
mkdir -p "$pd_out"
run pktdrill/toe-pd-parse-corpus bash -c "$BUILD/bin/toe-pd-parse tests/pktdrill/scripts/*.pkt > $pd_out/corpus.txt &&
     for f in tests/pktdrill/scripts/*.pkt; do $BUILD/bin/toe-pd-parse \$f > $pd_out/one.pkt &&
       $BUILD/bin/toe-pd-parse $pd_out/one.pkt | cmp - $pd_out/one.pkt || exit 1; done"
printf '0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 < S 0:0 win 32792\n' > "$pd_out/bad.pkt"
run_fails pktdrill/toe-pd-parse-refuses-malformed \
    "$pd_out/bad.pkt:2:12: expected '(' and the payload length, got 'win'" \
    "$BUILD/bin/toe-pd-parse" "$pd_out/bad.pkt"

# The packet half (pd_build, pd_frame, pd_match): inbound lines into frames, outbound
# frames matched field by field; then tshark decodes the frames the cases wrote, and
# must notice one flipped bit (frame 5's sequence number).
export PD_MATCH_PCAP=$pd_out/pd_match.pcap
run_cmocka "pktdrill/test_pd_match" "$BUILD/tests/pktdrill/test_pd_match"
PD_MATCH_PCAP=$pd_out/pd_match-asan.pcap run_cmocka "pktdrill-asan/test_pd_match" \
    "$BUILD/tests/pktdrill/asan/test_pd_match"
unset PD_MATCH_PCAP
run pktdrill/tshark-reads-built-frames tests/pktdrill/check_pd_pcap.sh "$pd_out/pd_match.pcap"
run_fails pktdrill/tshark-check-detects-flipped-bit "tshark reads something else" \
    bash -c "tests/oracle/mutate_pcap.py $pd_out/pd_match.pcap $pd_out/pd_match-flip.pcap flip 5 41 &&
             tests/pktdrill/check_pd_pcap.sh $pd_out/pd_match-flip.pcap"
