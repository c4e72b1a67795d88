#!/usr/bin/python3
"""The AppArmor profile (apparmor/ecs-saml-helper) against the helper's access list
(tests/mac/helper-access), both ways:

  1. every access on the list is allowed by a rule of the profile (a probe may be denied by an
     explicit deny rule instead, which keeps it out of the log);
  2. every rule of the profile allows some access on the list, and no permission of a file rule
     goes unused by the accesses it covers.

Rules are parsed with python3-apparmor (the parser aa-logprof uses); variables come from the
profile and the tunables it includes. apparmor_parser itself compiles the profile in suite 71.

usage: apparmor_check.py PROFILE ACCESS_LIST [APPARMOR_DIR]
Prints "ok - ..." / "not ok - ...: why" lines (the tests/run format); exit 1 on a failure."""
import os
import re
import sys

from apparmor.aare import AARE
from apparmor.rule.capability import CapabilityRule
from apparmor.rule.file import FileRule
from apparmor.rule.network import NetworkRule
from apparmor.rule.signal import SignalRule

sys.dont_write_bytecode = True	# no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import access  # noqa: E402

profile_file, list_file = sys.argv[1:3]
aa_dir = sys.argv[3] if len(sys.argv) > 3 else "/etc/apparmor.d"
failed = 0


def report(name, ok, why=""):
    global failed
    if ok:
        print(f"ok - {name}")
    else:
        failed += 1
        print(f"not ok - {name}: {why}")


# --- variables: the profile's and those of the tunables it includes ---------------------------
variables = {}


def read_vars(path, seen):
    if path in seen or not os.path.exists(path):
        return
    seen.add(path)
    if os.path.isdir(path):
        for f in sorted(os.listdir(path)):
            read_vars(os.path.join(path, f), seen)
        return
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#include") else line.strip()
            m = re.match(r"^#?include\s+(?:if exists\s+)?<([^>]+)>", line)
            if m:
                read_vars(os.path.join(aa_dir, m.group(1)), seen)
                continue
            m = re.match(r"^@\{(\w+)\}\s*(\+?=)\s*(.*)$", line)
            if m:
                vals = m.group(3).split()
                if m.group(2) == "+=":
                    variables.setdefault(m.group(1), []).extend(vals)
                else:
                    variables[m.group(1)] = vals


def expand(text, depth=0):
    def sub(m):
        vals = [expand(v, depth + 1) for v in variables.get(m.group(1), [m.group(0)])]
        return vals[0] if len(vals) == 1 else "{" + ",".join(vals) + "}"
    return re.sub(r"@\{(\w+)\}", sub, text) if depth < 10 else text


with open(profile_file) as f:
    profile_text = f.read()
read_vars(profile_file, set())

# --- the profile's rules -----------------------------------------------------------------------
head = re.search(r"^profile\s+(\S+)\s+(\S+)\s*(?:flags=\([^)]*\)\s*)?\{\s*$", profile_text, re.M)
body = profile_text[head.end():profile_text.rindex("}")]
attach = AARE(expand(head.group(2)), True)
PROFILE = head.group(1)
rules = []	# (text, rule object)
for raw in body.splitlines():
    line = raw.split("#", 1)[0].strip()
    if not line:
        continue
    text = re.sub(r"//+", "/", expand(line))	# @{PROC}/... is /proc//...: the parser folds it
    if re.match(r"^(deny\s+|audit\s+)*capability\b", text):
        rules.append((line, CapabilityRule.parse(text)))
    elif re.match(r"^(deny\s+|audit\s+)*network\b", text):
        rules.append((line, NetworkRule.parse(text)))
    elif re.match(r"^(deny\s+|audit\s+)*signal\b", text):
        rules.append((line, SignalRule.parse(text)))
    elif re.match(r"^(deny\s+|audit\s+|owner\s+)*/", text):
        rules.append((line, FileRule.parse(text)))
    else:
        report(f"profile rule '{line}' is of a kind this check knows", False, "unknown rule kind")

# --- what each entry needs ------------------------------------------------------------------------
PERMS = {"read": "r", "write": "w", "create": "w", "mkdir": "w", "unlink": "w", "rmdir": "w",
         "rename-from": "w", "rename-to": "w", "setattr": "w", "lock": "k", "list": "r",
         "map": "r", "map-exec": "mr", "getattr": "r"}
