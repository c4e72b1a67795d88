# Fuzzing: every tests/fuzz/fuzz_<name>.c defines LLVMFuzzerTestOneInput and has a seed
# corpus in tests/fuzz/corpus/<name>/. Each target is built twice into $(BUILD)/fuzz/:
#
#   fuzz_<name>    clang -fsanitize=fuzzer,address,undefined, with the code under test
#                  compiled -fsanitize=fuzzer-no-link so libFuzzer sees its coverage
#   replay_<name>  the normal compiler and CFLAGS plus replay_main.c (runs each file given),
#                  so seeds replay in every build, ASan+UBSan ones included (make asan)
#
# What each target links is written here, target by target, never derived from its name; a
# tests/fuzz/fuzz_*.c that is in no list, or in two, stops the build with a message:
#   FUZZ_LIBECS_NAMES   the libecs layer only (libc)
#   FUZZ_CLIENT_NAMES   the client library + libecs
#   FUZZ_CLIENT_Z_NAMES the client library + libecs, plus zlib as a reference (tests only)
#   FUZZ_HELPER_NAMES   the helper core, its libraries + libecs
#   FUZZ_PAM_NAMES      one PAM module source (FUZZ_PAM_SRC, set per target below) + libecs
#   FUZZ_EXEC_NAMES     ecs-saml-exec's library, its libraries + libecs
#
#   make fuzz-run [FUZZ_SECONDS=60]   run every libFuzzer target (tests/fuzz/run-fuzz)

FUZZ_LIBECS_NAMES := fuzz_b64 fuzz_conf fuzz_helper_proto fuzz_kbd_proto fuzz_time fuzz_usermap
FUZZ_CLIENT_NAMES := fuzz_client_answer fuzz_client_cdp fuzz_client_input fuzz_client_json fuzz_client_relay
FUZZ_CLIENT_Z_NAMES := fuzz_client_deflate
FUZZ_HELPER_NAMES := fuzz_privsep_wire fuzz_request fuzz_resp fuzz_saml_verify fuzz_sts_reply \
                     fuzz_cloudtrail fuzz_audit_line fuzz_inflate
FUZZ_LIBECS_NAMES += fuzz_exec_rec
FUZZ_HELPER_NAMES += fuzz_credread
FUZZ_PAM_NAMES    := fuzz_reply fuzz_conv
FUZZ_EXEC_NAMES   := fuzz_awsconf fuzz_ecs_reply
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_OBJ     := $(FUZZ_DIR)/obj
FUZZ_CFLAGS  := -std=gnu11 -g -O1 -fno-omit-frame-pointer -Wall -Wextra \
                -fsanitize=address,undefined -fno-sanitize-recover=all \
                -D_GNU_SOURCE -Ilibecs -I$(GEN) -Itests/fuzz \
                -DECS_HELPER_PATH='"$(HELPER_PATH)"' -DECS_CONF_PATH='"$(CONF_PATH)"'

FUZZ_NAMES := $(FUZZ_LIBECS_NAMES) $(FUZZ_CLIENT_NAMES) $(FUZZ_CLIENT_Z_NAMES) $(FUZZ_HELPER_NAMES) $(FUZZ_PAM_NAMES) \
              $(FUZZ_EXEC_NAMES)
FUZZ_FOUND := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
ifneq ($(filter-out $(FUZZ_NAMES),$(FUZZ_FOUND)),)
$(error tests/fuzz/fuzz.mk: add $(patsubst %,tests/fuzz/%.c,$(filter-out $(FUZZ_NAMES),$(FUZZ_FOUND))) to the FUZZ_*_NAMES list naming what it links)
endif
ifneq ($(words $(FUZZ_NAMES)),$(words $(sort $(FUZZ_NAMES))))
$(error tests/fuzz/fuzz.mk: a fuzz target is in two FUZZ_*_NAMES lists: $(FUZZ_NAMES))
endif
ifneq ($(filter-out $(FUZZ_FOUND),$(FUZZ_NAMES)),)
$(error tests/fuzz/fuzz.mk: no tests/fuzz/NAME.c for $(filter-out $(FUZZ_FOUND),$(FUZZ_NAMES)))
endif

FUZZ_BINS   := $(FUZZ_NAMES:%=$(FUZZ_DIR)/%)
REPLAY_BINS := $(FUZZ_NAMES:fuzz_%=$(FUZZ_DIR)/replay_%)
CHECK_BINS  += $(FUZZ_BINS) $(REPLAY_BINS)

