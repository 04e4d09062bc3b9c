# toed, the client library and toe-ss (docs/driver.md "toed", docs/api.md): the wire
# protocol's encoding and its refusals (cmocka), then two toe-sims on a cable (in real
# and in virtual time), a toed on each and applications that use only toe_socket.h and
# toe_client.h.
# One setup serves the end-to-end checks (tests/integration/toed.sh); each is a line.
echo "== toed: the driver as a daemon, its clients, toe-ss"
run_cmocka "toed/test_toe_proto" "$BUILD/tests/toed/test_toe_proto"
TOED_CHECKS="setup sysctl-out-of-range-exits-2 second-toed-refused toe-ss-shows-listen \
  toe-ss-shows-estab-offloaded data-1MB-both-ways-byte-exact toe-ss-time-wait-on-active-closer \
  nstat-counters-exact toe-ss-summary-exact s20-sigkill-closes-with-fin other-clients-descriptor-ebadf \
  garbage-client-dropped-toed-survives data-4MB-both-ways-past-4096-frames sigterm-closes-connections-exits-0"
# Both of toe-sim's time modes: toed's one loop serves either (docs/driver.md, "toed").
for mode in real virtual; do
  TOED_TIME=$mode tests/integration/toed.sh "$BUILD" "$OUT" >"$LOGS/toed_run_$mode.log" 2>&1
  for c in $TOED_CHECKS; do
    if grep -qx "SKIP $c" "$OUT/toed/$mode/results" 2>/dev/null; then
      skip "toed/$mode/$c" "bulk transfer fails part way (EPIPE, no RST/FIN first): an open stack problem for issue 6; TOED_BULK=1 runs it (docs/driver.md, toed)"
      continue
    fi
    run "toed/$mode/$c" bash -c "cat '$OUT/toed/$mode/$c.log' 2>/dev/null; grep -qx 'PASS $c' '$OUT/toed/$mode/results'"
  done
done
