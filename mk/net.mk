# ---- ARP and ICMP echo in the driver (driver/net, docs/net.md) -----------------------------
# Pure packet logic over the model's packet library (toe_pkt, toe_csum): the neighbour
# table and the echo responder the TCP stack's host side will run. Tested byte for byte
# (tests/net), under ASan+UBSan with seeded mutations, and judged by tshark.
NET_SRCS := $(wildcard driver/net/*.c)
NET_HDRS := $(wildcard driver/net/*.h)
NET_LIB  := $(BUILD)/driver/libtoenet.a
NET_TEST := $(BUILD)/tests/net/test_net
NET_TEST_ASAN := $(BUILD)/tests/net/test_net_asan

$(BUILD)/net/%.o: driver/net/%.c $(NET_HDRS) $(wildcard sim/model/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Idriver/net -c $< -o $@

$(NET_LIB): $(patsubst driver/net/%.c,$(BUILD)/net/%.o,$(NET_SRCS))
	@mkdir -p $(@D)
	@rm -f $@
	ar rcs $@ $^

$(NET_TEST): tests/net/test_net.c $(NET_LIB) $(MODEL_LIB) $(NET_HDRS) tests/unit/test_seed.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Idriver/net -Itests/unit $< $(NET_LIB) $(MODEL_LIB) -lcmocka -lpcap -o $@

# The same tests built from the sources with AddressSanitizer and UBSan (the mutations).
$(NET_TEST_ASAN): tests/net/test_net.c $(NET_SRCS) $(MODEL_SRCS) $(NET_HDRS) tests/unit/test_seed.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -O1 $(ASAN_FLAGS) -Idriver/net -Itests/unit $< $(NET_SRCS) $(MODEL_SRCS) \
	  -lcmocka -lpcap -o $@

all: $(NET_LIB) $(NET_TEST) $(NET_TEST_ASAN)
LINT_C_EXTRA += $(NET_LIB) $(NET_TEST)
