#!/usr/bin/python3
"""The compiled SELinux policy (base + selinux/pam_ecs_saml) against the helper's access
list (tests/mac/helper-access), both ways:

  1. every access on the list maps to the permissions the kernel checks for it, and the
     policy grants them to ecs_saml_helper_t (a probe may be dontaudited instead);
  2. what the policy grants ecs_saml_helper_t is what the list needs: every allow rule of the
     helper's own type is needed by some entry (beyond the permissions refpolicy's macros
     bundle with a needed one: getattr, open, read, search, ioctl, lock on an object the
     helper already reads), and every attribute the helper has is one of a short, explained
     list (rules through those attributes apply to every domain of that kind).

usage: selinux_check.py POLICY FILE_CONTEXTS ACCESS_LIST
Prints "ok - ..." / "not ok - ...: why" lines (the tests/run format); exit 1 on a failure."""
import collections
import os
import stat
import sys

import selinux
import setools

sys.dont_write_bytecode = True	# no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import access  # noqa: E402

policy_file, fc_file, list_file = sys.argv[1:4]
policy = setools.SELinuxPolicy(policy_file)
selinux.matchpathcon_init(fc_file)
HELPER = "ecs_saml_helper_t"
failed = 0


def report(name, ok, why=""):
    global failed
    if ok:
        print(f"ok - {name}")
    else:
        failed += 1
        print(f"not ok - {name}: {why}")


def expand(name):
    t = policy.lookup_type_or_attr(name)
    return sorted(str(x) for x in t.expand())


# The processes that run the helper through the PAM module (their sockets are its stdin and
# stdout, their /proc entries it reads), and the one that runs the gc timer.
PAM_APPS = ["sshd_t"] + expand("sudodomain")
TIMER = ["init_t"]
# The logged-in users' own processes (exec teardown reads and signals their plugin).
USERS = expand("userdomain")

# Attributes the helper may have, and why (rules through them apply to every such domain).
# CIL also names the expansion of a set such as "domain -self" in another module's rule
# NAME_typeattr_N: the helper is in it as a domain, which says nothing about what it may do.
ATTRIBUTES = {
    "domain": "every process domain (domain_type)",
}


def explained_attribute(a):
    return a in ATTRIBUTES or "_typeattr_" in a

# --- object types ---------------------------------------------------------------------------
MODE = {"dir": stat.S_IFDIR, "file": stat.S_IFREG, "lnk_file": stat.S_IFLNK,
        "sock_file": stat.S_IFSOCK, "chr_file": stat.S_IFCHR}


def type_transition(source, parent, tclass, name):
    for r in setools.TERuleQuery(policy, ruletype=["type_transition"], source=source,
                                 target=parent, tclass=[tclass]).results():
        try:
            fname = r.filename
        except Exception:
            fname = None
        if fname in (None, name):
            return str(r.default)
    return None


_types = {}


def types_of(path, tclass):
    """The type(s) an object at path has on a deployed bastion: file_contexts when it names
    one; otherwise (created at run time) the helper's type_transition in its parent, or the
    parent's type. /proc/PAM-APP/... is the PAM application's process, /proc/USER-PROC/... a
    logged-in user's."""
    key = (path, tclass)
    if key in _types:
        return _types[key]
    if path in ("/proc", "/proc/"):
        out = ["proc_t"]
    elif path.startswith("/proc/PAM-APP"):
        out = PAM_APPS
    elif path.startswith("/proc/USER-PROC"):
        out = USERS
    elif path.startswith("/proc/self"):
        out = [HELPER]
    else:
        try:
            out = [selinux.matchpathcon(path.rstrip("/") or "/", MODE.get(tclass, 0))[1].split(":")[2]]
        except OSError:
            parent, name = os.path.split(path.rstrip("/"))
            pt = types_of(parent or "/", "dir")
            out = [type_transition(HELPER, pt[0], tclass, name) or pt[0]]
    _types[key] = out
    return out


def ancestors(path):
    parts = [p for p in path.rstrip("/").split("/") if p]
    return ["/" + "/".join(parts[:i]) for i in range(len(parts))]


# --- what each entry needs --------------------------------------------------------------------
Need = collections.namedtuple("Need", "source target tclass perms probe")


def file_class(e):
    if "class" in e.attrs:
        return e.attrs["class"]
    return "dir" if e.pattern.endswith("/") else "file"


