# pam_ecs_saml: pam_ecs_saml.so, the thin PAM shim (libc + libpam + the libecs layer).
PAM_SRCS := $(wildcard pam_ecs_saml/*.c)
PAM_OBJS := $(PAM_SRCS:%.c=$(OBJ)/%.o)
PAM_MAP  := pam_ecs_saml/pam_ecs_saml.map
PAM_SO   := $(BUILD)/pam_ecs_saml.so

$(PAM_SO): $(PAM_OBJS) $(LIBECS) $(PAM_MAP)
	$(CC) $(SO_LDFLAGS) -Wl,--version-script=$(PAM_MAP) -o $@ $(PAM_OBJS) $(LIBECS) -lpam

ALL_TARGETS += $(PAM_SO)
