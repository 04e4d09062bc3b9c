# Local port selection for connect() and bind(0) (driver/sock/toe_ports.h).
echo "== driver: local ports (seed $SEED)"
run_cmocka "sock/test_ports" "$BUILD/tests/sock/test_ports"
