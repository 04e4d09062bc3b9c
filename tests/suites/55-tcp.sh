# The TCP stack's building blocks (driver/tcp, docs/tcp.md): SipHash-2-4 through
# libsodium against the paper's vectors, RFC 6528 ISNs and timestamp offsets, RFC 4987
# SYN cookies in Linux's encoding. Sourced by tests/run_tests.sh, whose run_cmocka
# counts every case.
echo "== tcp: ISNs and SYN cookies (seed $SEED)"
run_cmocka "tcp/test_tcp_siphash" "$BUILD/tests/tcp/test_tcp_siphash"
run_cmocka "tcp/test_tcp_isn" "$BUILD/tests/tcp/test_tcp_isn"
run_cmocka "tcp/test_tcp_syncookie" "$BUILD/tests/tcp/test_tcp_syncookie"
