"""run — drive the generated cases against `ecs-saml-helper verify`, or self-check them.

  run.py keys DIR                        make throwaway test keys in DIR
  run.py verify --helper H --keys K --work W [--only RE] [--dump DIR]
                                         run every case; print ok/not ok lines
  run.py selfcheck --keys K --work W [--only RE]
                                         prove the generator: every signature of a case
                                         marked intact verifies with the xmlsec1 CLI and the
                                         pinned certificate (KeyInfo ignored), and the
                                         KeyInfo forgeries marked naive fool the CLI's
                                         defaults

Result lines come from tests/lib/tap.py: "ok - NAME" / "not ok - NAME: WHY".
"""

import argparse
import base64
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))

import cases  # noqa: E402
import samlgen as g  # noqa: E402
import tap  # noqa: E402

ARROW = "\u2192"


def write_conf(path, keydir, statedir, over):
	"""The validator's configuration for one case: defaults below, overridden per case.
	A list value repeats the key; idp_cert names are key names in keydir."""
	conf = {
		"idp_entity_id": g.IDP_ENTITY,
		"idp_cert": ["idp-rsa2048", "idp-ec-p256"],
		"audience": g.AUDIENCE,
		"recipient": g.RECIPIENT,
		"clock_skew": "180",
		"max_assertion_age": "300",
		"allow_sha1": "no",
		"user_source": "role_session_name",
		"require_source_identity": "no",
		"state_dir": statedir,
	}
	conf.update(over)
	lines = []
	for key, val in conf.items():
		for v in (val if isinstance(val, list) else [val]):
			if key == "idp_cert":
				v = os.path.join(keydir, v + ".crt.pem")
			lines.append("%s = %s" % (key, v))
	fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
	with os.fdopen(fd, "w") as f:
		f.write("\n".join(lines) + "\n")


def parse_fields(out):
	fields = {}
	for line in out.splitlines():
		k, sep, v = line.partition("=")
		if not sep:
			continue
		if k == "role":
			fields.setdefault("role", []).append(v)
		else:
			fields[k] = v
	return fields


def judge(c, rc, out, err):
	"""'' when the outcome is what the case wants, else why not."""
	got = "exit %d, stderr %r" % (rc, err.strip()[:300])
	lines = [l for l in err.splitlines() if l.strip()]
	if c.want == "config":
		return "" if rc == 2 else "want a configuration refusal (exit 2), got " + got
	if c.want == "reject":
		if rc != 1 or len(lines) != 1:
			return "want exactly one line 'reject: %s: ...' and exit 1, got %s" % (c.code, got)
		m = re.match(r"^reject: ([a-z-]+): .+", lines[0])
		if not m:
			return "malformed reject line: " + got
		if m.group(1) != c.code:
			return "got code %s, want %s (%s)" % (m.group(1), c.code, lines[0][:300])
		if c.msg and not re.search(c.msg, lines[0]):
			return "message does not match %r: %s" % (c.msg, lines[0][:300])
		return ""
	if rc != 0 or err.strip():
		return "want accept (exit 0, nothing on stderr), got " + got
	f = parse_fields(out)
	for k, v in c.fields.items():
		have = f.get(k)
		if k == "role":
			have = sorted(have or [])
			v = sorted(v)
		if have != v:
			return "field %s: got %r, want %r" % (k, have, v)
	return ""


def title(c):
	verdict = {"accept": "accepted", "config": "config refused"}.get(c.want, c.code)
	if c.steps > 1:
		verdict = "accepted then " + verdict
	return "%s %s %s %s" % (c.cid, c.title, ARROW, verdict)


def run_verify(a, keys, selected):
	failed = 0
	for c in selected:
		name = title(c)
		try:
			data = c.fn(keys)
		except Exception as e:  # a generator bug is a failed test, never a skip
			failed += not tap.check(name, False, "generator raised %r" % e)
			continue
		# A case may hand over several inputs, submitted in turn (replay); every one but
		# the last must be accepted, the last gets the case's verdict.
		inputs = data if isinstance(data, list) else [data] * c.steps
		if a.dump:
			for i, d in enumerate(inputs):
				with open(os.path.join(a.dump, "%s%s.in" % (c.cid, "-%d" % i if i else "")),
					  "wb") as f:
					f.write(d)
		statedir = os.path.join(a.work, "state", c.cid)
		os.makedirs(statedir, mode=0o700, exist_ok=True)
		conf = os.path.join(a.work, "conf", c.cid + ".conf")
		os.makedirs(os.path.dirname(conf), exist_ok=True)
		write_conf(conf, a.keys, statedir, c.conf)
		argv = [a.helper, "verify", "--config", conf, "--at", cases.NOW] + c.args
		why = ""
		said = ""
		for step, d in enumerate(inputs):
			try:
				p = subprocess.run(argv, input=d, capture_output=True, timeout=120)
			except subprocess.TimeoutExpired:
				why = "verify did not finish within 120 s"
				break
			out, err = p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
			said = (err.strip().splitlines() or ["exit %d" % p.returncode])[0][:300]
			if step < len(inputs) - 1:
				if p.returncode != 0:
					why = "submission %d should be accepted, got exit %d %r" % (
						step + 1, p.returncode, err.strip()[:300])
					break
				continue
			why = judge(c, p.returncode, out, err)
		failed += not tap.check(name, not why, why)
		# Commentary for the log (not a result line): the helper's own words.
		print("    %s" % said)
	return failed


