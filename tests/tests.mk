# Tests: unit test binaries (one per libecs/ or helper/ module) land in $(BUILD)/tests/.
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
CHECK_BINS += $(UNIT_BINS)

# A unit test named after a common module (test_b64 for ecs_b64.c) links only the common
# library and libc, as the module does; every other one links the helper core and its
# libraries. Static pattern rules take precedence, so the libc-only rule wins for those.
LIBECS_UNIT_BINS := $(filter $(patsubst libecs/ecs_%.c,$(BUILD)/tests/test_%,\
	$(LIBECS_SRCS)),$(UNIT_BINS))

$(LIBECS_UNIT_BINS): $(BUILD)/tests/test_%: tests/unit/test_%.c tests/unit/tap.h $(LIBECS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Itests/unit $< -o $@ $(LIBECS) $(LDFLAGS_BASE)

$(BUILD)/tests/test_%: tests/unit/test_%.c tests/unit/tap.h $(HELPER_LIB) $(LIBECS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(HELPER_CFLAGS) -Itests/unit $< -o $@ $(HELPER_LIB) $(LIBECS) \
		$(LDFLAGS_BASE) $(HELPER_LIBS) -lpthread
include tests/nss.mk
include tests/sts.mk
include tests/fuzz/fuzz.mk
include tests/pam.mk
