# pam_ecs_saml: pam_ecs_saml.so, the thin PAM shim (libc + libpam + the libecs layer).
PAM_SRCS := $(wildcard pam_ecs_saml/*.c)
PAM_OBJS := $(PAM_SRCS:%.c=$(OBJ)/%.o)
PAM_MAP  := pam_ecs_saml/pam_ecs_saml.map
PAM_SO   := $(BUILD)/pam_ecs_saml.so

$(PAM_SO): $(PAM_OBJS) $(LIBECS) $(PAM_MAP)
	$(CC) $(SO_LDFLAGS) -Wl,--version-script=$(PAM_MAP) -o $@ $(PAM_OBJS) $(LIBECS) -lpam

ALL_TARGETS += $(PAM_SO)

# The module's page and the configuration file's (the file serves all three programs, but it
# is the PAM module an administrator sets up first).
.PHONY: install-pam-man
install-all: install-pam-man
install-pam-man:
	install -D -m 0644 man/pam_ecs_saml.8 $(DESTDIR)$(MANDIR)/man8/pam_ecs_saml.8
	install -D -m 0644 man/pam_ecs_saml.conf.5 $(DESTDIR)$(MANDIR)/man5/pam_ecs_saml.conf.5
