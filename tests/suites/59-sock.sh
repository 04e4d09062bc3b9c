# The socket layer's pieces (driver/sock): local port selection for connect() and
# bind(0), and the demultiplexer that finds a segment's connection or listener.
echo "== driver: local ports and the demultiplexer (seed $SEED)"
run_cmocka "sock/test_ports" "$BUILD/tests/sock/test_ports"
run_cmocka "sock/test_demux" "$BUILD/tests/sock/test_demux"
