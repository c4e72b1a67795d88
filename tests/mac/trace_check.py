#!/usr/bin/python3
"""Check what ecs-saml-helper really did in an end-to-end suite (tests/mac/trace.sh) against
its access list (tests/mac/helper-access): every access the kernel's mandatory access control
would judge must be on the list, so that the SELinux policy and the AppArmor profile, which
suites 70 and 71 check against the list, allow it.

usage: trace_check.py --map MAPFILE --caps CAPSFILE [--sts-port N] [--redis-port N]
                      [--user-pids PID,...] [--label L] ACCESS_LIST LOGDIR
Prints "ok - ..." / "not ok - ..." lines (the tests/run format); exit 1 on a failure."""
import argparse
import collections
import os
import re
import sys

sys.dont_write_bytecode = True	# no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import access  # noqa: E402
import helper_actions  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--map", required=True)
ap.add_argument("--caps", required=True)
ap.add_argument("--sts-port", type=int)
ap.add_argument("--redis-port", type=int, help="the test's Redis: its connections are the list's inet:tcp:redis")
ap.add_argument("--user-pids", default="",
                help="the logged-in users' processes the helper acts on (an exec session's plugin): "
                "their /proc entries are the list's /proc/USER-PROC")
ap.add_argument("--label", default="helper trace")
ap.add_argument("access_list")
ap.add_argument("logdir")
a = ap.parse_args()

failed = 0


def report(name, ok, why=""):
    global failed
    if ok:
        print(f"ok - {a.label}: {name}")
    else:
        failed += 1
        print(f"not ok - {a.label}: {name}: {why}")


entries, errors = access.load(a.access_list)
report("the access list parses", not errors, "; ".join(errors))
with open(a.map) as f:
    pathmap = helper_actions.PathMap(f.read())
with open(a.caps) as f:
    caps = f.read()
trace = helper_actions.load(a.logdir, pathmap, caps, a.sts_port, a.redis_port,
                           [p for p in a.user_pids.split(",") if p])

verbs = collections.Counter()
for f in os.listdir(a.logdir):
    if f.endswith(".meta"):
        with open(os.path.join(a.logdir, f)) as fh:
            parts = fh.read().split()
        verbs[(parts[2] if len(parts) > 2 else "?") + " from " + (parts[1] if len(parts) > 1 else "?")] += 1
report("the helper ran under the tracer", sum(verbs.values()) > 0 and trace.actions,
       "no run recorded: the wrapper was not used")
print("# helper runs: " + ", ".join(f"{v} x{n}" for v, n in sorted(verbs.items())))

# Group what is missing by shape, so one unlisted pattern is one failure, not hundreds.
missing = collections.OrderedDict()
used = set()
for act, where in sorted(trace.actions.items()):
    hits = access.matching(entries, act.op, act.obj)
    if hits:
        used.update(e.line for e in hits)
        continue
    shape = re.sub(r"[0-9a-f]{8,}", "*", re.sub(r"\d+", "N", act.obj))
    missing.setdefault((act.op, shape), (act, where))
for (op, shape), (act, where) in missing.items():
    report(f"'{act.op} {act.obj}' is on the access list", False,
           f"not listed in tests/mac/helper-access (seen in {where[0]}:{where[1]})")
report(f"every one of the {len(trace.actions)} distinct accesses recorded is on the access list",
       not missing, f"{len(missing)} kinds missing")
caps_used = sorted(a_.obj for a_ in trace.actions if a_.op == "capability")
print("# capabilities the kernel granted the helper: " + (", ".join(caps_used) or "none"))
with open(os.path.join(os.path.dirname(a.logdir.rstrip("/")), "access-lines-used"), "w") as f:
    f.write("".join(f"{n}\n" for n in sorted(used)))
sys.exit(1 if failed else 0)
