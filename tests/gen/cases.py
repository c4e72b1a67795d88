"""cases — every row of the attack catalogue (shared reference §2.1) as generated cases, plus
the valid variants the validator must accept.

A case builds its input with samlgen, names the configuration it runs under, and states the
verdict the validator must reach: `reject` with one CODE (helper/saml_reject.h), `accept`
with the key=value fields it must print, or `config` (exit 2: the configuration itself is
refused). Cases marked intact=True carry at least one signature that the xmlsec1 CLI verifies
with the pinned key: there the attack keeps the cryptography valid, so the expected refusal
has to come from the structural check named by the code, not from a broken signature.
"""

import base64
import copy

from lxml import etree

import samlgen as g
from samlgen import NS_A, NS_DS, NS_P, Spec, q, ts

CASES = []

NOW = g.NOW.strftime("%Y-%m-%dT%H:%M:%SZ")
ROLE_PAIR = "%s,%s" % (g.ROLE_OPERATOR, g.PROVIDER)
SPEC_DEFAULT = Spec()

# The fields an accepted default Response must produce.
FIELDS = {
	"user": "alice",
	"nameid": "alice@corp.example.test",
	"session_name": "alice",
	"source_identity": "alice",
	"session_duration": "3600",
	"role": [ROLE_PAIR],
	"assertion_id": SPEC_DEFAULT.assertion_id,
	"issuer": g.IDP_ENTITY,
	"not_on_or_after": ts(270),
}


class Case:
	def __init__(self, cid, title, fn, want, code, fields, conf, args, intact, steps, sigkey, naive,
		     msg):
		self.cid = cid
		self.title = title
		self.fn = fn
		self.want = want
		self.code = code
		self.fields = fields
		self.conf = conf or {}
		self.args = list(args)
		self.intact = intact
		self.steps = steps
		self.sigkey = sigkey
		self.naive = naive
		self.msg = msg


def case(cid, title, want="reject", code=None, fields=None, conf=None, args=(), intact=False,
	 steps=1, sigkey="idp-rsa2048", naive=False, msg=None):
	"""Register the decorated builder fn(keys) -> bytes (the stdin of verify), or a list of
	inputs submitted in turn. naive=True: the xmlsec1 CLI with its default key handling
	(KeyInfo trusted) accepts the forgery, which proves the attack real, not a broken input.
	msg: a regular expression the reject line must also match (the message, not just the
	code)."""
	def deco(fn):
		f = fields
		if want == "accept" and f is None:
			f = FIELDS
		CASES.append(Case(cid, title, fn, want, code, f, conf, args, intact, steps, sigkey, naive,
				  msg))
		return fn
	return deco


def accepted(**over):
	f = dict(FIELDS)
	f.update(over)
	return {k: v for k, v in f.items() if v is not None}


# ---------------------------------------------------------------------------- helpers

def enc(root_or_bytes, **kw):
	x = root_or_bytes if isinstance(root_or_bytes, bytes) else g.serialize(root_or_bytes)
	return g.b64(x, **kw)


def signed(keys, pre=None, **spec):
	return g.make(Spec(**spec), keys, pre)


def set_text(root, path, value):
	for el in q(root, path):
		el.text = value


def evilize(a, user="mallory"):
	"""Turn an Assertion into the attacker's: another NameID and RoleSessionName."""
	set_text(a, ".//a:NameID", user + "@corp.example.test")
	for av in q(a, ".//a:Attribute[@Name='%s']/a:AttributeValue" % g.ATTR_RSN):
		av.text = user
	for av in q(a, ".//a:Attribute[@Name='%s']/a:AttributeValue" % g.ATTR_SRC):
		av.text = user


def unsigned_copy(el, new_id=None):
	c = copy.deepcopy(el)
	for s in q(c, "./ds:Signature"):
		c.remove(s)
	if new_id:
		c.set("ID", new_id)
	return c


def after_issuer(parent):
	iss = q(parent, "./a:Issuer")
	return parent.index(iss[0]) + 1 if iss else 0


def ds(local, attrib=None):
	return etree.Element("{%s}%s" % (NS_DS, local), attrib or {}, nsmap={"ds": NS_DS})


def a_el(local):
	return etree.Element("{%s}%s" % (NS_A, local), nsmap={"saml": NS_A})


def p_el(local):
	return etree.Element("{%s}%s" % (NS_P, local), nsmap={"samlp": NS_P})


def sub(xml, old, new, count=1):
	"""Replace old by new in serialised bytes; a mutation that matches nothing is a
	generator bug, never a silently unmodified (and so misleading) case."""
	if old not in xml:
		raise ValueError("mutation target %r not found" % old)
	return xml.replace(old, new, count)


def with_doctype(xml, doctype):
	"""Insert a DOCTYPE after the XML declaration of serialised bytes."""
	decl_end = xml.index(b"?>") + 2
	return xml[:decl_end] + b"\n" + doctype + xml[decl_end:]


EVIL_ID = "_e0e1e2e3e4e5e6e7e8e9eaebecedeeef0"


# ---------------------------------------------------------------------------- XSW family

@case("XSW1", "Response copy inside the Response's ds:Signature, outer Response evil", code="wrapping")
def _(k):
	r = signed(k, sign="response")
	sig = g.signature_of(r)
	sig.append(unsigned_copy(r))
	r.set("ID", EVIL_ID)
	evilize(g.assertion(r))
	return enc(r)


@case("XSW2", "Response copy as a sibling before the Signature, outer Response evil", code="wrapping",
      intact=True)
def _(k):
	r = signed(k, sign="response")
	sig = g.signature_of(r)
	cp = unsigned_copy(r)
	r.insert(r.index(sig), cp)
	r.set("ID", EVIL_ID)
	evilize(g.assertion(r))
	return enc(r)


@case("XSW3", "evil assertion first, signed original second", code="wrapping", intact=True)
def _(k):
	r = signed(k)
	a = g.assertion(r)
	evil = unsigned_copy(a, EVIL_ID)
	evilize(evil)
	r.insert(r.index(a), evil)
	return enc(r)


@case("XSW4", "signed original nested inside the evil assertion", code="wrapping", intact=True)
def _(k):
	r = signed(k)
	a = g.assertion(r)
	evil = unsigned_copy(a, EVIL_ID)
	evilize(evil)
	r.replace(a, evil)
	evil.append(a)
	return enc(r)


@case("XSW5", "evil assertion keeps the Signature, unsigned original copy appended", code="wrapping",
      intact=True)
def _(k):
	r = signed(k)
	a = g.assertion(r)
	r.append(unsigned_copy(a))
	a.set("ID", EVIL_ID)
	evilize(a)
	return enc(r)


@case("XSW6", "evil assertion keeps the Signature, original copy inside ds:Signature", code="wrapping")
def _(k):
	r = signed(k)
	a = g.assertion(r)
	cp = unsigned_copy(a)
	a.set("ID", EVIL_ID)
	evilize(a)
	g.signature_of(a).append(cp)
	return enc(r)


@case("XSW7", "signed original in samlp:Extensions, evil assertion in place", code="wrapping", intact=True)
def _(k):
	r = signed(k)
	a = g.assertion(r)
	evil = unsigned_copy(a, EVIL_ID)
	evilize(evil)
	ext = p_el("Extensions")
	r.insert(after_issuer(r), ext)
	r.replace(a, evil)
	ext.append(a)
	return enc(r)


@case("XSW7b", "evil assertion copy in samlp:Extensions beside the signed original", code="wrapping",
      intact=True)
def _(k):
	r = signed(k)
	a = g.assertion(r)
	evil = unsigned_copy(a, EVIL_ID)
	evilize(evil)
	ext = p_el("Extensions")
	ext.append(evil)
	r.insert(after_issuer(r), ext)
	return enc(r)


@case("XSW8", "evil assertion keeps the Signature, original copy with the same ID in ds:Object",
      code="wrapping")
def _(k):
	r = signed(k)
	a = g.assertion(r)
	cp = unsigned_copy(a)
	evilize(a)
	obj = ds("Object")
	obj.append(cp)
	g.signature_of(a).append(obj)
	return enc(r)


@case("XSW-var-a", "signed Response nested inside an evil Response", code="wrapping", intact=True)
def _(k):
	inner = signed(k, sign="response")
	outer = g.build(Spec(response_id=EVIL_ID, assertion_id="_e1" + EVIL_ID[3:]))
	evilize(g.assertion(outer))
	outer.insert(after_issuer(outer), inner)
	return enc(outer)


@case("XSW-var-b", "signed original inside saml:Advice of an evil assertion", code="wrapping", intact=True)
def _(k):
	r = signed(k)
	a = g.assertion(r)
	evil = unsigned_copy(a, EVIL_ID)
	evilize(evil)
	advice = a_el("Advice")
	cond = q(evil, "./a:Conditions")[0]
	evil.insert(evil.index(cond) + 1, advice)
	r.replace(a, evil)
	advice.append(a)
	return enc(r)


