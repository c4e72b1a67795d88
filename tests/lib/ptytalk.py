"""ptytalk.py — a program in a pseudo-terminal, driven as a person at a terminal drives it:
read what it shows, type an answer when something appears. The one pty loop of the test kit,
imported by paste_login.py (stock ssh, a Response pasted line by line) and pty_run.py (type
one line once a pattern shows).

  seen, status = ptytalk.converse(argv, answer, timeout)

runs argv in a new pty and reads its output until it closes or timeout seconds pass (then
the program is killed: a hung login fails the test instead of hanging it). After each read,
answer(seen) is called with everything shown so far; it returns the bytes to type (all of
them are delivered, as a terminal emulator delivers a paste) or None. status is the
program's exit code (os.waitstatus_to_exitcode: negative for a signal), or None when it
could not be collected.
"""
import os
import pty
import select
import signal
import time


def type_all(fd, data):
	"""Type data into the terminal, all of it, in pieces a pty takes."""
	while data:
		n = os.write(fd, data[:1024])
		data = data[n:]


def converse(argv, answer, timeout):
	pid, fd = pty.fork()
	if pid == 0:
		try:
			os.execvp(argv[0], argv)
		finally:
			os._exit(127)
	seen = b""
	deadline = time.time() + timeout
	while True:
		if time.time() >= deadline:
			os.kill(pid, signal.SIGKILL)
			break
		r, _, _ = select.select([fd], [], [], 0.5)
		if not r:
			continue
		try:
			data = os.read(fd, 65536)
		except OSError:
			break	# EIO: the program closed the terminal
		if not data:
			break
		seen += data
		typed = answer(seen)
		if typed:
			type_all(fd, typed)
	try:
		_, st = os.waitpid(pid, 0)
		status = os.waitstatus_to_exitcode(st)
	except ChildProcessError:
		status = None
	os.close(fd)
	return seen, status
