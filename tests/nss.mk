# tests/nss.mk — NSS test programs (suite 40-nss.sh) and the NSS benchmark program.
#
# $(NSS_TEST_DIR)/libnss_ecs_saml.so.2 is a second link of the module's sources compiled
# with ECS_CONF_PATH pointing into the build tree, so tests never touch /etc/security.
NSS_TEST_DIR  := $(BUILD)/tests/nss
NSS_TEST_CONF := $(abspath $(NSS_TEST_DIR))/ecs_saml.conf
NSS_TEST_OBJS := $(NSS_SRCS:nss_ecs_saml/%.c=$(OBJ)/tests/nss-so/%.o)
NSS_TEST_SO   := $(NSS_TEST_DIR)/libnss_ecs_saml.so.2

$(OBJ)/tests/nss-so/%.o: nss_ecs_saml/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -UECS_CONF_PATH -DECS_CONF_PATH='"$(NSS_TEST_CONF)"' -MMD -MP -c $< -o $@

$(NSS_TEST_SO): $(NSS_TEST_OBJS) $(LIBECS) $(NSS_MAP)
	@mkdir -p $(dir $@)
	$(CC) $(SO_LDFLAGS) -Wl,-soname,libnss_ecs_saml.so.2 -Wl,--version-script=$(NSS_MAP) \
		$(NSS_TEST_OBJS) $(LIBECS) -o $@

# The users verb and ecs_usermap_record, driven directly (see usermap_drive.c). The verb's
# move-idp reads the configured IdPs through the verifier's trust loader, so the driver
# links the helper core (libxml2, xmlsec) like the helper does.
USERMAP_DRIVE_OBJS := $(OBJ)/helper/verb_users.o $(OBJ)/helper/conf.o

$(NSS_TEST_DIR)/usermap-drive: tests/nss/usermap_drive.c $(USERMAP_DRIVE_OBJS) $(HELPER_LIB) $(LIBECS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -Ihelper -Ihelper/store -Ihelper/saml $(HELPER_CFLAGS) $< $(USERMAP_DRIVE_OBJS) -o $@ \
		$(HELPER_LIB) $(LIBECS) $(LDFLAGS_BASE) $(HELPER_LIBS)

# An account source that fails (see pw_fail.c), preloaded under usermap-drive.
$(NSS_TEST_DIR)/pw-fail.so: tests/nss/pw_fail.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -shared $< -o $@

# A directory-service stand-in listed after ecs_saml in suite 41 (see nss_directory.c).
$(NSS_TEST_DIR)/libnss_ecsdir.so.2: tests/nss/nss_directory.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -shared -Wl,-soname,libnss_ecsdir.so.2 $< -o $@

$(NSS_TEST_DIR)/nss-hammer: tests/nss/nss_hammer.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $< -o $@ $(LDFLAGS_BASE) -ldl -lpthread

$(BUILD)/bench/bench-nss: tests/bench/bench_nss.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $< -o $@ $(LDFLAGS_BASE) -ldl

CHECK_BINS += $(NSS_TEST_SO) $(NSS_TEST_DIR)/usermap-drive $(NSS_TEST_DIR)/nss-hammer \
	      $(NSS_TEST_DIR)/pw-fail.so $(NSS_TEST_DIR)/libnss_ecsdir.so.2
BENCH_BINS += $(NSS_TEST_SO) $(NSS_TEST_DIR)/usermap-drive $(BUILD)/bench/bench-nss

$(NSS_TEST_DIR)/nss-query: tests/nss/nss_query.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $< -o $@ $(LDFLAGS_BASE) -ldl

CHECK_BINS += $(NSS_TEST_DIR)/nss-query