@case("XSW-var-c", "doubled: two validly signed assertions (alice, mallory)", code="wrapping", intact=True)
def _(k):
	r = signed(k)
	other = signed(k, assertion_id=EVIL_ID, nameid="mallory@corp.example.test",
		       session_name="mallory", source_identity="mallory")
	r.append(g.assertion(other))
	return enc(r)


@case("XSW-var-d", "concealed: signed assertion in a foreign wrapper element, evil assertion in place",
      code="wrapping", intact=True)
def _(k):
	r = signed(k)
	a = g.assertion(r)
	evil = unsigned_copy(a, EVIL_ID)
	evilize(evil)
	wrapper = etree.Element("{urn:example:wrapper}Wrapper", nsmap={"w": "urn:example:wrapper"})
	r.replace(a, evil)
	wrapper.append(a)
	r.append(wrapper)
	return enc(r)


@case("XSW-multi-SI", "second attacker SignedInfo with digests over the modified assertion",
      code="signature")
def _(k):
	r = signed(k)
	a = g.assertion(r)
	sig = g.signature_of(a)
	a.remove(sig)
	evilize(a)
	si2 = copy.deepcopy(sig.find("{%s}SignedInfo" % NS_DS))
	si2.find(".//{%s}DigestValue" % NS_DS).text = g._digest(g.c14n(a), "sha256")
	a.insert(after_issuer(a), sig)
	sig.insert(2, si2)	# SignedInfo, SignatureValue, attacker SignedInfo
	return enc(r)


# ---------------------------------------------------------------------------- signature presence/position

@case("SIG-EXCL-a", "no Signature at all", code="signature")
def _(k):
	return enc(signed(k, sign="none"))


@case("SIG-EXCL-b", "Signature deleted and assertion edited", code="signature")
def _(k):
	r = signed(k)
	a = g.assertion(r)
	a.remove(g.signature_of(a))
	evilize(a)
	return enc(r)


def _move_sig(k, where):
	r = signed(k)
	a = g.assertion(r)
	sig = g.signature_of(a)
	q(a, where)[0].append(sig)
	return enc(r)


@case("SIG-POS-a", "Signature moved under the Assertion's Issuer", code="wrapping", intact=True)
def _(k):
	return _move_sig(k, "./a:Issuer")


@case("SIG-POS-b", "Signature moved under Subject", code="wrapping", intact=True)
def _(k):
	return _move_sig(k, "./a:Subject")


@case("SIG-POS-c", "Reference URI=\"\" (whole document)", code="reference")
def _(k):
	r = g.build(Spec())
	g.sign(g.assertion(r), k["idp-rsa2048"], uri="", digest_target=r)
	return enc(r)


@case("SIG-POS-d", "Reference to a non-existent ID", code="wrapping")
def _(k):
	r = g.build(Spec())
	g.sign(g.assertion(r), k["idp-rsa2048"], uri="#_nosuchid0123456789")
	return enc(r)


@case("SIG-POS-e", "Signature in the Assertion references the Response; the Assertion is consumed",
      code="wrapping", intact=True)
def _(k):
	r = g.build(Spec())
	g.sign(g.assertion(r), k["idp-rsa2048"], digest_target=r)
	return enc(r)


@case("SIG-POS-f", "Reference without a URI attribute", code="reference")
def _(k):
	r = g.build(Spec())
	g.sign(g.assertion(r), k["idp-rsa2048"], uri=False)
	return enc(r)


@case("SIG-POS-g", "two References (assertion and response) in one SignedInfo", code="reference")
def _(k):
	r = signed(k)
	a = g.assertion(r)
	sig = g.signature_of(a)
	si = sig.find("{%s}SignedInfo" % NS_DS)
	ref2 = copy.deepcopy(si.find("{%s}Reference" % NS_DS))
	ref2.set("URI", "#" + Spec().response_id)
	si.append(ref2)
	g.resign_value(sig, k["idp-rsa2048"])
	return enc(r)


# A Signature among its parent's children but out of the schema's place still signs exactly
# the element that is consumed: a malformed layout (structure), not a wrapping attempt.
@case("SIG-POS-h", "Signature a direct child of the Assertion but last, not after the Issuer",
      code="structure", intact=True, msg="Assertion Signature is not right after its Issuer")
def _(k):
	r = signed(k)
	a = g.assertion(r)
	a.append(g.signature_of(a))
	return enc(r)


@case("SIG-POS-h2", "Response Signature last, after the Assertion (node-samlp/Auth0 before 2017)",
      code="structure", intact=True, msg="Response Signature is not right after its Issuer")
def _(k):
	r = signed(k, sign="response")
	r.append(g.signature_of(r))
	return enc(r)


@case("SIG-POS-h3", "Response Signature last AND naming the Assertion: wrapping wins over layout",
      code="wrapping", intact=True)
def _(k):
	r = g.build(Spec())
	g.sign(r, k["idp-rsa2048"], digest_target=g.assertion(r))
	r.append(g.signature_of(r))
	return enc(r)


@case("SIG-POS-i", "Response-level Signature whose Reference names the Assertion", code="wrapping",
      intact=True)
def _(k):
	r = g.build(Spec())
	g.sign(r, k["idp-rsa2048"], digest_target=g.assertion(r))
	return enc(r)


@case("SIG-DUP", "two Signatures on the Assertion, the outer one valid over the inner", code="wrapping",
      intact=True)
def _(k):
	r = signed(k)
	g.sign(g.assertion(r), k["idp-rsa2048"], alg="rsa-sha512", digest="sha512")
	return enc(r)


@case("SIG-BOTH-a", "genuine Assertion signature plus an attacker-key Response signature", code="signature")
def _(k):
	r = signed(k)
	g.sign(r, k["attacker-rsa2048"])
	return enc(r)


@case("SIG-BOTH-b", "genuine Response signature over a broken Assertion signature", code="signature")
def _(k):
	r = g.build(Spec())
	sig = g.sign(g.assertion(r), k["idp-rsa2048"])
	sv = sig.find("{%s}SignatureValue" % NS_DS)
	sv.text = base64.b64encode(b"\x01" * 256).decode()
	g.sign(r, k["idp-rsa2048"])
	return enc(r)


# ---------------------------------------------------------------------------- keys and algorithms

@case("CERT-FAKE-a", "edited, re-signed by an attacker key with its (IdP-lookalike) cert in KeyInfo",
      code="signature")
def _(k):
	return enc(signed(k, pre=lambda r: evilize(g.assertion(r)), key="attacker-rsa2048"))


@case("CERT-FAKE-b", "edited, re-signed by an attacker key with an RSA KeyValue in KeyInfo",
      code="signature", naive=True)
def _(k):
	return enc(signed(k, pre=lambda r: evilize(g.assertion(r)), key="attacker-rsa2048",
			  keyinfo="keyvalue"))


@case("CERT-FAKE-c", "genuine IdP signature but the KeyInfo carries the attacker cert (KeyInfo ignored)",
      want="accept", intact=True)
def _(k):
	r = signed(k)
	sig = g.signature_of(g.assertion(r))
	sig.find(".//{%s}X509Certificate" % NS_DS).text = k["attacker-rsa2048"].cert_b64()
	return enc(r)


@case("HMAC-CONF-a", "hmac-sha256 with the secret in KeyInfo/HMACKeyValue", code="algorithm",
      naive=True)
def _(k):
	return enc(signed(k, pre=lambda r: evilize(g.assertion(r)), key="hmac", alg="hmac-sha256",
			  keyinfo="hmac"))


@case("HMAC-CONF-b", "hmac-sha1 keyed with the IdP certificate bytes", code="algorithm")
def _(k):
	key = g.Key("hmac", None, secret=k["idp-rsa2048"].cert.public_bytes(
		g.serialization.Encoding.PEM))
	r = g.build(Spec())
	evilize(g.assertion(r))
	g.sign(g.assertion(r), key, alg="hmac-sha1", keyinfo="none")
	return enc(r)


@case("HMAC-TRUNC", "hmac-sha1 with HMACOutputLength 40", code="algorithm")
def _(k):
	r = g.build(Spec())
	g.sign(g.assertion(r), k["hmac"], alg="hmac-sha1", keyinfo="hmac", hmac_bits=40)
	return enc(r)


@case("ALG-WEAK-a", "rsa-sha1 + sha1 with allow_sha1 = no", code="algorithm", intact=True)
def _(k):
	return enc(signed(k, alg="rsa-sha1", digest="sha1"))


@case("ALG-WEAK-b", "rsa-sha1 + sha1 with allow_sha1 = yes (opt-in) is accepted", want="accept",
      conf={"allow_sha1": "yes"}, intact=True)
def _(k):
	return enc(signed(k, alg="rsa-sha1", digest="sha1"))


@case("ALG-WEAK-c", "rsa-sha256 over an md5 digest", code="algorithm", intact=True)
def _(k):
	return enc(signed(k, digest="md5"))


