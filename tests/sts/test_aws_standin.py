#!/usr/bin/python3
"""test_aws_standin.py — the stand-in's SigV4 verifier (tests/sts/aws_sigv4.py) and IAM policy
evaluator (tests/sts/aws_policy.py) on their own, for suite 32. Prints "ok - NAME" /
"not ok - NAME: WHY" lines; exits 1 if any failed.

The SigV4 vectors are cases of AWS's published Signature Version 4 test suite (get-vanilla,
post-vanilla, get-vanilla-query-order-key-case: their documented request, credentials, date
and expected signature), written out here by hand.
"""
import datetime
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True    # no __pycache__ in the source tree
import aws_policy  # noqa: E402
import aws_sigv4  # noqa: E402

FAILED = 0


def check(name, got, want):
    global FAILED
    if got == want:
        print("ok - %s" % name)
    else:
        FAILED += 1
        print("not ok - %s: got %r, want %r" % (name, got, want))


# ---- SigV4: AWS's test-suite vectors ------------------------------------------------------

VEC_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
VEC_NOW = datetime.datetime(2015, 8, 30, 12, 36, tzinfo=datetime.timezone.utc).timestamp()
VECTORS = [
    ("get-vanilla", "GET", "/", "",
     "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
    ("post-vanilla", "POST", "/", "",
     "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
    ("get-vanilla-query-order-key-case", "GET", "/", "Param2=value2&Param1=value1",
     "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
]


def lookup(akid):
    return {"secret": VEC_SECRET, "token": ""} if akid == "AKIDEXAMPLE" else None


def vector_headers(sig):
    return {"host": "example.amazonaws.com", "x-amz-date": "20150830T123600Z",
            "authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/"
                             "service/aws4_request, SignedHeaders=host;x-amz-date, "
                             "Signature=" + sig}


for name, method, path, query, sig in VECTORS:
    v = aws_sigv4.check(method, path, query, vector_headers(sig), b"", lookup, "service",
                        VEC_NOW)
    check("sigv4 vector %s verifies" % name, v.code, "valid")
    bad = sig[:-1] + ("0" if sig[-1] != "0" else "1")
    v = aws_sigv4.check(method, path, query, vector_headers(bad), b"", lookup, "service",
                        VEC_NOW)
    check("sigv4 vector %s with one hex digit changed: mismatch" % name, v.code, "mismatch")

name, method, path, query, sig = VECTORS[1]
h = vector_headers(sig)


def verdict(headers=h, body=b"", service="service", now=VEC_NOW, method="POST", query=""):
    return aws_sigv4.check(method, "/", query, headers, body, lookup, service, now).code


check("sigv4: a body added after signing does not verify", verdict(body=b"{}"), "mismatch")
check("sigv4: another query does not verify", verdict(query="a=b"), "mismatch")
check("sigv4: GET signature replayed as POST does not verify",
      verdict(headers=vector_headers(VECTORS[0][4])), "mismatch")
check("sigv4: unknown access key",
      verdict(headers=dict(h, authorization=h["authorization"].replace("AKIDEXAMPLE",
                                                                       "AKIDOTHER"))),
      "unknown-key")
check("sigv4: a session token the key was not issued with",
      verdict(headers=dict(h, **{"x-amz-security-token": "x"})), "unknown-key")
check("sigv4: no Authorization", verdict(headers={"host": "h"}), "unsigned")
check("sigv4: Authorization without Signature",
      verdict(headers=dict(h, authorization=h["authorization"].split(", Signature")[0])),
      "malformed")
check("sigv4: Host not signed",
      verdict(headers=dict(h, authorization=h["authorization"].replace(
          "SignedHeaders=host;x-amz-date", "SignedHeaders=x-amz-date"))), "malformed")
check("sigv4: scoped to another service", verdict(service="ecs"), "scope")
check("sigv4: signed 6 minutes ago", verdict(now=VEC_NOW + 360), "skew")
check("sigv4: signed 6 minutes ahead", verdict(now=VEC_NOW - 360), "skew")
check("sigv4: 4 minutes off is within AWS's 5", verdict(now=VEC_NOW + 240), "valid")


def expired_lookup(akid):
    return {"secret": VEC_SECRET, "token": "", "expires": VEC_NOW - 1}


check("sigv4: credentials past their Expiration",
      aws_sigv4.check("POST", "/", "", h, b"", expired_lookup, "service", VEC_NOW).code,
      "expired")

# ---- the policy evaluator -----------------------------------------------------------------

P = "arn:aws:ecs:eu-west-1:123456789012:"


def pol(*stmts):
    p, err = aws_policy.parse(json.dumps({"Version": "2012-10-17", "Statement": list(stmts)}))
    assert err is None, err
    return p


ALLOW_ALL = pol({"Effect": "Allow", "Action": "*", "Resource": "*"})
CTX = {"aws:SourceIp": "127.0.0.1", "aws:ViaAWSService": "false",
       "aws:userid": "AROAEXAMPLE:alice", "ecs:cluster": P + "cluster/prod"}


def decide(stmts, action="ecs:ExecuteCommand", resources=(P + "task/prod/t1",), ctx=None,
           session=True):
    policies = [("identity", ALLOW_ALL)]
    if session:
        policies.append(("session", pol(*stmts)))
    else:
        policies = [("identity", pol(*stmts))]
    return aws_policy.evaluate(policies, action, list(resources), ctx or CTX).effect


def allow(**kw):
    return dict({"Effect": "Allow", "Action": "ecs:ExecuteCommand", "Resource": "*"}, **kw)


check("policy: exact action allowed", decide([allow()]), "allow")
check("policy: actions are case-insensitive", decide([allow(Action="ECS:executecommand")]),
      "allow")
check("policy: action wildcard *", decide([allow(Action="ecs:Exec*")]), "allow")
check("policy: action wildcard ?", decide([allow(Action="ecs:ExecuteComman?")]), "allow")
check("policy: other action: implicit deny", decide([allow(Action="ecs:DescribeTasks")]),
      "implicit-deny")
check("policy: no statement matches: implicit deny", decide([allow(Resource=P + "task/x/*")]),
      "implicit-deny")
check("policy: resource wildcard", decide([allow(Resource=P + "task/prod/*")]), "allow")
check("policy: resources are case-sensitive", decide([allow(Resource=P + "task/PROD/*")]),
      "implicit-deny")
check("policy: resource ? matches one character", decide([allow(Resource=P + "task/prod/t?")]),
      "allow")
check("policy: every resource must be allowed",
      decide([allow(Resource=P + "task/prod/*")],
             resources=(P + "cluster/prod", P + "task/prod/t1")), "implicit-deny")
check("policy: cluster and task both allowed",
      decide([allow(Resource=[P + "cluster/prod", P + "task/prod/*"])],
             resources=(P + "cluster/prod", P + "task/prod/t1")), "allow")
check("policy: explicit deny wins over allow",
      decide([allow(), {"Effect": "Deny", "Action": "ecs:*", "Resource": "*"}]),
      "explicit-deny")
check("policy: a deny in the role policy wins over the session's allow",
      aws_policy.evaluate([("identity", pol({"Effect": "Deny", "Action": "*",
                                              "Resource": "*"})),
                           ("session", pol(allow()))], "ecs:ExecuteCommand", ["x"], CTX).kind,
      "identity")
check("policy: the session policy alone cannot grant what the role does not",
      aws_policy.evaluate([("identity", pol(allow(Action="ecs:DescribeTasks"))),
                           ("session", pol(allow()))], "ecs:ExecuteCommand", ["x"], CTX).kind,
      "identity")
check("policy: NotAction allows everything else",
      decide([{"Effect": "Allow", "NotAction": "ssm:*", "Resource": "*"}]), "allow")
check("policy: NotAction excludes its own",
      decide([{"Effect": "Allow", "NotAction": "ecs:*", "Resource": "*"}]), "implicit-deny")
check("policy: NotResource",
      decide([{"Effect": "Allow", "Action": "*", "NotResource": P + "task/staging/*"}]),
      "allow")
check("policy: NotResource excludes its own",
      decide([{"Effect": "Allow", "Action": "*", "NotResource": P + "task/prod/*"}]),
      "implicit-deny")


def cond(c, ctx=None, effect="Allow"):
    stmts = [{"Effect": effect, "Action": "*", "Resource": "*", "Condition": c}]
    if effect == "Deny":
        stmts.append(allow())
    return decide(stmts, ctx=ctx)


check("condition StringEquals true", cond({"StringEquals": {"aws:userid": "AROAEXAMPLE:alice"}}),
      "allow")
check("condition StringEquals is case-sensitive",
      cond({"StringEquals": {"aws:userid": "aroaexample:alice"}}), "implicit-deny")
check("condition keys are case-insensitive",
      cond({"StringEquals": {"AWS:UserId": "AROAEXAMPLE:alice"}}), "allow")
check("condition values OR together",
      cond({"StringEquals": {"aws:userid": ["x", "AROAEXAMPLE:alice"]}}), "allow")
check("condition operators AND together",
      cond({"StringEquals": {"aws:userid": "AROAEXAMPLE:alice"},
            "Bool": {"aws:ViaAWSService": "true"}}), "implicit-deny")
check("condition StringLike", cond({"StringLike": {"aws:userid": "AROA*:ali?e"}}), "allow")
check("condition StringLike on an absent key is false",
      cond({"StringLike": {"aws:SourceVpce": "*"}}), "implicit-deny")
check("condition StringLikeIfExists on an absent key is true",
      cond({"StringLikeIfExists": {"aws:SourceVpce": "vpce-1"}}), "allow")
check("condition StringNotEquals on an absent key is true",
      cond({"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}), "allow")
check("condition ArnLike", cond({"ArnLike": {"ecs:cluster": "arn:aws:ecs:*:*:cluster/prod"}}),
      "allow")
check("condition ArnLike does not cross ARN parts",
      cond({"ArnLike": {"ecs:cluster": "arn:aws:ecs:*:cluster/prod"}}), "implicit-deny")
check("condition ArnEquals", cond({"ArnEquals": {"ecs:cluster": P + "cluster/prod"}}), "allow")
check("condition ArnNotLike", cond({"ArnNotLike": {"ecs:cluster": P + "cluster/prod"}}),
      "implicit-deny")
check("condition IpAddress in a CIDR", cond({"IpAddress": {"aws:SourceIp": "127.0.0.0/24"}}),
      "allow")
check("condition IpAddress single address", cond({"IpAddress": {"aws:SourceIp": "127.0.0.2"}}),
      "implicit-deny")
check("condition NotIpAddress", cond({"NotIpAddress": {"aws:SourceIp": "127.0.0.1/32"}}),
      "implicit-deny")
check("condition Bool", cond({"Bool": {"aws:ViaAWSService": False}}), "allow")
check("condition BoolIfExists on an absent key",
      cond({"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}), "allow")
check("condition Null true: key absent", cond({"Null": {"aws:SourceVpce": "true"}}), "allow")
check("condition Null false: key present", cond({"Null": {"aws:SourceIp": "false"}}), "allow")
check("condition policy variable ${aws:userid}",
      cond({"StringEquals": {"aws:userid": "${aws:userid}"}}), "allow")
check("condition ForAnyValue:StringLike over a list",
      cond({"ForAnyValue:StringLike": {"k": "b*"}}, ctx=dict(CTX, k=["a", "bc"])), "allow")
check("condition ForAllValues:StringEquals over a list",
      cond({"ForAllValues:StringEquals": {"k": ["a"]}}, ctx=dict(CTX, k=["a", "bc"])),
      "implicit-deny")
check("condition NumericLessThan", cond({"NumericLessThan": {"n": "10"}}, ctx=dict(CTX, n="3")),
      "allow")
check("condition DateGreaterThan",
      cond({"DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}},
           ctx=dict(CTX, **{"aws:CurrentTime": "2026-12-05T00:00:00Z"})), "allow")

# the network pin of issue 11: deny everything not from the bastion, unless via AWS services
PIN = {"NotIpAddressIfExists": {"aws:SourceIp": ["127.0.0.1/32"]},
       "StringNotEqualsIfExists": {"aws:SourceVpce": "vpce-0123"},
       "BoolIfExists": {"aws:ViaAWSService": "false"}}
check("pin: from the bastion's address: allowed", cond(PIN, effect="Deny"), "allow")
check("pin: from elsewhere: explicit deny",
      cond(PIN, ctx=dict(CTX, **{"aws:SourceIp": "127.0.0.2"}), effect="Deny"),
      "explicit-deny")
check("pin: from elsewhere through the pinned VPC endpoint: allowed",
      cond(PIN, ctx=dict(CTX, **{"aws:SourceIp": "127.0.0.2", "aws:SourceVpce": "vpce-0123"}),
           effect="Deny"), "allow")
check("pin: from elsewhere via an AWS service: allowed",
      cond(PIN, ctx=dict(CTX, **{"aws:SourceIp": "127.0.0.2", "aws:ViaAWSService": "true"}),
           effect="Deny"), "allow")

d = aws_policy.evaluate([("identity", ALLOW_ALL),
                         ("session", pol({"Effect": "Deny", "Action": "ssm:StartSession",
                                          "Resource": "*"}))],
                        "ssm:StartSession", ["arn:aws:ecs:r:a:task/c/t"], CTX)
check("message: explicit deny in a session policy", d.message("ARN"),
      "User: ARN is not authorized to perform: ssm:StartSession on resource: "
      "arn:aws:ecs:r:a:task/c/t with an explicit deny in a session policy")
d = aws_policy.evaluate([("identity", ALLOW_ALL), ("session", pol(allow()))],
                        "ssm:StartSession", ["arn:aws:ecs:r:a:task/c/t"], CTX)
check("message: no session policy allows", d.message("ARN"),
      "User: ARN is not authorized to perform: ssm:StartSession on resource: "
      "arn:aws:ecs:r:a:task/c/t because no session policy allows the ssm:StartSession action")

for text, why in [("{", "not JSON"), ("[]", "not an object"),
                  ('{"Statement": [{"Effect": "Allow", "Resource": "*"}]}', "no action"),
                  ('{"Statement": [{"Effect": "Allow", "Action": "*"}]}', "no resource"),
                  ('{"Statement": [{"Effect": "Maybe", "Action": "*", "Resource": "*"}]}',
                   "bad effect"),
                  ('{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", '
                   '"Principal": "*"}]}', "a principal"),
                  ('{"Statement": [{"Effect": "Allow", "Action": "Exec", "Resource": "*"}]}',
                   "an action without a service"),
                  ('{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", '
                   '"Condition": {"StringSortOf": {"a": "b"}}}]}', "an unknown operator")]:
    check("malformed policy refused: %s" % why, aws_policy.parse(text)[1] is not None, True)
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "pam.d",
                       "ecs-exec-session-policy.json")) as f:
    tmpl = f.read()
PIN_STMT = (',{"Sid":"OnlyFromTheBastion","Effect":"Deny","Action":"*","Resource":"*",'
            '"Condition":{"NotIpAddressIfExists":{"aws:SourceIp":["127.0.0.1/32"]},'
            '"StringNotEqualsIfExists":{"aws:SourceVpce":["vpce-0a1b2c3d"]},'
            '"BoolIfExists":{"aws:ViaAWSService":"false"}}}')


def shipped(pinning=""):
    """The shipped template filled in as the helper does (tests/unit/test_sts_policy.c checks
    the helper's own rendering byte for byte), for clusters prod and stage."""
    text = tmpl.replace("${cluster_patterns}", '["*:cluster/prod","*:cluster/stage"]') \
        .replace("${partition}", "aws").replace("${region}", "eu-west-1") \
        .replace("${account}", "123456789012").replace("${exec_kms}", "") \
        .replace("${pinning}", pinning)
    p, err = aws_policy.parse(text)
    return p, err


SHIPPED, err = shipped()
check("the shipped session policy template, filled in, is a valid policy", err, None)
PINNED, err = shipped(PIN_STMT)
check("the shipped template with ${pinning} filled in is a valid policy", err, None)
SESSION = P.replace(":ecs:", ":ssm:") + "session/ecs-execute-command-0123456789abcdef0"
TAG = "ssm:resourceTag/aws:ssmmessages:session-id"


def shipped_decides(action, resources, ctx=None, policy=None):
    return aws_policy.evaluate([("identity", ALLOW_ALL), ("session", policy or SHIPPED)],
                               action, list(resources), ctx or CTX).effect


check("shipped policy: ExecuteCommand into a configured cluster",
      shipped_decides("ecs:ExecuteCommand", (P + "cluster/prod", P + "task/prod/t1")), "allow")
check("shipped policy: DescribeTasks in a configured cluster",
      shipped_decides("ecs:DescribeTasks", (P + "task/stage/t1",),
                      dict(CTX, **{"ecs:cluster": P + "cluster/stage"})), "allow")
check("shipped policy: ExecuteCommand into another cluster is not allowed",
      shipped_decides("ecs:ExecuteCommand", (P + "cluster/prod2", P + "task/prod2/t1"),
                      dict(CTX, **{"ecs:cluster": P + "cluster/prod2"})), "implicit-deny")
check("shipped policy: a cluster whose name ends like a configured one is not allowed",
      shipped_decides("ecs:ExecuteCommand", (P + "cluster/preprod", P + "task/preprod/t1"),
                      dict(CTX, **{"ecs:cluster": P + "cluster/preprod"})), "implicit-deny")
check("shipped policy: ExecuteCommand in another account is not allowed",
      shipped_decides("ecs:ExecuteCommand", ("arn:aws:ecs:eu-west-1:210987654321:task/prod/t",),
                      dict(CTX, **{"ecs:cluster":
                                   "arn:aws:ecs:eu-west-1:210987654321:cluster/prod"})),
      "implicit-deny")
check("shipped policy: ssm:StartSession is explicitly denied",
      shipped_decides("ssm:StartSession", (P + "task/prod/t1",)), "explicit-deny")
for action in ("ssm:TerminateSession", "ssm:ResumeSession", "ssmmessages:OpenDataChannel"):
    check("shipped policy: %s on an exec session this identity started" % action,
          shipped_decides(action, ((SESSION, {TAG: "AROAEXAMPLE:alice"}),)), "allow")
    check("shipped policy: %s on an exec session another identity started" % action,
          shipped_decides(action, ((SESSION, {TAG: "AROAEXAMPLE:bob"}),)), "implicit-deny")
    check("shipped policy: %s on an exec session without the tag (what remains)" % action,
          shipped_decides(action, (SESSION,)), "allow")
check("shipped policy: TerminateSession on a plain SSM session is not allowed",
      shipped_decides("ssm:TerminateSession",
                      ((SESSION.replace("ecs-execute-command", "alice"),
                        {TAG: "AROAEXAMPLE:alice"}),)), "implicit-deny")
check("shipped policy: kms:GenerateDataKey is not allowed without exec_kms_key",
      shipped_decides("kms:GenerateDataKey", ("arn:aws:kms:eu-west-1:123456789012:key/k",)),
      "implicit-deny")
check("pinned: ExecuteCommand from the bastion",
      shipped_decides("ecs:ExecuteCommand", (P + "task/prod/t1",), policy=PINNED), "allow")
check("pinned: ExecuteCommand from elsewhere is explicitly denied",
      shipped_decides("ecs:ExecuteCommand", (P + "task/prod/t1",),
                      dict(CTX, **{"aws:SourceIp": "127.0.0.2"}), policy=PINNED),
      "explicit-deny")
check("pinned: through the pinned VPC endpoint (no aws:SourceIp)",
      shipped_decides("ecs:ExecuteCommand", (P + "task/prod/t1",),
                      dict({k: v for k, v in CTX.items() if k != "aws:SourceIp"},
                           **{"aws:SourceVpce": "vpce-0a1b2c3d"}), policy=PINNED), "allow")
check("pinned: through another VPC endpoint is explicitly denied",
      shipped_decides("ecs:ExecuteCommand", (P + "task/prod/t1",),
                      dict({k: v for k, v in CTX.items() if k != "aws:SourceIp"},
                           **{"aws:SourceVpce": "vpce-99999999"}), policy=PINNED),
      "explicit-deny")
check("pinned: a call an AWS service makes on the session's behalf is exempt",
      shipped_decides("ecs:DescribeTasks", (P + "task/prod/t1",),
                      dict(CTX, **{"aws:SourceIp": "192.0.2.9", "aws:ViaAWSService": "true"}),
                      policy=PINNED), "allow")

sys.exit(1 if FAILED else 0)