def needs(e):
    """The (source, target, class, permissions) the kernel checks for entry e."""
    out = []
    probe = "probe" in e.flags

    def add(targets, tclass, perms, source=(HELPER,)):
        for s in source:
            for t in targets:
                out.append(Need(s, t, tclass, frozenset(perms), probe))

    if e.op in access.PATH_OPS:
        path = access.sample(e.pattern)
        cls = "lnk_file" if e.op in ("follow", "readlink") else file_class(e)
        # the path is looked up by the helper, or for exec by whoever runs it
        for anc in ancestors(path):
            add(types_of(anc, "dir"), "dir", {"search"},
                source=(PAM_APPS + TIMER) if e.op == "exec" else (HELPER,))
        parent = os.path.dirname(path.rstrip("/")) or "/"
        obj = types_of(path, cls)
        ptype = types_of(parent, "dir")
        simple = {"read": {"open", "read"}, "write": {"open", "write"}, "getattr": {"getattr"},
                  "setattr": {"setattr"}, "lock": {"lock"}, "list": {"open", "read"},
                  "follow": {"read"}, "readlink": {"read"}, "map": {"map", "read"},
                  "map-exec": {"map", "read", "execute"}}
        if e.op in simple:
            add(obj, cls, simple[e.op])
        elif e.op == "create":
            add(ptype, "dir", {"add_name", "write"})
            add(obj, cls, {"create"})
        elif e.op == "mkdir":
            add(ptype, "dir", {"add_name", "write"})
            add(obj, "dir", {"create"})
        elif e.op in ("unlink", "rmdir"):
            add(ptype, "dir", {"remove_name", "write"})
            add(obj, cls, {e.op})
        elif e.op == "rename-from":
            add(ptype, "dir", {"remove_name", "write"})
            add(obj, cls, {"rename"})
        elif e.op == "rename-to":
            # over an existing file, which goes away
            add(ptype, "dir", {"add_name", "remove_name", "write"})
            add(obj, cls, {"unlink"})
        elif e.op == "exec":
            add(obj, "file", {"entrypoint", "read", "execute", "map"})
            callers = PAM_APPS + TIMER
            add(obj, "file", {"execute", "getattr", "open", "read"}, source=callers)
            add([HELPER], "process", {"transition"}, source=callers)
        # lookup: the ancestors' search only
    elif e.op == "capability":
        add([HELPER], "capability", {e.pattern})
    elif e.op == "process":
        add([HELPER], "process", {e.pattern})
    elif e.op == "signal":
        # receive:SIG from the PAM application, send:SIG to it, self:SIG within the helper
        direction, _, sig = e.pattern.partition(":")
        perm = {"kill": "sigkill", "chld": "sigchld", "stop": "sigstop"}.get(sig, "signal")
        if direction == "receive":
            add([HELPER], "process", {perm}, source=PAM_APPS)
        elif direction == "send":
            add({"pam": PAM_APPS, "timer": TIMER, "user": USERS}[e.attrs.get("from", "pam")],
                "process", {perm})
        else:
            add([HELPER], "process", {perm})
    elif e.op == "socket":
        fam, typ = e.pattern.split(":")[:2]
        pair = e.pattern.endswith(":pair")
        cls = {("AF_UNIX", "SOCK_STREAM"): "unix_stream_socket",
               ("AF_UNIX", "SOCK_DGRAM"): "unix_dgram_socket",
               ("AF_INET", "SOCK_STREAM"): "tcp_socket", ("AF_INET6", "SOCK_STREAM"): "tcp_socket",
               ("AF_INET", "SOCK_DGRAM"): "udp_socket", ("AF_INET6", "SOCK_DGRAM"): "udp_socket",
               ("AF_NETLINK", "SOCK_RAW"): "netlink_route_socket"}[(fam, typ)]
        # what the helper and its libraries do with each kind (see the trace's system calls)
        perms = {"unix_stream_socket": {"create", "read", "write", "getattr"} | (set() if pair else {"connect"}),
                 "unix_dgram_socket": {"create", "connect", "write"},
                 "tcp_socket": {"create", "connect", "getattr", "getopt", "setopt", "read", "write"},
                 "udp_socket": {"create", "connect", "getattr", "getopt", "setopt", "read", "write"},
                 "netlink_route_socket": {"create", "bind", "getattr", "read", "write", "nlmsg_read"}}[cls]
        add([HELPER], cls, perms)
    elif e.op == "connect":
        kind, _, rest = e.pattern.partition(":")
        if kind == "unix":
            path = rest
            for anc in ancestors(path):
                add(types_of(anc, "dir"), "dir", {"search"})
            add(types_of(path, "sock_file"), "sock_file", {"write"})
            peer = e.attrs.get("peer")
            if peer:
                cls = e.attrs.get("class", "unix_stream_socket")
                add([peer], cls, {"sendto"} if cls == "unix_dgram_socket" else {"connectto"})
        else:
            port_type = e.attrs.get("port", "http_port_t")
            add([port_type], "tcp_socket", {"name_connect"})
    elif e.op == "inherited":
        kind = e.pattern.split(":")[0]
        callers = {"pam": PAM_APPS, "timer": TIMER}[e.attrs.get("from", "pam")]
        add(callers, "fd", {"use"})
        if kind == "unix-stream":
            add(callers, "unix_stream_socket", {"read", "write", "getattr", "ioctl"})
        elif kind == "/dev/null":
            add(types_of("/dev/null", "chr_file"), "chr_file", {"read", "write", "getattr", "ioctl"})
    return out


