# The RTL device, toe_dev_rtl_new() (rtl/toe_dev.sv, sim/dev/rtl; docs/device.md):
# tests/dev/test_dev_rtl.c through sim/dev/toe_dev.h. Sourced by tests/run_tests.sh,
# whose run_cmocka counts every case.
echo "== RTL device (seed $SEED)"
run_cmocka "unit/dev-rtl" "$BUILD/tests/dev/test_dev_rtl"
# The model's own cases against the RTL, less those that rest on the model's timing
# (tests/dev-rtl/test_dev_on_rtl.c lists them with their reasons).
run_cmocka "unit/dev-model-on-rtl" "$BUILD/tests/dev/test_dev_on_rtl"
