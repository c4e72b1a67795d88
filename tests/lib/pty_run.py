#!/usr/bin/python3
"""pty_run.py — run a command in a pseudo-terminal as a person would: wait until the output
shows EXPECT, type INPUT, and copy everything the terminal showed to stdout.

  pty_run.py --expect REGEX --input TEXT [--timeout S] -- COMMAND [ARGS...]

INPUT takes backslash escapes (\\n for Enter). Exit: the command's status, or 6 when EXPECT
never showed up.
"""
import argparse
import re
import sys

sys.dont_write_bytecode = True	# keep the source tree clean
import ptytalk  # noqa: E402


def main():
	ap = argparse.ArgumentParser()
	ap.add_argument("--expect", required=True)
	ap.add_argument("--input", required=True)
	ap.add_argument("--timeout", type=float, default=30)
	ap.add_argument("cmd", nargs=argparse.REMAINDER)
	a = ap.parse_args()
	cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
	expect = re.compile(a.expect.encode())
	text = a.input.encode().decode("unicode_escape").encode()
	typed = []

	def answer(seen):
		if typed or not expect.search(seen):
			return None
		typed.append(True)
		return text

	seen, status = ptytalk.converse(cmd, answer, a.timeout)
	sys.stdout.buffer.write(seen)
	if not typed or status is None:
		return 6
	return status


if __name__ == "__main__":
	sys.exit(main())
