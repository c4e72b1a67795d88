# tests/lib/nsroot.sh — run a command in a private mount namespace that sees a bastion's
# system files, while the real system stays untouched. Used by sshd.sh (sshd and everything
# it starts) and suite 51 (sudo).
#
#   ns_prepare DIR [pam SERVICE STACK_FILE]... [nss SO_FILE] [conf CONF_FILE]
#              [sudoers NAME FILE] [group NAME GID] [user NAME UID HASH] [home NAME DIR]
#              [module SO_FILE] [etc]
#     Prepares overlay upper directories in DIR. Inside the namespace:
#       /etc/pam.d/SERVICE               = STACK_FILE
#       <libdir>/security/pam_ecs_saml.so = SO_FILE (with "module"): a shipped stack that
#                                          names the bare pam_ecs_saml.so runs as written
#       <libdir>/libnss_ecs_saml.so.2    = SO_FILE, and /etc/nsswitch.conf says
#                                          "passwd/group: files ecs_saml"
#       /etc/security/pam_ecs_saml.conf  = CONF_FILE (the path compiled into the NSS module
#                                          and the helper)
#       /etc/sudoers.d/NAME              = FILE
#     and with "group NAME GID", /etc/group is a copy with that group added; with
#     "user NAME UID HASH", /etc/passwd and /etc/shadow are copies with a local user of that
#     crypt(3) password hash (home /, shell /bin/sh) added; "home NAME DIR" (after it)
#     gives that user the home DIR instead.
#     With "etc", /etc itself is an overlay whose upper layer holds those copies, instead of
#     copies bind-mounted over the files: tools that replace /etc/passwd by rename (useradd)
#     then work inside, and what they write stays in DIR.
#     NS_BIND="SRC:TARGET ..." (set by tests/mac/trace.sh) bind-mounts each SRC over TARGET
#     inside the namespace: how the helper runs under a tracer without a rebuild.
#   ns_exec DIR CMD [ARGS...]
#     Runs CMD (as root) in a new mount namespace with those overlays; execs, so the pid
#     is CMD's. Everything CMD starts stays inside, including processes that clear their
#     environment (the PAM module runs ecs-saml-helper with none), which is why this is
#     used instead of LD_PRELOADed nss_wrapper. The mounts vanish with the last process.

#     Every namespace also has the helper's sandbox account (ns_account_add), as make install
#     creates it: the helper refuses to validate a Response as root without it.
#   ns_account_exec DIR CMD [ARGS...]
#     The light version for a helper run as root outside any bastion namespace (suites
#     20-22, tests/bench): runs CMD in a new mount namespace where only /etc/passwd and
#     /etc/group are copies (kept in DIR, made on first use) that hold the sandbox account.
#     The host's own files stay as they are: a test must not add accounts to this machine.
#   ns_account_wrapper DIR PROG
#     Writes DIR/PROG's name, a script that runs PROG with its arguments through
#     ns_account_exec, and prints its path: for tools given a helper path to run.

NS_LIBDIR=/usr/lib/x86_64-linux-gnu
# The helper's sandbox account (privsep_user's default; helper/privsep.h).
NS_PRIVSEP_USER=_ecs-saml

# ns_account_add PASSWD GROUP: append the sandbox account (system ids, no home, nologin)
# to those copies unless they have it, at the first id in 900..999 free in both.
ns_account_add() {
	local id
	grep -q "^$NS_PRIVSEP_USER:" "$1" && return 0
	for ((id = 900; id < 1000; id++)); do
		awk -F: -v id=$id '$3 == id { found = 1 } END { exit !found }' "$1" "$2" || break
	done
	echo "$NS_PRIVSEP_USER:x:$id:$id::/nonexistent:/usr/sbin/nologin" >>"$1"
	grep -q "^$NS_PRIVSEP_USER:" "$2" || echo "$NS_PRIVSEP_USER:x:$id:" >>"$2"
}

# ns_account_files DIR: make DIR/passwd and DIR/group once.
ns_account_files() {
	[ -f "$1/passwd" ] && return 0
	mkdir -p "$1"
	cp /etc/passwd "$1/passwd.new" && cp /etc/group "$1/group" &&
		ns_account_add "$1/passwd.new" "$1/group" && mv "$1/passwd.new" "$1/passwd"
}

# The mount namespace of ns_account_exec, as one sh command line: DIR is $1, CMD is $2...
NS_ACCOUNT_SH='set -e; mount --make-rprivate /; mount --bind "$1/passwd" /etc/passwd; '
NS_ACCOUNT_SH+='mount --bind "$1/group" /etc/group; shift; exec "$@"'

ns_account_exec() {
	ns_account_files "$1" || return 1
	exec unshare -m sh -c "$NS_ACCOUNT_SH" sh "$@"
}

ns_account_wrapper() {
	local w
	[ -x "$2" ] || { echo "$2"; return 1; }	# so that the caller's -x check still fails
	w=$1/$(basename "$2")
	ns_account_files "$1/ns" || return 1
	printf '#!/bin/sh\nexec unshare -m sh -c %q sh %q %q "$@"\n' "$NS_ACCOUNT_SH" "$1/ns" \
		"$2" >"$w"
	chmod 755 "$w"
	echo "$w"
}

