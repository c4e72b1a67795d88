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
import os
import pty
import re
import select
import sys
import time

TIMEOUT = 20


def write_all(fd, data):
	"""Type data into the terminal, as a terminal emulator delivers a paste: all of it."""
	while data:
		n = os.write(fd, data[:1024])
		data = data[n:]


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

	pid, fd = pty.fork()
	if pid == 0:
		os.execv("/usr/bin/ssh", ["ssh", "-p", str(a.port), "-o", "StrictHostKeyChecking=yes",
			 "-o", "UserKnownHostsFile=" + a.known_hosts, "-o", "GlobalKnownHostsFile=/dev/null", "-o", "LogLevel=INFO",
			 "-o", "PreferredAuthentications=keyboard-interactive",
			 "-o", "NumberOfPasswordPrompts=1",
			 "%s@127.0.0.1" % a.user, a.cmd])
	seen = b""
	pos = 0
	sent = 0
	deadline = time.time() + TIMEOUT
	prompt = re.compile(rb"\[ecs-saml/1\][^\n]*: $")
	while time.time() < deadline:
		r, _, _ = select.select([fd], [], [], 0.5)
		if not r:
			continue
		try:
			data = os.read(fd, 65536)
		except OSError:
			break
		if not data:
			break
		seen += data
		# Answer each new prompt as it appears at the end of the output.
		if prompt.search(seen[pos:]):
			pos = len(seen)
			if a.whole:
				answer = b64 if sent == 0 else ""
			else:
				answer = lines[sent] if sent < len(lines) else ""
			sent += 1
			write_all(fd, answer.encode() + b"\r")
	sys.stdout.buffer.write(seen)
	_, st = os.waitpid(pid, 0)
	if sent == 0:
		return 6
	return os.waitstatus_to_exitcode(st)


if __name__ == "__main__":
	sys.exit(main())
