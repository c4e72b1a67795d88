#!/bin/bash
# tests/run: isolated
# Suite 06: the documents say what the code does (no servers, no ports). The README's reject
# codes and exit statuses are the helper's, every repository path that README and HACKING
# name exists, the README's source tree names every product folder, and no document sends a
# reader to a file the repository does not have. The manual pages document every
# configuration key, module argument, helper verb and CODE the code has, and lint clean;
# README's "What users see" quotes the sources.
. "$(dirname "$0")/../lib/tap.sh"
cd "$ECS_TOP" || exit 2

# The reject CODE table: the lines of README's "Reject codes" block, first word of each.
readme_codes=$(awk '/^Reject codes/ { on = 1; next } on && /^$/ && seen { exit }
	on && /^  [a-z-]+ / { print $1; seen = 1 }' README | sort | tr '\n' ' ')
src_codes=$(sed -n 's/^#define ECS_REJ_[A-Z_]*[[:space:]]*"\([a-z-]*\)".*/\1/p' \
	helper/saml/saml_reject.h | sort | tr '\n' ' ')
t_check "helper/saml/saml_reject.h defines reject codes" test -n "$src_codes"
t_eq "README lists exactly the helper's reject codes" "$readme_codes" "$src_codes"

# Exit statuses: README names each ECS_EXIT_* value with its number.
for v in $(sed -n 's/^[[:space:]]*ECS_EXIT_[A-Z]* = \([0-9]\),.*/\1/p' libecs/ecs_err.h); do
	t_match "README documents helper exit status $v" "$(sed -n '/^Exit status (every verb)/,/^$/p' README)" \
		"(^|[ (;])$v (accepted|refused|usage|an internal)"
done

# The replay cache's codes (helper/store/redis_conn.h, and its configuration's) are in README's
# list of codes an administrator fixes, and its keys in README's section on it.
redis_codes="$(sed -n 's/^#define ECS_REDIS_E_[A-Z_]*[[:space:]]*"\([a-z-]*\)".*/\1/p' \
	helper/store/redis_conn.h) config-replay-cache"
t_check "helper/store/redis_conn.h defines the replay cache's codes" test "$(wc -w <<<"$redis_codes")" -gt 5
undocumented=
for code in $redis_codes; do
	grep -qE "^  $code( |\$)" README || undocumented+=" $code"
done
t_eq "README lists every replay-cache code" "$undocumented" ""
redis_keys=$(grep -oE '^	\{ "(replay_cache|redis_[a-z_]+)"' libecs/ecs_conf.c | grep -oE '[a-z_]+')
unexplained=
for key in $redis_keys; do
	sed -n '/^4.11 /,/^5. /p' README | grep -qw "$key" || unexplained+=" $key"
done
t_eq "README 4.11 explains every replay cache key ($(wc -w <<<"$redis_keys"))" "$unexplained" ""

# ecs-saml-exec(1) lists each of the program's exit codes (exec/exec_errmap.h), and no other.
exec_codes=$(sed -n 's/^[[:space:]]*ECS_EXEC_EXIT_[A-Z]* = \([0-9]\),.*/\1/p' exec/exec_errmap.h |
	sort | tr '\n' ' ')
man_codes=$(sed -n '/^\.SH EXIT STATUS/,/^\.SH /p' man/ecs-saml-exec.1 |
	sed -n 's/^\.B \([0-9]\)$/\1/p' | sort | tr '\n' ' ')
t_check "exec/exec_errmap.h defines ecs-saml-exec's exit codes" test -n "$exec_codes"
t_eq "ecs-saml-exec(1) lists exactly the program's exit codes" "$man_codes" "$exec_codes"

# Paths: every relative path README, HACKING or tests/README names under a repository folder exists
# (placeholders in capitals, such as helper/verb_NAME.c, and globs are not paths).
dirs='libecs|pam_ecs_saml|nss_ecs_saml|helper|client|tests|pam\.d|selinux|systemd|man|tools'
missing=
for doc in README HACKING tests/README; do
	for p in $(grep -oE "(^|[^/A-Za-z0-9_.-])($dirs)/[A-Za-z0-9_./*-]*" "$doc" |
		sed -E 's/^[^a-z]//; s/[.,]$//' | sort -u); do
		case $p in *'*'* | *[A-Z][A-Z]* | */NN*) continue ;; esac
		[ -e "$p" ] || missing+=" $doc:$p"
	done
