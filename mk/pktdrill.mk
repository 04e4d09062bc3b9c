# ---- the packetdrill script parser (driver/pktdrill, docs/packetdrill.md) ---------------------
# libtoepd.a turns a script into timed events for the runner (toe-packetdrill, issue 5);
# toe-pd-parse prints scripts back canonically. The tests run twice: plainly, and with
# the fuzz loop under AddressSanitizer and UBSan, built from the sources.
PD_SRCS := driver/pktdrill/pd_arena.c driver/pktdrill/pd_lex.c driver/pktdrill/pd_parse.c \
           driver/pktdrill/pd_parse_packet.c driver/pktdrill/pd_parse_syscall.c \
           driver/pktdrill/pd_print.c driver/pktdrill/pd_equal.c
# The packet half (pd_build, pd_frame, pd_match) stands on the model's toe_pkt/toe_csum:
# whatever links it links $(MODEL_LIB) too.
PD_MATCH_SRCS := driver/pktdrill/pd_build.c driver/pktdrill/pd_frame.c driver/pktdrill/pd_match.c
PD_HDRS := $(wildcard driver/pktdrill/*.h)
PD_LIB  := $(BUILD)/driver/libtoepd.a
PD_TEST_SRCS := $(wildcard tests/pktdrill/test_*.c)
PD_TEST_HDRS := $(wildcard tests/pktdrill/*.h) tests/unit/test_seed.h
PD_TEST_BINS := $(patsubst tests/pktdrill/%.c,$(BUILD)/tests/pktdrill/%,$(PD_TEST_SRCS))
PD_ASAN_BINS := $(patsubst tests/pktdrill/%.c,$(BUILD)/tests/pktdrill/asan/%,$(PD_TEST_SRCS))
PD_PROG := $(BUILD)/bin/toe-pd-parse

# Objects of their own directory: driver.mk's $(BUILD)/driver/%.o would match these too.
$(BUILD)/pktdrill/%.o: driver/pktdrill/%.c $(PD_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Idriver/pktdrill -c $< -o $@

$(PD_LIB): $(patsubst driver/pktdrill/%.c,$(BUILD)/pktdrill/%.o,$(PD_SRCS) $(PD_MATCH_SRCS))
	@mkdir -p $(@D)
	@rm -f $@
	ar rcs $@ $^

$(PD_PROG): driver/pktdrill/toe_pd_parse.c $(PD_LIB) $(PD_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Idriver/pktdrill $< $(PD_LIB) -o $@

$(BUILD)/tests/pktdrill/test_%: tests/pktdrill/test_%.c $(PD_LIB) $(PD_HDRS) $(PD_TEST_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Idriver/pktdrill -Itests/unit -Itests/pktdrill $< $(PD_LIB) -lcmocka -o $@

$(BUILD)/tests/pktdrill/asan/test_%: tests/pktdrill/test_%.c $(PD_SRCS) $(PD_HDRS) $(PD_TEST_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -O1 $(ASAN_FLAGS) -Idriver/pktdrill -Itests/unit -Itests/pktdrill $< $(PD_SRCS) \
	  -lcmocka -o $@

# test_pd_match needs the packet codec and libpcap (it writes the pcap tshark reads).
$(BUILD)/tests/pktdrill/test_pd_match: tests/pktdrill/test_pd_match.c $(PD_LIB) $(MODEL_LIB) \
    $(PD_HDRS) $(PD_TEST_HDRS) $(MODEL_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Idriver/pktdrill -Itests/unit -Itests/pktdrill $< $(PD_LIB) $(MODEL_LIB) \
	  -lcmocka -lpcap -o $@

$(BUILD)/tests/pktdrill/asan/test_pd_match: tests/pktdrill/test_pd_match.c $(PD_SRCS) $(PD_MATCH_SRCS) \
    $(MODEL_SRCS) $(PD_HDRS) $(PD_TEST_HDRS) $(MODEL_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -O1 $(ASAN_FLAGS) -Idriver/pktdrill -Itests/unit -Itests/pktdrill $< $(PD_SRCS) \
	  $(PD_MATCH_SRCS) $(MODEL_SRCS) -lcmocka -lpcap -o $@

all: $(PD_LIB) $(PD_PROG) $(PD_TEST_BINS) $(PD_ASAN_BINS)
LINT_C_EXTRA += $(PD_LIB) $(PD_PROG) $(PD_TEST_BINS)
