#!/usr/bin/python3
"""kbd_login.py — a library SSH client (paramiko) logging in to pam_ecs_saml with the whole
SAML Response as one keyboard-interactive answer, or chunked as ecs-saml-ssh does.

  kbd_login.py --port P --user U --response FILE [--cmd CMD] [--hold SECONDS] [--role N]
               [--send whole|chunked|deflated|inline|packed] [--stream FILE]

--send chunked answers with protocol v1's header and 1000-character chunks; --send deflated
does the same with the Response raw-DEFLATEd by Python's zlib (" encoding=deflate"), so the
bastion's inflater meets a stream from another encoder than ecs-saml-ssh's; --send inline
also puts the first characters into the header answer (" inline=K ", as many as keep it
within ssh's 1023 bytes), and prints "kbd-header: length=L inline=K chunks=N" on stderr.
--send packed is inline with " encoding=packed1": Python's zlib with packed1's preset
dictionary (read from libecs/ecs_pack_dict.c and checked against its pinned SHA-256), the
stream's bytes escaped as libecs/ecs_pack.h says, written here again from that text, so the
bastion meets bytes from another encoder than ecs-saml-ssh's. It refuses to send unless the
RESPONSE prompt offers packed1.
--stream FILE sends FILE's bytes as the deflated stream, whatever they are (a decompression
bomb); with --send packed, FILE's bytes go as the packed characters, unescaped.
The number of keyboard-interactive rounds with a prompt (one network round trip each; the
round without a prompt that sshd adds once PAM is done is not counted) goes to stderr as
"kbd-int rounds: N".

Prints every prompt and instruction the server sent (prefixed "server: ") on stderr, then
runs CMD and copies its output. --hold keeps the session open that long after CMD's output
started, so a test can kill this process and drop the TCP connection mid-session.
Exit: CMD's status, or 5 when authentication failed.
"""
import argparse
import ast
import base64
import hashlib
import os
import sys
import time
import zlib

import paramiko


DICT1_SHA256 = "f822b1413400f99893b7ded9f247f0824a9ad8493be11e81758676567ddbd3f3"
OFFER_PACKED1 = "(ecs-saml-ssh: this bastion takes encoding=packed1.)"


def dict1():
	"""packed1's preset dictionary, from the C source's string literals."""
	src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "libecs",
			   "ecs_pack_dict.c")
	with open(src) as f:
		body = f.read().split("ecs_pack_dict1[] =", 1)[1].split(";", 1)[0]
	d = "".join(ast.literal_eval(line.strip()) for line in body.splitlines() if line.strip())
	d = d.encode()
	if hashlib.sha256(d).hexdigest() != DICT1_SHA256:
		raise SystemExit("kbd_login.py: cannot read packed1's dictionary from " + src)
	return d


def escape(raw):
	"""The byte alphabet: NUL, LF, CR and 0x01 as 0x01 then the byte XOR 0x40."""
	out = bytearray()
	for c in raw:
		out += bytes((1, c ^ 0x40)) if c in (0, 10, 13, 1) else bytes((c,))
	return bytes(out)


def main():
	ap = argparse.ArgumentParser()
	ap.add_argument("--port", type=int, required=True)
	ap.add_argument("--user", required=True)
	ap.add_argument("--response", required=True)
	ap.add_argument("--cmd", default="true")
	ap.add_argument("--hold", type=float, default=0)
	ap.add_argument("--role")
	ap.add_argument("--send", choices=("whole", "chunked", "deflated", "inline", "packed"),
			default="whole")
	ap.add_argument("--stream")
	a = ap.parse_args()
	with open(a.response) as f:
		response = f.read().strip()
	first = response
	chunks = []
	if a.send != "whole":
		b64 = "".join(response.split())
		field = ""
		if a.send == "packed":
			if a.stream:
				with open(a.stream, "rb") as f:
					raw = f.read()
			else:
				z = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, dict1())
				raw = escape(z.compress(base64.b64decode(b64)) + z.flush())
			# bytes from here on: paramiko sends an answer given as bytes as it is
			b64 = raw
			field = " encoding=packed1"
		elif a.stream:
			with open(a.stream, "rb") as f:
				b64 = base64.b64encode(f.read()).decode()
			field = " encoding=deflate"
		elif a.send in ("deflated", "inline"):
			z = zlib.compressobj(9, zlib.DEFLATED, -15)
			raw = z.compress(base64.b64decode(b64)) + z.flush()
			b64 = base64.b64encode(raw).decode()
			field = " encoding=deflate"
		if isinstance(b64, str):
			b64 = b64.encode()
		digest = hashlib.sha256(b64).hexdigest()

		def header(k):
			n = (len(b64) - k + 999) // 1000
			text = "ecs-saml/1 chunks=%d length=%d sha256=%s%s" % (n, len(b64), digest, field)
			return text.encode() + (b" inline=%d %s" % (k, b64[:k]) if k else b"")
		k = 0
		if a.send in ("inline", "packed"):
			k = min(len(b64), 1023)
			while len(header(k)) > 1023:
				k -= 1
			print("kbd-header: length=%d inline=%d chunks=%d"
			      % (len(b64), k, (len(b64) - k + 999) // 1000), file=sys.stderr)
		first = header(k)
		chunks = [b64[i:i + 1000] for i in range(k, len(b64), 1000)]
	rounds = [0]

	def handler(title, instructions, prompts):
		rounds[0] += 1 if prompts else 0
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
				if a.send == "packed" and OFFER_PACKED1 + "\n" not in prompt:
					print("kbd_login.py: the bastion does not offer packed1",
					      file=sys.stderr)
					answers.append("")
					continue
				answers.append(first)
			elif last.startswith("SAML chunk ") and chunks:
				i = int(last.split()[2].split("/")[0])
				answers.append(chunks[i - 1] if i <= len(chunks) else "")
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
		print("kbd-int rounds: %d" % rounds[0], file=sys.stderr)
		print("auth failed: %s" % e, file=sys.stderr)
		t.close()
		return 5
	print("kbd-int rounds: %d" % rounds[0], file=sys.stderr)
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
