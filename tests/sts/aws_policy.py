"""aws_policy.py — IAM policy documents checked and evaluated the way AWS does, for the loopback
stand-in (tests/sts/fake_sts.py). Python stdlib only.

    policy, err = parse(text)            # err: AWS's MalformedPolicyDocument reason, or None
    d = evaluate([("identity", role_policy), ("session", session_policy)],
                 action, resources, context)

evaluate() follows IAM's logic for one principal: a matching Deny statement in any policy is
an explicit deny and wins; otherwise every policy kind given must have a matching Allow for
every resource (the session's permissions are the intersection of the role's identity policy
and the session policy); anything else is an implicit deny. d.effect is "allow",
"explicit-deny" or "implicit-deny"; d.kind names the policy kind that decided a deny;
d.resource the resource it was about; d.message(arn) is AWS's AccessDenied sentence.

Supported, as IAM does them:
  - Effect Allow/Deny; Action/NotAction (case-insensitive, * and ? wildcards);
    Resource/NotResource (case-sensitive, * and ?); policy variables ${key} in Resource and in
    condition values, from the request context (${*} ${?} ${$} escapes); a variable whose key
    is absent makes that element not match.
  - Condition operators: String{Equals,NotEquals,EqualsIgnoreCase,NotEqualsIgnoreCase,Like,
    NotLike}, Arn{Equals,Like,NotEquals,NotLike}, IpAddress, NotIpAddress, Bool, Null,
    Numeric{Equals,NotEquals,LessThan,LessThanEquals,GreaterThan,GreaterThanEquals},
    Date{same six}; each with ...IfExists; ForAnyValue:/ForAllValues: qualifiers.
    Key names are case-insensitive. Operators AND together, a key's values OR together. A key
    absent from the context makes a positive operator false and a negated one (Not...) true;
    ...IfExists makes either true.
context: condition key -> str or list of str (absent keys are simply not in it). Each resource
may bring its own extra keys (aws:ResourceTag/...): resources are (arn, extra_context) pairs
or plain ARNs.
"""
import datetime
import ipaddress
import json
import re

OPERATORS = {
    "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
    "StringLike", "StringNotLike", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike",
    "IpAddress", "NotIpAddress", "Bool", "Null", "BinaryEquals",
    "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
    "NumericGreaterThan", "NumericGreaterThanEquals",
    "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan",
    "DateGreaterThanEquals",
}
NEGATED = {"StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "ArnNotEquals",
           "ArnNotLike", "NotIpAddress", "NumericNotEquals", "DateNotEquals"}
STATEMENT_KEYS = {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource",
                  "Condition"}


def _as_list(v):
    return v if isinstance(v, list) else [v]


def parse(text):
    """(policy, None) or (None, reason): IAM's checks of an identity or session policy."""
    try:
        doc = json.loads(text)
    except ValueError:
        return None, "The policy is not in the valid JSON format."
    if not isinstance(doc, dict):
        return None, "The policy is not in the valid JSON format."
    if doc.get("Version", "2008-10-17") not in ("2012-10-17", "2008-10-17"):
        return None, "The policy must contain a valid version string"
    if "Statement" not in doc:
        return None, "Syntax errors in policy."
    stmts = _as_list(doc["Statement"])
    for s in stmts:
        if not isinstance(s, dict) or set(s) - STATEMENT_KEYS:
            bad = sorted(set(s) - STATEMENT_KEYS) if isinstance(s, dict) else ["Statement"]
            return None, "Policy document should not specify a principal." \
                if "Principal" in bad or "NotPrincipal" in bad else \
                "Syntax errors in policy. Unknown field %s" % bad[0]
        if s.get("Effect") not in ("Allow", "Deny"):
            return None, "Syntax errors in policy. Effect must be Allow or Deny"
        if ("Action" in s) == ("NotAction" in s):
            return None, "Policy statement must contain actions."
        if ("Resource" in s) == ("NotResource" in s):
            return None, "Policy statement must contain resources."
        for key in ("Action", "NotAction", "Resource", "NotResource"):
            if key in s and not all(isinstance(x, str) and x for x in _as_list(s[key])):
                return None, "Syntax errors in policy. %s must be strings" % key
        for key in ("Action", "NotAction"):
            for a in _as_list(s.get(key, [])):
                if a != "*" and not re.fullmatch(r"[A-Za-z0-9-]+:[A-Za-z0-9*?]+", a):
                    return None, "Actions/Conditions must be prefaced by a vendor, e.g., " \
                        "iam, sdb, ec2, etc."
        cond = s.get("Condition", {})
        if not isinstance(cond, dict):
            return None, "Syntax errors in policy. Condition must be an object"
        for op, body in cond.items():
            if _operator(op)[0] not in OPERATORS:
                return None, "Invalid Condition type : %s." % op
            if not isinstance(body, dict) or not body:
                return None, "Syntax errors in policy. Condition %s needs keys" % op
            for vals in body.values():
                if not all(isinstance(v, (str, bool, int, float)) for v in _as_list(vals)):
                    return None, "Syntax errors in policy. Condition values must be scalars"
    return {"Statement": stmts}, None


def _operator(op):
    """(base operator, qualifier or None, if_exists)"""
    qual = None
    if ":" in op:
        qual, op = op.split(":", 1)
        if qual not in ("ForAnyValue", "ForAllValues"):
            return "?", None, False
    if_exists = op.endswith("IfExists") and op != "IfExists"
    if if_exists:
        op = op[:-len("IfExists")]
    return op, qual, if_exists


def _glob(pattern, value, ignore_case):
    rx = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(rx, value, re.S | (re.I if ignore_case else 0)) is not None


def _lookup(ctx, key):
    lk = key.lower()
    for k, v in ctx.items():
        if k.lower() == lk:
            return v
    return None