ns_prepare() {
	local d=$1 etc=
	shift
	mkdir -m 755 -p "$d/pam.d" "$d/lib" "$d/security" "$d/w/pam.d" "$d/w/lib" \
		"$d/w/security" "$d/w/sudoers.d"
	mkdir -m 750 -p "$d/sudoers.d"
	cp /etc/nsswitch.conf "$d/nsswitch.conf"
	cp /etc/group "$d/group"
	cp /etc/passwd "$d/passwd"
	cp -p /etc/shadow "$d/shadow"
	ns_account_add "$d/passwd" "$d/group"
	printf '%s\n' ${NS_BIND:-} >"$d/binds"
	while [ $# -gt 0 ]; do
		case $1 in
		pam)
			install -m 644 "$3" "$d/pam.d/$2"
			shift 3
			;;
		nss)
			install -m 755 "$2" "$d/lib/libnss_ecs_saml.so.2"
			sed -E 's/^(passwd|group):.*/\1: files ecs_saml/' /etc/nsswitch.conf \
				>"$d/nsswitch.conf"
			shift 2
			;;
		conf)
			install -m 644 "$2" "$d/security/pam_ecs_saml.conf"
			shift 2
			;;
		module)
			install -D -m 644 "$2" "$d/lib/security/pam_ecs_saml.so"
			shift 2
			;;
		sudoers)
			install -m 440 "$3" "$d/sudoers.d/$2"
			shift 3
			;;
		group)
			echo "$2:x:$3:" >>"$d/group"
			shift 3
			;;
		user)
			echo "$2:x:$3:$3::/:/bin/sh" >>"$d/passwd"
			echo "$2:x:$3:" >>"$d/group"
			echo "$2:$4:19000:0:99999:7:::" >>"$d/shadow"
			shift 4
			;;
		home)
			awk -F: -v OFS=: -v u="$2" -v h="$3" '$1 == u { $6 = h } { print }' \
				"$d/passwd" >"$d/passwd.new" && mv "$d/passwd.new" "$d/passwd"
			shift 3
			;;
		etc)
			etc=1
			shift
			;;
		*)
			echo "ns_prepare: unknown item $1" >&2
			return 1
			;;
		esac
	done
	if [ -n "$etc" ]; then
		mkdir -m 755 -p "$d/etc" "$d/w/etc"
		cp -p "$d/nsswitch.conf" "$d/group" "$d/passwd" "$d/shadow" "$d/etc/"
		touch "$d/etc-rw"
	fi
}

# With an ASan build of the NSS module every process that resolves a user loads ASan code,
# including the user's own shell, whose environment sshd clears: inside the namespace only,
# /etc is an overlay whose /etc/ld.so.preload names the ASan runtime. (set -e: if that mount
# fails nothing is written anywhere but DIR.) Leak reports stay off in there: with the runtime
# preloaded into bash, python and the other tools, LSan would fail them at exit for leaks of
# their own; our binaries' leaks are checked where only they carry the runtime.
ns_asan_rt() {
	asan_runtime "$1/lib/libnss_ecs_saml.so.2"
}

# asan_runtime FILE: the ASan runtime's path when FILE was built with it, else nothing. Read
# from FILE's own dynamic section: ldd cannot tell once a parent namespace preloads the
# runtime (it then lists only the preloaded copy, with no "=>").
asan_runtime() {
	readelf -d "$1" 2>/dev/null | grep -q 'NEEDED.*libasan' && gcc -print-file-name=libasan.so
}

ns_exec() {
	local d=$1 rt
	shift
	rt=$(ns_asan_rt "$d")
	if [ -n "$rt" ]; then
		mkdir -m 755 -p "$d/etc" "$d/w/etc"
		echo "$rt" >"$d/etc/ld.so.preload"
		export ASAN_OPTIONS=detect_leaks=0
	fi
	exec unshare -m sh -c '
		set -e
		d=$1 lib=$2 rt=$3
		shift 3
		mount --make-rprivate /
		# The kernel stacks overlays at most two deep, and a namespace made inside another
		# one (the demo on an installed host) overlays /etc/pam.d once more. So the overlays
		# of /etc subfolders take their lower layer from /etc as it was (a bind made before
		# /etc itself is overlaid), and a namespace whose parent already preloads the
		# runtime leaves /etc alone.
		etc=/etc
		if { [ -n "$rt" ] && ! grep -qxF "$rt" /etc/ld.so.preload 2>/dev/null; } ||
			[ -e "$d/etc-rw" ]; then
			etc=$d/etc-lower
			mkdir -p "$etc"
			mount --bind /etc "$etc"
			mount -t overlay overlay -o "lowerdir=/etc,upperdir=$d/etc,workdir=$d/w/etc" /etc
		fi
		for m in /etc/pam.d:pam.d "$lib":lib /etc/security:security /etc/sudoers.d:sudoers.d; do
			dst=${m%%:*} lower=${m%%:*}
			case $lower in /etc/*) lower=$etc/${lower#/etc/} ;; esac
			mount -t overlay overlay \
				-o "lowerdir=$lower,upperdir=$d/${m#*:},workdir=$d/w/${m#*:}" "$dst"
		done
		if [ ! -e "$d/etc-rw" ]; then
			mount --bind "$d/nsswitch.conf" /etc/nsswitch.conf
			mount --bind "$d/group" /etc/group
			mount --bind "$d/passwd" /etc/passwd
			mount --bind "$d/shadow" /etc/shadow
		fi
		while IFS=: read -r src dst; do
			[ -z "$src" ] || mount --bind "$src" "$dst"
		done <"$d/binds"
		exec "$@"' sh "$d" "$NS_LIBDIR" "$rt" "$@"
}
