#!/usr/bin/python3
"""A stand-in for the helper server's socket (suite 54, doctor's server check).

fake_helper_server.py KIND SOCKET READY: bind SOCKET, then
  root    listen as root and close every connection,
  nobody  become uid/gid 65534 and listen (the kernel reports the listener's uid),
  stale   exit without listening (a socket nobody answers on),
and write to the file READY once that is so (opened before the uid changes: uid 65534 may
not create a file beside the socket).
"""
import os
import socket
import sys

kind, path, ready = sys.argv[1:4]
mark = open(ready, "w")
s = socket.socket(socket.AF_UNIX)
s.bind(path)
if kind == "stale":
    s.close()
    mark.write("ready\n")
    sys.exit(0)
if kind == "nobody":
    os.setgid(65534)
    os.setuid(65534)
s.listen(4)
mark.write("ready\n")
mark.close()
while True:
    c, _ = s.accept()
    c.close()
