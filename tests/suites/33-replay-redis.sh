#!/bin/bash
# Suite 33: the replay cache on Redis (replay_cache = redis://, rediss://, redis+unix://),
# against a real redis-server started here on 127.0.0.1 with a private configuration and
# directory, stopped by PID. Two "bastions" are two configurations with their own state
# directories and one Redis: a Response used on one is refused on the other, over TCP with
# an ACL user and password, over the unix socket and over TLS with the test CA. Redis
# stopped, silent past its timeout, answering garbage, a wrong password, an unsafe password
# file, a CA that does not match: the consume fails closed with its code. 200 parallel
# consumes of one Response across both bastions: exactly one accepted.
#
# Ports: Redis 23301 (TCP) and 23302 (TLS), a silent listener 23303, a garbage one 23304,
# 23305 nothing listening. Runs under the e2e lock (fixed ports).
. "$(dirname "$0")/../lib/tap.sh"
. "$ECS_TOP/tests/redis/redis.sh"
# As root the helper validates in a child that becomes the sandbox account: it runs in a
# private mount namespace whose /etc/passwd and /etc/group hold it (tests/lib/nsroot.sh).
. "$ECS_TOP/tests/lib/nsroot.sh"

REDIS_PORT=23301
REDIS_TLS_PORT=23302
SILENT_PORT=23303
JUNK_PORT=23304
CLOSED_PORT=23305
H=$(ns_account_wrapper "$T_WORK/privsep" "$B/ecs-saml-helper")
KEYS=$T_WORK/idp

command -v redis-server >/dev/null || { t_fail "redis-server installed" "run tools/install-deps"; t_done; }
"$ECS_TOP/tests/lib/mint-response" --keys "$KEYS" --make-keys >/dev/null || { t_fail "IdP keys"; t_done; }
chmod 755 "$KEYS"
redis_setup "$REDIS_PORT" "$REDIS_TLS_PORT" || { t_fail "redis setup"; t_done; }
redis_start || { t_fail "redis-server starts"; t_done; }
t_ok "redis-server $(redis-server --version | grep -o 'v=[0-9.]*') started on 127.0.0.1:$REDIS_PORT, TLS $REDIS_TLS_PORT and a unix socket"

CONF_MODE=644
CONF_DEFAULTS=("idp_entity_id = https://idp.example.test/metadata"
	"idp_cert = $KEYS/idp-rsa2048.crt.pem")

# bastion NAME LINE...: a configuration with its own state_dir.
bastion() {
	local name=$1
	shift
	mkdir -p "$T_WORK/$name"
	conf_new "$name" "state_dir = $T_WORK/$name/state" "$@"
}
TCP=(replay_cache = "redis://127.0.0.1:$REDIS_PORT")
ACL=("redis_user = bastion" "redis_password_file = $REDIS_PW")
B1=$(bastion b1 "replay_cache = redis://127.0.0.1:$REDIS_PORT/0" "${ACL[@]}")
B2=$(bastion b2 "replay_cache = redis://localhost:$REDIS_PORT" "${ACL[@]}")
UNIX=$(bastion bu "replay_cache = redis+unix://$REDIS_SOCK" "redis_user = admin" \
	"redis_password_file = $T_WORK/secret/admin.pw")
(umask 077 && printf '%s\n' "$REDIS_ADMIN_PASS" >"$T_WORK/secret/admin.pw")
TLS=$(bastion bt "replay_cache = rediss://127.0.0.1:$REDIS_TLS_PORT" "${ACL[@]}" \
	"redis_ca_file = $REDIS_CA")
TLS_NAME=$(bastion btn "replay_cache = rediss://localhost:$REDIS_TLS_PORT" "${ACL[@]}" \
	"redis_ca_file = $REDIS_CA")

# consume CONF B64FILE [ARGS]: verify --consume; sets rc, out, err.
consume() {
	local conf=$1 in=$2
	shift 2
	out=$("$H" verify --config "$conf" --consume "$@" <"$in" 2>"$T_WORK/stderr")
	rc=$?
	err=$(cat "$T_WORK/stderr")
}
reject_code() { sed -n 's/^reject: \([a-z-]*\): .*/\1/p' <<<"$err" | head -1; }
error_code() { sed -n 's/^error: replay cache: code=\([a-z-]*\): .*/\1/p' <<<"$err" | head -1; }
n=0
fresh() {	# fresh: a new Response's file
	n=$((n + 1))
	"$ECS_TOP/tests/lib/mint-response" --keys "$KEYS" --user "alice" >"$T_WORK/r$n.b64" &&
		echo "$T_WORK/r$n.b64"
}
key_of() {	# key_of B64FILE: the Redis key of its assertion
	local aid iss
	aid=$("$H" verify --config "$B1" <"$1" 2>/dev/null | field assertion_id)
	iss=https://idp.example.test/metadata
	printf 'pam_ecs_saml:replay:%s' \
		"$({ printf '%s\0' "$iss"; printf '%s' "$aid"; } | sha256sum | cut -d' ' -f1)"
}

