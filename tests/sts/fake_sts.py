#!/usr/bin/python3
"""A loopback HTTPS stand-in for AWS (STS, ECS, SSM), for tests only (Python stdlib only).

    fake_sts.py --port P --cert server.pem --key server.key --log requests.jsonl
                [--script ITEM,ITEM,...] [--state issued.json] [--account 123456789012]
                [--world world.json] [--sessions sessions.json] [--elsewhere PORT2]
                [--ready FILE]

One process, one port, one shared state: the credentials STS issues are the ones ECS and SSM
accept, with the session policy that came with them.

STS (AWS's Query protocol, as botocore's STS model describes it):
  AssumeRoleWithSAML  unsigned form POST; answers AssumeRoleWithSAMLResponse XML with fresh
                      ASIA... credentials for arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION,
                      SESSION being the assertion's RoleSessionName attribute (the assertion
                      is parsed, NOT signature-checked: this is not AWS), or an ErrorResponse.
                      The Policy parameter must be an IAM policy (MalformedPolicyDocument
                      otherwise); it is kept with the access key and bounds every later call.
  GetCallerIdentity   SigV4-signed POST; answered for any valid signature (AWS needs no
                      permission for it).

ECS and SSM (JSON 1.1: POST /, X-Amz-Target, Content-Type application/x-amz-json-1.1):
  AmazonEC2ContainerServiceV20141113.ExecuteCommand   opens an exec session
                      ecs-execute-command-<17 hex> with a fresh tokenValue and a streamUrl
                      wss://127.0.0.1:PORT/v1/data-channel/<id>?... pointing back here
  AmazonEC2ContainerServiceV20141113.DescribeTasks    the world's tasks; unknown ones come
                      back as failures [{arn, reason: MISSING}]
  AmazonSSM.StartSession      target ecs:<cluster>_<task>_<runtimeId> (session <name>-<hex>)
  AmazonSSM.ResumeSession     a fresh token for a live session, else DoesNotExistException
  AmazonSSM.TerminateSession  marks the session Terminated (and wakes its plugin)

Every ECS/SSM/STS-signed request is SigV4-verified (tests/sts/aws_sigv4.py) with the secret
this stand-in issued; refusals as AWS words them:
                      ECS/SSM (HTTP 400)             STS (HTTP 403)
  no signature        MissingAuthenticationToken...  MissingAuthenticationToken
  unknown key/token   UnrecognizedClientException    InvalidClientTokenId
  expired key         ExpiredTokenException          ExpiredToken
  bad signature/skew  InvalidSignatureException      SignatureDoesNotMatch
Then ECS/SSM requests are authorized (tests/sts/aws_policy.py): the world's role policy AND
the key's session policy; an explicit Deny wins, no Allow is a deny: AccessDeniedException
"User: ARN is not authorized to perform: ACTION on resource: ARN with an explicit deny in a
session policy" (or "because no session policy allows the ACTION action", or the same for an
identity-based policy). Request context: aws:SourceIp = the TCP peer's address,
aws:ViaAWSService = false, aws:SecureTransport = true, aws:userid, aws:PrincipalArn,
aws:PrincipalAccount, aws:RequestedRegion, aws:SourceIdentity (from the assertion),
aws:CurrentTime, aws:EpochTime; no aws:SourceVpce/aws:SourceVpc/aws:VpcSourceIp (no VPC
endpoint here). Per action:
  ecs:ExecuteCommand  resources: the cluster ARN and the task ARN (both must be allowed);
                      ecs:cluster, ecs:task, ecs:container-name, aws:/ecs:ResourceTag/K of
                      each resource
  ecs:DescribeTasks   resources: each task ARN; ecs:cluster
  ssm:StartSession    resources: the target (arn:aws:ecs:R:A:task/C/T for an ECS target) and
                      the document (arn:aws:ssm:R::document/SSM-SessionManagerRunShell)
  ssm:ResumeSession, ssm:TerminateSession   resource arn:aws:ssm:R:A:session/ID;
                      ssm:resourceTag/aws:ssmmessages:session-id = the starter's aws:userid
                      and ssm:resourceTag/aws:ssmmessages:target-id = the target (as SSM tags
                      sessions; whether it does so for ECS Exec sessions is unverified)
ARNs use the region of the request's credential scope and the account of the issued key.
After authorization, ECS answers from the world: ClusterNotFoundException,
InvalidParameterException (task or container not found, more than one container and none
named, task not RUNNING, interactive not true, enableExecuteCommand false: AWS's "execute
command was not enabled ... or the execute command agent isn't running"),
TargetNotConnectedException (agentConnected false, or the container's agentStatus is not
RUNNING). SSM StartSession to an unknown or unconnected target: TargetNotConnected.

--world FILE (JSON, re-read whenever it changes; absent: no clusters, role policy allows all):
  {"clusters": {"CLUSTER": {"tags": {"k": "v"},
       "tasks": {"TASKID": {"enableExecuteCommand": true, "agentConnected": true,
                            "lastStatus": "RUNNING", "tags": {}, "family": "app",
                            "containers": [{"name": "app", "runtimeId": "...",
                                            "agentStatus": "RUNNING"}]}}}},
   "role_policy": {IAM policy document of the role; default: Allow * on *},
   "expired_keys": ["ASIA...", or "*" for every key]}
  Defaults: enableExecuteCommand, agentConnected true, lastStatus and agentStatus RUNNING,
  runtimeId TASKID-<10 digits>.

--sessions FILE: every session as JSON {id: {status Connected|Terminated, kind ecs|ssm,
  access_key, owner, target, cluster, task, container, command, token_sha256, terminated_by,
  data_channel_opens, ...}}, rewritten on each change and read back at start, so sessions
  (and the plugins holding them) outlive a restart; a token is kept only as its SHA-256.

The plugin's side (tests/sts/plugin/session-manager-plugin): POST /v1/data-channel/<id> with
{"TokenValue": T, "Wait": SECONDS} is answered once the session is no longer Connected, or
after Wait seconds (at most 60), with {"SessionId", "Status", "TerminatedBy"}; a wrong token
gets 403. Like the real data channel, it is authenticated by the session token alone.
{"TokenValue": T, "Close": true} ends the session from the container's side (the user typed
exit): Terminated, TerminatedBy "agent:exit".

--elsewhere PORT2: also relay 127.0.0.1:PORT2 to the main port from source address
127.0.0.2, so a client pointed at PORT2 is seen (aws:SourceIp) as coming from elsewhere.

Every reply carries x-amzn-RequestId. Each request is appended to --log as one JSON line:
for STS, the parameters STS would see (the assertion replaced by its SHA-256 and length); for
ECS/SSM: service, action, access_key, source_ip, sigv4 (valid or the refusal), decision
(allow, explicit-deny, implicit-deny), denied_by (session, identity), error, session_id,
token_sha256 (ExecuteCommand, ResumeSession), cluster/task/container/command.

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

sys.dont_write_bytecode = True    # no __pycache__ in the source tree for the modules below
import aws_ecs_ssm  # noqa: E402
import aws_policy  # noqa: E402
import aws_sigv4  # noqa: E402

NS = "https://sts.amazonaws.com/doc/2011-06-15/"
SAML_ATTR = "https://aws.amazon.com/SAML/Attributes/RoleSessionName"
SOURCE_ID_ATTR = "https://aws.amazon.com/SAML/Attributes/SourceIdentity"
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
ap.add_argument("--world", help="JSON: clusters, tasks, the role policy, expired keys")
ap.add_argument("--sessions", help="JSON file the exec/SSM sessions are written to")
ap.add_argument("--elsewhere", type=int, help="relay port whose clients arrive from 127.0.0.2")
ap.add_argument("--ready", help="file created once the port listens")
args = ap.parse_args()

LOCK = threading.Lock()
SCRIPT = [s.strip() for s in args.script.split(",") if s.strip()]
COUNTER = {"n": 0}
ISSUED = {}   # AccessKeyId -> {"secret", "token", "arn", "role_id"}
if args.state and os.path.exists(args.state):
    with open(args.state) as f:
        ISSUED.update(json.load(f))
WORLD = aws_ecs_ssm.World(args.world)
SERVICES = aws_ecs_ssm.Services(WORLD, aws_ecs_ssm.Sessions(args.sessions),
                                "wss://127.0.0.1:%d" % args.port)


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


def saml_attribute(saml_b64, name):
    """The single value of attribute NAME in the assertion, or None. Parsing only; no
    signature check."""
    try:
        xml = base64.b64decode(saml_b64, validate=True)
        root = ET.fromstring(xml)
    except (binascii.Error, ValueError, ET.ParseError):
        return None
    for attr in root.iter("{%s}Attribute" % SAML_NS):
        if attr.get("Name") == name:
            vals = [v.text or "" for v in attr.findall("{%s}AttributeValue" % SAML_NS)]
            return vals[0] if len(vals) == 1 else None
    return None


def error_doc(code, message, request_id, typ="Sender"):
    return ('<ErrorResponse xmlns="%s">\n  <Error>\n    <Type>%s</Type>\n    <Code>%s</Code>\n'
            '    <Message>%s</Message>\n  </Error>\n  <RequestId>%s</RequestId>\n'
            '</ErrorResponse>\n' % (NS, typ, escape(code), escape(message), request_id)).encode()


def lookup(akid):
    """The issued entry for an access key, marked expired when the world says so."""
    with LOCK:
        entry = ISSUED.get(akid)
        entry = dict(entry) if entry else None
    if entry is not None and WORLD.key_expired(akid):
        entry["expired"] = True
    return entry


def verify(method, url, headers, body, service):
    return aws_sigv4.check(method, url.path or "/", url.query, headers, body, lookup, service,
                           time.time())


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
        headers = {}
        for k, v in self.headers.items():    # a repeated header signs as "v1,v2"
            k = k.lower()
            headers[k] = headers[k] + "," + v if k in headers else v
        if url.path.startswith("/v1/data-channel/"):
            return self.data_channel(url.path[len("/v1/data-channel/"):], body, rid)
        if "x-amz-target" in headers:
            return self.json_api(url, headers, body, rid)
        keys = [k for k, _ in urllib.parse.parse_qsl(body.decode("latin-1"),
                                                     keep_blank_values=True)]
        params = dict(urllib.parse.parse_qsl(body.decode("latin-1"), keep_blank_values=True))
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
        if policy is not None and aws_policy.parse(policy)[1]:
            return self.fail("MalformedPolicyDocument", rid, aws_policy.parse(policy)[1])
        name = saml_attribute(saml, SAML_ATTR)
        if name is None:
            return self.fail("InvalidIdentityToken", rid,
                             "RoleSessionName is required in AuthnResponse")
        return self.issue(role, name, duration, rid, policy,
                          saml_attribute(saml, SOURCE_ID_ATTR))

    def issue(self, role, name, duration, rid, policy=None, source_identity=None):
        account = role.split(":")[4]
        role_name = role.rsplit("/", 1)[1]
        akid = random_id("ASIA", 16)
        secret = base64.b64encode(secrets.token_bytes(30)).decode()
        token = base64.b64encode(secrets.token_bytes(420)).decode()   # has + / =, like AWS's
        arn = "arn:aws:sts::%s:assumed-role/%s/%s" % (account, role_name, name)
        role_id = random_id("AROA", 17) + ":" + name
        now = time.time()
        remember(akid, {"secret": secret, "token": token, "arn": arn, "role_id": role_id,
                        "account": account, "role_arn": role, "session_name": name,
                        "policy": policy, "source_identity": source_identity,
                        "issued": now, "expires": now + duration})
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
    <PackedPolicySize>7</PackedPolicySize>%s
    <Subject>%s</Subject>
    <SubjectType>persistent</SubjectType>
  </AssumeRoleWithSAMLResult>
  <ResponseMetadata>
    <RequestId>%s</RequestId>
  </ResponseMetadata>
</AssumeRoleWithSAMLResponse>
""" % (NS, escape(role_id), escape(arn), akid, secret, token, iso(now + duration),
            base64.b64encode(hashlib.sha1(b"fake").digest()).decode(),
            # as AWS does: the SourceIdentity the assertion set, when it set one
            "\n    <SourceIdentity>%s</SourceIdentity>" % escape(source_identity)
            if source_identity else "", escape(name), rid))
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
        v = verify("POST", url, headers, body, "sts")
        rec.update({"sigv4": v.code, "access_key": v.access_key,
                    "caller_arn": v.entry["arn"] if v.ok else None,
                    "source_ip": self.client_address[0]})
        record(rec)
        if not v.ok:
            code, status = STS_AUTH_ERRORS[v.code]
            return self.reply(status, error_doc(code, v.message, rid), rid)
        entry = v.entry
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


    # ---- ECS and SSM (JSON 1.1) -------------------------------------------------------------

    def json_reply(self, status, obj, rid):
        self.reply(status, json.dumps(obj).encode(), rid, "application/x-amz-json-1.1")

    def json_api(self, url, headers, body, rid):
        target = headers["x-amz-target"]
        service = "ssm" if target.startswith(aws_ecs_ssm.SSM_PREFIX) else "ecs"
        v = verify("POST", url, headers, body, service)
        rec = {"method": "POST", "path": url.path, "request_id": rid, "target": target,
               "service": service, "action": target.rsplit(".", 1)[-1], "sigv4": v.code,
               "access_key": v.access_key, "source_ip": self.client_address[0]}
        if not v.ok:
            rec["error"] = JSON_AUTH_ERRORS[v.code]
            record(rec)
            key = "message" if service == "ecs" else "Message"
            return self.json_reply(400, {"__type": rec["error"], key: v.message}, rid)
        e = v.entry
        caller = {"arn": e["arn"], "role_id": e["role_id"], "account": e["account"],
                  "role_arn": e.get("role_arn", ""), "session_name": e.get("session_name", ""),
                  "policy": e.get("policy"), "source_identity": e.get("source_identity"),
                  "access_key": v.access_key, "region": v.region,
                  "source_ip": self.client_address[0]}
        try:
            status, out, more = SERVICES.call(target, body, caller)
        except Exception as err:     # noqa: BLE001 -- a broken world file: the test's mistake,
            # answered (and logged) as a 500 rather than a dropped connection
            status, out, more = 500, {"__type": "InternalFailure",
                                      "message": "%s: %s" % (type(err).__name__, err)}, {}
            more["error"] = "InternalFailure"
        rec.update(more)
        record(rec)
        return self.json_reply(status, out, rid)

    def data_channel(self, sid, body, rid):
        try:
            req = json.loads(body.decode("utf-8") or "{}")
            wait = float(req.get("Wait", 20))
            token = str(req.get("TokenValue", ""))
            close = req.get("Close") is True
        except (UnicodeDecodeError, ValueError, AttributeError, TypeError):
            wait, token, close = 0, "", False
        status, out, rec = SERVICES.data_channel(sid, token, wait, close,
                                                 self.client_address[0])
        rec["request_id"] = rid
        record(rec)
        return self.json_reply(status, out, rid)


