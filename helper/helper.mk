# helper/: ecs-saml-helper, the only binary linking libxml2, xmlsec1, OpenSSL and libcurl.
HELPER_CORE_SRCS := $(wildcard helper/core/*.c)
HELPER_CORE_OBJS := $(HELPER_CORE_SRCS:%.c=$(OBJ)/%.o)
HELPER_CORE_LIB  := $(BUILD)/libecs_core.a
HELPER_MAIN_SRCS := $(wildcard helper/*.c)
HELPER_MAIN_OBJS := $(HELPER_MAIN_SRCS:%.c=$(OBJ)/%.o)
HELPER_BIN       := $(BUILD)/ecs-saml-helper

$(HELPER_CORE_OBJS) $(HELPER_MAIN_OBJS): CFLAGS_EXTRA += $(HELPER_CFLAGS)

$(HELPER_CORE_LIB): $(HELPER_CORE_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(HELPER_BIN): $(HELPER_MAIN_OBJS) $(HELPER_CORE_LIB) $(COMMON_LIB)
	$(CC) -pie $(HELPER_MAIN_OBJS) $(HELPER_CORE_LIB) $(COMMON_LIB) -o $@ $(LDFLAGS_BASE) $(HELPER_LIBS)

ALL_TARGETS += $(HELPER_BIN)
include helper/client/client.mk