done
t_eq "every path README, HACKING and tests/README name exists" "$missing" ""

# The source tree in README section 1 names every folder that holds product C sources, and
# each folder it names exists.
tree=$(sed -n '/^The source tree, one folder per program or library:/,/^Layering/p' README)
unnamed=
for d in $(git ls-files '*.c' | grep -v '^tests/' | xargs -n1 dirname | sort -u); do
	grep -qE "^ +$d/ " <<<"$tree" || unnamed+=" $d"
done
t_eq "README's source tree names every product folder" "$unnamed" ""
stale=
for d in $(grep -oE '^ +[a-z_.]+(/[a-z_]+)*/' <<<"$tree" | tr -d ' '); do
	[ -d "$d" ] || stale+=" $d"
done
t_eq "every folder in README's source tree exists" "$stale" ""

# The PAM module's own arguments (pam_ecs_saml/pam_args.c, ARG_*): README's list in 4.6 names
# exactly them, and so does the example configuration.
src_args=$(sed -n 's/^#define ARG_[A-Z_]*[[:space:]]*"\([a-z_]*\)=\{0,1\}".*/\1/p' pam_ecs_saml/pam_args.c |
	grep -vx config | sort | tr '\n' ' ')
readme_args=$(sed -n '/^    Module arguments besides configuration keys:$/,/^    [^ ]/p' README |
	sed -n 's/^      \([a-z_]\+\)[= ].*/\1/p' | sort | tr '\n' ' ')
t_check "pam_ecs_saml/pam_args.c defines module arguments" test -n "$src_args"
t_eq "README lists exactly the PAM module's own arguments" "$readme_args" "$src_args"
example_args=$(sed -n 's/^#   \([a-z_]\+\)[= ].*/\1/p' pam.d/pam_ecs_saml.conf.example | sort | tr '\n' ' ')
t_eq "the example configuration lists exactly the PAM module's own arguments" "$example_args" "$src_args"