# Instrumented copies of the libraries under test.
FUZZ_LIBECS := $(FUZZ_DIR)/libfuzz_libecs.a
FUZZ_CLIENT_LIB := $(FUZZ_DIR)/libfuzz_client.a
FUZZ_HELPER_LIB   := $(FUZZ_DIR)/libfuzz_helper.a
FUZZ_EXEC_LIB   := $(FUZZ_DIR)/libfuzz_exec.a

$(FUZZ_OBJ)/%.o: %.c | $(ECS_VERSION_H)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_EXTRA) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_LIBECS): $(LIBECS_SRCS:%.c=$(FUZZ_OBJ)/%.o)
$(FUZZ_CLIENT_LIB): $(CLIENT_LIB_SRCS:%.c=$(FUZZ_OBJ)/%.o)
$(FUZZ_HELPER_LIB): $(HELPER_LIB_SRCS:%.c=$(FUZZ_OBJ)/%.o) $(LIBAWS_SRCS:%.c=$(FUZZ_OBJ)/%.o)
$(FUZZ_EXEC_LIB): $(EXEC_LIB_SRCS:%.c=$(FUZZ_OBJ)/%.o) $(LIBAWS_SRCS:%.c=$(FUZZ_OBJ)/%.o)
$(FUZZ_LIBECS) $(FUZZ_CLIENT_LIB) $(FUZZ_HELPER_LIB) $(FUZZ_EXEC_LIB):
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(HELPER_LIB_SRCS:%.c=$(FUZZ_OBJ)/%.o): FUZZ_EXTRA := $(HELPER_CFLAGS)
$(CLIENT_LIB_SRCS:%.c=$(FUZZ_OBJ)/%.o): FUZZ_EXTRA := -Iclient
$(EXEC_LIB_SRCS:%.c=$(FUZZ_OBJ)/%.o): FUZZ_EXTRA := $(EXEC_CFLAGS)
$(LIBAWS_SRCS:%.c=$(FUZZ_OBJ)/%.o): FUZZ_EXTRA := $(LIBAWS_CFLAGS)
# the sandbox includes the filter compiled at build time (helper/helper.mk)
$(FUZZ_OBJ)/helper/privsep_sandbox.o: $(PRIVSEP_FILTER_H)

