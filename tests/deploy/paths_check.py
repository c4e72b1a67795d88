#!/usr/bin/python3
"""Every path of a deployed bastion, as the code, README, pam.d/pam_ecs_saml.conf.example,
selinux/pam_ecs_saml.fc, apparmor/ecs-saml-helper, systemd/pam_ecs_saml.tmpfiles and
`make install` name it: they must agree.

usage: paths_check.py TOP STAGE DEFAULT_LIBEXECDIR
  TOP     the source tree
  STAGE   a `make install PREFIX=/usr DESTDIR=STAGE` tree
  DEFAULT_LIBEXECDIR  the Makefile's LIBEXECDIR when PREFIX is not given
Prints "ok - ..." / "not ok - ...: why" lines (the tests/run format)."""
import os
import re
import stat
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
sys.dont_write_bytecode = True	# keep the source tree clean
import tap  # noqa: E402

top, stage, default_libexec = sys.argv[1:4]


def read(*parts):
    with open(os.path.join(*parts)) as f:
        return f.read()


def c_define(path, name):
    m = re.search(r'#define\s+' + name + r'\s+"([^"]+)"', read(top, path))
    return m.group(1)


# --- the paths the code fixes ---------------------------------------------------------------
conf_default = re.search(r'\{ "state_dir",.*?\n\s*"([^"]+)" \}', read(top, "libecs/ecs_conf.c"), re.S)
STATE = conf_default.group(1)
SPOOL = c_define("helper/store/ticket.h", "ECS_TICKET_SPOOL")
FALLBACK = c_define("helper/store/credfile.h", "ECS_CRED_FALLBACK")
RUN_USER = c_define("helper/store/credfile.h", "ECS_CRED_RUN_USER")
CRED_SUB = c_define("helper/store/credfile.h", "ECS_CRED_SUBDIR")
makefile = read(top, "Makefile")
CONF = re.search(r"^CONF_PATH\s*\?=\s*\$\(SYSCONFDIR\)(\S+)", makefile, re.M).group(1)
CONF = "/etc" + CONF
CONF_DIR = CONF[: -len(".conf")]		# /etc/security/pam_ecs_saml: certificates, metadata, policy
mk_state = re.search(r"^STATE_DIR\s*:=\s*(\S+)", makefile, re.M).group(1)
HELPER_USR = "/usr/libexec/pam_ecs_saml/ecs-saml-helper"
HELPER_DEFAULT = default_libexec + "/ecs-saml-helper"
KNOWN = {
    "configuration file": CONF,
    "configuration directory": CONF_DIR,
    "state directory": STATE,
    "spool": SPOOL,
    "credential fallback": FALLBACK,
}
tap.check("Makefile's STATE_DIR is state_dir's default in the code", mk_state == STATE,
          f"{mk_state} vs {STATE}")
# The users' fallback runtime directories are theirs to fill: never on the spool's file
# system (credfile.h says why), so not under /run.
tap.check("the credential fallback lies outside /run, where the spool is",
          FALLBACK.startswith("/dev/shm/") and not FALLBACK.startswith("/run/"),
          f"{FALLBACK} vs {SPOOL}")

# --- README and the example configuration ---------------------------------------------------
readme = read(top, "README")
example = read(top, "pam.d/pam_ecs_saml.conf.example")
for what, p in KNOWN.items():
    tap.check(f"README names the {what} {p}", p in readme, "not mentioned")
tap.check(f"README names the per-user credential directory {RUN_USER}/UID/{CRED_SUB}",
          f"{RUN_USER}/UID" in readme and CRED_SUB in readme, "not mentioned")


def ours(p):
    """A path in the product's own namespace (not a system file such as /etc/ssl/...)."""
    return "pam_ecs_saml" in p or "ecs-exec-session-policy" in p or "ecs-saml" in p


