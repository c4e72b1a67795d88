"""What ecs-saml-helper did, from the records of tests/mac/trace.sh: one Action per access
the kernel's mandatory access control would judge, with the deployed path in place of this
run's test directories. Used by trace_check.py; the vocabulary is the one of the access
list (tests/mac/helper-access, see its header).

Sources: strace -f -yy logs (NNN.strace, with NNN.meta: "PID COMM-OF-PARENT VERB...") and the
capability record of tests/mac/ftrace-caps ("PID CAP RET CALLER<PARENT")."""
import os
import re
from collections import namedtuple

Action = namedtuple("Action", "op obj")

CAP_NAMES = ["chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill", "setgid",
             "setuid", "setpcap", "linux_immutable", "net_bind_service", "net_broadcast",
             "net_admin", "net_raw", "ipc_lock", "ipc_owner", "sys_module", "sys_rawio",
             "sys_chroot", "sys_ptrace", "sys_pacct", "sys_admin", "sys_boot", "sys_nice",
             "sys_resource", "sys_time", "sys_tty_config", "mknod", "lease", "audit_write",
             "audit_control", "setfcap", "mac_override", "mac_admin", "syslog", "wake_alarm",
             "block_suspend", "audit_read", "perfmon", "bpf", "checkpoint_restore"]


def cap_not_a_use(chain):
    """Why a granted capability check is no use of the capability by the helper, or None.
    chain: the kernel functions that asked, innermost first (tests/mac/ftrace-caps)."""
    frames = chain.split("<")
    if frames[0] == "security_vm_enough_memory_mm":
        return "the overcommit heuristic probes CAP_SYS_ADMIN quietly for every process"
    if frames[0] == "__ptrace_may_access" and "do_task_stat" in frames:
        return ("/proc/PID/stat asks quietly (PTRACE_MODE_NOAUDIT) whether to show a non-dumpable "
                "process's addresses; denied, they read 0, and the start time the helper reads stays")
    if any(f.startswith("ovl_") for f in frames):
        return "overlayfs of the test's namespace (tests/lib/nsroot.sh); a bastion has plain files"
    return None

LINE = re.compile(r"^(\d+) +(.*)$")
CALL = re.compile(r"^(\w+)\((.*)\) += (-?\d+|\?)(?:<(.*)>)?(?: (E[A-Z0-9]+) .*)?$")
FDPATH = re.compile(r"^(?:AT_FDCWD|-?\d+)<(.*)>$")


class PathMap:
    """Test prefixes -> deployed prefixes, longest first."""

    def __init__(self, text):
        self.pairs = []
        for line in text.splitlines():
            if line.strip():
                test, deployed = line.split()
                self.pairs.append((os.path.normpath(test), deployed))
        self.pairs.sort(key=lambda p: -len(p[0]))

    def __call__(self, path):
        for test, deployed in self.pairs:
            if path == test or path.startswith(test + "/"):
                return deployed + path[len(test):]
        # the directories above this run's own (/tmp/ecs-test.X): the helper walks them only
        # because the test put its files there; on a bastion it walks the deployed path's
        norm = os.path.normpath(path) if path else path
        for test, _ in self.pairs:
            if norm and norm != "/" and test.startswith(norm + "/"):
                return HIDDEN
        return path


HIDDEN = "\0test-only"


def split_args(s):
    """Top-level comma split of a strace argument list."""
    out, depth, cur, quote = [], 0, "", False
    for i, ch in enumerate(s):
        if quote:
            cur += ch
            if ch == '"' and s[i - 1] != "\\":
                quote = False
            continue
        if ch == '"':
            quote = True
        elif ch in "([{<":
            depth += 1
        elif ch in ")]}>" and not (ch == ">" and s[i - 1] == "-"):
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
            continue
        cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


def unquote(s):
    return s[1:-1] if s.startswith('"') and s.endswith('"') else s


def fd_path(arg):
    """The path strace -yy shows for a descriptor argument, or None."""
    m = FDPATH.match(arg)
    return m.group(1) if m else None