@case("ALG-WEAK-d", "rsa-md5 signature method", code="algorithm", intact=True)
def _(k):
	return enc(signed(k, alg="rsa-md5"))


@case("ALG-WEAK-e", "rsa-sha256 over a sha1 digest with allow_sha1 = no", code="algorithm", intact=True)
def _(k):
	return enc(signed(k, digest="sha1"))


# Log injection (issue 10, item 5): the Algorithm is read before any signature, and the reject
# message quotes it. The reject line stays one line, and the helper's syslog record escapes it
# into its reason field (suite 52 parses that record back under a real sshd).
@case("LOG-INJECT", "a SignatureMethod Algorithm carrying a forged log record",
      code="algorithm", msg=r'^reject: algorithm: .*uses SignatureMethod x" user=root code=ok auth ok: user="root, which')
def _(k):
	r = signed(k)
	for m in q(r, "//ds:SignatureMethod"):
		m.set("Algorithm", 'x" user=root code=ok auth ok: user="root')
	return enc(r)


@case("ALG-WEAK-f", "signed by an RSA-1024 key (not pinned)", code="signature")
def _(k):
	return enc(signed(k, key="idp-rsa1024"))


@case("ALG-WEAK-g", "an RSA-1024 pinned certificate is refused as configuration", want="config",
      conf={"idp_cert": ["idp-rsa1024"]})
def _(k):
	return enc(signed(k, key="idp-rsa1024"))


# ---------------------------------------------------------------------------- DigestValue games

@case("DV-COMMENT-a", "comment before the genuine DigestValue text: xmlsec reads the content, valid",
      want="accept", intact=True)
def _(k):
	# xml-crypto read the first child node of DigestValue (CVE-2025-29775). xmlsec reads the
	# whole text content and exc-c14n drops the comment from SignedInfo, so the genuine
	# digest with a comment in front is a valid signature: the correct verdict is accept.
	r = signed(k)
	dv = g.signature_of(g.assertion(r)).find(".//{%s}DigestValue" % NS_DS)
	c = etree.Comment("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
	c.tail = dv.text
	dv.text = None
	dv.append(c)
	return enc(r)


@case("DV-COMMENT-b", "edited assertion, attacker digest as text, genuine digest hidden in a comment",
      code="signature")
def _(k):
	r = signed(k)
	a = g.assertion(r)
	sig = g.signature_of(a)
	dv = sig.find(".//{%s}DigestValue" % NS_DS)
	a.remove(sig)
	evilize(a)
	fake = g._digest(g.c14n(a), "sha256")
	a.insert(after_issuer(a), sig)
	c = etree.Comment(dv.text)
	c.tail = fake
	dv.text = None
	dv.append(c)
	return enc(r)


@case("DV-XPATH", "edited assertion, matching DigestValue planted in samlp:Extensions", code="signature")
def _(k):
	r = signed(k)
	a = g.assertion(r)
	sig = g.signature_of(a)
	a.remove(sig)
	evilize(a)
	fake = g._digest(g.c14n(a), "sha256")
	a.insert(after_issuer(a), sig)
	ext = p_el("Extensions")
	d = ds("DigestValue")
	d.text = fake
	ext.append(d)
	r.insert(after_issuer(r), ext)
	return enc(r)


# ---------------------------------------------------------------------------- parser tricks

@case("PARSER-DIFF-1", "DOCTYPE with a SYSTEM literal opening a comment sandwich", code="dtd")
def _(k):
	x = g.serialize(signed(k))
	x = with_doctype(x, b"<!DOCTYPE samlp:Response SYSTEM 'x\"><!--'>")
	return enc(sub(x, b"</samlp:Response>", b"<!--\"--></samlp:Response>"))


@case("PARSER-DIFF-2", "assertion Signature moved into StatusDetail with an odd (U+0080) xmlns",
      code="wrapping")
def _(k):
	r = signed(k)
	a = g.assertion(r)
	sig = g.signature_of(a)
	evilize(a)
	st = q(r, "./p:Status")[0]
	det = etree.SubElement(st, "{%s}StatusDetail" % NS_P, nsmap={"x": "urn:example:ODD"})
	det.append(sig)
	# lxml refuses to build the odd URI, so it goes in after serialisation.
	return enc(sub(g.serialize(r), b"urn:example:ODD", "urn:example:\u0080odd".encode()))


@case("LIBXML-ID", "internal DTD entity used inside the Response ID", code="dtd")
def _(k):
	x = g.serialize(signed(k))
	rid = Spec().response_id.encode()
	x = sub(x, b'ID="' + rid + b'"', b'ID="&rid;"')
	return enc(with_doctype(x, b'<!DOCTYPE samlp:Response [<!ENTITY rid "' + rid + b'">]>'))


@case("ID-DUP-a", "two elements with the Assertion's ID (Extensions decoy)", code="wrapping")
def _(k):
	r = signed(k)
	ext = p_el("Extensions")
	decoy = etree.SubElement(ext, "{urn:example:decoy}Decoy", nsmap={"d": "urn:example:decoy"})
	decoy.set("ID", Spec().assertion_id)
	r.insert(after_issuer(r), ext)
	return enc(r)


@case("ID-DUP-b", "xml:id carrying the Assertion's ID on an attacker element", code="wrapping")
def _(k):
	r = signed(k)
	ext = p_el("Extensions")
	decoy = etree.SubElement(ext, "{urn:example:decoy}Decoy", nsmap={"d": "urn:example:decoy"})
	decoy.set("{http://www.w3.org/XML/1998/namespace}id", Spec().assertion_id)
	r.insert(after_issuer(r), ext)
	return enc(r)


@case("ID-DUP-c", "internal-subset ATTLIST declaring an attacker attribute as ID", code="dtd")
def _(k):
	x = g.serialize(signed(k))
	return enc(with_doctype(x, b"<!DOCTYPE samlp:Response [<!ATTLIST samlp:Status evil ID #IMPLIED>]>"))


@case("ID-DUP-d", "lowercase id and Id attributes repeating the Assertion's ID", code="wrapping")
def _(k):
	r = signed(k)
	q(r, "./p:Status")[0].set("id", Spec().assertion_id)
	return enc(r)


@case("ID-DUP-e", "Id attribute on the Response equal to the Assertion's ID", code="wrapping")
def _(k):
	r = signed(k)
	r.set("Id", Spec().assertion_id)
	return enc(r)


@case("ID-FORM", "Assertion ID that is not an XML name (starts with a digit)", code="structure")
def _(k):
	return enc(signed(k, assertion_id="1a0f1e2d3c4b5a69788796a5b4c3d2e1f0"))


@case("ID-MISSING", "Assertion without an ID inside a signed Response", code="structure")
def _(k):
	r = g.build(Spec())
	del g.assertion(r).attrib["ID"]
	g.sign(r, k["idp-rsa2048"])
	return enc(r)


@case("MULTI-ASSERT-a", "signed assertion plus a second unsigned assertion after it", code="wrapping",
      intact=True)
def _(k):
	r = signed(k)
	evil = unsigned_copy(g.assertion(r), EVIL_ID)
	evilize(evil)
	r.append(evil)
	return enc(r)


@case("MULTI-ASSERT-b", "signed assertion plus an EncryptedAssertion", code="encrypted")
def _(k):
	r = signed(k)
	r.append(_encrypted_assertion())
	return enc(r)


@case("MULTI-ROOT", "a second root element after the signed Response", code="xml")
def _(k):
	x = g.serialize(signed(k))
	evil = g.serialize(g.build(Spec(response_id=EVIL_ID)))
	return enc(x + evil[evil.index(b"?>") + 2:])


@case("SIGNED-VIEW", "IdP-signed LogoutRequest in Extensions beside an unsigned evil assertion",
      code="wrapping", intact=True)
def _(k):
	r = g.build(Spec())
	evilize(g.assertion(r))
	lr = etree.Element("{%s}LogoutRequest" % NS_P, nsmap={"samlp": NS_P, "saml": NS_A})
	lr.set("ID", "_l0a1b2c3d4e5f60718293a4b5c6d7e8f9")
	lr.set("Version", "2.0")
	lr.set("IssueInstant", ts(-30))
	etree.SubElement(lr, "{%s}Issuer" % NS_A).text = g.IDP_ENTITY
	etree.SubElement(lr, "{%s}NameID" % NS_A).text = "alice@corp.example.test"
	ext = p_el("Extensions")
	ext.append(lr)
	r.insert(after_issuer(r), ext)
	r = g.reparse(r)
	g.sign(q(r, "./p:Extensions/p:LogoutRequest")[0], k["idp-rsa2048"])
	return enc(r)


@case("ROUNDTRIP", "CR char reference in RoleSessionName is read as signed, not as re-serialised",
      code="session-name")
def _(k):
	# A C validator verifies and extracts from one xmlDoc, so a round-trip attack reduces to
	# "the value read is the parsed, signed value": here alice + U+000D, which is refused.
	return enc(signed(k, session_name="alice\r"))


@case("SHAPE-a", "Signature without SignatureValue", code="signature")
def _(k):
	r = signed(k)
	sig = g.signature_of(g.assertion(r))
	sig.remove(sig.find("{%s}SignatureValue" % NS_DS))
	return enc(r)


@case("SHAPE-b", "empty SignedInfo (no Reference)", code="reference")
def _(k):
	r = signed(k)
	si = g.signature_of(g.assertion(r)).find("{%s}SignedInfo" % NS_DS)
	for c in list(si):
		si.remove(c)
	return enc(r)


@case("SHAPE-c", "garbage Conditions NotOnOrAfter date (signed)", code="structure")
def _(k):
	return enc(signed(k, pre=lambda r: q(r, "//a:Conditions")[0].set("NotOnOrAfter", "tomorrow")))


@case("SHAPE-d", "garbage IssueInstant (signed)", code="structure")
def _(k):
	return enc(signed(k, pre=lambda r: g.assertion(r).set("IssueInstant", "2026-13-45T99:99:99Z")))


@case("SHAPE-e", "SignatureValue that is not base64", code="signature")
def _(k):
	r = signed(k)
	g.signature_of(g.assertion(r)).find("{%s}SignatureValue" % NS_DS).text = "!!not*base64!!"
	return enc(r)


@case("NAMEID-COMMENT-a", "comment inside NameID: the full text is read (user_source=nameid)",
      want="accept", conf={"user_source": "nameid"}, intact=True,
      fields=accepted(user="alicebob", nameid="alicebob"))
def _(k):
	return enc(signed(k, pre=_nameid_comment))


@case("NAMEID-COMMENT-b", "comment inside NameID: --user alice (the truncated text) does not match",
      code="user-mismatch", conf={"user_source": "nameid"}, args=("--user", "alice"), intact=True)
def _(k):
	return enc(signed(k, pre=_nameid_comment))


def _nameid_comment(r):
	n = q(r, "//a:NameID")[0]
	n.text = "alice"
	c = etree.Comment("")
	c.tail = "bob"
	n.append(c)


@case("NAMEID-CDATA", "CDATA split inside NameID: the full text is read (user_source=nameid)",
      want="accept", conf={"user_source": "nameid"}, intact=True,
      fields=accepted(user="alicebob", nameid="alicebob"))
def _(k):
	# exc-c14n writes CDATA as text, so the signature over "alicebob" holds.
	x = g.serialize(signed(k, nameid="alicebob"))
	return enc(sub(x, b">alicebob<", b">alice<![CDATA[bob]]><"))


# Values forwarded to AWS (RoleSessionName, SourceIdentity, Role, PrincipalTag:*,
# SessionDuration) must be one text node. The signature covers the concatenation
# "alicebob", but STS is another XML reader: one that stops at the comment (the
# CVE-2017-11427 class) would start the AWS session as "alice" while the bastion maps
# "alicebob". Refusing the split value leaves no room for the two readings to differ, with
# any user_source. NameID is not forwarded and keeps the full-text reading (NAMEID-COMMENT).
SPLIT_MSG = r"split by a comment .*AWS may read it differently"


def _split(name, index=0, head="alice", tail="bob"):
	"""pre-hook: the index-th value of Attribute name becomes head<!---->tail."""
	def pre(r):
		av = q(r, "//a:Attribute[@Name='%s']/a:AttributeValue" % name)[index]
		av.text = head
		c = etree.Comment("")
		c.tail = tail
		av.append(c)
	return pre


@case("RSN-COMMENT", "comment split in RoleSessionName: alice<!---->bob is refused, AWS may read "
      "only alice", code="session-name", msg=SPLIT_MSG, intact=True)
def _(k):
	return enc(signed(k, pre=_split(g.ATTR_RSN)))


@case("RSN-COMMENT-nameid", "comment split in RoleSessionName with user_source=nameid: still "
      "refused, it is forwarded to AWS", code="session-name", msg=SPLIT_MSG,
      conf={"user_source": "nameid"}, intact=True)
def _(k):
	return enc(signed(k, pre=_split(g.ATTR_RSN)))


@case("RSN-CDATA", "RoleSessionName as text then CDATA (alice<![CDATA[bob]]>): refused, a "
      "reader may keep one piece", code="session-name", msg=SPLIT_MSG, intact=True)
def _(k):
	# exc-c14n writes CDATA as text, so the signature over "alicebob" holds.
	x = g.serialize(signed(k, session_name="alicebob"))
	return enc(sub(x, b">alicebob<", b">alice<![CDATA[bob]]><"))


@case("SRCID-COMMENT", "comment split in SourceIdentity", code="source-identity", msg=SPLIT_MSG,
      intact=True)
def _(k):
	return enc(signed(k, pre=_split(g.ATTR_SRC)))


@case("ROLE-COMMENT", "comment split in a Role value (role ARN, comment, rest of the pair)",
      code="role", msg=SPLIT_MSG, intact=True)
def _(k):
	return enc(signed(k, pre=_split(g.ATTR_ROLE, head=g.ROLE_OPERATOR, tail="," + g.PROVIDER)))


@case("TAG-COMMENT", "comment split in a PrincipalTag value", code="attribute", msg=SPLIT_MSG,
      intact=True)
def _(k):
	return enc(signed(k, pre=_split(g.ATTR_TAG + "Department", head="Plat", tail="form")))


@case("DUR-COMMENT", "comment split in SessionDuration (36<!---->00)", code="session-duration",
      msg=SPLIT_MSG, intact=True)
def _(k):
	return enc(signed(k, pre=_split(g.ATTR_DUR, head="36", tail="00")))


@case("XXE-a", "external file entity in the NameID", code="dtd")
def _(k):
	x = sub(g.serialize(signed(k)), b"alice@corp.example.test<", b"&xxe;<")
	return enc(with_doctype(x, b'<!DOCTYPE samlp:Response [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>'))


@case("XXE-b", "external parameter entity to the metadata address", code="dtd")
def _(k):
	x = g.serialize(signed(k))
	return enc(with_doctype(x, b'<!DOCTYPE samlp:Response [<!ENTITY % p SYSTEM '
				 b'"http://169.254.169.254/latest/meta-data/"> %p;]>'))


@case("XEE-a", "billion laughs in the NameID", code="dtd")
def _(k):
	ents = b'<!ENTITY l0 "lol">' + b"".join(
		b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 10))
	x = sub(g.serialize(signed(k)), b"alice@corp.example.test<", b"&l9;<")
	return enc(with_doctype(x, b"<!DOCTYPE samlp:Response [" + ents + b"]>"))


