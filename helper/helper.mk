# helper/: ecs-saml-helper, the only binary linking libxml2, xmlsec1, OpenSSL and libcurl.
HELPER_CORE_SRCS := $(wildcard helper/core/*.c)
HELPER_CORE_OBJS := $(HELPER_CORE_SRCS:%.c=$(OBJ)/%.o)
HELPER_CORE_LIB  := $(BUILD)/libecs_core.a
HELPER_MAIN_SRCS := $(wildcard helper/*.c)
HELPER_MAIN_OBJS := $(HELPER_MAIN_SRCS:%.c=$(OBJ)/%.o)
HELPER_BIN       := $(BUILD)/ecs-saml-helper

$(HELPER_CORE_OBJS) $(HELPER_MAIN_OBJS): CFLAGS_EXTRA += $(HELPER_CFLAGS)

$(HELPER_CORE_LIB): $(HELPER_CORE_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(HELPER_BIN): $(HELPER_MAIN_OBJS) $(HELPER_CORE_LIB) $(COMMON_LIB)
	$(CC) -pie $(HELPER_MAIN_OBJS) $(HELPER_CORE_LIB) $(COMMON_LIB) -o $@ $(LDFLAGS_BASE) $(HELPER_LIBS)

ALL_TARGETS += $(HELPER_BIN)
include helper/client/client.mk

# make bench: the floor `verify` is compared with (libxml2 parse + xmlsec verify only), linked
# like the helper; tests/bench/bench-verify runs it.
BENCH_FLOOR := $(BUILD)/bench/bench_floor
$(BENCH_FLOOR): tests/bench/bench_floor.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(HELPER_CFLAGS) $< -o $@ $(LDFLAGS_BASE) $(HELPER_LIBS)
BENCH_BINS += $(BENCH_FLOOR)
