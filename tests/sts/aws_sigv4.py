"""aws_sigv4.py — checks an AWS Signature Version 4 header signature the way AWS does, for the
loopback stand-in (tests/sts/fake_sts.py). Python stdlib only.

    verdict = check(method, path, query, headers, body, lookup, service, now)

headers: lower-case name -> value (repeated headers already joined with ","); body: bytes;
lookup(access_key_id) -> the issued entry {"secret", "token", "expires", ...} or None;
service: the signing name the endpoint answers for ("sts", "ecs", "ssm"); now: epoch seconds.

The Verdict says what AWS would: .code is "valid" or one of the refusals below, .entry is the
issued entry when the key is known, .message is AWS's own wording for that refusal.

  unsigned       no Authorization header (MissingAuthenticationToken)
  malformed      an Authorization header AWS cannot read (IncompleteSignature)
  unknown-key    an access key this stand-in never issued, or the wrong session token
  expired        the credentials' Expiration has passed, or the test marked the key expired
  scope          the credential scope names another service or a bad terminator/date
  skew           X-Amz-Date more than 5 minutes from now ("Signature expired")
  mismatch       the signature recomputed with the issued secret differs (tampering)

The payload hash in the canonical request is always the SHA-256 of the body received, never
the client's X-Amz-Content-Sha256 header: a body changed after signing must not verify.
"""
import datetime
import hashlib
import hmac
import urllib.parse

ALGORITHM = "AWS4-HMAC-SHA256"
SKEW = 5 * 60

MESSAGES = {
    "unsigned": "Missing Authentication Token",
    "malformed": "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' "
                 "parameters.",
    "unknown-key": "The security token included in the request is invalid.",
    "expired": "The security token included in the request is expired",
    "mismatch": "The request signature we calculated does not match the signature you "
                "provided. Check your AWS Secret Access Key and signing method. Consult the "
                "service documentation for details.",
}


class Verdict:
    def __init__(self, code, message="", entry=None, access_key=None):
        self.code = code
        self.message = message or MESSAGES.get(code, "")
        self.entry = entry
        self.access_key = access_key
        self.region = None

    @property
    def ok(self):
        return self.code == "valid"


def _hmac(key, msg):
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def signing_key(secret, day, region, service):
    key = _hmac(("AWS4" + secret).encode(), day)
    for part in (region, service, "aws4_request"):
        key = _hmac(key, part)
    return key


def canonical_query(query):
    pairs = sorted((urllib.parse.quote(k, safe="-_.~"), urllib.parse.quote(v, safe="-_.~"))
                   for k, v in urllib.parse.parse_qsl(query, keep_blank_values=True))
    return "&".join("%s=%s" % kv for kv in pairs)


def canonical_request(method, path, query, headers, signed, body):
    canon_headers = "".join("%s:%s\n" % (h, " ".join(headers.get(h, "").split()))
                            for h in signed)
    return "\n".join([method, urllib.parse.quote(path or "/", safe="/~"),
                      canonical_query(query), canon_headers, ";".join(signed),
                      hashlib.sha256(body).hexdigest()])


def signature(secret, amz_date, scope, creq):
    day, region, service, _ = scope.split("/")
    to_sign = "\n".join([ALGORITHM, amz_date, scope,
                         hashlib.sha256(creq.encode()).hexdigest()])
    return hmac.new(signing_key(secret, day, region, service), to_sign.encode(),
                    hashlib.sha256).hexdigest()


def _amz_time(value):
    try:
        return datetime.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(
            tzinfo=datetime.timezone.utc).timestamp()
    except ValueError:
        return None


def check(method, path, query, headers, body, lookup, service, now):
    auth = headers.get("authorization", "")
    if not auth:
        return Verdict("unsigned")
    if not auth.startswith(ALGORITHM + " "):
        return Verdict("malformed", "Authorization header: unsupported algorithm")
    try:
        fields = dict(p.strip().split("=", 1) for p in auth[len(ALGORITHM) + 1:].split(","))
        akid, day, region, svc, terminator = fields["Credential"].split("/")
        signed = fields["SignedHeaders"].split(";")
        sig = fields["Signature"]
    except (KeyError, ValueError):
        return Verdict("malformed")
    entry = lookup(akid)
    if entry is None or headers.get("x-amz-security-token", "") != entry["token"]:
        return Verdict("unknown-key", access_key=akid)
    if "host" not in signed:
        return Verdict("malformed", "'Host' must be a 'SignedHeader' in the AWS Authorization.",
                       access_key=akid)
    amz_date = headers.get("x-amz-date", "")
    t = _amz_time(amz_date)
    if t is None:
        return Verdict("malformed", "X-Amz-Date header is missing or not in ISO 8601 basic "
                       "format", access_key=akid)
    if svc != service:
        return Verdict("scope", "Credential should be scoped to correct service: '%s'. " %
                       service, access_key=akid)
    if terminator != "aws4_request" or day != amz_date[:8] or not region:
        return Verdict("scope", "Credential should be scoped to a valid region, date and "
                       "terminator.", access_key=akid)
    if entry.get("expired") or now >= entry.get("expires", float("inf")):
        return Verdict("expired", entry=entry, access_key=akid)
    if t < now - SKEW:
        return Verdict("skew", "Signature expired: %s is now earlier than %s (%s - 5 min.)" % (
            amz_date, _fmt(now - SKEW), _fmt(now)), access_key=akid)
    if t > now + SKEW:
        return Verdict("skew", "Signature not yet current: %s is still later than %s (%s + "
                       "5 min.)" % (amz_date, _fmt(now + SKEW), _fmt(now)), access_key=akid)
    creq = canonical_request(method, path, query, headers, signed, body)
    want = signature(entry["secret"], amz_date, "/".join([day, region, svc, terminator]), creq)
    if not hmac.compare_digest(want, sig):
        return Verdict("mismatch", entry=entry, access_key=akid)
    v = Verdict("valid", "", entry, akid)
    v.region = region
    return v



def _fmt(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