@case("XEE-b", "quadratic blowup: a 2000-character entity referenced 30 times", code="dtd")
def _(k):
	x = sub(g.serialize(signed(k)), b"alice@corp.example.test<", b"&big;" * 30 + b"<")
	return enc(with_doctype(x, b'<!DOCTYPE samlp:Response [<!ENTITY big "' + b"a" * 2000 + b'">]>'))


XSLT = "http://www.w3.org/TR/1999/REC-xslt-19991116"
XPATH = "http://www.w3.org/TR/1999/REC-xpath-19991116"
XPATH2 = "http://www.w3.org/2002/06/xmldsig-filter2"


def _with_transforms(k, transforms, fill=None):
	r = g.build(Spec())
	sig = g.sign(g.assertion(r), k["idp-rsa2048"], transforms=transforms)
	if fill:
		fill(sig)
		g.resign_value(sig, k["idp-rsa2048"])
	return enc(r)


@case("XSLT", "XSLT transform in the Reference", code="algorithm")
def _(k):
	def fill(sig):
		t = sig.findall(".//{%s}Transform" % NS_DS)[1]
		xsl = "http://www.w3.org/1999/XSL/Transform"
		ss = etree.SubElement(t, "{%s}stylesheet" % xsl, {"version": "1.0"}, nsmap={"xsl": xsl})
		etree.SubElement(ss, "{%s}template" % xsl, {"match": "/"}).text = "pwned"
	return _with_transforms(k, [(g.T_ENVELOPED, None), (XSLT, None), (g.C14N_EXC, None)], fill)


@case("XPATH-a", "XPath filter transform", code="algorithm")
def _(k):
	def fill(sig):
		t = sig.findall(".//{%s}Transform" % NS_DS)[1]
		ds_x = etree.SubElement(t, "{%s}XPath" % NS_DS)
		ds_x.text = "not(ancestor-or-self::*[local-name()='NameID'])"
	return _with_transforms(k, [(g.T_ENVELOPED, None), (XPATH, None), (g.C14N_EXC, None)], fill)


@case("XPATH-b", "XPath Filter 2.0 transform", code="algorithm")
def _(k):
	def fill(sig):
		t = sig.findall(".//{%s}Transform" % NS_DS)[1]
		x = etree.SubElement(t, "{%s}XPath" % XPATH2, {"Filter": "subtract"}, nsmap={"dsig-xpath": XPATH2})
		x.text = "//*[local-name()='NameID']"
	return _with_transforms(k, [(g.T_ENVELOPED, None), (XPATH2, None), (g.C14N_EXC, None)], fill)