def allowed(p):
    p = p.rstrip(".,;:)'`\"")
    for base in (CONF, STATE, SPOOL, RUN_USER, FALLBACK):
        if p == base or p.startswith(base + "/"):
            return True
    if p.startswith(CONF_DIR + "/") or p == CONF_DIR:
        return True
    if p.startswith(("/usr/share/doc/pam_ecs_saml", "/etc/apparmor.d/", "/etc/ssh/sshd_config.d/",
                     "/etc/pam.d/", "/etc/sudoers.d/")):
        return True
    if re.match(r"^/usr/(local/)?(lib|libexec|sbin|bin|share)/", p):
        return True
    return False


PATH_RE = re.compile(r"(?<![\w.$}])(/(?:etc|var|run|usr|lib|dev)/[\w./@%{}<>*+-]*)")
for name, text in (("README", readme), ("pam.d/pam_ecs_saml.conf.example", example)):
    bad = sorted({p for p in PATH_RE.findall(text) if ours(p) and not allowed(p)})
    tap.check(f"{name}: every path of ours is the configuration, its directory, the state, the "
              f"spool or an installed file", not bad, f"unexpected {bad}")
for key in ("idp_cert", "idp_metadata", "session_policy"):
    vals = re.findall(r"^#?\s*" + key + r"\s*=\s*(/\S+)", example, re.M) + \
        re.findall(r"^\s*(?:# or: )?" + key + r"\s*=\s*(/\S+)", readme, re.M)
    tap.check(f"{key} in the example and README lies in {CONF_DIR}/",
              vals and all(v.startswith(CONF_DIR + "/") for v in vals), f"values {vals}")
m = re.search(r"^#state_dir = (\S+)", example, re.M)
tap.check("the example's state_dir default is the code's", m and m.group(1) == STATE,
          f"example says {m.group(1) if m else 'nothing'}, the code {STATE}")
tap.check(f"the example names its own path {CONF}", example.startswith(f"# {CONF}"),
          "first line: " + example.splitlines()[0])

# --- SELinux file contexts ------------------------------------------------------------------
fc = []
for line in read(top, "selinux/pam_ecs_saml.fc").splitlines():
    if not line.strip() or line.startswith("#"):
        continue
    parts = line.split()
    regex, ctx = parts[0], parts[-1]
    ftype = parts[1] if len(parts) == 3 else None
    typ = re.search(r"gen_context\([^:]+:[^:]+:([^,]+),", ctx).group(1)
    fc.append((re.compile(regex + "$"), ftype, typ, not re.search(r"[.*+?\[(]", regex.replace("\\.", ""))))


def fc_type(path, ftype=None):
    """libselinux's rule: the last matching entry wins, entries without regex first of all."""
    best = None
    for exact in (False, True):
        for rx, t, typ, is_exact in fc:
            if is_exact == exact and rx.match(path) and (t is None or ftype is None or t == ftype):
                best = typ
    return best


expect = [
    (HELPER_USR, "--", "ecs_saml_helper_exec_t"),
    (HELPER_DEFAULT, "--", "ecs_saml_helper_exec_t"),
    (CONF, "--", "ecs_saml_conf_t"),
    (CONF_DIR, "-d", "ecs_saml_conf_t"),
    (CONF_DIR + "/idp-signing.crt.pem", "--", "ecs_saml_conf_t"),
    (STATE, "-d", "ecs_saml_var_lib_t"),
    (STATE + "/usermap", "--", "ecs_saml_var_lib_t"),
    (SPOOL, "-d", "ecs_saml_runtime_t"),
    (SPOOL + "/tickets/x", "--", "ecs_saml_runtime_t"),
    (FALLBACK, "-d", "ecs_saml_cred_t"),
    (FALLBACK + "/1000/" + CRED_SUB + "/x/credentials", "--", "ecs_saml_cred_t"),
    (RUN_USER + "/1000/" + CRED_SUB + "/x/credentials", "--", "ecs_saml_cred_t"),
]
for path, ftype, want in expect:
    got = fc_type(path, ftype)
    tap.check(f"selinux/pam_ecs_saml.fc labels {path} {want}", got == want, f"gets {got}")

