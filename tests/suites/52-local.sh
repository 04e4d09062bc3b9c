# The in-process platform (sim/local, docs/driver.md "The in-process platform"),
# sourced by tests/run_tests.sh: its run_cmocka counts here.
echo "== local: the driver over the device model and the RTL in its own process, virtual time (seed $SEED)"
run_cmocka "local/test_plat_local" "$BUILD/tests/local/test_plat_local"
# The model's cases once more under AddressSanitizer and UBSan.
run_cmocka "local-asan/test_plat_local" "$BUILD/tests/local/test_plat_local_asan"
# The same driver command over toe-sim's channel and in one process: the same capture,
# times to the nanosecond (tests/integration/toesim.sh local-agrees-*).
TS=tests/integration/toesim.sh
run local/agrees-with-toe-sim-model-raw-send-200 env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" local-agrees-model-raw-200
run local/agrees-with-toe-sim-model-reset-40 env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" local-agrees-model-reset-40
run local/agrees-with-toe-sim-rtl-raw-send-20 env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" local-agrees-rtl-raw-20
run local/agrees-with-toe-sim-rtl-reset-10 env TOE_SEED="$SEED" "$TS" "$BUILD" "$OUT" local-agrees-rtl-reset-10