@case("XPATH-c", "too many transforms (12)", code="algorithm")
def _(k):
	return _with_transforms(k, [(g.T_ENVELOPED, None)] + [(g.C14N_EXC, None)] * 11)


@case("XPATH-d", "#xpointer(id(...)) Reference URI", code="reference")
def _(k):
	r = g.build(Spec())
	g.sign(g.assertion(r), k["idp-rsa2048"], uri="#xpointer(id('%s'))" % Spec().assertion_id)
	return enc(r)


@case("XPATH-e", "c14n-with-comments instead of exclusive c14n in the Reference", code="algorithm")
def _(k):
	return _with_transforms(k, [(g.T_ENVELOPED, None), (g.C14N_EXC_COMMENTS, None)])


@case("XPATH-f", "only the exc-c14n transform (enveloped missing)", code="algorithm")
def _(k):
	return _with_transforms(k, [(g.C14N_EXC, None)])


@case("REMOTE-REF-a", "Reference URI http://127.0.0.1:9/assertion.xml", code="reference")
def _(k):
	r = g.build(Spec())
	g.sign(g.assertion(r), k["idp-rsa2048"], uri="http://127.0.0.1:9/assertion.xml")
	return enc(r)


@case("REMOTE-REF-b", "Reference URI file:///etc/passwd", code="reference")
def _(k):
	r = g.build(Spec())
	g.sign(g.assertion(r), k["idp-rsa2048"], uri="file:///etc/passwd")
	return enc(r)


@case("REMOTE-REF-c", "attacker-signed, KeyInfo/RetrievalMethod to the attacker's cert file",
      code="signature")
def _(k):
	r = g.build(Spec())
	evilize(g.assertion(r))
	sig = g.sign(g.assertion(r), k["attacker-rsa2048"], keyinfo="none")
	ki = etree.SubElement(sig, "{%s}KeyInfo" % NS_DS)
	etree.SubElement(ki, "{%s}RetrievalMethod" % NS_DS, {
		"URI": "file://" + k["attacker-rsa2048"].cert_path.replace(".crt.pem", ".crt.der"),
		"Type": "http://www.w3.org/2000/09/xmldsig#rawX509Certificate"})
	return enc(r)


@case("MANIFEST", "ds:Object/ds:Manifest with a remote Reference inside the Signature", code="structure")
def _(k):
	r = signed(k)
	sig = g.signature_of(g.assertion(r))
	obj = ds("Object")
	man = etree.SubElement(obj, "{%s}Manifest" % NS_DS)
	ref = etree.SubElement(man, "{%s}Reference" % NS_DS, {"URI": "http://127.0.0.1:9/x"})
	etree.SubElement(ref, "{%s}DigestMethod" % NS_DS, {"Algorithm": g.DIGEST_ALGS["sha256"]})
	etree.SubElement(ref, "{%s}DigestValue" % NS_DS).text = "AAAA"
	sig.append(obj)
	return enc(r)


# ---------------------------------------------------------------------------- namespaces

@case("NS-a", "Assertion in the SAML 1.0 assertion namespace", code="structure")
def _(k):
	x = g.serialize(signed(k))
	return enc(sub(x, b'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"',
		       b'xmlns:saml="urn:oasis:names:tc:SAML:1.0:assertion"', -1))


@case("NS-b", "saml prefix rebound on the Assertion to a look-alike URI (trailing space)",
      code="structure")
def _(k):
	x = g.serialize(signed(k))
	return enc(sub(x, b"<saml:Assertion ",
		       b'<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion " '))


@case("NS-c", "ds prefix bound to a foreign namespace (no XML-DSig Signature)", code="signature")
def _(k):
	x = g.serialize(signed(k))
	return enc(sub(x, b'xmlns:ds="http://www.w3.org/2000/09/xmldsig#"',
		       b'xmlns:ds="http://www.w3.org/2000/09/xmldsig#x"', -1))


@case("NS-d", "default namespace for the protocol, odd prefixes elsewhere", want="accept", intact=True)
def _(k):
	return enc(signed(k, prefixes={"p": None, "a": "s2", "ds": "dsig"}))


@case("NS-e", "odd prefixes everywhere", want="accept", intact=True)
def _(k):
	return enc(signed(k, prefixes={"p": "ns1", "a": "ns2", "ds": "ns3"}))


@case("NS-f", "default namespace redefined from protocol to assertion", want="accept", intact=True)
def _(k):
	return enc(signed(k, prefixes={"p": None, "a": None, "ds": "ds"}, sign="both"))


@case("NS-g", "ds as the default namespace inside the Signature", want="accept", intact=True)
def _(k):
	return enc(signed(k, prefixes={"p": "samlp", "a": "saml", "ds": None}))


@case("NS-h", "Assertion without its own namespace declaration (inherited from the Response)",
      want="accept", intact=True)
def _(k):
	return enc(signed(k, assertion_redeclares=False))


# ---------------------------------------------------------------------------- replay and bindings

@case("REPLAY", "same Response consumed twice (--consume)", code="replay", args=("--consume",),
      steps=2, intact=True)
def _(k):
	return enc(signed(k))


@case("REPLAY-b", "the consumed Assertion again, inside a new Response (new Response ID)", code="replay",
      args=("--consume",), intact=True, steps=2)
def _(k):
	first = signed(k)
	again = signed(k, response_id="_r9a8b7c6d5e4f30211203a4b5c6d7e8f9", issue=-20)
	again.replace(g.assertion(again), copy.deepcopy(g.assertion(first)))
	return [enc(first), enc(again)]


@case("REPLAY-c", "the consumed Response again, re-encoded as wrapped base64", code="replay",
      args=("--consume",), intact=True, steps=2)
def _(k):
	x = signed(k)
	return [enc(x), enc(x, wrap=76)]


@case("AUD", "Audience for another SP", code="audience")
def _(k):
	return enc(signed(k, audience="https://sp.example.test/metadata"))


@case("RCPT", "Recipient of another ACS", code="recipient")
def _(k):
	return enc(signed(k, recipient="https://sp.example.test/acs"))


@case("RCPT-b", "SubjectConfirmationData without Recipient", code="subject-confirmation")
def _(k):
	return enc(signed(k, recipient=None))


@case("AUD-b", "second AudienceRestriction for another SP (restrictions are ANDed)", code="audience",
      msg=r"audience is https://sp\.example\.test/metadata, expected")
def _(k):
	def pre(r):
		cond = q(r, "//a:Conditions")[0]
		ar = etree.SubElement(cond, "{%s}AudienceRestriction" % NS_A)
		etree.SubElement(ar, "{%s}Audience" % NS_A).text = "https://sp.example.test/metadata"
	return enc(signed(k, pre=pre))


@case("AUD-c", "one AudienceRestriction listing another SP and AWS (Audiences are ORed)",
      want="accept", intact=True)
def _(k):
	def pre(r):
		ar = q(r, "//a:AudienceRestriction")[0]
		au = etree.Element("{%s}Audience" % NS_A)
		au.text = "https://sp.example.test/metadata"
		ar.insert(0, au)
	return enc(signed(k, pre=pre))


@case("AUD-d", "no AudienceRestriction", code="audience")
def _(k):
	return enc(signed(k, pre=_drop("//a:AudienceRestriction")))


@case("AUD-e", "Audience with a trailing newline (compared exactly, never trimmed)", code="audience")
def _(k):
	return enc(signed(k, audience=g.AUDIENCE + "\n"))


@case("AUD-f", "comment split in the Audience: the full text (with .evil) is compared", code="audience")
def _(k):
	def pre(r):
		au = q(r, "//a:Audience")[0]
		c = etree.Comment("")
		c.tail = ".evil.example"
		au.append(c)
	return enc(signed(k, pre=pre))


@case("DEST-a", "Destination of another ACS", code="destination")
def _(k):
	return enc(signed(k, destination="https://sp.example.test/acs", sign="response"))


@case("DEST-b", "empty Destination", code="destination")
def _(k):
	return enc(signed(k, destination="", sign="response"))


@case("DEST-c", "no Destination (optional) is accepted", want="accept", intact=True)
def _(k):
	return enc(signed(k, destination=None))


@case("ISS-a", "foreign Assertion Issuer", code="issuer")
def _(k):
	return enc(signed(k, issuer="https://evil.example.test/metadata",
			  response_issuer="https://evil.example.test/metadata"))


@case("ISS-b", "Response Issuer differs from the Assertion Issuer", code="issuer")
def _(k):
	return enc(signed(k, response_issuer="https://evil.example.test/metadata", sign="both"))


@case("ISS-c", "Assertion without Issuer", code="structure")
def _(k):
	return enc(signed(k, pre=lambda r: g.assertion(r).remove(q(r, "//a:Assertion/a:Issuer")[0])))


@case("ISS-d", "comment split in the Assertion Issuer: the full text (with .evil) is compared",
      code="issuer")
