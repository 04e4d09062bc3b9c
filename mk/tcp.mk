# ---- the TCP stack's building blocks (driver/tcp, docs/tcp.md) ----------------------------
# Initial sequence numbers (RFC 6528), timestamp offsets and SYN cookies (RFC 4987),
# keyed with SipHash-2-4 from libsodium. A library of their own, $(TCP_LIB), which
# needs -lsodium after it; its unit tests are tests/tcp/test_*.c, one binary each,
# run by tests/suites/55-tcp.sh.
TCP_SRCS := $(wildcard driver/tcp/*.c)
TCP_HDRS := $(wildcard driver/tcp/*.h)
TCP_LIB  := $(BUILD)/driver/libtoetcp.a
TCP_TEST_BINS := $(patsubst tests/tcp/%.c,$(BUILD)/tests/tcp/%,$(wildcard tests/tcp/test_*.c))

# A shorter stem than the top Makefile's $(BUILD)/driver/%.o, so this rule wins.
$(BUILD)/driver/tcp/%.o: driver/tcp/%.c $(TCP_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Idriver/tcp -c $< -o $@

$(TCP_LIB): $(patsubst driver/tcp/%.c,$(BUILD)/driver/tcp/%.o,$(TCP_SRCS))
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/tests/tcp/%: tests/tcp/%.c $(TCP_LIB) $(TCP_HDRS) tests/unit/test_seed.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Idriver/tcp -Itests/unit $< $(TCP_LIB) -lcmocka -lsodium -o $@

all: $(TCP_LIB) $(TCP_TEST_BINS)
LINT_C_EXTRA += $(TCP_LIB) $(TCP_TEST_BINS)