_index = {}


def index(source, kind):
    """(target, class) -> permissions the policy's kind rules give source (attributes
    expanded on both sides), from one query per source: querying per need is far too slow."""
    key = (source, kind)
    if key not in _index:
        idx = collections.defaultdict(set)
        for r in setools.TERuleQuery(policy, ruletype=[kind], source=source).results():
            targets = [source] if str(r.target) == "self" else [str(t) for t in r.target.expand()]
            for t in targets:
                idx[(t, str(r.tclass))] |= set(r.perms)
        _index[key] = idx
    return _index[key]


def granted(n):
    """Permissions of n the policy allows (and, for a probe, dontaudits)."""
    got = set(index(n.source, "allow").get((n.target, n.tclass), ()))
    if n.probe:
        got |= index(n.source, "dontaudit").get((n.target, n.tclass), set())
    return got


# --- 1. every entry is granted ------------------------------------------------------------------
entries, errors = access.load(list_file)
report("the access list parses", not errors, "; ".join(errors))
all_needs = []
for e in entries:
    if e.attrs.get("selinux") == "none":
        continue
    ns = needs(e)
    all_needs += ns
    missing = []
    for n in ns:
        lack = set(n.perms) - granted(n)
        if lack:
            missing.append(f"{n.source} {n.target}:{n.tclass} {{{' '.join(sorted(lack))}}}")
    if missing and "probe" in e.flags:
        # a probe may also stop silently at a directory it is not let search
        stop = [n for n in ns if n.tclass == "dir" and n.perms == {"search"} and
                "search" in index(n.source, "dontaudit").get((n.target, "dir"), set()) and
                "search" not in index(n.source, "allow").get((n.target, "dir"), set())]
        if stop:
            missing = []
    tag = ("option " if "option" in e.flags else "") + ("probe " if "probe" in e.flags else "")
    report(f"SELinux grants the helper: {tag}{e.op} {e.pattern}", not missing,
           "denied: " + "; ".join(sorted(set(missing))))

# --- 2. nothing much beyond ----------------------------------------------------------------------
helper_type = policy.lookup_type(HELPER)
attrs = sorted(str(a) for a in helper_type.attributes())
extra = [a for a in attrs if not explained_attribute(a)]
report("the helper's attributes are the explained ones", not extra, f"unexplained {extra}")

BENIGN = {"getattr", "open", "read", "search", "ioctl", "lock", "map"}
# Reading a symbolic link tells only where it points (the target is checked on its own).
ALWAYS_BENIGN = {("lnk_file", p) for p in ("read", "getattr", "ioctl", "lock")}
# What every domain gets from the base policy (domain_type: its own /proc entries, sigchld
# and signull to init, ...), which the compiler writes out per type: a permission that these
# unrelated small domains all have too, on themselves or on the same target, is baseline.
REFERENCE = ["chkpwd_t", "hostname_t", "dmesg_t"]


def baseline(target, tclass, perm):
    for ref in REFERENCE:
        t = ref if target == HELPER else target
        if perm not in index(ref, "allow").get((t, tclass), set()):
            return False
    return True

need_by = collections.defaultdict(set)
for n in all_needs:
    if n.source == HELPER:
        need_by[(n.target, n.tclass)] |= set(n.perms)
beyond = collections.defaultdict(set)
for r in setools.TERuleQuery(policy, ruletype=["allow"], source=HELPER).results():
    if str(r.source) != HELPER:
        continue	# through an attribute: judged above
    for t in r.target.expand():
        t = str(t)
        key = (t if t != HELPER else HELPER, str(r.tclass))
        need = need_by.get(key)
        for p in r.perms:
            if (str(r.tclass), p) in ALWAYS_BENIGN or baseline(t, str(r.tclass), p):
                continue
            # append is a narrower write
            if need is not None and (p in need or p in BENIGN or (p == "append" and "write" in need)):
                continue
            beyond[key].add(p)
for (t, c), perms in sorted(beyond.items()):
    report(f"SELinux grants ecs_saml_helper_t only what its accesses need: {t}:{c}", False,
           f"{{{' '.join(sorted(perms))}}} is needed by no entry of the access list")
report("every permission the policy grants the helper's own type is needed by an access",
       not beyond, f"{len(beyond)} object kinds with permissions nothing needs")
sys.exit(1 if failed else 0)