# verdict of aws_sigv4 -> (code, HTTP status) in STS's Query protocol
STS_AUTH_ERRORS = {
    "unsigned": ("MissingAuthenticationToken", 403),
    "malformed": ("IncompleteSignature", 400),
    "unknown-key": ("InvalidClientTokenId", 403),
    "expired": ("ExpiredToken", 403),
    "scope": ("SignatureDoesNotMatch", 403),
    "skew": ("SignatureDoesNotMatch", 403),
    "mismatch": ("SignatureDoesNotMatch", 403),
}
# ... and the __type of ECS's and SSM's JSON 1.1 (all HTTP 400)
JSON_AUTH_ERRORS = {
    "unsigned": "MissingAuthenticationTokenException",
    "malformed": "IncompleteSignatureException",
    "unknown-key": "UnrecognizedClientException",
    "expired": "ExpiredTokenException",
    "scope": "InvalidSignatureException",
    "skew": "InvalidSignatureException",
    "mismatch": "InvalidSignatureException",
}


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    # AWS's endpoint takes any number of clients at once; socketserver's backlog of 5 drops
    # the SYNs of a burst of logins, and the retransmits (1 s, 3 s, 7 s) outlast sts_timeout
    # (make bench's 100 concurrent logins lost some to sts-timeout that way)
    request_queue_size = 128

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


def _pump(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    for sock in (dst, src):
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _relay(conn):
    try:
        out = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        out.bind(("127.0.0.2", 0))
        out.connect(("127.0.0.1", args.port))
    except OSError:
        conn.close()
        return
    threading.Thread(target=_pump, args=(out, conn), daemon=True).start()
    _pump(conn, out)
    conn.close()
    out.close()


def elsewhere(lsock):
    """--elsewhere: the bytes of each client of the relay port reach the main port from
    127.0.0.2; TLS passes through untouched, so the client still checks our certificate."""
    while True:
        conn, _ = lsock.accept()
        threading.Thread(target=_relay, args=(conn,), daemon=True).start()


def main():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(args.cert, args.key)
    srv = Server(("127.0.0.1", args.port), ctx)
    if args.elsewhere:
        lsock = socket.create_server(("127.0.0.1", args.elsewhere))
        threading.Thread(target=elsewhere, args=(lsock,), daemon=True).start()
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