def _(k):
	def pre(r):
		iss = q(r, "//a:Assertion/a:Issuer")[0]
		c = etree.Comment("")
		c.tail = ".evil.example"
		iss.append(c)
	return enc(signed(k, pre=pre))


@case("ISS-e", "Issuer with a trailing space (compared exactly, never trimmed)", code="issuer")
def _(k):
	return enc(signed(k, issuer=g.IDP_ENTITY + " ", response_issuer=g.IDP_ENTITY + " "))


@case("IRT-a", "InResponseTo on the Response for a request we never sent", code="in-response-to")
def _(k):
	return enc(signed(k, in_response_to="_req0123456789abcdef", sign="both"))


@case("IRT-b", "InResponseTo on SubjectConfirmationData", code="in-response-to")
def _(k):
	return enc(signed(k, scd_in_response_to="_req0123456789abcdef"))


# ---------------------------------------------------------------------------- time

@case("TIME-a", "Conditions NotOnOrAfter 200 s ago (skew 180)", code="expired")
def _(k):
	return enc(signed(k, issue=-250, not_before=-250, not_on_or_after=-200))


@case("TIME-b", "SubjectConfirmationData NotOnOrAfter 200 s ago", code="expired")
def _(k):
	return enc(signed(k, issue=-250, not_before=-250, scd_not_on_or_after=-200))


@case("TIME-c", "Conditions NotBefore 400 s ahead", code="not-yet-valid")
def _(k):
	return enc(signed(k, not_before=400, not_on_or_after=700, scd_not_on_or_after=700))


@case("TIME-d", "NotBefore on SubjectConfirmationData", code="subject-confirmation")
def _(k):
	return enc(signed(k, scd_not_before=-30))


@case("TIME-e", "IssueInstant 15 minutes old, conditions still open", code="stale")
def _(k):
	return enc(signed(k, issue=-900, not_before=-900))


@case("TIME-f", "IssueInstant 10 minutes in the future", code="clock-skew")
def _(k):
	return enc(signed(k, issue=600))


@case("TIME-f2", "IssueInstant and NotBefore 10 minutes ahead: the clocks, not the window",
      code="clock-skew")
def _(k):
	return enc(signed(k, issue=600, not_before=600, not_on_or_after=900,
			  scd_not_on_or_after=900))


@case("TIME-f3", "IssueInstant 100 s ahead is within the 180 s skew", want="accept", intact=True)
def _(k):
	return enc(signed(k, issue=100))


@case("TIME-g", "dateTime without Z (no time zone)", code="structure")
def _(k):
	return enc(signed(k, pre=lambda r: q(r, "//a:Conditions")[0].set(
		"NotOnOrAfter", ts(270)[:-1])))


@case("TIME-h", "NotOnOrAfter 13:00+05:00 is 08:00Z: expired unless the offset is ignored",
      code="expired")
def _(k):
	return enc(signed(k, pre=lambda r: q(r, "//a:Conditions")[0].set(
		"NotOnOrAfter", ts(3600)[:-1] + "+05:00")))


@case("TIME-h2", "NotOnOrAfter 17:04:30+05:00 is 12:04:30Z: accepted", want="accept", intact=True)
def _(k):
	return enc(signed(k, pre=lambda r: q(r, "//a:Conditions")[0].set(
		"NotOnOrAfter", ts(270 + 5 * 3600)[:-1] + "+05:00")))


@case("TIME-i", "fractional seconds are valid xs:dateTime", want="accept", intact=True)
def _(k):
	return enc(signed(k, pre=lambda r: q(r, "//a:Conditions")[0].set(
		"NotOnOrAfter", ts(300)[:-1] + ".250Z")))


@case("TIME-j", "NotBefore 100 s ahead is within the 180 s skew", want="accept", intact=True)
def _(k):
	return enc(signed(k, not_before=100))


@case("TIME-k", "Conditions NotOnOrAfter 100 s ago is within the 180 s skew", want="accept",
      fields=accepted(not_on_or_after=None), intact=True)
def _(k):
	return enc(signed(k, issue=-200, not_before=-200, not_on_or_after=-100))


@case("TIME-l", "SubjectConfirmationData without NotOnOrAfter", code="subject-confirmation")
def _(k):
	return enc(signed(k, scd_not_on_or_after=None))


@case("TIME-m", "AuthnStatement SessionNotOnOrAfter already past", code="expired")
def _(k):
	return enc(signed(k, session_not_on_or_after=-200))


# ---------------------------------------------------------------------------- structure

def _drop(path):
	def pre(r):
		for el in q(r, path):
			el.getparent().remove(el)
	return pre


@case("STRUCT-a", "no Status", code="structure")
def _(k):
	return enc(signed(k, status=None, sign="both"))


@case("STRUCT-b", "StatusCode Responder", code="status")
def _(k):
	return enc(signed(k, status="urn:oasis:names:tc:SAML:2.0:status:Responder", sign="both"))


@case("STRUCT-c", "two StatusCode elements (Success and Requester)", code="status")
def _(k):
	def pre(r):
		st = q(r, "./p:Status")[0]
		etree.SubElement(st, "{%s}StatusCode" % NS_P,
				 {"Value": "urn:oasis:names:tc:SAML:2.0:status:Requester"})
	return enc(signed(k, pre=pre, sign="both"))


@case("STRUCT-d", "no AuthnStatement", code="structure")
def _(k):
	return enc(signed(k, pre=_drop("//a:AuthnStatement")))


@case("STRUCT-e", "no Conditions", code="structure")
def _(k):
	return enc(signed(k, pre=_drop("//a:Conditions")))


@case("STRUCT-f", "SubjectConfirmation without Method", code="subject-confirmation")
def _(k):
	return enc(signed(k, pre=lambda r: q(r, "//a:SubjectConfirmation")[0].attrib.pop("Method")))


@case("STRUCT-g", "SubjectConfirmation without SubjectConfirmationData", code="structure")
def _(k):
	return enc(signed(k, pre=_drop("//a:SubjectConfirmationData")))


@case("STRUCT-h", "no NameID", code="structure")
def _(k):
	return enc(signed(k, nameid=None))


@case("STRUCT-i", "empty NameID", code="nameid")
def _(k):
	return enc(signed(k, nameid=""))


@case("STRUCT-j", "duplicated SessionDuration attribute", code="attribute")
def _(k):
	return enc(signed(k, extra_attributes=((g.ATTR_DUR, ["900"]),)))


@case("STRUCT-k", "two Role attributes", code="attribute")
def _(k):
	return enc(signed(k, extra_attributes=((g.ATTR_ROLE, ["%s,%s" % (g.ROLE_ADMIN, g.PROVIDER)]),)))


@case("STRUCT-l", "two RoleSessionName values", code="session-name")
def _(k):
	def pre(r):
		at = q(r, "//a:Attribute[@Name='%s']" % g.ATTR_RSN)[0]
		v = copy.deepcopy(at[0])
		v.text = "mallory"
		at.append(v)
	return enc(signed(k, pre=pre))


@case("STRUCT-m", "no RoleSessionName", code="session-name")
def _(k):
	return enc(signed(k, session_name=None))


@case("STRUCT-n", "no Role attribute", code="role")
def _(k):
	return enc(signed(k, roles=()))


@case("STRUCT-o", "two SubjectConfirmations", code="subject-confirmation")
def _(k):
	def pre(r):
		sc = q(r, "//a:SubjectConfirmation")[0]
		sc.addnext(copy.deepcopy(sc))
	return enc(signed(k, pre=pre))


@case("STRUCT-t", "no SubjectConfirmation", code="subject-confirmation")
def _(k):
	return enc(signed(k, pre=_drop("//a:SubjectConfirmation")))


@case("STRUCT-p", "SubjectConfirmation method holder-of-key", code="subject-confirmation")
def _(k):
	return enc(signed(k, pre=lambda r: q(r, "//a:SubjectConfirmation")[0].set(
		"Method", "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key")))


@case("STRUCT-q", "Role value with three ARNs", code="role")
def _(k):
	return enc(signed(k, roles=((g.ROLE_OPERATOR, g.PROVIDER + "," + g.PROVIDER),)))


@case("STRUCT-r", "Role value with two role ARNs and no provider", code="role")
def _(k):
	return enc(signed(k, roles=((g.ROLE_OPERATOR, g.ROLE_ADMIN),)))


@case("STRUCT-u", "Role pair with a space after the comma", code="role")
def _(k):
	return enc(signed(k, roles=((g.ROLE_OPERATOR, " " + g.PROVIDER),)))


@case("STRUCT-s", "processing instruction inside the Assertion", code="structure")
def _(k):
	return enc(signed(k, pre=lambda r: q(r, "//a:Subject")[0].append(etree.PI("evil", "x"))))


# ---------------------------------------------------------------------------- unicode and names

@case("UNICODE-a", "Cyrillic homoglyph in RoleSessionName", code="session-name")
def _(k):
	return enc(signed(k, session_name="\u0430lice"))


