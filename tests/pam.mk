# tests/pam.mk: the PAM driver of suite 30 (pam_start_confdir, answers of any size).
PAMDRIVE := $(BUILD)/tests/pamdrive
CHECK_BINS += $(PAMDRIVE)
BENCH_BINS += $(PAMDRIVE)	# tests/bench/bench-pam drives the module with it

$(PAMDRIVE): tests/pamdrive.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $< -o $@ $(LDFLAGS_BASE) -lpam

# Unit tests of the module's own code (UNIT_OWN in tests/tests.mk).
# The module's reply checks are libc-only: their unit test links just that object.
$(BUILD)/tests/test_pam_helper_reply: tests/unit/test_pam_helper_reply.c tests/unit/tap.h \
		$(OBJ)/pam_ecs_saml/pam_helper_reply.o $(LIBECS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Ipam_ecs_saml -Itests/unit $< $(OBJ)/pam_ecs_saml/pam_helper_reply.o \
		-o $@ $(LIBECS) $(LDFLAGS_BASE)

# A copy of the module that runs $(BUILD)/tests/fake-helper (which suite 30 writes: a helper
# that stalls) and gives it ECS_HELPER_TIMEOUT seconds, so a stall is seen in seconds.
PAM_FAKE_SO := $(BUILD)/tests/pam_ecs_saml_fake.so
CHECK_BINS += $(PAM_FAKE_SO)

$(PAM_FAKE_SO): $(PAM_SRCS) $(LIBECS) $(PAM_MAP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -UECS_HELPER_PATH \
		-DECS_HELPER_PATH='"$(abspath $(BUILD))/tests/fake-helper"' -DECS_HELPER_TIMEOUT=3 \
		-DECS_HELPER_SOCKET='"$(abspath $(BUILD))/tests/fake-helper.sock"' \
		$(SO_LDFLAGS) -Wl,--version-script=$(PAM_MAP) -o $@ $(PAM_SRCS) $(LIBECS) -lpam

# The spawn code on its own, running $(BUILD)/tests/spawn-helper (which the test writes), or
# asking the stand-in server the test runs on $(BUILD)/tests/spawn-helper.sock.
$(BUILD)/tests/test_pam_spawn: tests/unit/test_pam_spawn.c tests/unit/tap.h \
		pam_ecs_saml/pam_spawn.c pam_ecs_saml/pam_spawn.h pam_ecs_saml/pam_server.c \
		pam_ecs_saml/pam_server.h pam_ecs_saml/pam_log.c $(LIBECS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -UECS_HELPER_PATH \
		-DECS_HELPER_PATH='"$(abspath $(BUILD))/tests/spawn-helper"' \
		-DECS_HELPER_SOCKET='"$(abspath $(BUILD))/tests/spawn-helper.sock"' \
		-Ipam_ecs_saml -Itests/unit $< pam_ecs_saml/pam_spawn.c pam_ecs_saml/pam_server.c \
		pam_ecs_saml/pam_log.c \
		-o $@ $(LIBECS) \
		$(LDFLAGS_BASE) -lpam
