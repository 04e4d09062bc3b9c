# ---- toed, the client library, toe-ss (driver/toed, driver/client, driver/tools) --------
# docs/driver.md "toed", docs/api.md. libtoeclient.a is all an application needs
# beside -lpci: the client context, the protocol, the toe_* entry points (toe_api.o,
# also in libtoestack.a) and the device lookup (toe_pci.o). toed is the driver core
# over the channel with the stack on it: no device library, so it links with $(CC).
# (This fragment sorts after stack*.mk, whose variables it uses, and before tcp.mk:
# $(STACK_LIBS) names the TCP library by path.)
CLIENT_HDRS := $(wildcard driver/client/*.h) driver/include/toe_client.h $(STACK_HDRS)
CLIENT_INC  := -Idriver/client -Idriver/include -Idriver
CLIENT_OBJS := $(BUILD)/client/toe_client.o $(BUILD)/client/toe_proto.o
CLIENT_LIB  := $(BUILD)/driver/libtoeclient.a
TOED_SRCS   := $(wildcard driver/toed/*.c)
TOED_OBJS   := $(patsubst driver/toed/%.c,$(BUILD)/toed/%.o,$(TOED_SRCS))
TOED        := $(BUILD)/bin/toed
TOE_SS      := $(BUILD)/bin/toe-ss
TOED_TEST_CLIENT := $(BUILD)/tests/toed/toe_client_test
PROTO_TEST  := $(BUILD)/tests/toed/test_toe_proto

$(BUILD)/client/%.o: driver/client/%.c $(CLIENT_HDRS) $(DRV_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(CLIENT_INC) -c $< -o $@

$(CLIENT_LIB): $(CLIENT_OBJS) $(BUILD)/stack/toe_api.o $(BUILD)/driver/toe_pci.o
	@mkdir -p $(@D)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/toed/%.o: driver/toed/%.c $(wildcard driver/toed/*.h) $(CLIENT_HDRS) $(HARNESS_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(HARNESS_INC) $(CLIENT_INC) -Idriver/toed -c $< -o $@

$(TOED): $(TOED_OBJS) $(CLIENT_LIB) $(STACKDRV_LIB) $(STACK_LIBS) $(DRV2_LIBS)
	@mkdir -p $(@D)
	$(CC) $(TOED_OBJS) $(CLIENT_LIB) $(STACKDRV_LIB) $(STACK_LIBS) $(DRV2_LIBS) -lpci -lsodium -o $@

# toe-ss names the states as the stack does (toe_tcp_state_ss_name): the stack's library.
$(TOE_SS): driver/tools/toe_ss.c $(CLIENT_LIB) $(CLIENT_HDRS) $(STACK_LIBS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(STACK_INC) $(CLIENT_INC) $< $(CLIENT_LIB) $(STACK_LIBS) -lpci -lsodium -o $@

# The test application: toe_socket.h and toe_client.h only.
$(TOED_TEST_CLIENT): tests/toed/toe_client_test.c $(CLIENT_LIB) driver/include/toe_client.h driver/include/toe_socket.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Idriver/include $< $(CLIENT_LIB) -lpci -o $@

$(PROTO_TEST): tests/toed/test_toe_proto.c $(BUILD)/client/toe_proto.o $(CLIENT_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(CLIENT_INC) $< $(BUILD)/client/toe_proto.o -lcmocka -o $@

all: $(CLIENT_LIB) $(TOED) $(TOE_SS) $(TOED_TEST_CLIENT) $(PROTO_TEST)
LINT_C_EXTRA += $(CLIENT_LIB) $(TOED) $(TOE_SS) $(TOED_TEST_CLIENT) $(PROTO_TEST)
