#!/usr/bin/python3
"""A loopback HTTPS stand-in for AWS STS, for tests only (Python stdlib only).

    fake_sts.py --port P --cert server.pem --key server.key --log requests.jsonl
                [--script ITEM,ITEM,...] [--state issued.json] [--account 123456789012]
                [--ready FILE]

It speaks AWS's Query protocol as botocore's STS model describes it:

  AssumeRoleWithSAML  unsigned form POST; answers AssumeRoleWithSAMLResponse XML with fresh
                      ASIA... credentials for arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION,
                      SESSION being the assertion's RoleSessionName attribute (the assertion
                      is parsed, NOT signature-checked: this is not AWS), or an ErrorResponse.
  GetCallerIdentity   SigV4-signed POST (awscli); the signature is recomputed with the secret
                      this stand-in issued and the session token must match, else 403.

Every reply carries x-amzn-RequestId. Each request is appended to --log as one JSON line:
the parameters STS would see, with the assertion replaced by its SHA-256 and length.

--script picks the answer to each AssumeRoleWithSAML request in turn (the last item repeats):
  ok                  success
  CODE                that STS error (ExpiredTokenException, AccessDenied, Throttling, ...)
                      with AWS's HTTP status and message
  http500             a bare 500 with an InternalFailure document
  slow=SECONDS        wait, then succeed (past a client's budget)
  maxdur=N            ValidationError when DurationSeconds > N, else success
  malformed           200 with a body that is not XML
  huge                200 with a 10 MB body
  redirect            307 to a plain-http URL

Binds 127.0.0.1 only. TLS is negotiated per connection in the serving thread, so a client
that connects and stays silent never blocks the others.
"""
import argparse
import base64
import binascii
import datetime
import hashlib
import hmac
import http.server
import json
import os
import secrets
import socket
import ssl
import string
import sys
import threading
import time
import urllib.parse
import uuid
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

NS = "https://sts.amazonaws.com/doc/2011-06-15/"
SAML_ATTR = "https://aws.amazon.com/SAML/Attributes/RoleSessionName"
SAML_NS = "urn:oasis:names:tc:SAML:2.0:assertion"

# code -> (HTTP status, Type, Message) as STS sends them
ERRORS = {
    "IDPRejectedClaim": (403, "Sender", "The identity provider rejected the claim."),
    "InvalidIdentityToken": (400, "Sender", "Response signature invalid"),
    "ExpiredTokenException": (400, "Sender",
                              "Token must be redeemed within 5 minutes of issuance"),
    "MalformedPolicyDocument": (400, "Sender", "The policy is not in the valid JSON format."),
    "PackedPolicyTooLarge": (400, "Sender",
                             "Packed size of the session policy and tags exceeds the limit"),
    "RegionDisabledException": (403, "Sender",
                                "STS is not activated in this region for account:123456789012"),
    "AccessDenied": (403, "Sender", "Not authorized to perform sts:AssumeRoleWithSAML"),
    "ValidationError": (400, "Sender",
                        "The requested DurationSeconds exceeds the MaxSessionDuration set for "
                        "this role."),
    "Throttling": (400, "Sender", "Rate exceeded"),
    "InternalFailure": (500, "Receiver", "An internal error occurred."),
    "ServiceUnavailable": (503, "Receiver", "Service is unavailable. Try again later."),
    "IDPCommunicationError": (400, "Sender", "The identity provider could not be reached."),
}

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--cert", required=True)
ap.add_argument("--key", required=True)
ap.add_argument("--log", required=True)
ap.add_argument("--script", default="ok")
ap.add_argument("--state", help="JSON file remembering issued credentials across restarts")
ap.add_argument("--account", default="123456789012")
ap.add_argument("--ready", help="file created once the port listens")
args = ap.parse_args()

