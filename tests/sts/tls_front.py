#!/usr/bin/python3
"""tls_front.py — a TLS-terminating TCP forwarder for tests (stdlib only).

    tls_front.py --port P --to PORT --cert server.pem --key server.key [--ready FILE]

Accepts TLS on 127.0.0.1:P and relays the bytes, both ways, to plain 127.0.0.1:PORT. It lets
an HTTPS-only client (ours: https:// is a product rule) talk to a plain-HTTP peer such as
moto_server, without any test-only switch in the client.
"""
import argparse
import os
import socket
import ssl
import sys
import threading

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--to", type=int, required=True)
ap.add_argument("--cert", required=True)
ap.add_argument("--key", required=True)
ap.add_argument("--ready")
args = ap.parse_args()


def pump(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(conn, ctx):
    try:
        tls = ctx.wrap_socket(conn, server_side=True)
        back = socket.create_connection(("127.0.0.1", args.to), timeout=30)
    except OSError:
        conn.close()
        return
    back.settimeout(None)
    t = threading.Thread(target=pump, args=(back, tls), daemon=True)
    t.start()
    pump(tls, back)
    t.join(timeout=30)
    tls.close()
    back.close()


def main():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind(("127.0.0.1", args.port))
    lsock.listen(64)
    if args.ready:
        with open(args.ready, "w") as f:
            f.write("%d\n" % os.getpid())
    while True:
        conn, _ = lsock.accept()
        conn.settimeout(30)
        threading.Thread(target=serve, args=(conn, ctx), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
