# The driver core (docs/driver.md), sourced by tests/run_tests.sh: its run and
# run_cmocka count here.
echo "== driver: the channel platform and bring-up against a fake device; ring consumers fuzzed under ASan+UBSan (seed $SEED)"
run_cmocka "driver/test_plat_chan" "$BUILD/tests/driver/test_plat_chan"
run_cmocka "driver-asan/test_drv_fuzz" "$BUILD/tests/driver/test_drv_fuzz"