def doc_of(data):
	if isinstance(data, list):
		data = data[-1]
	s = data.lstrip()
	return s if s.startswith(b"<") else base64.b64decode(b"".join(s.split()))


SIG_XPATH = "(//*[local-name()='Signature' and namespace-uri()='%s'])[%d]"


def run_naive(a, keys, c):
	"""The reference's experiments 1 and 2: xmlsec1 with default key handling verifies the
	forgery, given only the IdP certificate, because it takes the key from KeyInfo."""
	name = "selfcheck %s: xmlsec1 with default KeyInfo handling is fooled (the attack is real)" % c.cid
	path = os.path.join(a.work, "naive-%s.xml" % c.cid)
	with open(path, "wb") as f:
		f.write(doc_of(c.fn(keys)))
	p = subprocess.run(["xmlsec1", "--verify", "--pubkey-cert-pem",
			    os.path.join(a.keys, "idp-rsa2048.crt.pem"),
			    "--id-attr:ID", g.NS_A + ":Assertion", path], capture_output=True, timeout=60)
	return tap.check(name, p.returncode == 0, "xmlsec1 exit %d: %r" % (
		p.returncode, p.stderr.decode("utf-8", "replace").strip()[-300:]))


def run_selfcheck(a, keys, selected):
	failed = 0
	for c in selected:
		if c.naive:
			failed += not run_naive(a, keys, c)
		if not c.intact:
			continue
		name = "selfcheck %s: xmlsec1 verifies the %s signature(s) with the pinned key" % (
			c.cid, "intact" if c.want == "reject" else "valid")
		try:
			xml = doc_of(c.fn(keys))
		except Exception as e:
			failed += not tap.check(name, False, "generator raised %r" % e)
			continue
		path = os.path.join(a.work, "selfcheck-%s.xml" % c.cid)
		with open(path, "wb") as f:
			f.write(xml)
		doc = g.etree.fromstring(xml, g.etree.XMLParser(resolve_entities=False))
		sigs = doc.xpath("//*[local-name()='Signature' and namespace-uri()='%s']" % g.NS_DS)
		cert = os.path.join(a.keys, c.sigkey + ".crt.pem")
		oks = []
		for i, sig in enumerate(sigs, 1):
			# Declare as ID only the attribute of the element type the Reference names:
			# the CLI refuses a document whose other elements repeat that ID (XSW copies).
			uri = (sig.xpath("./*[local-name()='SignedInfo']/*[local-name()='Reference']/@URI")
			       or ["#"])[0]
			tgt = doc.xpath("//*[@ID=$v]", v=uri[1:])
			idattr = ["--id-attr:ID", "%s:%s" % (g.etree.QName(tgt[0]).namespace,
							       g.etree.QName(tgt[0]).localname)] if tgt else []
			p = subprocess.run(["xmlsec1", "--verify", "--enabled-key-data", "key-name",
					    "--pubkey-cert-pem", cert] + idattr +
					   ["--node-xpath", SIG_XPATH % (g.NS_DS, i), path],
					   capture_output=True, timeout=60)
			oks.append(p.returncode == 0)
		if c.want == "reject":
			ok = any(oks)
		else:
			ok = bool(oks) and all(oks)
		failed += not tap.check(name, ok, "xmlsec1 results per signature: %s" % oks)
	return failed


def main():
	ap = argparse.ArgumentParser()
	ap.add_argument("mode", choices=("keys", "verify", "selfcheck"))
	ap.add_argument("dir", nargs="?")
	ap.add_argument("--helper")
	ap.add_argument("--keys")
	ap.add_argument("--work")
	ap.add_argument("--only")
	ap.add_argument("--dump")
	a = ap.parse_args()
	if a.mode == "keys":
		g.make_keys(a.dir)
		return 0
	keys = g.load_keys(a.keys)
	selected = [c for c in cases.CASES if not a.only or re.search(a.only, c.cid)]
	if a.mode == "verify":
		return 1 if run_verify(a, keys, selected) else 0
	return 1 if run_selfcheck(a, keys, selected) else 0


if __name__ == "__main__":
	sys.exit(main())