# --- two bastions, one Redis, TCP with an ACL user ------------------------------------
R=$(fresh)
consume "$B1" "$R"
t_eq "bastion 1 (TCP, ACL user): a fresh Response is accepted" "$rc $(field user "$out")" "0 alice"
consume "$B2" "$R"
t_eq "bastion 2 (TCP by host name): the same Response is a replay" "$rc $(reject_code)" "1 replay"
consume "$B1" "$R"
t_eq "bastion 1 again: replay" "$rc $(reject_code)" "1 replay"
K=$(key_of "$R")
t_match "Redis holds the key under the prefix, named by SHA-256(issuer NUL ID)" \
	"$(rcli exists "$K")" '^1$'
ttl=$(rcli pttl "$K")
t_check "its expiry is today's file entry's: at most max_assertion_age + clock_skew (480 s)" \
	test "$ttl" -gt 400000 -a "$ttl" -le 480000
t_match "its value names the bastion that used it" "$(rcli get "$K")" "^host=$(hostname | cut -c1-62) used=[0-9]+$"
t_check "no file entry in either state directory" \
	test ! -e "$T_WORK/b1/state/replay" -a ! -e "$T_WORK/b2/state/replay"

# --- unix socket, TLS ---------------------------------------------------------------
R=$(fresh)
consume "$UNIX" "$R"
t_eq "unix socket: a fresh Response is accepted" "$rc" 0
consume "$B2" "$R"
t_eq "unix socket, then TCP: replay" "$rc $(reject_code)" "1 replay"
R=$(fresh)
consume "$TLS" "$R"
t_eq "TLS (rediss://127.0.0.1, redis_ca_file = the test CA): accepted" "$rc" 0
consume "$UNIX" "$R"
t_eq "TLS, then the unix socket: replay" "$rc $(reject_code)" "1 replay"
R=$(fresh)
consume "$TLS_NAME" "$R"
t_eq "TLS by host name (rediss://localhost): accepted" "$rc" 0
WRONG_CA=$(bastion bw "replay_cache = rediss://127.0.0.1:$REDIS_TLS_PORT" "${ACL[@]}" \
	"redis_ca_file = $REDIS_OTHER_CA")
R=$(fresh)
consume "$WRONG_CA" "$R"
t_eq "TLS with a CA that did not sign Redis's certificate: refused, replay-cache-tls" \
	"$rc $(error_code)" "3 replay-cache-tls"
t_eq "  ... and nothing was recorded" "$(rcli exists "$(key_of "$R")")" 0
PLAIN_TO_TLS=$(bastion bp "replay_cache = redis://127.0.0.1:$REDIS_TLS_PORT" "${ACL[@]}")
consume "$PLAIN_TO_TLS" "$R"
t_check "redis:// to the TLS port: refused (not accepted)" test "$rc" -ne 0
t_match "  ... with a replay-cache code" "$(error_code)" '^replay-cache-(protocol|unreachable)$'

# --- credentials ---------------------------------------------------------------------
WRONG_PW=$(bastion bx "${TCP[*]}" "redis_user = bastion" "redis_password_file = $REDIS_BAD_PW")
consume "$WRONG_PW" "$R"
t_eq "wrong password: refused, replay-cache-auth" "$rc $(error_code)" "3 replay-cache-auth"
t_match "  ... the record quotes Redis's refusal, never the password" "$err" 'WRONGPASS'
grep -qF "$(cat "$REDIS_BAD_PW")" <<<"$err" && t_fail "  ... the password is not printed" || t_ok "  ... the password is not printed"
NO_PW=$(bastion bn "${TCP[*]}")
consume "$NO_PW" "$R"
t_eq "no password while Redis requires one (NOAUTH): replay-cache-auth" "$rc $(error_code)" "3 replay-cache-auth"
cp "$REDIS_PW" "$T_WORK/secret/loose.pw"
chmod 644 "$T_WORK/secret/loose.pw"
LOOSE=$(bastion bl "${TCP[*]}" "redis_user = bastion" "redis_password_file = $T_WORK/secret/loose.pw")
consume "$LOOSE" "$R"
t_eq "a password file readable by others: refused, replay-cache-password-file" \
	"$rc $(error_code)" "3 replay-cache-password-file"
MISSING=$(bastion bm "${TCP[*]}" "redis_user = bastion" "redis_password_file = $T_WORK/secret/none")
consume "$MISSING" "$R"
t_eq "a missing password file: replay-cache-password-file" "$rc $(error_code)" "3 replay-cache-password-file"
NOPERM=$(bastion bo "replay_cache = redis://127.0.0.1:$REDIS_PORT" "redis_user = bastion" \
	"redis_password_file = $REDIS_PW" "redis_key_prefix = other:")
consume "$NOPERM" "$R"
t_eq "an ACL user not allowed the key (NOPERM): replay-cache-auth" "$rc $(error_code)" "3 replay-cache-auth"
consume "$B1" "$R"
t_eq "after all these failures the Response is still unused" "$rc" 0

