# The TCP/IP stack in the driver (driver/stack): the lifecycle of S7-S20 between two
# instances of the stack on a simulated wire in virtual time - states, timings, errno
# values and counters (docs/tcp.md, "The endpoint").
echo "== driver: the TCP endpoint's lifecycle, two stacks on a wire (seed $SEED)"
run_cmocka "stack/test_stack" "$BUILD/tests/stack/test_stack"
run_cmocka "stack/test_api_fuzz" "$BUILD/tests/stack/test_api_fuzz"
