# nss_ecs_saml: libnss_ecs_saml.so.2 (service "ecs_saml"): libc and the libecs layer only.
NSS_SRCS := $(wildcard nss_ecs_saml/*.c)
NSS_OBJS := $(NSS_SRCS:%.c=$(OBJ)/%.o)
NSS_MAP  := nss_ecs_saml/nss_ecs_saml.map
NSS_SO   := $(BUILD)/libnss_ecs_saml.so.2

$(NSS_SO): $(NSS_OBJS) $(LIBECS) $(NSS_MAP)
	$(CC) $(SO_LDFLAGS) -Wl,-soname,libnss_ecs_saml.so.2 -Wl,--version-script=$(NSS_MAP) \
		$(NSS_OBJS) $(LIBECS) -o $@

ALL_TARGETS += $(NSS_SO)

# Installed where glibc looks for NSS modules; its page and the map's format page go with
# it. Like nss-systemd(8) and libnss_systemd.so.2(8), the page is also found under the
# library's name, through a one-line .so page.
.PHONY: install-nss
install-all: install-nss
install-nss: $(NSS_SO)
	install -D -m 0644 $(NSS_SO) $(DESTDIR)$(NSSDIR)/libnss_ecs_saml.so.2
	install -D -m 0644 man/ecs-saml-usermap.5 $(DESTDIR)$(MANDIR)/man5/ecs-saml-usermap.5
	install -D -m 0644 man/nss_ecs_saml.8 $(DESTDIR)$(MANDIR)/man8/nss_ecs_saml.8
	printf '.so man8/nss_ecs_saml.8\n' >$(DESTDIR)$(MANDIR)/man8/libnss_ecs_saml.so.2.8
