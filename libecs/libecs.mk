# libecs/: libecs.a, the libc-only shared layer linked by every program: the PAM module, the NSS
# module, the helper and the client.
LIBECS_SRCS := $(wildcard libecs/*.c)
LIBECS_OBJS := $(LIBECS_SRCS:%.c=$(OBJ)/%.o)
LIBECS      := $(BUILD)/libecs.a

$(LIBECS): $(LIBECS_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^
