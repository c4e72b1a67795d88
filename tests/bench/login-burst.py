#!/usr/bin/python3
"""login-burst.py — start COUNT commands at once and wait for all of them (tests/bench/bench-login).

  login-burst.py COUNT ERRFILE -- COMMAND [ARG...]

Every "{}" in the arguments is replaced by the command's number, 1 to COUNT. Prints one line,
"WALL_S CPU_S FAILED": the seconds from the first start to the last exit, the user + system
seconds of the commands and everything they waited for (wait4's rusage), and how many exited
non-zero. Standard input is /dev/null. Each command's standard error is kept apart while it
runs; ERRFILE gets, for each one that failed, its number, exit status and standard error.
"""
import os
import subprocess
import sys
import tempfile
import time


def main():
    if len(sys.argv) < 5 or sys.argv[3] != "--":
        sys.exit(__doc__)
    count, errfile, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[4:]
    with tempfile.TemporaryDirectory() as tmp, open(os.devnull, "rb") as null:
        errs = [open(os.path.join(tmp, str(i)), "w+b") for i in range(1, count + 1)]
        t0 = time.monotonic()
        # the Popen objects are kept: one dropped while its process runs is reaped by the
        # subprocess module's own clean-up, and its exit never reaches the wait4 below
        started = [subprocess.Popen([a.replace("{}", str(i)) for a in cmd], stdin=null,
                                    stdout=subprocess.DEVNULL, stderr=errs[i - 1])
                   for i in range(1, count + 1)]
        procs = {p.pid: i for i, p in enumerate(started, 1)}
        cpu, failed = 0.0, []
        while procs:
            pid, status, ru = os.wait4(-1, 0)
            i = procs.pop(pid, None)
            if i is None:
                continue
            cpu += ru.ru_utime + ru.ru_stime
            code = os.waitstatus_to_exitcode(status)
            if code != 0:
                failed.append((i, code))
        wall = time.monotonic() - t0
        with open(errfile, "ab") as out:
            for i, code in failed:
                errs[i - 1].seek(0)
                out.write(b"login %d exited %d: %s\n" % (i, code, errs[i - 1].read()[-600:]
                                                          .replace(b"\n", b" | ")))
        for f in errs:
            f.close()
        failed = len(failed)
    print("%.3f %.3f %d" % (wall, cpu, failed))


if __name__ == "__main__":
    main()
