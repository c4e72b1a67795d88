#!/usr/bin/python3
"""syslog_capture — bind a datagram socket at PATH (normally /dev/log when no syslog daemon
runs) and append every message it receives, one per line, to OUT. Tests read OUT to check
what the module and the helper log (and that no secret is among it).

    syslog_capture.py PATH OUT READY_FILE

A socket left at PATH by a run that was killed before its cleanup is refused connections:
it is taken over. A socket something still reads, or anything that is not a socket, is
left alone and the capture exits 1 with why, since taking it would steal a daemon's logs.
"""
import errno
import os
import socket
import stat
import sys

path, out, ready = sys.argv[1:4]
try:
	st = os.lstat(path)
except FileNotFoundError:
	st = None
if st is not None:
	if not stat.S_ISSOCK(st.st_mode):
		sys.exit(f"syslog_capture: {path} exists and is not a socket: left alone")
	probe = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
	try:
		probe.connect(path)
		sys.exit(f"syslog_capture: {path} is read by a running syslog daemon: left alone")
	except OSError as e:
		if e.errno != errno.ECONNREFUSED:
			sys.exit(f"syslog_capture: {path}: {e.strerror}: left alone")
	finally:
		probe.close()
	os.unlink(path)	# nobody reads it: a killed run's leftover
	print(f"# syslog_capture: took over {path}, left by an earlier run nobody reads", file=sys.stderr)
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
os.chmod(path, 0o666)
open(ready, "w").close()
with open(out, "ab", buffering=0) as f:
	while True:
		msg = s.recv(65536)
		f.write(msg.replace(b"\n", b"\\n") + b"\n")
