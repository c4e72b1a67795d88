# tests/lib/kv.sh — key=value text, both ways: reading a field out of a program's output
# (the helper's `verify`, sts-probe, pamdrive's "env: NAME=value" lines, a session's probe)
# and writing a configuration file. Loaded by tests/lib/tap.sh; needs nothing else.
#
#   field KEY [TEXT]    the value of the first line "KEY=value" of TEXT (or of stdin);
#                       KEY is taken literally. Nothing, and status 0, when no line matches.
#   fields KEY [TEXT]   every such value, one per line, in order
#   conf_write FILE [LINE...]
#                       writes the LINEs ("key = value", comments) to FILE, then each line of
#                       the array CONF_DEFAULTS whose key none of the LINEs sets; mode
#                       $CONF_MODE (default 644), owned by the caller (root: the helper and
#                       the modules refuse anything else). FILE is replaced by rename, as an
#                       administrator's editor does, so a reader never sees half a file.
#   conf_new NAME [LINE...]
#                       conf_write $T_WORK/NAME.conf, and prints that path
#
# Multi-valued keys (ecs_clusters, policy_arns) work the same way: one LINE setting the key
# drops all of its default lines.

fields() {
	if [ $# -ge 2 ]; then
		awk -v k="$1=" 'index($0, k) == 1 { print substr($0, length(k) + 1) }' <<<"$2"
	else
		awk -v k="$1=" 'index($0, k) == 1 { print substr($0, length(k) + 1) }'
	fi
}

field() {
	fields "$@" | head -n 1
}

# conf_key LINE: the key a configuration line sets, or nothing for a comment or blank line.
conf_key() {
	[[ $1 =~ ^[[:space:]]*([a-z0-9_]+)[[:space:]]*= ]] && printf '%s' "${BASH_REMATCH[1]}"
}

conf_write() {
	local file=$1 line key tmp
	local -A given=()
	shift
	for line in "$@"; do
		key=$(conf_key "$line") && given[$key]=1
	done
	tmp=$(dirname "$file")/.$(basename "$file").$$
	{
		[ $# -eq 0 ] || printf '%s\n' "$@"
		for line in ${CONF_DEFAULTS[@]+"${CONF_DEFAULTS[@]}"}; do
			key=$(conf_key "$line") && [ -n "${given[$key]:-}" ] && continue
			printf '%s\n' "$line"
		done
	} >"$tmp" && chmod "${CONF_MODE:-644}" "$tmp" && mv -f "$tmp" "$file"
}

conf_new() {
	local f=$T_WORK/$1.conf
	shift
	conf_write "$f" "$@" && echo "$f"
}
