# The libc-only common layer, linked into the PAM shim, the NSS shim and the helper.
COMMON_SRCS := $(wildcard pam_ecs_saml/common/*.c)
COMMON_OBJS := $(COMMON_SRCS:%.c=$(OBJ)/%.o)
COMMON_LIB  := $(BUILD)/libecs_common.a

$(COMMON_LIB): $(COMMON_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^
