#!/usr/bin/python3
"""kbd_login.py — a library SSH client (paramiko) logging in to pam_ecs_saml with the whole
SAML Response as one keyboard-interactive answer.

  kbd_login.py --port P --user U --response FILE [--cmd CMD] [--hold SECONDS] [--role N]

Prints every prompt and instruction the server sent (prefixed "server: ") on stderr, then
runs CMD and copies its output. --hold keeps the session open that long after CMD's output
started, so a test can kill this process and drop the TCP connection mid-session.
Exit: CMD's status, or 5 when authentication failed.
"""
import argparse
import sys
import time

import paramiko


def main():
	ap = argparse.ArgumentParser()
	ap.add_argument("--port", type=int, required=True)
	ap.add_argument("--user", required=True)
	ap.add_argument("--response", required=True)
	ap.add_argument("--cmd", default="true")
	ap.add_argument("--hold", type=float, default=0)
	ap.add_argument("--role")
	a = ap.parse_args()
	with open(a.response) as f:
		response = f.read().strip()

	def handler(title, instructions, prompts):
		for text in (title, instructions):
			if text:
				print("server: " + text, file=sys.stderr)
		answers = []
		for prompt, _echo in prompts:
			print("server: " + prompt, file=sys.stderr)
			last = prompt.rsplit("\n", 1)[-1]
			if last.startswith("Role number [ecs-saml/1 role]"):
				answers.append(a.role or "")
			elif last.startswith("SAML response [ecs-saml/1]"):
				answers.append(response)
			else:
				# Anything else (a paste-line prompt: the Response did not arrive
				# whole) gets nothing: never the Response twice.
				answers.append("")
		return answers

	t = paramiko.Transport(("127.0.0.1", a.port))
	t.start_client(timeout=10)
	try:
		t.auth_interactive(a.user, handler)
	except paramiko.AuthenticationException as e:
		print("auth failed: %s" % e, file=sys.stderr)
		t.close()
		return 5
	ch = t.open_session()
	ch.exec_command(a.cmd)
	out = b""
	while True:
		data = ch.recv(65536)
		if not data:
			break
		out += data
		sys.stdout.buffer.write(data)
		sys.stdout.flush()
		if a.hold:
			time.sleep(a.hold)
			a.hold = 0
	rc = ch.recv_exit_status()
	t.close()
	return rc


if __name__ == "__main__":
	sys.exit(main())
