# Tests: unit test binaries (one per common/ or helper/core/ module) land in $(BUILD)/tests/.
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
CHECK_BINS += $(UNIT_BINS)

# Unit tests of helper/core link the helper core and its libraries; the others only libc.
$(BUILD)/tests/test_%: tests/unit/test_%.c $(HELPER_CORE_LIB) $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(HELPER_CFLAGS) -Itests/unit $< -o $@ $(HELPER_CORE_LIB) $(COMMON_LIB) \
		$(LDFLAGS_BASE) $(HELPER_LIBS) -lpthread
