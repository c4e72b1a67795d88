# exec/: ecs-saml-exec, the engineer's ECS Exec launcher, run as the user inside the bastion
# session. Not privileged; besides the helper it is the one program that links libcurl and
# OpenSSL (libcrypto), and the only one that links Jansson (JSON).
#   exec_args.c     the command line
#   exec_awsconf.c  credentials and settings the way the AWS SDKs read them
# Everything but the program's main is libecs_exec.a, which unit tests and fuzzers link.
PKGS_EXEC     := libcurl libcrypto jansson
EXEC_CFLAGS   := $(shell pkg-config --cflags $(PKGS_EXEC) 2>/dev/null) -Iexec -Ilibaws
EXEC_LIBS     := $(shell pkg-config --libs $(PKGS_EXEC) 2>/dev/null)
EXEC_LIB_SRCS := $(filter-out exec/ecs_saml_exec.c,$(wildcard exec/*.c))
EXEC_LIB_OBJS := $(EXEC_LIB_SRCS:%.c=$(OBJ)/%.o)
EXEC_LIB      := $(BUILD)/libecs_exec.a

$(EXEC_LIB_OBJS): CFLAGS_EXTRA += $(EXEC_CFLAGS)

$(EXEC_LIB): $(EXEC_LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^
EXEC_BIN      := $(BUILD)/ecs-saml-exec

$(OBJ)/exec/ecs_saml_exec.o: CFLAGS_EXTRA += $(EXEC_CFLAGS)

$(EXEC_BIN): $(OBJ)/exec/ecs_saml_exec.o $(EXEC_LIB) $(LIBAWS) $(LIBECS)
	$(CC) -pie $^ -o $@ $(LDFLAGS_BASE) $(EXEC_LIBS)

ALL_TARGETS += $(EXEC_BIN)

install-all: install-exec
install-exec: $(EXEC_BIN)
	install -D -m 755 $(EXEC_BIN) $(DESTDIR)$(BINDIR)/ecs-saml-exec
	install -D -m 644 man/ecs-saml-exec.1 $(DESTDIR)$(MANDIR)/man1/ecs-saml-exec.1

.PHONY: install-exec
