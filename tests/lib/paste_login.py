#!/usr/bin/python3
"""paste_login.py — a human at a terminal: stock OpenSSH `ssh` in a pseudo-terminal, the
SAML Response pasted as `base64 -w 76` lines, one per prompt, then an empty line (the
protocol's paste mode, DESIGN.md's case (c)).

  paste_login.py --port P --user U --response FILE --known-hosts FILE --cmd CMD [--whole]

--whole pastes the entire Response into the first prompt instead, as a user who does not
know about the 1023-byte limit would (ssh cuts it). Everything the terminal showed is
copied to stdout. Exit: ssh's status, or 6 when a prompt never came.
"""
import argparse
import re
import sys

sys.dont_write_bytecode = True	# keep the source tree clean
import ptytalk  # noqa: E402

TIMEOUT = 20
PROMPT = re.compile(rb"\[ecs-saml/1\][^\n]*: $")


def main():
	ap = argparse.ArgumentParser()
	ap.add_argument("--port", type=int, required=True)
	ap.add_argument("--user", required=True)
	ap.add_argument("--response", required=True)
	ap.add_argument("--cmd", default="true")
	ap.add_argument("--whole", action="store_true")
	ap.add_argument("--known-hosts", required=True, help="known_hosts file pinning the host key")
	a = ap.parse_args()
	with open(a.response) as f:
		b64 = "".join(f.read().split())
	lines = [b64[i:i + 76] for i in range(0, len(b64), 76)]

	state = {"pos": 0, "sent": 0}

	def answer(seen):
		# Answer each new prompt as it appears at the end of the output.
		if not PROMPT.search(seen[state["pos"]:]):
			return None
		state["pos"] = len(seen)
		n = state["sent"]
		state["sent"] += 1
		if a.whole:
			text = b64 if n == 0 else ""
		else:
			text = lines[n] if n < len(lines) else ""
		return text.encode() + b"\r"

	seen, status = ptytalk.converse(
		["/usr/bin/ssh", "-p", str(a.port), "-o", "StrictHostKeyChecking=yes",
		 "-o", "UserKnownHostsFile=" + a.known_hosts, "-o", "GlobalKnownHostsFile=/dev/null",
		 "-o", "LogLevel=INFO", "-o", "PreferredAuthentications=keyboard-interactive",
		 "-o", "NumberOfPasswordPrompts=1", "%s@127.0.0.1" % a.user, a.cmd],
		answer, TIMEOUT)
	sys.stdout.buffer.write(seen)
	if state["sent"] == 0 or status is None:
		return 6
	return status


if __name__ == "__main__":
	sys.exit(main())
