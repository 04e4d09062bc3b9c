# ---- the socket layer's pieces (driver/sock): the demultiplexer, local port selection -----
# The demultiplexer hashes with the TCP library's SipHash (mk/tcp.mk, read after this
# fragment: its library named by path here).
SOCK_SRCS := $(wildcard driver/sock/*.c)
SOCK_HDRS := $(wildcard driver/sock/*.h)
SOCK_LIB  := $(BUILD)/driver/libtoesock.a
SOCK_TEST := $(BUILD)/tests/sock/test_ports
SOCK_DEMUX_TEST := $(BUILD)/tests/sock/test_demux
SOCK_TCP_LIB := $(BUILD)/driver/libtoetcp.a

$(BUILD)/sock/%.o: driver/sock/%.c $(SOCK_HDRS) $(wildcard driver/tcp/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Idriver/sock -Idriver/tcp -c $< -o $@

$(SOCK_LIB): $(patsubst driver/sock/%.c,$(BUILD)/sock/%.o,$(SOCK_SRCS))
	@mkdir -p $(@D)
	@rm -f $@
	ar rcs $@ $^

$(SOCK_TEST): tests/sock/test_ports.c $(SOCK_LIB) $(SOCK_HDRS) tests/unit/test_seed.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Idriver/sock -Itests/unit $< $(SOCK_LIB) -lcmocka -o $@

$(SOCK_DEMUX_TEST): tests/sock/test_demux.c $(SOCK_LIB) $(SOCK_TCP_LIB) $(SOCK_HDRS) tests/unit/test_seed.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Idriver/sock -Itests/unit $< $(SOCK_LIB) $(SOCK_TCP_LIB) -lsodium -lcmocka -o $@

all: $(SOCK_LIB) $(SOCK_TEST) $(SOCK_DEMUX_TEST)
LINT_C_EXTRA += $(SOCK_LIB) $(SOCK_TEST) $(SOCK_DEMUX_TEST)
