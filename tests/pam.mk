# tests/pam.mk: the PAM driver of suite 30 (pam_start_confdir, answers of any size).
PAMDRIVE := $(BUILD)/tests/pamdrive
CHECK_BINS += $(PAMDRIVE)

$(PAMDRIVE): tests/pamdrive.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $< -o $@ $(LDFLAGS_BASE) -lpam

# The module's reply checks are libc-only: their unit test links just that object.
$(BUILD)/tests/test_pam_reply: tests/unit/test_pam_reply.c tests/unit/tap.h \
		$(OBJ)/pam_ecs_saml/pam/pam_reply.o $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Ipam_ecs_saml/pam -Itests/unit $< $(OBJ)/pam_ecs_saml/pam/pam_reply.o \
		-o $@ $(COMMON_LIB) $(LDFLAGS_BASE)
