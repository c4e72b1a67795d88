# selinux: the policy module for ecs-saml-helper's confined domain (pam_ecs_saml.te/.if/.fc),
# built with refpolicy's development Makefile (selinux-policy-dev) in $(BUILD)/selinux/.
#   make selinux    -> $(BUILD)/selinux/pam_ecs_saml.pp   (install: semodule -i)
SELINUX_SRCS := selinux/pam_ecs_saml.te selinux/pam_ecs_saml.if selinux/pam_ecs_saml.fc
SELINUX_PP   := $(BUILD)/selinux/pam_ecs_saml.pp
SELINUX_DEVEL ?= /usr/share/selinux/devel/Makefile

# The devel Makefile builds in its working directory; it runs without our MAKEFLAGS so
# command-line settings such as BUILD= or CI= do not leak into it. NAME=default keeps it
# from needing /etc/selinux/config.
$(SELINUX_PP): $(SELINUX_SRCS)
	@mkdir -p $(dir $@)
	cp $(SELINUX_SRCS) $(dir $@)
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s -C $(dir $@) -f $(SELINUX_DEVEL) \
		NAME=default pam_ecs_saml.pp

selinux: $(SELINUX_PP)
CHECK_BINS += $(SELINUX_PP)
