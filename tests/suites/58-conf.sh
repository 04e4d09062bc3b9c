# The driver's tunables under their Linux names (driver/conf, docs/knobs.md).
echo "== driver: tunables"
run_cmocka "conf/test_knobs" "$BUILD/tests/conf/test_knobs"
