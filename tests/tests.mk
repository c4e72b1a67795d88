# Tests: unit test binaries (one per common/ or helper/core/ module) land in $(BUILD)/tests/.
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
CHECK_BINS += $(UNIT_BINS)

# A unit test named after a common module (test_b64 for ecs_b64.c) links only the common
# library and libc, as the module does; every other one links the helper core and its
# libraries. Static pattern rules take precedence, so the libc-only rule wins for those.
COMMON_UNIT_BINS := $(filter $(patsubst pam_ecs_saml/common/ecs_%.c,$(BUILD)/tests/test_%,\
	$(COMMON_SRCS)),$(UNIT_BINS))

$(COMMON_UNIT_BINS): $(BUILD)/tests/test_%: tests/unit/test_%.c tests/unit/tap.h $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Itests/unit $< -o $@ $(COMMON_LIB) $(LDFLAGS_BASE)

$(BUILD)/tests/test_%: tests/unit/test_%.c tests/unit/tap.h $(HELPER_CORE_LIB) $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(HELPER_CFLAGS) -Itests/unit $< -o $@ $(HELPER_CORE_LIB) $(COMMON_LIB) \
		$(LDFLAGS_BASE) $(HELPER_LIBS) -lpthread
include tests/nss.mk
include tests/sts.mk
include tests/fuzz/fuzz.mk
include tests/pam.mk
