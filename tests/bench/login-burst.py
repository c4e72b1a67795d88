#!/usr/bin/python3
"""login-burst.py — start COUNT commands at once and wait for all of them (tests/bench/bench-login).

  login-burst.py COUNT ERRFILE -- COMMAND [ARG...]

Every "{}" in the arguments is replaced by the command's number, 1 to COUNT. Prints one line,
"WALL_S CPU_S FAILED": the seconds from the first start to the last exit, the user + system
seconds of the commands and everything they waited for (wait4's rusage), and how many exited
non-zero. Their standard error goes to ERRFILE, standard input is /dev/null.
"""
import os
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 5 or sys.argv[3] != "--":
        sys.exit(__doc__)
    count, errfile, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[4:]
    with open(errfile, "ab") as err, open(os.devnull, "rb") as null:
        t0 = time.monotonic()
        procs = [subprocess.Popen([a.replace("{}", str(i)) for a in cmd], stdin=null,
                                  stdout=subprocess.DEVNULL, stderr=err)
                 for i in range(1, count + 1)]
        pids = {p.pid for p in procs}
        cpu, failed = 0.0, 0
        while pids:
            pid, status, ru = os.wait4(-1, 0)
            if pid not in pids:
                continue
            pids.discard(pid)
            cpu += ru.ru_utime + ru.ru_stime
            if os.waitstatus_to_exitcode(status) != 0:
                failed += 1
        wall = time.monotonic() - t0
    print("%.3f %.3f %d" % (wall, cpu, failed))


if __name__ == "__main__":
    main()