LOCK = threading.Lock()
SCRIPT = [s.strip() for s in args.script.split(",") if s.strip()]
COUNTER = {"n": 0}
ISSUED = {}   # AccessKeyId -> {"secret", "token", "arn", "role_id"}
if args.state and os.path.exists(args.state):
    with open(args.state) as f:
        ISSUED.update(json.load(f))


def next_item():
    with LOCK:
        i = COUNTER["n"]
        COUNTER["n"] += 1
    return SCRIPT[min(i, len(SCRIPT) - 1)]


def record(rec):
    rec["time"] = time.time()
    line = json.dumps(rec, sort_keys=True)
    with LOCK:
        with open(args.log, "a") as f:
            f.write(line + "\n")


def remember(akid, entry):
    with LOCK:
        ISSUED[akid] = entry
        if args.state:
            tmp = args.state + ".tmp"
            with open(tmp, "w") as f:
                json.dump(ISSUED, f)
            os.replace(tmp, args.state)


def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def random_id(prefix, n):
    alphabet = string.ascii_uppercase + string.digits
    return prefix + "".join(secrets.choice(alphabet) for _ in range(n))


def session_name(saml_b64):
    """RoleSessionName from the assertion, or None. Parsing only; no signature check."""
    try:
        xml = base64.b64decode(saml_b64, validate=True)
        root = ET.fromstring(xml)
    except (binascii.Error, ValueError, ET.ParseError):
        return None
    for attr in root.iter("{%s}Attribute" % SAML_NS):
        if attr.get("Name") == SAML_ATTR:
            vals = [v.text or "" for v in attr.findall("{%s}AttributeValue" % SAML_NS)]
            return vals[0] if len(vals) == 1 else None
    return None


def error_doc(code, message, request_id, typ="Sender"):
    return ('<ErrorResponse xmlns="%s">\n  <Error>\n    <Type>%s</Type>\n    <Code>%s</Code>\n'
            '    <Message>%s</Message>\n  </Error>\n  <RequestId>%s</RequestId>\n'
            '</ErrorResponse>\n' % (NS, typ, escape(code), escape(message), request_id)).encode()


