# The embedded TOE (driver/stack/toe_harness.c): device (model and RTL) + firmware +
# driver + stack in one process, in virtual time - a passive open through the device's
# exception path, data on the hardware fast path with the hardware's ACK, the FIN, the
# close, every segment out of the port checked.
echo "== driver: the stack on the device, end to end (seed $SEED)"
run_cmocka "harness/test_harness" "$BUILD/tests/harness/test_harness"