# Nothing a user or contributor reads points at a file outside the repository.
outside=$(grep -lE 'DESIGN\.md' README HACKING man/* pam.d/* 2>/dev/null | tr '\n' ' ')
t_eq "README, HACKING, man pages and examples cite no file outside the repository" "$outside" ""

# --- the manual pages ---------------------------------------------------------------------
# What a page documents is read from its tag lines (the line after each .TP), with the roff
# escapes for '-' and fonts removed; what must be documented is read from the code, never
# listed here.
tags() {
	awk 'tp { print; tp = 0 } /^\.TP/ { tp = 1 }' "$1" | sed 's/\\-/-/g; s/\\f[BIRP]//g' |
		tr -cs 'a-z0-9_-' '\n' | sort -u
}
# missing PAGE WORD...: the words that are not among PAGE's tags.
missing() {
	local page=$1 w out=
	shift
	local t
	t=$(tags "$page")
	for w in "$@"; do
		grep -qxF -- "$w" <<<"$t" || out+=" $w"
	done
	echo "${out# }"
}
# The key table as the parser was built with it (tests/conf_keys.c prints ecs_conf_keys[]):
# NAME TYPE WHERE MIN MAX DEFAULT [DEFAULT-STRING] (WHERE: file for the file-only keys).
key_table=$("$B/tests/conf-keys")
t_eq "tests/conf-keys prints libecs's key table" "$?" 0
conf_keys=$(cut -f1 <<<"$key_table")
t_match "libecs/ecs_conf.c's key table yields the keys" "$(tr '\n' ' ' <<<"$conf_keys")" \
	'^idp_metadata .*region .*nss_shell .*debug'
t_eq "pam_ecs_saml.conf(5) documents every configuration key" \
	"$(missing man/pam_ecs_saml.conf.5 $conf_keys)" ""
# The entry of each key (from its .TP to the next .TP, .SS or .SH, one line, escapes for '-',
# '\' and fonts removed) states the table's range and default: a number's minimum, maximum and
# default, a boolean's "Default: no" (or yes), every value of a string's or list's default,
# and a list's maximum count unless it is the one SYNTAX gives every list.
entry() {
	awk -v key="$2" '
		/^\.(TP|SS|SH)/ { if (hit) exit; tag = ($0 ~ /^\.TP/); body = ""; next }
		tag { n = split($0, w, /[^a-z0-9_]+/); for (i = 1; i <= n; i++) if (w[i] == key) hit = 1
		      tag = 0 }
		{ body = body " " $0 }
		END { if (hit) print body }' "$1" | sed 's/\\-/-/g; s/\\f[BIRP]//g; s/\\e/\\/g'
}
conf_drift() {
	local page=$1 name type where min max def defstr e v out=
	while IFS=$'\t' read -r name type where min max def defstr; do
		e=$(entry "$page" "$name")
		case $type in
		number) for v in "$min" "$max" "$def"; do
				grep -qw -- "$v" <<<"$e" || out+=" $name:$v"
			done ;;
		bool) v=$([ "$def" = 0 ] && echo no || echo yes)
			grep -qE "Default: $v\b" <<<"$e" || out+=" $name:Default:$v" ;;
		esac
		for v in $defstr; do
			grep -qF -- "$v" <<<"$e" || out+=" $name:$v"
		done
		if [ "$type" = list ] && ! grep -q "at most $max\b" <<<"$e" &&
			! sed -n '/^\.SH SYNTAX/,/^\.SH /p' "$page" | grep -q "at most $max values"; then
			out+=" $name:at-most-$max"
		fi
	done <<<"$key_table"
	echo "${out# }"
}
t_eq "pam_ecs_saml.conf(5) gives every key's range and default as the parser has them" \
	"$(conf_drift man/pam_ecs_saml.conf.5)" ""
# The file-only keys (refused as module arguments: what the NSS module reads, which sees no
# arguments, and what must not be chosen per PAM stack): each is marked so in
# pam_ecs_saml.conf(5) (in its entry, or its section says all are) and named among the
# refused arguments in pam_ecs_saml(8).
file_keys=$(awk -F'\t' '$3 == "file" { print $1 }' <<<"$key_table")
t_match "the key table marks the file-only keys" "$(tr '\n' ' ' <<<"$file_keys")" \
	'state_dir .*nss_first_login .*nss_shell'
unmarked=
for k in $file_keys; do
	entry man/pam_ecs_saml.conf.5 "$k" | grep -q 'file only' && continue
	awk -v k="$k" '/^\.SS/ { sec = $0; all = 0 } /^All of these are file only/ { all = 1 }
		all && /^\.TP/ { tp = 1; next } tp { if ($0 ~ "(^|[^a-z_])" k "([^a-z_]|$)") found = 1; tp = 0 }
		END { exit !found }' man/pam_ecs_saml.conf.5 || unmarked+=" $k"
done
t_eq "pam_ecs_saml.conf(5) marks every file-only key" "${unmarked# }" ""
pam_conf=$(sed -n '/^\.SH OPTIONS/,/^\.SH /p' man/pam_ecs_saml.8 | tr -cs 'a-z0-9_*' '\n')
unnamed=
for k in $file_keys; do
	case $k in nss_*) grep -qx 'nss_\*' <<<"$pam_conf" && continue ;; esac
	grep -qx "$k" <<<"$pam_conf" || unnamed+=" pam_ecs_saml.8:$k"
done
t_eq "pam_ecs_saml(8) names every file-only key among the refused arguments" "${unnamed# }" ""
mod_args=$(sed -n 's/^#define ARG_[A-Z_]*[[:space:]]*"\([a-z_]*\)=\{0,1\}".*/\1/p' \
	pam_ecs_saml/pam_args.c)
t_match "pam_ecs_saml/pam_args.c yields the module's own arguments" \
	"$(tr '\n' ' ' <<<"$mod_args")" 'conv_timeout .*ignore_silent'
t_eq "pam_ecs_saml(8) documents every module argument" \
	"$(missing man/pam_ecs_saml.8 $mod_args debug)" ""
verbs=$(sed -n 's/^[[:space:]]*{ "\([a-z-]*\)", ecs_verb_.*/\1/p' helper/main.c)
user_cmds=$(sed -n 's/.*strcmp(argv\[0\], "\([a-z-]*\)").*/\1/p' helper/verb_users.c)
verb_opts=$(grep -oE -- '--[a-z-]+' helper/main.c | sort -u)
t_match "helper/main.c's verb table yields the verbs" "$(tr '\n' ' ' <<<"$verbs")" \
	'^verify auth session-open .*users'
t_eq "ecs-saml-helper(8) documents every verb, users subcommand and option" \
	"$(missing man/ecs-saml-helper.8 $verbs $user_cmds $verb_opts)" ""
# Every CODE the helper or the module can log (the SAML reject codes and every other table
# of refusal codes, as suite 52 reads them for README), plus the two written out in code.
all_codes=$(cat libecs/ecs_misconf.h libecs/ecs_conf.h helper/saml/saml_reject.h \
	helper/sts/sts_errmap.h helper/sshd_check.h helper/store/redis_conn.h helper/exec_teardown.h \
	helper/xml/xml_lib.h |
	sed -nE 's/^#define ECS_(REJ|MISCONF|CONF_E|TRUST|STS_CAUSE|SSHD|REDIS_E|TEARDOWN_E|XML_LIB)_[A-Z_]+[[:space:]]+"([a-z-]+)".*/\2/p')
all_codes+=" $(grep -ohE 'code[= ]sshd-refused-user' pam_ecs_saml/*.c | sort -u | sed 's/^code.//')"
all_codes+=" $(sed -nE 's/^#define ECS_REVOKED_CODE[[:space:]]+"([a-z-]+)".*/\1/p' helper/store/revoke_redis.h)"
t_match "the sources yield the reject and refusal codes" "$(tr '\n' ' ' <<<"$all_codes")" \
	'usermap-missing .*config-value .*size .*replay .*idp-key-weak .*sts-tls .*sshd-kbdint .*sshd-refused-user'
t_eq "ecs-saml-helper(8) documents every reject and refusal CODE" \
	"$(missing man/ecs-saml-helper.8 $all_codes)" ""
t_eq "pam_ecs_saml.conf(5) documents every configuration CODE" \
	"$(missing man/pam_ecs_saml.conf.5 $(sed -nE 's/^#define ECS_CONF_E_[A-Z_]+[[:space:]]+"([a-z-]+)".*/\1/p' libecs/ecs_conf.h))" ""

# The stacks pam_ecs_saml(8) shows are the shipped files' lines (blanks aside), and every
# line of a shipped file that names the module is shown.
stack_drift() {
	local page=$1 ex file out=
	for ex in sshd.example sudo-ecs-operator.example; do
		file=pam.d/$ex
		shown=$(sed -n "/^\.SS $ex\$/,/^\.S[SH] /p" "$page" | sed -n '/^\.EX/,/^\.EE/p' |
			grep -E '^(auth|account|session|password|@include)' | tr -s ' \t' ' ')
		shipped=$(grep -E '^(auth|account|session|password|@include)' "$file" | tr -s ' \t' ' ')
		[ -n "$shown" ] || out+=" $ex:nothing-shown"
		while read -r line; do
			[ -z "$line" ] || grep -qxF -- "$line" <<<"$shipped" || out+=" $ex:shown:'$line'"
		done <<<"$shown"
		while read -r line; do
			grep -qxF -- "$line" <<<"$shown" || out+=" $ex:not-shown:'$line'"
		done < <(grep 'pam_ecs_saml\.so' <<<"$shipped")
	done
	echo "${out# }"
}
t_eq "pam_ecs_saml(8) shows the shipped PAM stacks' lines as they are" \
	"$(stack_drift man/pam_ecs_saml.8)" ""
sed 's/^session  required    pam_ecs_saml.so require_ticket ignore_silent$/session required pam_ecs_saml.so/' \
	man/pam_ecs_saml.8 >"$T_WORK/stack.8"
t_match "a pam_ecs_saml(8) showing a stale stack line is told apart" \
	"$(stack_drift "$T_WORK/stack.8")" "shown:'session required pam_ecs_saml.so'.*not-shown"

# A page of ours that a page refers to exists in man/.
our_refs() {
	cat "$@" | sed 's/\\-/-/g' |
		grep -oE '^\.BR? (pam_ecs_saml[a-z._]*|ecs-saml-[a-z-]+|nss_ecs_saml) \([1-8]\)' |
		sed -E 's/^\.BR? ([^ ]+) \(([1-8])\)/\1.\2/' | sort -u
}
dangling() {
	local ref out=
	for ref in $(our_refs "$@"); do
		[ -f "man/$ref" ] || out+=" $ref"
	done
	echo "${out# }"
}
t_match "the pages refer to each other" "$(our_refs man/*.[1-8] | tr '\n' ' ')" \
	'ecs-saml-helper.8 .*nss_ecs_saml.8 .*pam_ecs_saml.conf.5'
t_eq "every page of ours that a page refers to is in man/" "$(dangling man/*.[1-8])" ""
printf '.SH SEE ALSO\n.BR ecs-saml-nothing (1)\n' >"$T_WORK/refs.8"
t_eq "a reference to a page that is not in man/ is told apart" \
	"$(dangling man/*.[1-8] "$T_WORK/refs.8")" "ecs-saml-nothing.1"

# Every page is clean for mandoc's linter and groff's warnings. mandoc's one style note on
# source lines over 80 bytes is not held: the pages wrap at about 90, as the C code does at 100.
t_check "mandoc is installed (tools/install-deps)" test -x "$(command -v mandoc)"
lint() {
	{ mandoc -Tlint "$1" 2>&1 | grep -v 'STYLE: input text line longer than 80 bytes'
	  groff -k -man -Tutf8 -ww -z "$1" 2>&1; } | sed "s|^|$1: |"
}
for page in man/*.[1-8]; do
	t_eq "$page: mandoc -Tlint and groff -ww find nothing" "$(lint "$page")" ""
done
t_check "man/ holds the pages of every piece" test -f man/pam_ecs_saml.8 -a \
	-f man/pam_ecs_saml.conf.5 -a -f man/ecs-saml-helper.8 -a -f man/nss_ecs_saml.8 -a \
	-f man/ecs-saml-usermap.5 -a -f man/ecs-saml-ssh.1

# README's "What users see": every quoted sentence is a string of the sources.
msgs=$(/usr/bin/python3 tests/lib/doc_messages.py README pam_ecs_saml helper libecs client \
	nss_ecs_saml exec)
t_eq "tests/lib/doc_messages.py reads README's sentences and the sources" "$?" 0
t_match "README's \"What users see\" quotes the module's and the client's sentences" "$(tr '\n' ' ' <<<"$msgs")" \
	'ok.This SAML response has expired.*ok.the bastion offers several roles'
t_eq "every sentence of README's \"What users see\" is in the sources" \
	"$(grep -v '^ok' <<<"$msgs")" ""

# ecs-saml-ssh(1) documents every option the client parses (its option strings in
# client/ecs_saml_ssh.c, comments left out).
client_opts=$(grep -vE '^[[:space:]]*(/?\*)' client/ecs_saml_ssh.c | grep -oE '"--[a-z][a-z-]*' |
	tr -d '"' | sort -u)
t_match "client/ecs_saml_ssh.c yields the client's options" "$(tr '\n' ' ' <<<"$client_opts")" \
	'--browser .*--print-response .*--response .*--sudo'
t_eq "ecs-saml-ssh(1) documents every option of ecs-saml-ssh" \
	"$(missing man/ecs-saml-ssh.1 $client_opts)" ""

# Each check must be able to fail: a page or README with one item dropped or changed is caught.
sed '/^\.BI allow_sha1 /d' man/pam_ecs_saml.conf.5 >"$T_WORK/conf.5"
sed 's/ Default: 180\.$/ Default: 120./; s/^(list, at most 10)/(list)/' man/pam_ecs_saml.conf.5 \
	>"$T_WORK/conf-default.5"
t_eq "a pam_ecs_saml.conf(5) with a wrong default or list size is told apart" \
	"$(conf_drift "$T_WORK/conf-default.5")" "clock_skew:180 policy_arns:at-most-10"
t_eq "a pam_ecs_saml.conf(5) missing a key is told apart" \
	"$(missing "$T_WORK/conf.5" $conf_keys)" "allow_sha1"
sed '/^\.B ignore_silent$/d' man/pam_ecs_saml.8 >"$T_WORK/pam.8"
t_eq "a pam_ecs_saml(8) missing a module argument is told apart" \
	"$(missing "$T_WORK/pam.8" $mod_args)" "ignore_silent"
sed '/^\.B in\\-response\\-to$/d; /^\.B gc$/d' man/ecs-saml-helper.8 >"$T_WORK/helper.8"
t_eq "an ecs-saml-helper(8) missing a code and a verb is told apart" \
	"$(missing "$T_WORK/helper.8" $verbs $all_codes)" "gc in-response-to"
sed '/^\.BI \\-\\-browser\\-timeout /d' man/ecs-saml-ssh.1 >"$T_WORK/ssh.1"
t_eq "an ecs-saml-ssh(1) missing an option is told apart" \
	"$(missing "$T_WORK/ssh.1" $client_opts)" "--browser-timeout"
printf '.TH X 8\n.SH NAME\nx \\- y\n.XX z\n' >"$T_WORK/bad.8"
t_match "a page with an unknown macro is told apart" "$(lint "$T_WORK/bad.8")" 'XX'
sed 's/has expired: fetch a fresh one/has expired: get a new one/' README >"$T_WORK/README"
t_match "a README sentence that is not the source's is told apart" \
	"$(/usr/bin/python3 tests/lib/doc_messages.py "$T_WORK/README" helper libecs)" \
	'^missing.This SAML response has expired: get a new one'

# README's "Performance" paragraph names exactly the kinds of figure `make bench` prints (the
# word after "bench:" in the scripts' output strings), and the MaxStartups the login bench
# gives sshd.
bench_doc() {	# bench_doc README: the kinds the paragraph lists
	awk '/^Performance:/ { on = 1 } on && /^$/ { exit } on' "$1" |
		sed -n 's/^  bench: \([A-Za-z]*\) .*/\1/p' | sort -u | tr '\n' ' '
}
bench_kinds=$(grep -ohE '"bench: [A-Za-z]+' tests/bench/bench-* tests/bench/*.c | sed 's/.*: //' |
	sort -u | tr '\n' ' ')
t_match "the bench scripts yield the kinds of figure they print" "$bench_kinds" \
	'chunks concurrent .*login .*verify'
t_eq "README's Performance paragraph lists every kind of bench figure, and no other" \
	"$(bench_doc README)" "$bench_kinds"
sed '/^  bench: chunks /d' README >"$T_WORK/README.bench"
t_check "a Performance paragraph missing a kind is told apart" \
	test "$(bench_doc "$T_WORK/README.bench")" != "$bench_kinds"
maxstartups=$(sed -n 's/^SSHD_CONFIG_TOP="MaxStartups \([0-9:]*\)$/\1/p' tests/bench/bench-login)
t_match "tests/bench/bench-login sets sshd's MaxStartups" "$maxstartups" '^[0-9]+:[0-9]+:[0-9]+$'
t_match "README's Performance paragraph gives the bench's MaxStartups" \
	"$(awk '/^Performance:/ { on = 1 } on && /^$/ { exit } on' README | tr '\n' ' ')" \
	"MaxStartups is raised to ${maxstartups:-none}"

# The suite must be able to fail: a README with one code dropped is caught.
sed '/^  replay  /d' README >"$T_WORK/README"
dropped=$(awk '/^Reject codes/ { on = 1; next } on && /^$/ && seen { exit }
	on && /^  [a-z-]+ / { print $1; seen = 1 }' "$T_WORK/README" | sort | tr '\n' ' ')
t_check "a README missing a reject code is told apart" test "$dropped" != "$src_codes"
t_done
