"""tap.py — result lines for the test programs written in Python, as tests/lib/tap.sh prints
them for the shell suites: "ok - NAME" or "not ok - NAME: WHY", counted by tests/run.

    sys.path.insert(0, TOP + "/tests/lib"); import tap
    tap.check(name, ok, why="")      prints the line (ok is any truth value); returns bool(ok)
    tap.failed                       how many checks have failed so far
    sys.exit(tap.status())           1 if any check failed, else 0
"""
import sys

failed = 0


def check(name, ok, why=""):
	global failed
	if ok:
		print("ok - %s" % name)
	else:
		failed += 1
		print("not ok - %s: %s" % (name, why))
	sys.stdout.flush()
	return bool(ok)


def status():
	return 1 if failed else 0