FAMILY = {"AF_UNIX": "unix", "AF_INET": "inet", "AF_INET6": "inet6", "AF_NETLINK": "netlink"}
TYPE = {"SOCK_STREAM": "stream", "SOCK_DGRAM": "dgram", "SOCK_RAW": "raw"}


def wanted(e):
    """AppArmor rules (objects) that would allow entry e; [] when AppArmor does not mediate it."""
    if e.op in ("follow", "readlink", "lookup", "process"):
        return []	# symlink traversal, lookups of missing names, fork, rlimits: not mediated
    if e.op == "exec":
        return ["attach"]
    if e.op in PERMS:
        # the helper's own /proc entries: an owner rule is enough
        own = e.pattern.startswith("/proc/self/")
        path = access.sample(e.pattern.replace("PAM-APP", "1000").replace("USER-PROC", "1000")
                               .replace("/proc/self/", "/proc/1000/"))
        return [FileRule(path, PERMS[e.op], None, FileRule.ALL, own)]
    if e.op == "capability":
        return [CapabilityRule(e.pattern)]
    if e.op == "socket":
        fam, typ = e.pattern.split(":")[:2]
        return [NetworkRule(FAMILY[fam], TYPE[typ])]
    if e.op == "connect":
        kind, _, rest = e.pattern.partition(":")
        if kind == "unix":
            return [FileRule(rest, "w", None, FileRule.ALL, False, deny="probe" in e.flags)]
        return []	# inet: the socket rule
    if e.op == "inherited":
        kind = e.pattern.split(":")[0]
        if kind == "unix-stream":
            return [NetworkRule("unix", "stream")]
        if kind == "/dev/null":
            return [FileRule("/dev/null", "rw", None, FileRule.ALL, False)]
        if kind == "tty":
            return [FileRule("/dev/pts/1000", "rw", None, FileRule.ALL, False)]
        return []	# pipes: not mediated
    if e.op == "signal":
        direction, _, sig = e.pattern.partition(":")
        if direction == "self":	# between the helper's own processes (the validator child)
            return [SignalRule(d, sig, PROFILE) for d in ("send", "receive")]
        return [SignalRule(direction, sig, "unconfined")]
    return []


def covers(rule, want):
    if want == "attach":
        return False
    if type(rule) is not type(want):
        return False
    try:
        return rule.is_covered(want, check_allow_deny=False)
    except Exception:
        return False


entries, errors = access.load(list_file)
report("the access list parses", not errors, "; ".join(errors))
used_perms = {i: set() for i in range(len(rules))}
for e in entries:
    if e.attrs.get("apparmor") == "none":
        continue
    problems = []
    for w in wanted(e):
        if w == "attach":
            p = access.sample(e.pattern)
            if not attach.match(p):
                problems.append(f"the profile does not attach to {p}")
            continue
        allow = [i for i, (_, r) in enumerate(rules) if not r.deny and covers(r, w)]
        deny = [i for i, (_, r) in enumerate(rules) if r.deny and covers(r, w)]
        for i in allow + deny:
            if isinstance(rules[i][1], FileRule) and isinstance(w, FileRule):
                used_perms[i] |= set(w.perms)
            else:
                used_perms[i].add("*")
        if "probe" in e.flags:
            if not allow and not deny:
                problems.append("neither allowed nor denied")
        elif deny:
            problems.append("denied by " + ", ".join(rules[i][0] for i in deny))
        elif not allow:
            problems.append("no rule allows " + str(w.get_clean() if hasattr(w, "get_clean") else w))
    tag = ("option " if "option" in e.flags else "") + ("probe " if "probe" in e.flags else "")
    report(f"AppArmor allows the helper: {tag}{e.op} {e.pattern}", not problems, "; ".join(problems))

# --- every rule is needed, with no more permissions than needed ---------------------------------
for i, (text, r) in enumerate(rules):
    if not used_perms[i]:
        report(f"profile rule '{text}' is needed by an access", False,
               "no entry of tests/mac/helper-access needs it")
    elif isinstance(r, FileRule) and "*" not in used_perms[i] and not r.deny:
        spare = set(r.perms) - used_perms[i] - ({"r"} if "m" in used_perms[i] else set())
        report(f"profile rule '{text}' grants only needed permissions", not spare,
               f"{''.join(sorted(spare))} is needed by no access it covers")
    else:
        report(f"profile rule '{text}' is needed by an access", True)
sys.exit(1 if failed else 0)
