# helper/: ecs-saml-helper, the only binary linking OpenSSL and the only one loading libxml2
# and xmlsec1: it links neither, but loads them only in the verbs that parse XML
# (helper/xml/xml_lib.h: auth, verify, doctor, users move-idp; session-open libxml2 alone),
# and libcurl only in the verbs that call AWS (libaws/aws_curl.h), so session-close without
# exec records and most of the administrator's verbs start without mapping their trees.
#   helper/saml/    the SAML Response validator
#   helper/sts/     the STS client: request, policy, transport, reply reader, error map
#   helper/xml/     the strict XML parse every reader of outside XML uses (SAML, metadata, STS),
#                   and the loader of libxml2 and xmlsec (xml_lib.c)
#   helper/store/   root-owned state: replay cache, tickets, session records, credential files,
#                   the user map's file
#   helper/doctor/  `doctor`: the table of host checks, one file per group of checks
#   helper/audit/   the audit records and their sinks (syslog, journal, JSON-lines file)
#   helper/*.c      the program: main, one verb_*.c per verb, the request/reply of the module's
#                   verbs (request.c), loading the configuration (conf.c), the syslog
#                   records (logging.c), how a refusal is logged and told (refusal.c),
#                   reading sshd's configuration (sshd_check.c), dropping privileges
#                   (privs.c), validating a Response in a sandboxed child (privsep*.c;
#                   its seccomp filter is compiled at build time by helper/gen/, the
#                   only user of libseccomp), and ending a login's ECS Exec sessions
#                   with it (exec_teardown.c, exec_stop.c; TerminateSession is
#                   helper/sts/ssm_terminate.c, signed with libaws/)
#   helper/serve.c  `serve`: the helper kept warm, one forked child per request (serve.h);
#                   caller.c names the PAM application's process in either mode
# Everything but main.c and the verbs is libecs_helper.a, which unit tests and fuzzers link.
HELPER_LIB_SRCS  := $(wildcard helper/saml/*.c helper/sts/*.c helper/store/*.c helper/xml/*.c \
                              helper/doctor/*.c helper/audit/*.c) \
                    helper/caller.c helper/conf.c helper/logging.c helper/login_end.c helper/privs.c helper/refusal.c \
                    helper/request.c helper/serve.c helper/serve_warm.c helper/sshd_check.c $(wildcard helper/privsep*.c) \
                    helper/exec_stop.c helper/exec_teardown.c
HELPER_LIB_OBJS  := $(HELPER_LIB_SRCS:%.c=$(OBJ)/%.o)
HELPER_LIB       := $(BUILD)/libecs_helper.a
HELPER_MAIN_SRCS := helper/main.c $(wildcard helper/verb_*.c)
HELPER_MAIN_OBJS := $(HELPER_MAIN_SRCS:%.c=$(OBJ)/%.o)
HELPER_BIN       := $(BUILD)/ecs-saml-helper

$(HELPER_LIB_OBJS) $(HELPER_MAIN_OBJS): CFLAGS_EXTRA += $(HELPER_CFLAGS)

# The validator child's seccomp filter, compiled by libseccomp at build time into a header
# (helper/gen/privsep_filter_gen.c): the child installs it with one system call, and the
# helper does not load libseccomp.
PRIVSEP_FILTER_GEN := $(GEN)/privsep_filter_gen
PRIVSEP_FILTER_H   := $(GEN)/ecs_privsep_filter.h

$(PRIVSEP_FILTER_GEN): helper/gen/privsep_filter_gen.c helper/privsep_sandbox.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 $(WARN) -D_GNU_SOURCE -Ihelper $< -o $@ \
		$(shell pkg-config --cflags --libs libseccomp 2>/dev/null)

$(PRIVSEP_FILTER_H): $(PRIVSEP_FILTER_GEN)
	$(PRIVSEP_FILTER_GEN) >$@.tmp
	mv -f $@.tmp $@

$(OBJ)/helper/privsep_sandbox.o: $(PRIVSEP_FILTER_H)

$(HELPER_LIB): $(HELPER_LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(HELPER_BIN): $(HELPER_MAIN_OBJS) $(HELPER_LIB) $(LIBAWS) $(LIBECS)
	$(CC) -pie $(HELPER_MAIN_OBJS) $(HELPER_LIB) $(LIBAWS) $(LIBECS) -o $@ $(LDFLAGS_BASE) $(HELPER_BIN_LIBS)

ALL_TARGETS += $(HELPER_BIN)

# make bench: the floor `verify` is compared with (libxml2 parse + xmlsec verify only), linked
# like the helper; tests/bench/bench-verify runs it.
BENCH_FLOOR := $(BUILD)/bench/bench_floor
$(BENCH_FLOOR): tests/bench/bench_floor.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(HELPER_CFLAGS) $< -o $@ $(LDFLAGS_BASE) $(HELPER_LIBS)
BENCH_BINS += $(BENCH_FLOOR)

# make bench: the replay cache's step alone, file against Redis (tests/bench/bench-redis).
BENCH_REPLAY := $(BUILD)/bench/bench_replay
$(BENCH_REPLAY): tests/bench/bench_replay.c $(HELPER_LIB) $(LIBECS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(HELPER_CFLAGS) $< $(HELPER_LIB) $(LIBECS) -o $@ \
		$(LDFLAGS_BASE) $(HELPER_LIBS)
BENCH_BINS += $(BENCH_REPLAY)

.PHONY: install-helper-man
install-all: install-helper-man
install-helper-man:
	install -D -m 0644 man/ecs-saml-helper.8 $(DESTDIR)$(MANDIR)/man8/ecs-saml-helper.8
