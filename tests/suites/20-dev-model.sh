# The device model, toe_dev_model_new() (sim/dev/model; docs/device.md, "Registers,
# queues and interrupts" and "Time"). Sourced by tests/run_tests.sh, whose run_cmocka
# counts every case.
echo "== device model (seed $SEED)"
run_cmocka "unit/dev-model" "$BUILD/tests/dev/test_dev_model"