# --- make install ---------------------------------------------------------------------------
st = os.path.join(stage, STATE.lstrip("/"))
try:
    mode = stat.S_IMODE(os.stat(st).st_mode)
    tap.check(f"make install creates {STATE} 0755", stat.S_ISDIR(os.stat(st).st_mode) and mode == 0o755,
              f"mode {oct(mode)}")
except OSError as e:
    tap.check(f"make install creates {STATE} 0755", False, str(e))
tap.check(f"make install installs the helper at {HELPER_USR}",
          os.path.isfile(os.path.join(stage, HELPER_USR.lstrip("/"))), "missing")
tmpf = os.path.join(stage, "usr/lib/tmpfiles.d/pam_ecs_saml.conf")
entries = {}
if os.path.isfile(tmpf):
    for line in read(tmpf).splitlines():
        if line.strip() and not line.startswith("#"):
            f = line.split()
            entries[f[1]] = (f[0], f[2], f[3], f[4])
tap.check("make install installs tmpfiles.d/pam_ecs_saml.conf", os.path.isfile(tmpf), "missing")
for p in (STATE, SPOOL, FALLBACK):
    tap.check(f"tmpfiles.d makes {p} a root-owned 0755 directory",
              entries.get(p) == ("d", "0755", "root", "root"), f"entry {entries.get(p)}")
tap.check("tmpfiles.d names no other path", set(entries) <= {STATE, SPOOL, FALLBACK},
          f"{sorted(entries)}")

prof = os.path.join(stage, "etc/apparmor.d/ecs-saml-helper")
tap.check("make install installs the AppArmor profile /etc/apparmor.d/ecs-saml-helper",
          os.path.isfile(prof), "missing")
if os.path.isfile(prof):
    text = read(prof)
    m = re.search(r"^profile\s+\S+\s+(\S+)\s*(?:flags=\S+\s*)?\{", text, re.M)
    tap.check("the installed profile attaches to the installed helper", m and m.group(1) == HELPER_USR,
              f"attaches to {m.group(1) if m else None}")
    from apparmor.aare import AARE
    rules = [AARE(m.group(1), True) for m in re.finditer(r"^\s*(/\S+)\s+[rwkml]+,", text, re.M)]
    samples = [(CONF, CONF), (CONF_DIR, CONF_DIR + "/idp-signing.crt.pem"),
               (STATE, STATE + "/usermap"), (SPOOL, SPOOL + "/tickets/x"),
               (FALLBACK, FALLBACK + "/1000/" + CRED_SUB + "/x/credentials"),
               (RUN_USER, RUN_USER + "/1000/" + CRED_SUB + "/x/credentials")]
    for what, sample in samples:
        tap.check(f"the AppArmor profile has a rule for {what} ({sample})",
                  any(r.match(sample) for r in rules), "no rule matches")

unit = os.path.join(stage, "usr/lib/systemd/system/ecs-saml-gc.service")
tap.check("the gc service runs the installed helper",
          os.path.isfile(unit) and re.search(r"^ExecStart=" + re.escape(HELPER_USR) + r" gc$", read(unit), re.M),
          "ExecStart differs")

# Files the README's deployment steps take from DOCDIR, and the profile they load.
for p in sorted({p.rstrip(".") for p in re.findall(r"(/usr/share/doc/pam_ecs_saml/[\w./-]+)", readme)}):
    tap.check(f"README's {p} is installed", os.path.exists(os.path.join(stage, p.lstrip("/"))), "missing")
for p in sorted(set(re.findall(r"\$D/([\w./-]+)", readme))):
    tap.check(f"README's $D/{p} is installed in DOCDIR",
              os.path.exists(os.path.join(stage, "usr/share/doc/pam_ecs_saml", p)), "missing")
sys.exit(tap.status())
