# pam_ecs_saml/pam: pam_ecs_saml.so, the thin PAM shim (libc + libpam + the common layer).
PAM_SRCS := $(wildcard pam_ecs_saml/pam/*.c)
PAM_OBJS := $(PAM_SRCS:%.c=$(OBJ)/%.o)
PAM_MAP  := pam_ecs_saml/pam/pam_ecs_saml.map
PAM_SO   := $(BUILD)/pam_ecs_saml.so

$(PAM_SO): $(PAM_OBJS) $(COMMON_LIB) $(PAM_MAP)
	$(CC) $(SO_LDFLAGS) -Wl,--version-script=$(PAM_MAP) -o $@ $(PAM_OBJS) $(COMMON_LIB) -lpam

ALL_TARGETS += $(PAM_SO)
