# ---- the TCP/IP stack in the driver (driver/stack, docs/tcp.md "The endpoint") ----------
# libtoestack.a holds the state machine, the listener, the timers and the sockets API;
# it needs the TCP pieces (ISN, cookies), the socket pieces (demux, ports), ARP/ICMP, the
# knobs and the model's packet codec after it, and -lsodium. The harness (the device in
# this process under it) and the netif over the driver are mk/stackdrv.mk.
STACK_CORE_SRCS := $(filter-out driver/stack/toe_harness.c driver/stack/toe_stack_drv.c,$(wildcard driver/stack/*.c))
STACK_HDRS := $(wildcard driver/stack/*.h) driver/include/toe_socket.h driver/include/toe_ctx.h
STACK_INC  := -Idriver/stack -Idriver/include -Idriver/conf -Idriver/net -Idriver/sock -Idriver/tcp
STACK_LIB  := $(BUILD)/driver/libtoestack.a
# Link order: the stack, then what it uses (the TCP library by path: mk/tcp.mk comes later).
STACK_LIBS := $(STACK_LIB) $(SOCK_LIB) $(BUILD)/driver/libtoetcp.a $(NET_LIB) $(CONF_LIB) $(MODEL_LIB)
STACK_TEST := $(BUILD)/tests/stack/test_stack

$(BUILD)/stack/%.o: driver/stack/%.c $(STACK_HDRS) $(wildcard driver/tcp/*.h driver/sock/*.h driver/net/*.h driver/conf/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(STACK_INC) -c $< -o $@

$(STACK_LIB): $(patsubst driver/stack/%.c,$(BUILD)/stack/%.o,$(STACK_CORE_SRCS))
	@mkdir -p $(@D)
	@rm -f $@
	ar rcs $@ $^

STACK_TEST_SRCS := tests/stack/stack_wire.c tests/stack/test_stack.c
STACK_TEST_HDRS := $(wildcard tests/stack/*.h) tests/unit/test_seed.h
$(STACK_TEST): $(STACK_TEST_SRCS) $(STACK_TEST_HDRS) $(STACK_LIBS) $(STACK_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(STACK_INC) -Itests/unit -Itests/stack $(STACK_TEST_SRCS) $(STACK_LIBS) -lsodium -lcmocka -o $@

# Random and hostile calls on the sockets API, under AddressSanitizer and UBSan: built
# from the sources, not the libraries.
STACK_FUZZ := $(BUILD)/tests/stack/test_api_fuzz
STACK_FUZZ_SRCS := tests/stack/test_api_fuzz.c tests/stack/stack_wire.c $(STACK_CORE_SRCS) \
                   $(wildcard driver/sock/*.c driver/tcp/*.c driver/net/*.c driver/conf/*.c) $(MODEL_SRCS)
$(STACK_FUZZ): $(STACK_FUZZ_SRCS) $(STACK_TEST_HDRS) $(STACK_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -O1 $(ASAN_FLAGS) $(STACK_INC) -Itests/unit -Itests/stack $(STACK_FUZZ_SRCS) -lsodium -lpcap -lcmocka -o $@

all: $(STACK_LIB) $(STACK_TEST) $(STACK_FUZZ)
LINT_C_EXTRA += $(STACK_LIB) $(STACK_TEST)