@case("UNICODE-b", "fullwidth letters in RoleSessionName", code="session-name")
def _(k):
	return enc(signed(k, session_name="\uff41lice"))


@case("UNICODE-c", "trailing space in RoleSessionName", code="session-name")
def _(k):
	return enc(signed(k, session_name="alice "))


@case("UNICODE-d", "trailing newline in RoleSessionName", code="session-name")
def _(k):
	return enc(signed(k, session_name="alice\n"))


@case("UNICODE-e", "zero-width joiner in RoleSessionName", code="session-name")
def _(k):
	return enc(signed(k, session_name="ali\u200dce"))


@case("UNICODE-f", "Cyrillic homoglyph in NameID mapped as the user", code="user",
      conf={"user_source": "nameid"})
def _(k):
	return enc(signed(k, nameid="\u0430lice"))


@case("UNICODE-g", "zero-width space in NameID, --user alice", code="user",
      conf={"user_source": "nameid"}, args=("--user", "alice"))
def _(k):
	return enc(signed(k, nameid="alice\u200b"))


@case("UNICODE-h", "Turkish dotless i in NameID", code="user", conf={"user_source": "nameid"})
def _(k):
	return enc(signed(k, nameid="al\u0131ce"))


@case("UNICODE-i", "NameID with trailing whitespace and newline", code="nameid",
      conf={"user_source": "nameid"})
def _(k):
	return enc(signed(k, nameid="alice \n"))


@case("UNICODE-j", "uppercase RoleSessionName: a valid AWS name, not a valid Unix user", code="user")
def _(k):
	return enc(signed(k, session_name="Alice"))


@case("UNICODE-k", "--user bob against RoleSessionName alice", code="user-mismatch",
      args=("--user", "bob"))
def _(k):
	return enc(signed(k))


# ---------------------------------------------------------------------------- user-name policy
# Enterprise RoleSessionNames are first.last or an e-mail address, sometimes with capitals.
# The default policy takes portable names with dots; capitals only through the opt-in
# user_name_lowercase; a site rule (user_name_rule) narrows or widens within the hard rules.

@case("USER-dotted", "RoleSessionName first.last is a user name as it is", want="accept",
      intact=True, fields=accepted(user="juergen.mueller", session_name="juergen.mueller"))
def _(k):
	return enc(signed(k, session_name="juergen.mueller"))


@case("USER-dotted-flag", "--user first.last matches a dotted RoleSessionName", want="accept",
      args=("--user", "juergen.mueller"), intact=True,
      fields=accepted(user="juergen.mueller", session_name="juergen.mueller"))
def _(k):
	return enc(signed(k, session_name="juergen.mueller"))


@case("USER-capitals", "First.Last without user_name_lowercase: refused, saying which key maps it",
      code="user", msg="user_name_lowercase")
def _(k):
	return enc(signed(k, session_name="Juergen.Mueller"))


@case("USER-lowercase", "First.Last with user_name_lowercase = yes maps to first.last",
      want="accept", intact=True, conf={"user_name_lowercase": "yes"},
      fields=accepted(user="juergen.mueller", session_name="Juergen.Mueller"))
def _(k):
	return enc(signed(k, session_name="Juergen.Mueller"))


@case("USER-lowercase-flag", "--user first.last against First.Last with user_name_lowercase",
      want="accept", intact=True, conf={"user_name_lowercase": "yes"},
      args=("--user", "juergen.mueller"),
      fields=accepted(user="juergen.mueller", session_name="Juergen.Mueller"))
def _(k):
	return enc(signed(k, session_name="Juergen.Mueller"))


@case("USER-lowercase-mismatch", "--user First.Last: the SSH name must be the mapped one",
      code="user-mismatch", conf={"user_name_lowercase": "yes"},
      args=("--user", "Juergen.Mueller"))
def _(k):
	return enc(signed(k, session_name="Juergen.Mueller"))


@case("USER-email-lowercase", "First.Last@domain with user_strip_suffix and user_name_lowercase",
      want="accept", intact=True,
      conf={"user_name_lowercase": "yes", "user_strip_suffix": "@corp.example.test"},
      fields=accepted(user="juergen.mueller", session_name="Juergen.Mueller@corp.example.test"))
def _(k):
	return enc(signed(k, session_name="Juergen.Mueller@corp.example.test"))


@case("USER-email", "an e-mail RoleSessionName without user_strip_suffix: refused, naming the key",
      code="user", msg="user_strip_suffix")
def _(k):
	return enc(signed(k, session_name="juergen.mueller@corp.example.test"))


@case("USER-all-digits", "an all-digit RoleSessionName would read as a UID", code="user",
      msg="UID")
def _(k):
	return enc(signed(k, session_name="100042"))


@case("USER-leading-dash", "a RoleSessionName starting with '-' (an option to many tools)",
      code="user", msg="'-'")
def _(k):
	return enc(signed(k, session_name="-oProxyCommand"))


@case("USER-too-long", "a 33-byte first.last", code="user", msg="32")
def _(k):
	return enc(signed(k, session_name="maximilian-alexander.schwarzenber"))


@case("USER-rule-refuses", "user_name_rule first.last refuses a plain name", code="user",
      msg="user_name_rule", conf={"user_name_rule": "[a-z]+\\.[a-z]+"})
def _(k):
	return enc(signed(k))


@case("USER-rule-accepts", "user_name_rule first.last accepts first.last", want="accept",
      intact=True, conf={"user_name_rule": "[a-z]+\\.[a-z]+"},
      fields=accepted(user="juergen.mueller", session_name="juergen.mueller"))
def _(k):
	return enc(signed(k, session_name="juergen.mueller"))


@case("USER-rule-capitals", "a user_name_rule admitting capitals keeps them as they come",
      want="accept", intact=True, conf={"user_name_rule": "[A-Z][a-z]+\\.[A-Z][a-z]+"},
      fields=accepted(user="Juergen.Mueller", session_name="Juergen.Mueller"))
def _(k):
	return enc(signed(k, session_name="Juergen.Mueller"))


@case("USER-rule-hard", "a user_name_rule cannot admit what the hard rules refuse", code="user",
      msg="\\.\\.", conf={"user_name_rule": ".*"})
def _(k):
	return enc(signed(k, session_name="juergen..mueller"))


@case("UNICODE-l", "&#x0; character reference in the NameID (illegal in XML 1.0)", code="xml")
def _(k):
	x = g.serialize(signed(k))
	return enc(sub(x, b"alice@corp.example.test<", b"alice&#x0;@corp.example.test<"))


@case("NAME-a", "one-character RoleSessionName", code="session-name")
def _(k):
	return enc(signed(k, session_name="a"))


@case("NAME-b", "65-character RoleSessionName", code="session-name")
def _(k):
	return enc(signed(k, session_name="a" * 65))


@case("NAME-c", "SourceIdentity starting with aws:", code="source-identity")
def _(k):
	return enc(signed(k, source_identity="aws:alice"))


@case("NAME-d", "SourceIdentity with a space", code="source-identity")
def _(k):
	return enc(signed(k, source_identity="alice smith"))


@case("NAME-e", "require_source_identity = yes, none sent", code="source-identity",
      conf={"require_source_identity": "yes"})
def _(k):
	return enc(signed(k, source_identity=None))


@case("NAME-f", "SessionDuration 899", code="session-duration")
def _(k):
	return enc(signed(k, session_duration="899"))


@case("NAME-g", "SessionDuration 43201", code="session-duration")
def _(k):
	return enc(signed(k, session_duration="43201"))


@case("NAME-h", "SessionDuration not a number", code="session-duration")
def _(k):
	return enc(signed(k, session_duration="3600s"))


@case("NAME-i", "role not in allowed_roles", code="role",
      conf={"allowed_roles": ["arn:aws:iam::*:role/ReadOnly*"]})
def _(k):
	return enc(signed(k))


@case("TAG-a", "PrincipalTag key of 129 characters", code="attribute")
def _(k):
	return enc(signed(k, tags=(("K" * 129, "v"),)))


@case("TAG-b", "PrincipalTag value of 257 characters", code="attribute")
def _(k):
	return enc(signed(k, tags=(("Team", "v" * 257),)))


@case("TAG-c", "51 PrincipalTags (AWS allows 50)", code="attribute")
def _(k):
	return enc(signed(k, tags=tuple(("T%d" % i, "v") for i in range(51))))


# ---------------------------------------------------------------------------- size, encoding, encryption

@case("SIZE-a", "base64 of 100,004 characters", code="size")
def _(k):
	return enc(signed(k, pad_b64=100004))


@case("SIZE-b", "base64 of 99,000 characters is within the cap", want="accept", intact=True)
def _(k):
	return enc(signed(k, pad_b64=99000))


@case("SIZE-a2", "100,004 base64 characters wrapped at 76 columns", code="size")
def _(k):
	return enc(signed(k, pad_b64=100004), wrap=76, crlf=True)