class _Missing(Exception):
    pass


def _subst(text, ctx):
    """Replace ${key} from the context; raises _Missing when a key is absent."""
    def one(m):
        name = m.group(1)
        if name in ("*", "?", "$"):
            return name
        v = _lookup(ctx, name)
        if v is None or isinstance(v, list):
            raise _Missing(name)
        return str(v)
    return re.sub(r"\$\{([^}]*)\}", one, text)


def _match_one(op, pattern, value):
    if op in ("StringEquals", "StringNotEquals"):
        return pattern == value
    if op in ("StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"):
        return pattern.lower() == value.lower()
    if op in ("StringLike", "StringNotLike"):
        return _glob(pattern, value, False)
    if op in ("ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"):
        # ARNs compare part by part (arn:partition:service:region:account:resource), each
        # part with wildcards; ArnEquals is ArnLike, as AWS documents
        p, v = pattern.split(":", 5), value.split(":", 5)
        return len(p) == len(v) == 6 and all(_glob(a, b, False) for a, b in zip(p, v))
    if op in ("IpAddress", "NotIpAddress"):
        try:
            return ipaddress.ip_address(value) in ipaddress.ip_network(pattern, strict=False)
        except ValueError:
            return False
    if op == "Bool":
        return pattern.lower() == value.lower()
    if op == "BinaryEquals":
        return pattern == value
    if op.startswith("Numeric"):
        try:
            a, b = float(value), float(pattern)
        except ValueError:
            return False
        return _compare(op[len("Numeric"):], a, b)
    if op.startswith("Date"):
        a, b = _date(value), _date(pattern)
        if a is None or b is None:
            return False
        return _compare(op[len("Date"):], a, b)
    return False


def _compare(rel, a, b):
    return {"Equals": a == b, "NotEquals": a == b, "LessThan": a < b,
            "LessThanEquals": a <= b, "GreaterThan": a > b,
            "GreaterThanEquals": a >= b}[rel]


def _date(v):
    try:
        return float(v)
    except ValueError:
        pass
    try:
        return datetime.datetime.fromisoformat(v.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _condition_true(op_name, key, pvals, ctx):
    op, qual, if_exists = _operator(op_name)
    raw = _lookup(ctx, key)
    if op == "Null":
        want_absent = str(_as_list(pvals)[0]).lower() == "true"
        return (raw is None) == want_absent
    if raw is None:
        if qual == "ForAllValues":
            return True
        return if_exists or op in NEGATED
    cvals = [str(x) for x in _as_list(raw)]
    patterns = []
    for p in _as_list(pvals):
        p = str(p).lower() if isinstance(p, bool) else str(p)
        try:
            patterns.append(_subst(p, ctx))
        except _Missing:
            continue     # a value naming an absent key matches nothing
    negated = op in NEGATED

    def hit(v):
        return any(_match_one(op, p, v) for p in patterns)
    if qual == "ForAllValues":
        return all(hit(v) != negated for v in cvals)
    if qual == "ForAnyValue":
        return any(hit(v) != negated for v in cvals)
    matched = any(hit(v) for v in cvals)
    return not matched if negated else matched


def _conditions_true(cond, ctx):
    return all(_condition_true(op, key, vals, ctx)
               for op, body in cond.items() for key, vals in body.items())


def _element_matches(patterns, value, ctx, ignore_case):
    for p in _as_list(patterns):
        try:
            p = _subst(p, ctx)
        except _Missing:
            continue
        if _glob(p, value, ignore_case):
            return True
    return False


def statement_applies(s, action, resource, ctx):
    if "Action" in s:
        if not _element_matches(s["Action"], action, {}, True):
            return False
    elif _element_matches(s["NotAction"], action, {}, True):
        return False
    if "Resource" in s:
        if not _element_matches(s["Resource"], resource, ctx, False):
            return False
    elif _element_matches(s["NotResource"], resource, ctx, False):
        return False
    return _conditions_true(s.get("Condition", {}), ctx)


KIND_WORDS = {"identity": "an identity-based policy", "session": "a session policy"}
NO_ALLOW_WORDS = {"identity": "no identity-based policy", "session": "no session policy"}


class Decision:
    def __init__(self, effect, action, resource=None, kind=None, sid=None):
        self.effect, self.action, self.resource, self.kind, self.sid = \
            effect, action, resource, kind, sid

    @property
    def allowed(self):
        return self.effect == "allow"

    def message(self, principal_arn):
        head = "User: %s is not authorized to perform: %s on resource: %s " % (
            principal_arn, self.action, self.resource)
        if self.effect == "explicit-deny":
            return head + "with an explicit deny in " + KIND_WORDS[self.kind]
        return head + "because %s allows the %s action" % (NO_ALLOW_WORDS[self.kind],
                                                          self.action)


def evaluate(policies, action, resources, context):
    """policies: [(kind, parsed policy)], kind "identity" or "session"; resources: ARNs or
    (ARN, extra context) pairs. An explicit deny on any resource decides; otherwise every
    resource needs an Allow from every kind."""
    items = [(r, {}) if isinstance(r, str) else r for r in resources]
    for res, extra in items:
        ctx = dict(context, **extra)
        for kind, pol in policies:
            for s in pol["Statement"]:
                if s["Effect"] == "Deny" and statement_applies(s, action, res, ctx):
                    return Decision("explicit-deny", action, res, kind, s.get("Sid"))
    for res, extra in items:
        ctx = dict(context, **extra)
        for kind, pol in policies:
            if not any(s["Effect"] == "Allow" and statement_applies(s, action, res, ctx)
                       for s in pol["Statement"]):
                return Decision("implicit-deny", action, res, kind)
    return Decision("allow", action, items[0][0] if items else None)
