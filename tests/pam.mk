# tests/pam.mk: the PAM driver of suite 30 (pam_start_confdir, answers of any size).
PAMDRIVE := $(BUILD)/tests/pamdrive
CHECK_BINS += $(PAMDRIVE)

$(PAMDRIVE): tests/pamdrive.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $< -o $@ $(LDFLAGS_BASE) -lpam
