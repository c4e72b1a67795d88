# pam_ecs_saml — one non-recursive GNU Makefile.
#
#   make            build everything into $(BUILD)/ (default build/)
#   make check      install the Debian packages the tests need, build, run every test
#   make demo       the product's main job, end to end, on a throwaway loopback sshd
#   make bench      speed and memory figures (never asserted by tests)
#   make fuzz       libFuzzer targets, each for FUZZ_SECONDS
#   make asan       the test suite again with ASan+UBSan (into build-asan/)
#   make install    PREFIX/DESTDIR honoured
#   make uninstall  removes what make install put (same PREFIX/DESTDIR), keeps state and config
#   make deb        Debian packages (debian/): pam-ecs-saml (bastion), ecs-saml-ssh (client)
#
# Each directory owns a fragment (*.mk) that appends to the lists below.

PREFIX      ?= /usr/local
DESTDIR     ?=
LIBDIR      ?= $(PREFIX)/lib
LIBEXECDIR  ?= $(PREFIX)/libexec/pam_ecs_saml
SBINDIR     ?= $(PREFIX)/sbin
BINDIR      ?= $(PREFIX)/bin
MANDIR      ?= $(PREFIX)/share/man
SYSCONFDIR  ?= /etc
DOCDIR      ?= $(PREFIX)/share/doc/pam_ecs_saml
SYSTEMDDIR  ?= $(PREFIX)/lib/systemd/system
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
APPARMORDIR ?= $(SYSCONFDIR)/apparmor.d
PAMDIR      ?= $(shell pkg-config --variable=libdir pam 2>/dev/null || echo /usr/lib/x86_64-linux-gnu)/security
NSSDIR      ?= $(shell pkg-config --variable=libdir pam 2>/dev/null || echo /usr/lib/x86_64-linux-gnu)

BUILD       ?= build
OBJ         := $(BUILD)/obj

# The module runs the helper from a path fixed at build time (as pam_unix runs unix_chkpwd).
# An in-tree build points at the in-tree helper so tests run without installing;
# `make install` rebuilds the module with the installed path (see install below).
HELPER_PATH ?= $(abspath $(BUILD))/ecs-saml-helper
CONF_PATH   ?= $(SYSCONFDIR)/security/pam_ecs_saml.conf
# state_dir's default, fixed in the code: make install creates it (the helper's spool under
# /run it makes itself; tmpfiles.d recreates both at boot). tests/suites/07-paths.sh checks
# that the code, README, the example configuration, selinux/, apparmor/ and this agree.
STATE_DIR   := /var/lib/pam_ecs_saml

# The one source of the version: --version of every program, doctor's report and the
# module's log records. VERSION becomes one generated header, $(GEN)/ecs_version.h
# (ECS_VERSION); the compiler's dependency files track it like any other header.
GEN         := $(BUILD)/gen
ECS_VERSION_H := $(GEN)/ecs_version.h

CC          ?= cc
PKGS_HELPER := libxml-2.0 xmlsec1-openssl openssl libcurl libseccomp jansson zlib

WARN        := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
               -Wno-unused-parameter
ifneq ($(CI),)
WARN        += -Werror
endif
HARDEN      := -D_FORTIFY_SOURCE=3 -fstack-protector-strong -fstack-clash-protection \
               -fcf-protection
OPT         ?= -O2 -g
SAN         ?=
# Sanitizer builds: frame pointers for readable reports, and no FORTIFY (its _chk wrappers
# hide accesses from ASan).
ifneq ($(SAN),)
OPT         := -O1 -g -fno-omit-frame-pointer
HARDEN      := -fstack-protector-strong
endif
CFLAGS_BASE := -std=gnu11 $(OPT) $(WARN) $(HARDEN) -fPIC -fvisibility=hidden $(SAN) \
               -ffile-prefix-map=$(CURDIR)=. \
               -D_GNU_SOURCE -Ilibecs -I$(GEN) \
               -DECS_HELPER_PATH='"$(HELPER_PATH)"' -DECS_CONF_PATH='"$(CONF_PATH)"'
LDFLAGS_BASE:= -Wl,-z,relro,-z,now -Wl,--as-needed $(SAN)
SO_LDFLAGS  := $(LDFLAGS_BASE) -shared -Wl,--no-undefined

# Test hooks (helper/privsep_hook.h): in the in-tree build the suites run; `make install`
# builds without them (TEST_HOOKS empty), and suite 08 checks the installed helper has none.
TEST_HOOKS  ?= 1
HELPER_CFLAGS := $(shell pkg-config --cflags $(PKGS_HELPER) 2>/dev/null) \
                 -Ihelper -Ihelper/saml -Ihelper/sts -Ihelper/store -Ihelper/xml -Ihelper/doctor -Ihelper/audit -Ilibaws \
                 $(if $(TEST_HOOKS),-DECS_TEST_HOOKS)
