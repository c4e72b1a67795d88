#!/usr/bin/python3
"""tests/lib/fake_idp.py — suite 59's fake IdP and "AWS sign-in" stand-in, both over TLS on
127.0.0.1 with the suite's test certificate.

The IdP (--idp-port) plays a sign-in the way a browser meets one, with no human:
  GET  /sso/NAME    a login form whose script fills in a user name and password and submits
                    it as soon as the page has loaded;
  POST /login/NAME  the IdP "checks" them and answers with the SAML POST binding page: a form
                    with SAMLResponse = the contents of DIR/NAME.b64, action
                    https://signin.aws.amazon.com/saml, submitted by script on load.
  NAME "never"      the login page never submits (a sign-in that never completes);
  NAME "notsaml"    the page posts a form without SAMLResponse to the AWS sign-in URL.
The browser reaches signin.aws.amazon.com through --host-resolver-rules at --aws-port, where
this stand-in records every request it gets (it must never get one: ecs-saml-ssh answers the
POST inside the browser). Every request to either port is one JSON line in --log.
"""
import argparse
import html
import json
import os
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOGIN = """<!doctype html><title>Fake IdP</title>
<form id="f" method="POST" action="/login/{name}">
<input name="username"><input name="password" type="password"></form>
<script>
window.addEventListener("load", function () {{
  var f = document.getElementById("f");
  f.username.value = "alice"; f.password.value = "correct horse";
  {submit}
}});
</script>"""

BINDING = """<!doctype html><title>Signing in to AWS</title>
<form id="s" method="POST" action="https://signin.aws.amazon.com/saml">
{fields}</form>
<script>window.addEventListener("load", function () {{ document.getElementById("s").submit(); }});</script>"""


def field(name, value):
    return '<input type="hidden" name="%s" value="%s">\n' % (name, html.escape(value, quote=True))


def make_handler(args, log_lock, role):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def record(self, body=b""):
            with log_lock, open(args.log, "a") as f:
                f.write(json.dumps({"server": role, "method": self.command, "path": self.path,
                                    "host": self.headers.get("Host", ""),
                                    "body_bytes": len(body)}) + "\n")

        def reply(self, code, text):
            data = text.encode()
            self.send_response(code)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def body(self):
            n = int(self.headers.get("Content-Length", "0") or "0")
            return self.rfile.read(n) if n > 0 else b""

        def do_GET(self):
            self.record()
            if role == "aws":
                return self.reply(200, "the AWS stand-in was reached")
            name = self.path.rsplit("/", 1)[-1]
            if not self.path.startswith("/sso/") or not name.isalnum():
                return self.reply(404, "no such page")
            submit = "" if name == "never" else "f.submit();"
            self.reply(200, LOGIN.format(name=name, submit=submit))

        def do_POST(self):
            data = self.body()
            self.record(data)
            if role == "aws":
                return self.reply(200, "the AWS stand-in was reached")
            name = self.path.rsplit("/", 1)[-1]
            if not self.path.startswith("/login/") or not name.isalnum():
                return self.reply(404, "no such page")
            if name == "notsaml":
                fields = field("username", "alice") + field("password", "correct horse")
            else:
                try:
                    with open(os.path.join(args.dir, name + ".b64")) as f:
                        response = f.read().strip()
                except OSError:
                    return self.reply(404, "no Response for " + name)
                fields = field("SAMLResponse", response) + field("RelayState", "")
            self.reply(200, BINDING.format(fields=fields))

    return Handler


def serve(port, handler, ctx):
    srv = ThreadingHTTPServer(("127.0.0.1", port), handler)
    srv.daemon_threads = True
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    return srv


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--idp-port", type=int, required=True)
    ap.add_argument("--aws-port", type=int, required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--dir", required=True, help="NAME.b64 Responses")
    ap.add_argument("--log", required=True)
    ap.add_argument("--ready", required=True)
    args = ap.parse_args()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    lock = threading.Lock()
    servers = [serve(args.idp_port, make_handler(args, lock, "idp"), ctx),
               serve(args.aws_port, make_handler(args, lock, "aws"), ctx)]
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in servers]
    for t in threads:
        t.start()
    with open(args.ready, "w") as f:
        f.write("ready\n")
    try:
        threads[0].join()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