@case("SIZE-b2", "99,000 base64 characters wrapped with CRLF: line breaks do not count", want="accept",
      intact=True)
def _(k):
	return enc(signed(k, pad_b64=99000), wrap=76, crlf=True)


@case("SIZE-c", "raw XML over the cap (80,000 bytes)", code="size")
def _(k):
	return g.serialize(signed(k, pad_b64=80000 * 4 // 3))


@case("SIZE-d", "nesting 5000 elements deep", code="xml")
def _(k):
	x = g.serialize(signed(k))
	deep = b"<d:x xmlns:d='urn:example:deep'>" + b"<d:x>" * 4999 + b"</d:x>" * 5000
	return enc(sub(x, b"<samlp:Status>", deep + b"<samlp:Status>"))


@case("SIZE-e", "2000 signed Attribute elements (beyond any sane attribute count)", code="attribute")
def _(k):
	def pre(r):
		stmt = q(r, "//a:AttributeStatement")[0]
		for i in range(2000):
			etree.SubElement(stmt, "{%s}Attribute" % NS_A, {"Name": "x%d" % i})
	return enc(signed(k, pre=pre))


@case("ENCODING-a", "input that is neither base64 nor XML", code="encoding")
def _(k):
	return b"this is %%% not a SAML response\n"


@case("ENCODING-b", "XML declared as ISO-8859-1", code="encoding")
def _(k):
	x = g.serialize(signed(k))
	return enc(sub(x, b"encoding='UTF-8'", b"encoding='ISO-8859-1'"))


def _encrypted_assertion():
	ea = a_el("EncryptedAssertion")
	ed = etree.SubElement(ea, "{%s}EncryptedData" % g.NS_XENC, {"Type": "http://www.w3.org/2001/04/xmlenc#Element"},
			      nsmap={"xenc": g.NS_XENC})
	etree.SubElement(ed, "{%s}EncryptionMethod" % g.NS_XENC,
			 {"Algorithm": "http://www.w3.org/2009/xmlenc11#aes256-gcm"})
	cd = etree.SubElement(ed, "{%s}CipherData" % g.NS_XENC)
	etree.SubElement(cd, "{%s}CipherValue" % g.NS_XENC).text = base64.b64encode(b"\x00" * 64).decode()
	return ea


@case("ENC", "EncryptedAssertion instead of an Assertion (signed Response)", code="encrypted")
def _(k):
	r = g.build(Spec())
	r.replace(g.assertion(r), _encrypted_assertion())
	g.sign(r, k["idp-rsa2048"])
	return enc(r)


@case("STATUS-API-a", "bad digest: NameID edited after signing", code="signature")
def _(k):
	r = signed(k)
	evilize(g.assertion(r))
	return enc(r)


@case("STATUS-API-b", "bad signature value: one byte flipped", code="signature")
def _(k):
	r = signed(k)
	sv = g.signature_of(g.assertion(r)).find("{%s}SignatureValue" % NS_DS)
	raw = bytearray(base64.b64decode(sv.text))
	raw[40] ^= 0x01
	sv.text = base64.b64encode(bytes(raw)).decode()
	return enc(r)


@case("STATUS-API-c", "response signature valid, unsigned assertion edited afterwards", code="signature")
def _(k):
	r = signed(k, sign="response")
	evilize(g.assertion(r))
	return enc(r)


# ---------------------------------------------------------------------------- valid variants

@case("VALID-assertion", "signed Assertion only", want="accept", intact=True)
def _(k):
	return enc(signed(k))


@case("VALID-response", "signed Response only", want="accept", intact=True)
def _(k):
	return enc(signed(k, sign="response"))


@case("VALID-both", "signed Response and Assertion", want="accept", intact=True)
def _(k):
	return enc(signed(k, sign="both"))


@case("VALID-ecdsa", "ECDSA P-256 with SHA-256", want="accept", intact=True, sigkey="idp-ec-p256")
def _(k):
	return enc(signed(k, alg="ecdsa-sha256", key="idp-ec-p256", sign="both"))


@case("VALID-sha512", "RSA-SHA512 over SHA-512", want="accept", intact=True)
def _(k):
	return enc(signed(k, alg="rsa-sha512", digest="sha512"))


@case("VALID-sha384", "RSA-SHA384 over SHA-384", want="accept", intact=True)
def _(k):
	return enc(signed(k, alg="rsa-sha384", digest="sha384", sign="both"))


@case("VALID-prefixlist", "exc-c14n with InclusiveNamespaces PrefixList", want="accept", intact=True)
def _(k):
	return enc(signed(k, prefix_list="xs xsi", sign="both"))


@case("VALID-b64-76", "base64 wrapped at 76 columns", want="accept", intact=True)
def _(k):
	return enc(signed(k), wrap=76)


@case("VALID-b64-crlf", "base64 wrapped at 64 columns with CRLF", want="accept", intact=True)
def _(k):
	return enc(signed(k), wrap=64, crlf=True)


@case("VALID-raw-xml", "raw XML on stdin", want="accept", intact=True)
def _(k):
	return g.serialize(signed(k))


@case("VALID-provider-first", "Role value as provider,role", want="accept", intact=True)
def _(k):
	return enc(signed(k, provider_first=True))


@case("VALID-roles", "three roles, mixed order", want="accept", intact=True,
      fields=accepted(role=["%s,%s" % (r, g.PROVIDER) for r in (g.ROLE_OPERATOR, g.ROLE_READONLY,
								   g.ROLE_ADMIN)]))
def _(k):
	def pre(r):
		vals = q(r, "//a:Attribute[@Name='%s']/a:AttributeValue" % g.ATTR_ROLE)
		vals[1].text = "%s,%s" % (g.PROVIDER, g.ROLE_READONLY)
	return enc(signed(k, pre=pre, roles=((g.ROLE_OPERATOR, g.PROVIDER), (g.ROLE_READONLY, g.PROVIDER),
					     (g.ROLE_ADMIN, g.PROVIDER))))


@case("VALID-allowed-roles", "allowed_roles keeps only the matching roles", want="accept", intact=True,
      conf={"allowed_roles": ["arn:aws:iam::123456789012:role/Bastion*"]},
      fields=accepted(role=["%s,%s" % (r, g.PROVIDER) for r in (g.ROLE_OPERATOR, g.ROLE_READONLY)]))
def _(k):
	return enc(signed(k, roles=((g.ROLE_ADMIN, g.PROVIDER), (g.ROLE_OPERATOR, g.PROVIDER),
				    (g.ROLE_READONLY, g.PROVIDER))))


@case("VALID-source-identity", "require_source_identity = yes with SourceIdentity", want="accept",
      conf={"require_source_identity": "yes"}, intact=True, fields=accepted(source_identity="alice.s"))
def _(k):
	return enc(signed(k, source_identity="alice.s"))


@case("VALID-duration", "SessionDuration 900", want="accept", intact=True,
      fields=accepted(session_duration="900"))
def _(k):
	return enc(signed(k, session_duration="900"))


@case("VALID-tags", "several PrincipalTags and TransitiveTagKeys", want="accept", intact=True)
def _(k):
	return enc(signed(k, tags=(("Department", "Platform"), ("Team", "Bastion"), ("Env", "prod")),
			  extra_attributes=((g.ATTR + "TransitiveTagKeys", ["Department", "Team"]),)))


@case("VALID-minimal", "no SessionDuration, SourceIdentity or tags", want="accept", intact=True,
      fields=accepted(source_identity=None, session_duration=None))
def _(k):
	return enc(signed(k, session_duration=None, source_identity=None, tags=()))


@case("VALID-nameid-user", "user_source = nameid with user_strip_suffix", want="accept", intact=True,
      conf={"user_source": "nameid", "user_strip_suffix": "@corp.example.test"},
      fields=accepted(session_name="alice.smith"))
def _(k):
	return enc(signed(k, session_name="alice.smith"))


@case("VALID-attribute-user", "user_source names a custom attribute", want="accept", intact=True,
      conf={"user_source": "urn:example:unix-name"}, fields=accepted(user="asmith"))
def _(k):
	return enc(signed(k, extra_attributes=(("urn:example:unix-name", ["asmith"]),)))


@case("VALID-user-flag", "--user alice matches", want="accept", args=("--user", "alice"), intact=True)
def _(k):
	return enc(signed(k))


@case("VALID-rsn-suffix", "RoleSessionName alice@corp.example.test with user_strip_suffix",
      want="accept", intact=True, conf={"user_strip_suffix": "@corp.example.test"},
      fields=accepted(session_name="alice@corp.example.test"))
def _(k):
	return enc(signed(k, session_name="alice@corp.example.test"))


@case("VALID-consume-once", "--consume of a fresh Response", want="accept", args=("--consume",),
      intact=True, fields=accepted(assertion_id="_c0f1e2d3c4b5a69788796a5b4c3d2e1f0"))
def _(k):
	return enc(signed(k, assertion_id="_c0f1e2d3c4b5a69788796a5b4c3d2e1f0"))
