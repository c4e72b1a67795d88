# Tests: one unit test binary per tests/unit/test_NAME.c, in $(BUILD)/tests/test_NAME.
#
# What each test links is written here, test by test: a link line never depends on a test's
# name or on which other files exist, so adding a source file changes no test's link. A
# tests/unit/test_*.c that is in no list, or in two, stops the build with a message.
#
#   UNIT_LIBECS   libecs.a and libc only, as the PAM and NSS modules and the client link it
#   UNIT_HELPER   the helper core (libecs_helper.a), libecs_aws.a, libecs.a and the helper's
#                 libraries
#   UNIT_CLIENT   the client's library (libecs_client.a) and libecs.a
#   UNIT_EXEC     ecs-saml-exec's library (libecs_exec.a), libecs_aws.a, libecs.a and its
#                 libraries
#   UNIT_CLIENT_Z the client's library and libecs.a, plus zlib: the reference inflater the
#                 client's DEFLATE encoder is checked against (the client itself never links it)
#   UNIT_HELPER_SD the helper's library plus libsystemd: the reference the journal sink's
#                 native protocol is checked against (the helper itself never links it)
#   UNIT_OWN      a rule of its own in tests/pam.mk (one module object or source)
UNIT_LIBECS := aws_net b64 buf cidr conf err helper_proto io kbd_proto logrec names safefile sha256 str time \
               usermap exec_rec pack
UNIT_HELPER := credread privs privsep serve_warm replay resp saml_doc saml_input saml_mem saml_roles sts_policy sts_reply \
               refusal sshd_check sts_request ticket xml_strict doctor aws_snippet sts_proxy audit \
               saml_inflate request sandbox
UNIT_CLIENT := client_cdp client_chan client_config client_input client_json client_relay client_sshargs
UNIT_CLIENT_Z := client_deflate
UNIT_EXEC   := awsconf exec_args exec_ecs exec_plugin sigv4
UNIT_HELPER_SD := audit_journal
UNIT_OWN    := pam_helper_reply pam_spawn

UNIT_NAMES := $(UNIT_LIBECS) $(UNIT_HELPER) $(UNIT_CLIENT) $(UNIT_CLIENT_Z) $(UNIT_HELPER_SD) $(UNIT_EXEC) $(UNIT_OWN)
UNIT_BINS  := $(UNIT_NAMES:%=$(BUILD)/tests/test_%)
CHECK_BINS += $(UNIT_BINS)

UNIT_FOUND := $(patsubst tests/unit/test_%.c,%,$(wildcard tests/unit/test_*.c))
ifneq ($(filter-out $(UNIT_NAMES),$(UNIT_FOUND)),)
$(error tests/tests.mk: add $(patsubst %,tests/unit/test_%.c,$(filter-out $(UNIT_NAMES),$(UNIT_FOUND))) to the UNIT_* list naming what it links)
endif
ifneq ($(words $(UNIT_NAMES)),$(words $(sort $(UNIT_NAMES))))
$(error tests/tests.mk: a unit test is in two UNIT_* lists: $(UNIT_NAMES))
endif
ifneq ($(filter-out $(UNIT_FOUND),$(UNIT_NAMES)),)
$(error tests/tests.mk: no tests/unit/test_NAME.c for $(filter-out $(UNIT_FOUND),$(UNIT_NAMES)))
endif

$(UNIT_LIBECS:%=$(BUILD)/tests/test_%): $(BUILD)/tests/test_%: tests/unit/test_%.c \
		tests/unit/tap.h $(LIBECS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Itests/unit $< -o $@ $(LIBECS) $(LDFLAGS_BASE)

$(UNIT_HELPER:%=$(BUILD)/tests/test_%): $(BUILD)/tests/test_%: tests/unit/test_%.c \
		tests/unit/tap.h $(HELPER_LIB) $(LIBAWS) $(LIBECS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(HELPER_CFLAGS) -Itests/unit $< -o $@ $(HELPER_LIB) $(LIBAWS) $(LIBECS) \
		$(LDFLAGS_BASE) $(HELPER_LIBS) -lpthread

$(UNIT_HELPER_SD:%=$(BUILD)/tests/test_%): $(BUILD)/tests/test_%: tests/unit/test_%.c \
		tests/unit/tap.h $(HELPER_LIB) $(LIBAWS) $(LIBECS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(HELPER_CFLAGS) -Itests/unit $< -o $@ $(HELPER_LIB) $(LIBAWS) $(LIBECS) \
		$(LDFLAGS_BASE) $(HELPER_LIBS) -lsystemd -lpthread

$(UNIT_CLIENT:%=$(BUILD)/tests/test_%): $(BUILD)/tests/test_%: tests/unit/test_%.c \
		tests/unit/tap.h $(CLIENT_LIB) $(LIBECS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Iclient -Itests/unit $< -o $@ $(CLIENT_LIB) $(LIBECS) \
		$(LDFLAGS_BASE)

$(UNIT_CLIENT_Z:%=$(BUILD)/tests/test_%): $(BUILD)/tests/test_%: tests/unit/test_%.c \
		tests/unit/tap.h $(CLIENT_LIB) $(LIBECS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Iclient -Itests/unit $< -o $@ $(CLIENT_LIB) $(LIBECS) \
		$(LDFLAGS_BASE) -lz

$(UNIT_EXEC:%=$(BUILD)/tests/test_%): $(BUILD)/tests/test_%: tests/unit/test_%.c \
		tests/unit/tap.h $(EXEC_LIB) $(LIBAWS) $(LIBECS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(EXEC_CFLAGS) -Itests/unit $< -o $@ $(EXEC_LIB) $(LIBAWS) $(LIBECS) \
		$(LDFLAGS_BASE) $(EXEC_LIBS)

include tests/nss.mk
include tests/sts.mk
include tests/fuzz/fuzz.mk
include tests/pam.mk

# Suite 06: the configuration key table as built, for pam_ecs_saml.conf(5).
CONF_KEYS := $(BUILD)/tests/conf-keys
CHECK_BINS += $(CONF_KEYS)
$(CONF_KEYS): tests/conf_keys.c libecs/ecs_conf.c libecs/ecs_conf.h $(LIBECS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $< -o $@ $(LIBECS) $(LDFLAGS_BASE)
