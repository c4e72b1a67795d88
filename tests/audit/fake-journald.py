#!/usr/bin/python3
"""tests/audit/fake-journald.py — journald's native socket for suite 35: binds a datagram
socket at PATH (inside the suite's namespace /run/systemd/journal/socket is PATH) and appends
every entry it receives, its fields decoded from the native protocol (KEY=value lines, and
KEY\\n<64-bit little-endian length><bytes>\\n for values with a newline or binary), as one
JSON object per line to OUT. With --stuck it never reads: a journald that hangs.

    fake-journald.py PATH OUT READY_FILE [--stuck]
"""
import json
import os
import signal
import socket
import struct
import sys


def fields(msg):
    out, i = {}, 0
    while i < len(msg):
        nl = msg.index(b"\n", i)
        line = msg[i:nl]
        if b"=" in line:
            k, v = line.split(b"=", 1)
            i = nl + 1
        else:
            k = line
            (n,) = struct.unpack("<Q", msg[nl + 1:nl + 9])
            v = msg[nl + 9:nl + 9 + n]
            i = nl + 9 + n + 1
        out[k.decode()] = v.decode("utf-8", "replace")
    return out


path, out, ready = sys.argv[1:4]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
os.chmod(path, 0o666)
open(ready, "w").close()
if "--stuck" in sys.argv:
    signal.pause()
with open(out, "a", buffering=1) as f:
    while True:
        f.write(json.dumps(fields(s.recv(1 << 20))) + "\n")
