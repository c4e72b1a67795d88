#!/usr/bin/python3
"""syslog_capture — bind a datagram socket at PATH (normally /dev/log when no syslog daemon
runs) and append every message it receives, one per line, to OUT. Tests read OUT to check
what the module and the helper log (and that no secret is among it).

    syslog_capture.py PATH OUT READY_FILE
"""
import os
import socket
import sys

path, out, ready = sys.argv[1:4]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
os.chmod(path, 0o666)
open(ready, "w").close()
with open(out, "ab", buffering=0) as f:
	while True:
		msg = s.recv(65536)
		f.write(msg.replace(b"\n", b"\\n") + b"\n")