def hmac256(key, msg):
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def check_sigv4(method, path, query, headers, body):
    """(verdict, issued entry or None): recompute the header-form SigV4 signature."""
    auth = headers.get("authorization", "")
    if not auth.startswith("AWS4-HMAC-SHA256 "):
        return "unsigned", None
    try:
        fields = dict(p.strip().split("=", 1) for p in auth[len("AWS4-HMAC-SHA256 "):].split(","))
        akid, day, region, service, terminator = fields["Credential"].split("/")
        signed = fields["SignedHeaders"].split(";")
        signature = fields["Signature"]
    except (KeyError, ValueError):
        return "malformed authorization", None
    entry = ISSUED.get(akid)
    if entry is None:
        return "unknown access key", None
    if headers.get("x-amz-security-token", "") != entry["token"]:
        return "wrong session token", None
    pairs = sorted(urllib.parse.parse_qsl(query, keep_blank_values=True))
    canon_query = "&".join("%s=%s" % (urllib.parse.quote(k, safe="-_.~"),
                                      urllib.parse.quote(v, safe="-_.~")) for k, v in pairs)
    canon_headers = "".join("%s:%s\n" % (h, " ".join(headers.get(h, "").split()))
                            for h in signed)
    payload = headers.get("x-amz-content-sha256") or hashlib.sha256(body).hexdigest()
    creq = "\n".join([method, urllib.parse.quote(path, safe="/~"), canon_query, canon_headers,
                      ";".join(signed), payload])
    scope = "/".join([day, region, service, terminator])
    to_sign = "\n".join(["AWS4-HMAC-SHA256", headers.get("x-amz-date", ""), scope,
                         hashlib.sha256(creq.encode()).hexdigest()])
    key = hmac256(("AWS4" + entry["secret"]).encode(), day)
    for part in (region, service, "aws4_request"):
        key = hmac256(key, part)
    want = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(want, signature):
        return "signature mismatch", None
    return "valid", entry


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *a):   # the JSON log is the record; keep stderr quiet
        pass

    def handle(self):
        self.request.settimeout(15)
        try:
            self.request.do_handshake()
        except (ssl.SSLError, OSError):
            return   # a client that does not trust us, or speaks plain HTTP
        try:
            super().handle()
        except (ssl.SSLError, OSError):
            pass     # the client went away (a budget expired, a capped reply)

    def reply(self, status, body, request_id, ctype="text/xml"):
        self.send_response(status)
        self.send_header("x-amzn-RequestId", request_id)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        rid = str(uuid.uuid4())
        record({"method": "GET", "path": self.path})
        self.reply(405, error_doc("InvalidAction", "POST only", rid), rid)

    def do_POST(self):
        rid = str(uuid.uuid4())
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length) if 0 <= length <= 1 << 20 else b""
        url = urllib.parse.urlsplit(self.path)
        keys = [k for k, _ in urllib.parse.parse_qsl(body.decode("latin-1"),
                                                     keep_blank_values=True)]
        params = dict(urllib.parse.parse_qsl(body.decode("latin-1"), keep_blank_values=True))
        headers = {k.lower(): v for k, v in self.headers.items()}
        action = params.get("Action", "")
        rec = {"method": "POST", "path": url.path, "action": action, "request_id": rid,
               "content_type": headers.get("content-type", ""), "keys": keys,
               "version": params.get("Version"), "body_has_plus": "+" in body.decode("latin-1"),
               "authorization": "authorization" in headers}
        if action == "AssumeRoleWithSAML":
            self.assume(params, rec, rid)
        elif action == "GetCallerIdentity":
            self.caller_identity(url, headers, body, rec, rid)
        else:
            record(rec)
            self.reply(400, error_doc("InvalidAction", "Could not find operation " + action,
                                      rid), rid)

    def fail(self, code, rid, message=None):
        status, typ, text = ERRORS[code]
        self.reply(status, error_doc(code, message or text, rid, typ), rid)

    def assume(self, p, rec, rid):
        saml = p.get("SAMLAssertion", "")
        policy = p.get("Policy")
        arns = [p[k] for k in sorted(k for k in p if k.startswith("PolicyArns.member."))]
        item = next_item()
        rec.update({"role_arn": p.get("RoleArn"), "principal_arn": p.get("PrincipalArn"),
                    "saml_sha256": hashlib.sha256(saml.encode()).hexdigest(),
                    "saml_len": len(saml), "duration": p.get("DurationSeconds"),
                    "policy": policy, "policy_len": len(policy) if policy is not None else None,
                    "policy_arns": arns, "script": item})
        record(rec)
        if item in ERRORS:
            return self.fail(item, rid)
        if item == "http500":
            return self.reply(500, error_doc("InternalFailure", "boom", rid, "Receiver"), rid)
        if item == "malformed":
            return self.reply(200, b"<AssumeRoleWithSAMLResponse><oops", rid)
        if item == "huge":
            return self.huge(rid)
        if item == "redirect":
            self.send_response(307)
            self.send_header("Location", "http://127.0.0.1:9/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if item.startswith("slow="):
            time.sleep(float(item[5:]))
        try:
            duration = int(p.get("DurationSeconds", "3600"))
        except ValueError:
            duration = -1
        if item.startswith("maxdur=") and duration > int(item[7:]):
            return self.fail("ValidationError", rid)
        if not (900 <= duration <= 43200):
            return self.fail("ValidationError", rid, "DurationSeconds must be 900..43200")
        if policy is not None and not 1 <= len(policy) <= 2048:
            return self.fail("ValidationError", rid,
                             "1 validation error detected: Value at 'policy' failed to satisfy "
                             "constraint: Member must have length less than or equal to 2048")
        role = p.get("RoleArn", "")
        if not role.startswith("arn:aws:iam::") or ":role/" not in role or \
                not p.get("PrincipalArn") or not 4 <= len(saml) <= 100000:
            return self.fail("ValidationError", rid, "RoleArn, PrincipalArn or SAMLAssertion")
        name = session_name(saml)
        if name is None:
            return self.fail("InvalidIdentityToken", rid,
                             "RoleSessionName is required in AuthnResponse")
        return self.issue(role, name, duration, rid)

    def issue(self, role, name, duration, rid):
        account = role.split(":")[4]
        role_name = role.rsplit("/", 1)[1]
        akid = random_id("ASIA", 16)
        secret = base64.b64encode(secrets.token_bytes(30)).decode()
        token = base64.b64encode(secrets.token_bytes(420)).decode()   # has + / =, like AWS's
        arn = "arn:aws:sts::%s:assumed-role/%s/%s" % (account, role_name, name)
        role_id = random_id("AROA", 17) + ":" + name
        remember(akid, {"secret": secret, "token": token, "arn": arn, "role_id": role_id,
                        "account": account})
        body = ("""<AssumeRoleWithSAMLResponse xmlns="%s">
  <AssumeRoleWithSAMLResult>
    <Audience>https://signin.aws.amazon.com/saml</Audience>
    <AssumedRoleUser>
      <AssumedRoleId>%s</AssumedRoleId>
      <Arn>%s</Arn>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>%s</AccessKeyId>
      <SecretAccessKey>%s</SecretAccessKey>
      <SessionToken>%s</SessionToken>
      <Expiration>%s</Expiration>
    </Credentials>
    <Issuer>https://idp.example.test/</Issuer>
    <NameQualifier>%s</NameQualifier>
    <PackedPolicySize>7</PackedPolicySize>
    <Subject>%s</Subject>
    <SubjectType>persistent</SubjectType>
  </AssumeRoleWithSAMLResult>
  <ResponseMetadata>
    <RequestId>%s</RequestId>
  </ResponseMetadata>
</AssumeRoleWithSAMLResponse>
""" % (NS, escape(role_id), escape(arn), akid, secret, token, iso(time.time() + duration),
            base64.b64encode(hashlib.sha1(b"fake").digest()).decode(), escape(name), rid))
        self.reply(200, body.encode(), rid)

    def huge(self, rid):
        size = 10 * 1024 * 1024
        self.send_response(200)
        self.send_header("x-amzn-RequestId", rid)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        chunk = b"<" + b"A" * 65535
        for _ in range(size // len(chunk)):
            self.wfile.write(chunk)

    def caller_identity(self, url, headers, body, rec, rid):
        verdict, entry = check_sigv4("POST", url.path or "/", url.query, headers, body)
        rec["sigv4"] = verdict
        rec["caller_arn"] = entry["arn"] if entry else None
        record(rec)
        if entry is None:
            code = "SignatureDoesNotMatch" if verdict == "signature mismatch" else \
                "InvalidClientTokenId"
            return self.reply(403, error_doc(code, verdict, rid), rid)
        body = ("""<GetCallerIdentityResponse xmlns="%s">
  <GetCallerIdentityResult>
    <Arn>%s</Arn>
    <UserId>%s</UserId>
    <Account>%s</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>%s</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>
""" % (NS, escape(entry["arn"]), escape(entry["role_id"]), entry["account"], rid))
        return self.reply(200, body.encode(), rid)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, addr, ctx):
        self.ctx = ctx
        super().__init__(addr, Handler)

    def get_request(self):
        sock, addr = self.socket.accept()
        # headers and body are separate writes: without NODELAY, Nagle holds the body until
        # the client's delayed ACK (40 ms), which would swamp every latency we measure
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        # the handshake waits for the handler thread (see Handler.handle)
        return self.ctx.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), addr


def main():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(args.cert, args.key)
    srv = Server(("127.0.0.1", args.port), ctx)
    if args.ready:
        with open(args.ready, "w") as f:
            f.write("%d\n" % os.getpid())
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