# Headers only: libcurl the helper loads when a verb calls AWS (libaws/aws_curl.h);
# libseccomp compiles the sandbox's filter at build time (helper/helper.mk)
HELPER_LIBS   := $(shell pkg-config --libs $(filter-out libcurl libseccomp,$(PKGS_HELPER)) 2>/dev/null)
# The helper itself links neither libxml2 nor xmlsec: the verbs that parse XML load them
# (helper/xml/xml_lib.h). Tests, fuzzers and benches keep HELPER_LIBS, which names them: a
# test that calls libxml2 directly shares the one copy the helper's code loads.
HELPER_BIN_LIBS := $(shell pkg-config --libs $(filter-out libxml-2.0 xmlsec1-openssl,$(filter-out libcurl libseccomp,$(PKGS_HELPER))) 2>/dev/null)

ALL_TARGETS :=
CHECK_BINS  :=
CLEAN_EXTRA :=

.PHONY: all check check-only check-bins deps demo bench fuzz asan install install-all install-core install-account uninstall deb clean lint selinux
all:

$(OBJ)/%.o: %.c | $(ECS_VERSION_H)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(CFLAGS_EXTRA) -MMD -MP -c $< -o $@

# Rewritten only when VERSION says something else, so nothing rebuilds for nothing.
$(ECS_VERSION_H): VERSION
	@mkdir -p $(dir $@)
	printf '/* generated from VERSION by the Makefile: do not edit */\n#define ECS_VERSION "%s"\n' \
		"$$(cat VERSION)" >$@.tmp
	cmp -s $@.tmp $@ && rm -f $@.tmp || mv -f $@.tmp $@

include libecs/libecs.mk
include libaws/libaws.mk
include pam_ecs_saml/pam_ecs_saml.mk
include nss_ecs_saml/nss_ecs_saml.mk
include helper/helper.mk
include client/client.mk
include exec/exec.mk
include tests/tests.mk
include selinux/selinux.mk

all: $(ALL_TARGETS)

deps:
	@tools/install-deps

# The README's test command: install, build, then every suite against the normal build and the
# suites that exercise our code at run time again against an ASan+UBSan build, in one run that
# ends with "N passed, N failed". (Suite 51 runs sudo, which is setuid and cannot preload the
# ASan runtime: it says so and counts nothing under ASan; 60 already fuzzes with sanitizers.)
ASAN_BUILD  := build-asan
ASAN_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=undefined
ASAN_SUITES := 10 20 21 22 23 30 31 40 50 54 55 56 58 59 90
check: deps
	$(MAKE) -j2 check-bins
	$(MAKE) -j2 BUILD=$(ASAN_BUILD) SAN="$(ASAN_SAN)" check-bins
	@ECS_BUILD=$(BUILD) ECS_ASAN_BUILD=$(ASAN_BUILD) ECS_ASAN_SUITES="$(ASAN_SUITES)" tests/run

check-only: all $(CHECK_BINS)
	@ECS_BUILD=$(BUILD) tests/run

demo: deps
	$(MAKE) all
	@ECS_BUILD=$(BUILD) tests/demo/run-demo

# Every libFuzzer target for FUZZ_SECONDS (default 60) each; crash inputs in $(BUILD)/fuzz/artifacts/.
fuzz: deps
	$(MAKE) fuzz-run

bench: deps
	$(MAKE) all $(BENCH_BINS)
	@ECS_BUILD=$(BUILD) tests/bench/run-bench

check-bins: all $(CHECK_BINS)

# Only the ASan+UBSan pass, into $(ASAN_BUILD)/.
asan: deps
	$(MAKE) -j2 BUILD=$(ASAN_BUILD) SAN="$(ASAN_SAN)" check-bins
	@ECS_BUILD=$(ASAN_BUILD) ECS_SUITES="$(ASAN_SUITES)" tests/run

# `make install` builds everything again into $(BUILD)/dist-* with the installed paths compiled
# in (the module runs the helper from LIBEXECDIR; every part reads CONF_PATH), then installs
# from there. Each fragment hooks its files onto install-all. The directory is named after
# those paths: make tracks files, not flags, so an install with another PREFIX must not reuse
# objects that name the previous one.
DIST := $(BUILD)/dist$(subst /,-,$(LIBEXECDIR)$(SYSCONFDIR))
install:
	$(MAKE) BUILD=$(DIST) HELPER_PATH=$(LIBEXECDIR)/ecs-saml-helper TEST_HOOKS= install-all

