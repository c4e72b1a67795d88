#!/bin/bash
# Suite 06: the documents say what the code does (no servers, no ports). The README's reject
# codes and exit statuses are the helper's, every repository path that README and HACKING
# name exists, the README's source tree names every product folder, and no document sends a
# reader to a file the repository does not have.
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

# The suite must be able to fail: a README with one code dropped is caught.
sed '/^  replay  /d' README >"$T_WORK/README"
dropped=$(awk '/^Reject codes/ { on = 1; next } on && /^$/ && seen { exit }
	on && /^  [a-z-]+ / { print $1; seen = 1 }' "$T_WORK/README" | sort | tr '\n' ' ')
t_check "a README missing a reject code is told apart" test "$dropped" != "$src_codes"
t_done
