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
# (the runner's files include the knobs, the harness and the sockets API too)
PD_INC := -Idriver/pktdrill -Idriver/conf -Idriver/stack -Idriver/include
$(BUILD)/pktdrill/%.o: driver/pktdrill/%.c $(PD_HDRS) $(CONF_HDRS) $(wildcard driver/stack/*.h driver/include/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(PD_INC) -c $< -o $@

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

# ---- the runner, toe-packetdrill (docs/packetdrill.md, "Running scripts") --------------------
# libtoepdrun.a: the pieces that need no stack (options, the tolerance rule, symbols and
# errno names, argument evaluation, sysctl lines), unit-tested by test_pd_run. The event
# loop and the system calls (pd_run.c, pd_syscall.c) call the embedded TOE
# (driver/stack/toe_harness.h) and the sockets API (driver/include/toe_socket.h): their
# objects are always compiled (-Werror), the program is linked once the stack exists.
PD_RUN_SRCS  := driver/pktdrill/pd_sym.c driver/pktdrill/pd_opts.c
PD_RUN_LIB   := $(BUILD)/driver/libtoepdrun.a
PD_EXEC_OBJS := $(patsubst driver/pktdrill/%.c,$(BUILD)/pktdrill/%.o,driver/pktdrill/pd_run.c \
                driver/pktdrill/pd_syscall.c driver/pktdrill/toe_packetdrill.c)
PD_RUNNER    := $(BUILD)/bin/toe-packetdrill
# The program links the embedded TOE (device, driver, stack): its rule is in mk/stackdrv.mk,
# read after the fragments whose libraries it needs.

$(PD_RUN_LIB): $(patsubst driver/pktdrill/%.c,$(BUILD)/pktdrill/%.o,$(PD_RUN_SRCS))
	@mkdir -p $(@D)
	@rm -f $@
	ar rcs $@ $^

# test_pd_run: the runner's stack-free pieces (plain and under ASan+UBSan).
$(BUILD)/tests/pktdrill/test_pd_run: tests/pktdrill/test_pd_run.c $(PD_RUN_LIB) $(PD_LIB) $(CONF_LIB) \
    $(PD_HDRS) $(PD_TEST_HDRS) $(CONF_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(PD_INC) -Itests/unit -Itests/pktdrill $< $(PD_RUN_LIB) $(PD_LIB) $(CONF_LIB) \
	  -lcmocka -o $@

$(BUILD)/tests/pktdrill/asan/test_pd_run: tests/pktdrill/test_pd_run.c $(PD_RUN_SRCS) $(PD_SRCS) $(CONF_SRCS) \
    $(PD_HDRS) $(PD_TEST_HDRS) $(CONF_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -O1 $(ASAN_FLAGS) $(PD_INC) -Itests/unit -Itests/pktdrill $< $(PD_RUN_SRCS) \
	  $(PD_SRCS) $(CONF_SRCS) -lcmocka -o $@

all: $(PD_LIB) $(PD_PROG) $(PD_TEST_BINS) $(PD_ASAN_BINS) $(PD_RUN_LIB) $(PD_EXEC_OBJS)
LINT_C_EXTRA += $(PD_LIB) $(PD_PROG) $(PD_TEST_BINS) $(PD_RUN_LIB) $(PD_EXEC_OBJS)
