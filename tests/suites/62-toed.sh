# toed, the client library and toe-ss (docs/driver.md "toed", docs/api.md): the wire
# protocol's encoding and its refusals (cmocka), then two toe-sims in real time on a
# cable, a toed on each and applications that use only toe_socket.h and toe_client.h.
# One setup serves the end-to-end checks (tests/integration/toed.sh); each is a line.
echo "== toed: the driver as a daemon, its clients, toe-ss"
run_cmocka "toed/test_toe_proto" "$BUILD/tests/toed/test_toe_proto"
TOED_CHECKS="setup sysctl-out-of-range-exits-2 second-toed-refused toe-ss-shows-listen \
  toe-ss-shows-estab-offloaded data-1MB-both-ways-byte-exact toe-ss-time-wait-on-active-closer \
  nstat-counters-exact toe-ss-summary-exact s20-sigkill-closes-with-fin other-clients-descriptor-ebadf \
  garbage-client-dropped-toed-survives sigterm-closes-connections-exits-0"
tests/integration/toed.sh "$BUILD" "$OUT" >"$LOGS/toed_run.log" 2>&1
for c in $TOED_CHECKS; do
  run "toed/$c" bash -c "cat '$OUT/toed/$c.log' 2>/dev/null; grep -qx 'PASS $c' '$OUT/toed/results'"
done
