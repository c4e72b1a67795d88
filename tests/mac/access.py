"""The helper's access list (tests/mac/helper-access): what ecs-saml-helper does that a
mandatory access control judges, on a deployed bastion, each with the reason.

Line format:   [option] [probe] OP OBJECT [KEY=VALUE...] -- why
  OP       what is done to OBJECT (see OPS)
  OBJECT   a deployed path, "*" standing for one name and "**" for any depth, a trailing "/"
           for a directory; /proc/PAM-APP/... is the PAM application's process (sshd, sudo);
           for the other OPs a name (capability name, socket family:type, ...)
  option   needed by a documented option or kind of host, not by the tests' bastions (for
           example /run/user/UID under pam_systemd, DNS for the default STS endpoint)
  probe    the helper (or a library) asks, and a denial changes nothing: a policy may deny
           it, silently (SELinux dontaudit, AppArmor deny)
  class=C  the SELinux object class when it is not file (or dir for a trailing "/")
  selinux=none / apparmor=none
           the access never happens inside the helper's confinement under that LSM (why)
"""
import re
from collections import namedtuple

OPS = {
    # files and directories
    "exec", "map", "map-exec", "read", "write", "create", "mkdir", "unlink", "rmdir",
    "rename-from", "rename-to", "getattr", "setattr", "lock", "list", "lookup", "follow",
    "readlink",
    # everything else
    "connect", "socket", "process", "capability", "signal", "inherited",
}
PATH_OPS = OPS - {"connect", "socket", "process", "capability", "signal", "inherited"}

Entry = namedtuple("Entry", "op pattern flags attrs why line regex")


def glob_regex(pattern):
    """'*' one path name (or any run of characters but '/'), '**' anything."""
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        elif pattern[i] == "{":
            j = pattern.index("}", i)
            out += "(?:" + "|".join(re.escape(a) for a in pattern[i + 1:j].split(",")) + ")"
            i = j + 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(out + "$")


def load(path):
    entries, errors = [], []
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if " -- " not in line:
                errors.append(f"line {n}: no reason (' -- why')")
                continue
            spec, why = line.split(" -- ", 1)
            words = spec.split()
            flags = set()
            while words and words[0] in ("option", "probe"):
                flags.add(words.pop(0))
            if len(words) < 2 or words[0] not in OPS:
                errors.append(f"line {n}: unknown operation in '{spec}'")
                continue
            op, pattern = words[0], words[1]
            attrs = {}
            for w in words[2:]:
                if "=" not in w:
                    errors.append(f"line {n}: '{w}' is not KEY=VALUE")
                    continue
                k, v = w.split("=", 1)
                attrs[k] = v
            entries.append(Entry(op, pattern, flags, attrs, why.strip(), n, glob_regex(pattern)))
    return entries, errors


def matching(entries, op, obj):
    return [e for e in entries if e.op == op and e.regex.match(obj)]


def sample(pattern):
    """A concrete path for a pattern: '*' and '**' become 1000, {a,b} its first choice."""
    s = re.sub(r"\{([^,}]*)[^}]*\}", r"\1", pattern)
    return s.replace("**", "1000").replace("*", "1000")
