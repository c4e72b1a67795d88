#!/usr/bin/python3
"""fake_redis.py — a listener on 127.0.0.1 that is not a working Redis, for the replay cache's
failure paths (suite 33, bench-replay):

  fake_redis.py --port N --mode silent READY   accepts, reads, never answers (timeouts)
  fake_redis.py --port N --mode garbage READY  answers every command with bytes that are no RESP

READY is a file created once the socket listens. Runs until killed.
"""
import argparse
import socket
import threading


def serve(conn, mode):
	with conn:
		try:
			while conn.recv(4096):
				if mode == "garbage":
					conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")
		except OSError:
			pass


def main():
	ap = argparse.ArgumentParser()
	ap.add_argument("--port", type=int, required=True)
	ap.add_argument("--mode", choices=("silent", "garbage"), required=True)
	ap.add_argument("ready")
	a = ap.parse_args()
	s = socket.socket()
	s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
	s.bind(("127.0.0.1", a.port))
	s.listen(64)
	open(a.ready, "w").close()
	while True:
		conn, _ = s.accept()
		threading.Thread(target=serve, args=(conn, a.mode), daemon=True).start()


if __name__ == "__main__":
	main()
