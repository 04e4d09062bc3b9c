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

# The runner's stack-free pieces (driver/pktdrill/pd_run.h): constants and errno names,
# argument evaluation, upstream's tolerance rule, options, sysctl lines.
run_cmocka "pktdrill/test_pd_run" "$BUILD/tests/pktdrill/test_pd_run"
run_cmocka "pktdrill-asan/test_pd_run" "$BUILD/tests/pktdrill/asan/test_pd_run"

# The lifecycle scripts (tests/pktdrill/lifecycle, S7..S20): every one parses, and there
# are at least 44 of them.
run pktdrill/lifecycle-scripts-parse bash -c "n=\$(ls tests/pktdrill/lifecycle/*.pkt | wc -l);
     echo \"\$n lifecycle scripts\"; [ \"\$n\" -ge 44 ] &&
     $BUILD/bin/toe-pd-parse -q tests/pktdrill/lifecycle/*.pkt"

# ... and run against the embedded TOE by toe-packetdrill, on both backends, once the
# program is built (it links the stack and the harness: mk/pktdrill.mk, STACK_LIBS and
# HARNESS_LIBS). Until then the runs are skipped, with the reason.
pd_runner=$BUILD/bin/toe-packetdrill
for backend in model rtl; do
  if [ -x "$pd_runner" ]; then
    run "pktdrill/lifecycle-$backend" "$pd_runner" --backend=$backend --seed="$SEED" \
        tests/pktdrill/lifecycle/*.pkt
  else
    skip "pktdrill/lifecycle-$backend" "$pd_runner is not built: it needs the TCP stack and the embedded harness (driver/stack/toe_harness.c)"
  fi
done
if [ -x "$pd_runner" ]; then
  # A script that cannot pass is reported with its line: an ACK where the TOE sends a SYN-ACK.
  printf '0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 bind(3, ..., ...) = 0\n+0 listen(3, 1) = 0\n+0 < S 0:0(0) win 65535 <mss 1460>\n+0 > . 0:0(0) ack 1\n' \
      > "$pd_out/run-bad.pkt"
  run_fails pktdrill/runner-reports-mismatch "FAIL $pd_out/run-bad.pkt:5: " "$pd_runner" "$pd_out/run-bad.pkt"
  run_fails pktdrill/runner-usage-error "unknown option" "$pd_runner" --no-such-option "$pd_out/run-bad.pkt"
else
  skip "pktdrill/runner-reports-mismatch" "$pd_runner is not built (see above)"
fi