# libFuzzer binaries, one rule per link layer.
$(FUZZ_LIBECS_NAMES:%=$(FUZZ_DIR)/%): $(FUZZ_DIR)/%: tests/fuzz/%.c $(FUZZ_LIBECS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< -o $@ $(FUZZ_LIBECS)

$(FUZZ_CLIENT_NAMES:%=$(FUZZ_DIR)/%): $(FUZZ_DIR)/%: tests/fuzz/%.c $(FUZZ_CLIENT_LIB) \
		$(FUZZ_LIBECS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Iclient -fsanitize=fuzzer $< -o $@ $(FUZZ_CLIENT_LIB) \
		$(FUZZ_LIBECS)

$(FUZZ_CLIENT_Z_NAMES:%=$(FUZZ_DIR)/%): $(FUZZ_DIR)/%: tests/fuzz/%.c $(FUZZ_CLIENT_LIB) \
		$(FUZZ_LIBECS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Iclient -fsanitize=fuzzer $< -o $@ $(FUZZ_CLIENT_LIB) \
		$(FUZZ_LIBECS) -lz

$(FUZZ_HELPER_NAMES:%=$(FUZZ_DIR)/%): $(FUZZ_DIR)/%: tests/fuzz/%.c $(FUZZ_HELPER_LIB) \
		$(FUZZ_LIBECS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(HELPER_CFLAGS) -fsanitize=fuzzer $< -o $@ $(FUZZ_HELPER_LIB) \
		$(FUZZ_LIBECS) $(HELPER_LIBS)

$(FUZZ_EXEC_NAMES:%=$(FUZZ_DIR)/%): $(FUZZ_DIR)/%: tests/fuzz/%.c $(FUZZ_EXEC_LIB) \
		$(FUZZ_LIBECS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(EXEC_CFLAGS) -fsanitize=fuzzer $< -o $@ $(FUZZ_EXEC_LIB) \
		$(FUZZ_LIBECS) $(EXEC_LIBS)

# The module's parsers, built from their one source file: pam_conv.c asks through
# pam_prompt, which fuzz_conv.c defines in place of libpam's.
$(FUZZ_DIR)/fuzz_reply $(FUZZ_DIR)/replay_reply: FUZZ_PAM_SRC := pam_ecs_saml/pam_helper_reply.c
$(FUZZ_DIR)/fuzz_conv $(FUZZ_DIR)/replay_conv: FUZZ_PAM_SRC := pam_ecs_saml/pam_conv.c

$(FUZZ_PAM_NAMES:%=$(FUZZ_DIR)/%): $(FUZZ_DIR)/%: tests/fuzz/%.c $(PAM_SRCS) $(FUZZ_LIBECS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Ipam_ecs_saml -fsanitize=fuzzer $< $(FUZZ_PAM_SRC) -o $@ \
		$(FUZZ_LIBECS)

# Replay binaries with the project's compiler and flags, linking the ordinary libraries.
REPLAY_CMD = @mkdir -p $(dir $@); \
	$(CC) $(CFLAGS_BASE) -Itests/fuzz $(1) tests/fuzz/replay_main.c $< -o $@ $(2) $(LDFLAGS_BASE)

$(FUZZ_LIBECS_NAMES:fuzz_%=$(FUZZ_DIR)/replay_%): $(FUZZ_DIR)/replay_%: tests/fuzz/fuzz_%.c \
		tests/fuzz/replay_main.c tests/fuzz/fuzz.h $(LIBECS)
	$(call REPLAY_CMD,,$(LIBECS))

$(FUZZ_PAM_NAMES:fuzz_%=$(FUZZ_DIR)/replay_%): $(FUZZ_DIR)/replay_%: tests/fuzz/fuzz_%.c \
		tests/fuzz/replay_main.c tests/fuzz/fuzz.h $(PAM_SRCS) $(LIBECS)
	$(call REPLAY_CMD,-Ipam_ecs_saml $(FUZZ_PAM_SRC),$(LIBECS))

$(FUZZ_CLIENT_NAMES:fuzz_%=$(FUZZ_DIR)/replay_%): $(FUZZ_DIR)/replay_%: tests/fuzz/fuzz_%.c \
		tests/fuzz/replay_main.c tests/fuzz/fuzz.h $(CLIENT_LIB) $(LIBECS)
	$(call REPLAY_CMD,-Iclient,$(CLIENT_LIB) $(LIBECS))

$(FUZZ_CLIENT_Z_NAMES:fuzz_%=$(FUZZ_DIR)/replay_%): $(FUZZ_DIR)/replay_%: tests/fuzz/fuzz_%.c \
		tests/fuzz/replay_main.c tests/fuzz/fuzz.h $(CLIENT_LIB) $(LIBECS)
	$(call REPLAY_CMD,-Iclient,$(CLIENT_LIB) $(LIBECS) -lz)

$(FUZZ_HELPER_NAMES:fuzz_%=$(FUZZ_DIR)/replay_%): $(FUZZ_DIR)/replay_%: tests/fuzz/fuzz_%.c \
		tests/fuzz/replay_main.c tests/fuzz/fuzz.h $(HELPER_LIB) $(LIBAWS) $(LIBECS)
	$(call REPLAY_CMD,$(HELPER_CFLAGS),$(HELPER_LIB) $(LIBAWS) $(LIBECS) $(HELPER_LIBS))

$(FUZZ_EXEC_NAMES:fuzz_%=$(FUZZ_DIR)/replay_%): $(FUZZ_DIR)/replay_%: tests/fuzz/fuzz_%.c \
		tests/fuzz/replay_main.c tests/fuzz/fuzz.h $(EXEC_LIB) $(LIBAWS) $(LIBECS)
	$(call REPLAY_CMD,$(EXEC_CFLAGS),$(EXEC_LIB) $(LIBAWS) $(LIBECS) $(EXEC_LIBS))

.PHONY: fuzz-run fuzz-bins
fuzz-bins: $(FUZZ_BINS) $(REPLAY_BINS)

fuzz-run: $(FUZZ_BINS)
	FUZZ_SECONDS=$(FUZZ_SECONDS) ECS_BUILD=$(BUILD) tests/fuzz/run-fuzz

-include $(shell find $(FUZZ_OBJ) -name '*.d' 2>/dev/null)
