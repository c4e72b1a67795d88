# pam_ecs_saml/nss: libnss_ecs_saml.so.2 (service "ecs_saml"): libc and the common layer only.
NSS_SRCS := $(wildcard pam_ecs_saml/nss/*.c)
NSS_OBJS := $(NSS_SRCS:%.c=$(OBJ)/%.o)
NSS_MAP  := pam_ecs_saml/nss/nss_ecs_saml.map
NSS_SO   := $(BUILD)/libnss_ecs_saml.so.2

$(NSS_SO): $(NSS_OBJS) $(COMMON_LIB) $(NSS_MAP)
	$(CC) $(SO_LDFLAGS) -Wl,-soname,libnss_ecs_saml.so.2 -Wl,--version-script=$(NSS_MAP) \
		$(NSS_OBJS) $(COMMON_LIB) -o $@

ALL_TARGETS += $(NSS_SO)

# Installed where glibc looks for NSS modules; the map's format page goes with it.
.PHONY: install-nss
install-all: install-nss
install-nss: $(NSS_SO)
	install -D -m 0644 $(NSS_SO) $(DESTDIR)$(NSSDIR)/libnss_ecs_saml.so.2
	install -D -m 0644 man/ecs-saml-usermap.5 $(DESTDIR)$(MANDIR)/man5/ecs-saml-usermap.5