# --- Redis unavailable, slow, or no Redis --------------------------------------------
fake_redis_start "$SILENT_PORT" silent || t_fail "silent listener starts"
fake_redis_start "$JUNK_PORT" garbage || t_fail "garbage listener starts"
SLOW=$(bastion bs "replay_cache = redis://127.0.0.1:$SILENT_PORT" "redis_timeout_ms = 300")
R=$(fresh)
start=$(date +%s%N)
consume "$SLOW" "$R"
ms=$((($(date +%s%N) - start) / 1000000))
t_eq "a Redis that never answers: refused, replay-cache-timeout" "$rc $(error_code)" "3 replay-cache-timeout"
t_check "  ... after about redis_timeout_ms (300 ms; took $ms ms)" test "$ms" -ge 300 -a "$ms" -lt 3000
JUNK=$(bastion bj "replay_cache = redis://127.0.0.1:$JUNK_PORT")
consume "$JUNK" "$R"
t_eq "a server answering garbage: refused, replay-cache-protocol" "$rc $(error_code)" "3 replay-cache-protocol"
CLOSED=$(bastion bc "replay_cache = redis://127.0.0.1:$CLOSED_PORT")
consume "$CLOSED" "$R"
t_eq "nothing listening: refused, replay-cache-unreachable" "$rc $(error_code)" "3 replay-cache-unreachable"

# --- 200 parallel consumes of one Response across both bastions ----------------------
RACE1=$(bastion r1 "replay_cache = redis://127.0.0.1:$REDIS_PORT" "${ACL[@]}" \
	"redis_connect_timeout_ms = 30000" "redis_timeout_ms = 30000")
RACE2=$(bastion r2 "replay_cache = redis+unix://$REDIS_SOCK" "redis_user = bastion" \
	"redis_password_file = $REDIS_PW" "redis_connect_timeout_ms = 30000" "redis_timeout_ms = 30000")
R=$(fresh)
pids=()
for i in $(seq 1 200); do
	conf=$RACE1
	[ $((i % 2)) -eq 0 ] && conf=$RACE2
	"$H" verify --config "$conf" --consume <"$R" >/dev/null 2>"$T_WORK/race.$i" &
	pids+=($!)
done
wins=0 replays=0 others=0
for i in "${!pids[@]}"; do
	if wait "${pids[$i]}"; then
		wins=$((wins + 1))
	elif grep -q '^reject: replay: ' "$T_WORK/race.$((i + 1))"; then
		replays=$((replays + 1))
	else
		others=$((others + 1))
		[ $others -eq 1 ] && echo "# race failure: $(cat "$T_WORK/race.$((i + 1))")"
	fi
done
t_eq "200 parallel consumes on two bastions (TCP and unix socket): exactly one accepted" \
	"$wins $replays $others" "1 199 0"

# --- Redis stopped -------------------------------------------------------------------
redis_stop
R=$(fresh)
consume "$B1" "$R"
t_eq "Redis stopped: refused, replay-cache-unreachable" "$rc $(error_code)" "3 replay-cache-unreachable"
t_match "  ... saying where" "$err" "redis://127.0.0.1:$REDIS_PORT"
consume "$UNIX" "$R"
t_eq "Redis stopped, unix socket: replay-cache-unreachable" "$rc $(error_code)" "3 replay-cache-unreachable"

# --- configuration -------------------------------------------------------------------
badconf() {	# badconf NAME WANT-ERE LINE...
	local name=$1 want=$2 c
	shift 2
	c=$(bastion "bad$RANDOM" "$@")
	out=$("$H" verify --config "$c" <"$R" 2>&1)
	rc=$?
	if [ $rc -eq 2 ] && grep -qE -- "$want" <<<"$out"; then t_ok "config: $name"; else
		t_fail "config: $name" "rc $rc: $out"; fi
}
badconf "credentials in the URL are refused" "credentials do not go in the URL" \
	"replay_cache = redis://bastion:secret@127.0.0.1:$REDIS_PORT"
badconf "an unknown scheme" "neither 'file' nor a redis://" "replay_cache = http://127.0.0.1:$REDIS_PORT"
badconf "a port out of range" "port" "replay_cache = redis://cache.example:99999"
badconf "a database that is no number" "database" "replay_cache = redis://127.0.0.1:$REDIS_PORT/x"
badconf "a relative socket path" "absolute socket path" "replay_cache = redis+unix://redis.sock"
badconf "redis_ca_file without rediss://" "redis_ca_file.*rediss://" "${TCP[*]}" \
	"redis_ca_file = $REDIS_CA"
badconf "redis_user without redis_password_file" "redis_user.*needs.*redis_password_file" \
	"${TCP[*]}" "redis_user = bastion"
badconf "redis_* keys with the file cache" "replay_cache is 'file'" "redis_user = bastion" \
	"redis_password_file = $REDIS_PW"
badconf "redis_timeout_ms out of range" "redis_timeout_ms.*out of range" "${TCP[*]}" "redis_timeout_ms = 5"
t_done