# The validator's sandbox account (helper/privsep.h, the privsep_user key's default): a
# system account with no home and no login shell, its own group. Created only when no
# account of that name exists (an existing one, or a group of that name, is used as it is,
# never changed); with DESTDIR set nothing is created: a package creates it on the target.
PRIVSEP_USER := _ecs-saml
install-all: install-core install-account
install-account:
	@if [ -n "$(DESTDIR)" ]; then \
		echo "install: DESTDIR is set: create the account $(PRIVSEP_USER) on the target (README 4.1)"; \
	elif getent passwd $(PRIVSEP_USER) >/dev/null; then \
		echo "install: the account $(PRIVSEP_USER) exists: left as it is"; \
	else \
		set -x; useradd --system --no-create-home --home-dir /nonexistent \
			--shell /usr/sbin/nologin \
			$$(getent group $(PRIVSEP_USER) >/dev/null && echo --gid $(PRIVSEP_USER) || \
			   echo --user-group) $(PRIVSEP_USER); \
	fi
install-core: $(PAM_SO) $(HELPER_BIN)
	install -D -m 0644 $(PAM_SO) $(DESTDIR)$(PAMDIR)/pam_ecs_saml.so
	install -D -m 0755 $(HELPER_BIN) $(DESTDIR)$(LIBEXECDIR)/ecs-saml-helper
	install -d -m 0755 $(DESTDIR)$(SBINDIR) $(DESTDIR)$(DOCDIR)/sshd_config.d \
		$(DESTDIR)$(DOCDIR)/sudoers.d $(DESTDIR)$(SYSTEMDDIR)
	ln -sf $(LIBEXECDIR)/ecs-saml-helper $(DESTDIR)$(SBINDIR)/ecs-saml-helper
	install -m 0644 pam.d/pam_ecs_saml.conf.example pam.d/ecs-exec-session-policy.json \
		pam.d/sshd.example pam.d/sudo-ecs-operator.example pam.d/logrotate-audit.example \
		README $(DESTDIR)$(DOCDIR)/
	install -m 0644 pam.d/sshd_config.d/50-pam_ecs_saml.conf $(DESTDIR)$(DOCDIR)/sshd_config.d/
	install -m 0644 pam.d/sudoers.d/ecs-operator $(DESTDIR)$(DOCDIR)/sudoers.d/
	sed 's|/usr/local/libexec/pam_ecs_saml|$(LIBEXECDIR)|' systemd/ecs-saml-gc.service \
		>$(DESTDIR)$(SYSTEMDDIR)/ecs-saml-gc.service
	install -m 0644 systemd/ecs-saml-gc.timer systemd/ecs-saml-helper.socket $(DESTDIR)$(SYSTEMDDIR)/
	sed 's|/usr/local/libexec/pam_ecs_saml|$(LIBEXECDIR)|' systemd/ecs-saml-helper.service \
		>$(DESTDIR)$(SYSTEMDDIR)/ecs-saml-helper.service
	install -D -m 0644 systemd/pam_ecs_saml.tmpfiles $(DESTDIR)$(TMPFILESDIR)/pam_ecs_saml.conf
	install -d -m 0755 $(DESTDIR)$(STATE_DIR) $(DESTDIR)$(APPARMORDIR)
	sed 's|/usr/{,local/}libexec/pam_ecs_saml|$(LIBEXECDIR)|' apparmor/ecs-saml-helper \
		>$(DESTDIR)$(APPARMORDIR)/ecs-saml-helper

# `make uninstall` removes what `make install` puts, and nothing else: the list comes from an
# install, with the same settings, into a scratch DESTDIR, so a file added to install is
# removed too without a second list to keep. Folders go only if they are ours and empty. The
# state directory (the user map, the replay cache) and the configuration are the operator's
# data and stay, as a Debian package's remove keeps them.
uninstall:
	@set -e; scratch=$$(mktemp -d); trap 'rm -rf "$$scratch"' EXIT; \
	$(MAKE) -s DESTDIR="$$scratch" install >/dev/null; \
	cd "$$scratch"; \
	find . ! -type d | sed 's|^\.||' | while read -r f; do \
		rm -f "$(DESTDIR)$$f" && echo "removed $(DESTDIR)$$f"; \
	done; \
	find . -depth -mindepth 1 -type d | sed 's|^\.||' | grep pam_ecs_saml | \
		grep -vx '$(STATE_DIR)' | while read -r d; do \
		rmdir "$(DESTDIR)$$d" 2>/dev/null && echo "removed $(DESTDIR)$$d/" || true; \
	done; \
	echo "uninstall: kept $(STATE_DIR) (user map, replay cache), $(CONF_PATH) and the account $(PRIVSEP_USER), if present"

# The Debian packages, built by dpkg-buildpackage from debian/ in a copy of the tree
# (tools/make-deb), into $(BUILD)/deb/.
deb: deps
	@tools/make-deb $(BUILD)/deb

lint:
	@tools/lint-layering

clean:
	rm -rf build build-asan $(CLEAN_EXTRA)

-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)