def join(base, name):
    if name.startswith("/"):
        return os.path.normpath(name)
    if base is None:
        return None
    return os.path.normpath(os.path.join(base, name)) if name else base


def merged_lines(text):
    """strace -f lines with unfinished/resumed pairs joined."""
    pending = {}
    for raw in text.splitlines():
        m = LINE.match(raw)
        if not m:
            continue
        pid, rest = m.groups()
        if rest.endswith("<unfinished ...>"):
            pending[pid] = rest[: -len("<unfinished ...>")].rstrip()
            continue
        r = re.match(r"^<\.\.\. \w+ resumed>(.*)$", rest)
        if r:
            rest = pending.pop(pid, "") + r.group(1)
        yield pid, rest


class Trace:
    def __init__(self, pathmap, sts_port=None, redis_port=None, user_pids=()):
        self.map = pathmap
        self.user_pids = set(user_pids)	# the logged-in users' processes: /proc/USER-PROC
        self.sts_port = sts_port
        self.redis_port = redis_port
        self.actions = {}	# Action -> example (file, line)
        self.pids = set()

    def add(self, op, obj, where):
        if not obj.startswith(HIDDEN):
            self.actions.setdefault(Action(op, obj), where)

    def path(self, p):
        return self.map(p)

    def proc(self, p, own):
        """/proc/PID/... of a process that is not the helper -> /proc/PAM-APP/..., or
        /proc/USER-PROC/... for one of user_pids"""
        m = re.match(r"^/proc/(\d+|self|thread-self)(/.*)?$", p)
        if not m:
            return p
        if m.group(1) in ("self", "thread-self") or m.group(1) in own:
            return "/proc/self" + (m.group(2) or "")
        if m.group(1) in self.user_pids:
            return "/proc/USER-PROC" + (m.group(2) or "")
        return "/proc/PAM-APP" + (m.group(2) or "")

    def read_log(self, name, text):
        """One run's log. strace attached to the wrapper before it became the helper: only
        the wrapper's pid from its execve of the helper on, and the processes the helper
        started after that, are the helper."""
        wrapper = name.split(".")[0]
        merged = list(merged_lines(text))
        # the helper's lines: the wrapper's from the execve on, then its descendants' (a
        # child may print before its parent's clone returns: repeat until nothing is added)
        own = {wrapper}
        while True:
            before = len(own)
            started = False
            for pid, rest in merged:
                if pid == wrapper and not started:
                    started = rest.startswith("execve(") and "/ecs-saml-helper" in rest.split(",")[0] \
                        and bool(re.search(r"\) += 0$", rest))
                    continue
                m = re.match(r"^(?:clone3?|v?fork)\(.*\) += (\d+)", rest)
                if pid in own and m:
                    own.add(m.group(1))
            if len(own) == before:
                break
        lines, started = [], False
        for pid, rest in merged:
            if pid == wrapper and not started:
                started = rest.startswith("execve(") and "/ecs-saml-helper" in rest.split(",")[0] \
                    and bool(re.search(r"\) += 0$", rest))
                if not started:
                    continue
            if pid in own:
                lines.append((pid, rest))
        self.pids |= own
        for n, (pid, rest) in enumerate(lines, 1):
            if rest.startswith(("---", "+++")):
                continue
            m = CALL.match(rest)
            if not m:
                continue
            call, args, ret, retpath, err = m.groups()
            self.syscall(call, split_args(args), ret, retpath, err, own, (name, n))

    def obj(self, p, own):
        return self.path(self.proc(p, own))

    def syscall(self, call, a, ret, retpath, err, own, where):
        ok = ret not in ("?",) and not ret.startswith("-")

        def P(p):
            return self.obj(p, own)

        if call == "execve" and ok:
            self.add("exec", P(unquote(a[0])), where)
        elif call in ("openat", "open"):
            dirfd, name, flags = (a[0], a[1], a[2]) if call == "openat" else ("AT_FDCWD", a[0], a[1])
            target = retpath if ok and retpath else join(fd_path(dirfd), unquote(name))
            if target is None:
                return
            given = join(fd_path(dirfd), unquote(name))
            if ok and given and os.path.normpath(given) != os.path.normpath(target) \
                    and not target.startswith(("/dev/", "/proc/")):
                self.symlinks(given, own, where)
            if not ok:
                if "O_CREAT" in flags and err not in ("EEXIST", "ENOENT", "ELOOP"):
                    self.add("create", P(target), where)
                else:
                    self.add("lookup", P(target), where)
                return
            if target.startswith("/dev/null"):
                target = "/dev/null"
            if "O_DIRECTORY" in flags:
                self.add("list", P(target) + "/" if not P(target).endswith("/") else P(target), where)
                return
            if "O_CREAT" in flags:
                self.add("create", P(target), where)
            if "O_WRONLY" in flags:
                self.add("write", P(target), where)
            elif "O_RDWR" in flags:
                self.add("read", P(target), where)
                self.add("write", P(target), where)
            else:
                self.add("read", P(target), where)
        elif call in ("newfstatat", "statx", "stat", "lstat", "access", "faccessat", "faccessat2"):
            if call in ("stat", "lstat", "access"):
                p = join("/", unquote(a[0]))
            elif unquote(a[1]) == "" and self.inherited(a[0], "getattr", where):
                return
            else:
                p = join(fd_path(a[0]), unquote(a[1]))
            if p is None or p.startswith(("pipe:", "socket:", "UNIX")):
                return
            isdir = any("S_IFDIR" in x for x in a[2:])
            if ok:
                self.add("getattr", P(p) + ("/" if isdir and not p.endswith("/") else ""), where)
            else:
                self.add("lookup", P(p), where)
        elif call == "mmap" and len(a) >= 5:
            p = fd_path(a[4])
            if p:
                self.add("map-exec" if "PROT_EXEC" in a[2] else "map", P(p), where)
        elif call == "mkdirat" or call == "mkdir":
            p = join(fd_path(a[0]), unquote(a[1])) if call == "mkdirat" else join("/", unquote(a[0]))
            self.add("mkdir" if ok else "lookup", P(p) + "/", where)
        elif call == "unlinkat":
            p = join(fd_path(a[0]), unquote(a[1]))
            if ok:
                self.add("rmdir" if "AT_REMOVEDIR" in a[2] else "unlink",
                         P(p) + ("/" if "AT_REMOVEDIR" in a[2] else ""), where)
            else:
                self.add("lookup", P(p), where)
        elif call in ("renameat", "renameat2"):
            src = join(fd_path(a[0]), unquote(a[1]))
            dst = join(fd_path(a[2]), unquote(a[3]))
            if ok:
                self.add("rename-from", P(src), where)
                self.add("rename-to", P(dst), where)
        elif call in ("fchmod", "fchown", "ftruncate"):
            p = fd_path(a[0])
            if p:
                self.add("setattr", self.dirslash(p, P(p)), where)
        elif call in ("fchmodat", "fchownat"):
            p = join(fd_path(a[0]), unquote(a[1]))
            if p:
                self.add("setattr", P(p), where)
        elif call == "flock" or (call == "fcntl" and re.search(r"F_(OFD_)?SETLKW?", a[1])):
            p = fd_path(a[0])
            if p:
                self.add("lock", self.dirslash(p, P(p)), where)
        elif call == "getdents64":
            p = fd_path(a[0])
            if p:
                self.add("list", P(p) + "/", where)
        elif call in ("read", "write", "ioctl", "recvfrom", "sendto", "recvmsg", "sendmsg",
                      "getsockname", "getpeername", "getsockopt", "setsockopt", "shutdown"):
            self.socket_use(call, a, ok, where)
        elif call == "socket" and ok:
            fam, typ = a[0], a[1].split("|")[0]
            self.add("socket", f"{fam}:{typ}", where)
        elif call == "socketpair" and ok:
            self.add("socket", f"{a[0]}:{a[1].split('|')[0]}:pair", where)
        elif call == "connect":
            self.connect(a, ok, err, where)
        elif call in ("clone", "clone3", "fork", "vfork") and ok:
            self.add("process", "fork", where)
        elif call in ("kill", "tkill", "tgkill"):
            target = a[1] if call == "tgkill" else a[0]
            sig = a[-1]
            self.add("signal", ("self" if target in own or target == "0" else "other") + ":" + sig,
                     where)
        elif call == "capset" and ok:
            self.add("process", "setcap", where)
        elif call in ("prlimit64", "setrlimit"):
            new = a[2] if call == "prlimit64" else a[1]
            if new != "NULL":
                self.add("process", "setrlimit", where)
        elif call == "readlinkat" or call == "readlink":
            p = join(fd_path(a[0]), unquote(a[1])) if call == "readlinkat" else unquote(a[0])
            if p:
                self.add("readlink", P(p), where)

    def dirslash(self, test_path, deployed):
        """A trailing "/" for a directory (the test's directories still exist when the suite
        checks its trace)."""
        if deployed.endswith("/") or not os.path.isdir(test_path):
            return deployed
        return deployed + "/"

    def symlinks(self, given, own, where):
        """Each symlink crossed on the way to a file (SELinux checks lnk_file read)."""
        cur = "/"
        for part in [x for x in given.split("/") if x]:
            nxt = os.path.join(cur, part)
            try:
                if os.path.islink(nxt):
                    self.add("follow", self.obj(nxt, own), where)
                    nxt = os.path.realpath(nxt)
            except OSError:
                return
            cur = nxt

    def inherited(self, fd, call, where):
        """A use of descriptor 0, 1 or 2, which the helper was started with: the PAM
        application's socketpair, /dev/null, a pipe or terminal of an administrator's shell.
        True when fd is one."""
        m = re.match(r"^([012])<(.*)>$", fd)
        if not m:
            return False
        what = m.group(2)
        if what.startswith(("UNIX-STREAM", "UNIX:")):
            kind = "unix-stream"
        elif what.startswith("/dev/null"):
            kind = "/dev/null"
        elif what.startswith("pipe:"):
            kind = "pipe"
        elif what.startswith(("/dev/pts/", "/dev/tty")):
            kind = "tty"
        else:
            kind = what
        self.add("inherited", f"{kind}:{call}", where)
        return True

    def socket_use(self, call, a, ok, where):
        self.inherited(a[0], call, where)

    def connect(self, a, ok, err, where):
        addr = a[1]
        m = re.search(r'sun_path="([^"]*)"', addr)
        if m:
            self.add("connect", "unix:" + self.path(m.group(1)), where)
            return
        m = re.search(r"sin6?_port=htons\((\d+)\)", addr)
        if m:
            port = int(m.group(1))
            fam = "inet6" if "AF_INET6" in addr else "inet"
            what = "sts" if self.sts_port and port == self.sts_port else \
                "redis" if self.redis_port and port == self.redis_port else str(port)
            self.add("connect", f"{fam}:tcp:{what}" if "SOCK_DGRAM" not in addr else f"{fam}:udp:{what}", where)
            return
        if "AF_UNSPEC" in addr:
            return
        self.add("connect", addr[:40], where)

    def read_caps(self, text):
        for line in text.splitlines():
            parts = line.split()
            if len(parts) != 4 or parts[0] not in self.pids:
                continue
            pid, cap, ret, caller = parts
            if ret != "0":
                continue	# refused: the helper could not do it, so no policy needs to allow it
            if cap_not_a_use(caller):
                continue
            cap = int(cap)
            name = CAP_NAMES[cap] if cap < len(CAP_NAMES) else str(cap)
            self.add("capability", name, ("caps", caller))


def load(log_dir, pathmap, caps_text, sts_port=None, redis_port=None, user_pids=()):
    t = Trace(pathmap, sts_port, redis_port, user_pids)
    for f in sorted(os.listdir(log_dir)):
        if f.endswith(".strace"):
            with open(os.path.join(log_dir, f), errors="replace") as fh:
                t.read_log(f, fh.read())
    if caps_text is not None:
        t.read_caps(caps_text)
    return t
