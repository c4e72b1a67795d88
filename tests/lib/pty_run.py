#!/usr/bin/python3
"""pty_run.py — run a command in a pseudo-terminal as a person would: wait until the output
shows EXPECT, type INPUT, and copy everything the terminal showed to stdout.

  pty_run.py --expect REGEX --input TEXT [--timeout S] -- COMMAND [ARGS...]

Exit: the command's status, or 6 when EXPECT never showed up.
"""
import argparse
import os
import pty
import re
import select
import sys
import time


def main():
	ap = argparse.ArgumentParser()
	ap.add_argument("--expect", required=True)
	ap.add_argument("--input", required=True)
	ap.add_argument("--timeout", type=float, default=30)
	ap.add_argument("cmd", nargs=argparse.REMAINDER)
	a = ap.parse_args()
	cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd

	pid, fd = pty.fork()
	if pid == 0:
		os.execvp(cmd[0], cmd)
	seen = b""
	typed = False
	expect = re.compile(a.expect.encode())
	deadline = time.time() + a.timeout
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
		if not typed and expect.search(seen):
			os.write(fd, a.input.encode().decode("unicode_escape").encode())
			typed = True
	sys.stdout.buffer.write(seen)
	try:
		_, st = os.waitpid(pid, 0)
	except ChildProcessError:
		return 6
	if not typed:
		return 6
	return os.waitstatus_to_exitcode(st)


if __name__ == "__main__":
	sys.exit(main())
