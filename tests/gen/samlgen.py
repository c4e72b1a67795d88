"""samlgen — a generator of AWS-shaped SAML Responses for the validator's attack tests.

Run with /usr/bin/python3 (Debian's python3-lxml and python3-cryptography). It builds a
Response as an lxml tree from a Spec, signs the Response and/or the Assertion with its own
XML-DSig code (exclusive C14N through lxml, RSA/ECDSA/HMAC through cryptography and hmac),
and leaves the tree open for mutation before and after signing. Nothing here trusts or
imports the code under test: a signature made here is checked independently by the xmlsec1
CLI (selfcheck.py) before the suite relies on it.

Keys are generated at test time (make_keys); no private key is ever committed.

Used by suite 21 (tests/gen/cases.py, run.py) and by tests/lib/mint-response (end-to-end
tests, demo, bench): Spec's field names, make(), make_keys(), load_keys(), serialize(), b64()
and the constants are the interface; keep them stable.
"""

import base64
import copy
import datetime
import hashlib
import hmac as hmac_mod
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
from cryptography.x509.oid import NameOID
from lxml import etree

NS_P = "urn:oasis:names:tc:SAML:2.0:protocol"
NS_A = "urn:oasis:names:tc:SAML:2.0:assertion"
NS_DS = "http://www.w3.org/2000/09/xmldsig#"
NS_XS = "http://www.w3.org/2001/XMLSchema"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
NS_EC = "http://www.w3.org/2001/10/xml-exc-c14n#"
NS_XENC = "http://www.w3.org/2001/04/xmlenc#"

ATTR = "https://aws.amazon.com/SAML/Attributes/"
ATTR_ROLE = ATTR + "Role"
ATTR_RSN = ATTR + "RoleSessionName"
ATTR_DUR = ATTR + "SessionDuration"
ATTR_SRC = ATTR + "SourceIdentity"
ATTR_TAG = ATTR + "PrincipalTag:"

C14N_EXC = "http://www.w3.org/2001/10/xml-exc-c14n#"
C14N_EXC_COMMENTS = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments"
T_ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"

# Signature methods: URI, kind, hash. Digest methods: URI, hash name for hashlib.
SIG_ALGS = {
	"rsa-sha256": ("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", "rsa", "sha256"),
	"rsa-sha384": ("http://www.w3.org/2001/04/xmldsig-more#rsa-sha384", "rsa", "sha384"),
	"rsa-sha512": ("http://www.w3.org/2001/04/xmldsig-more#rsa-sha512", "rsa", "sha512"),
	"rsa-sha1": ("http://www.w3.org/2000/09/xmldsig#rsa-sha1", "rsa", "sha1"),
	"rsa-md5": ("http://www.w3.org/2001/04/xmldsig-more#rsa-md5", "rsa", "md5"),
	"ecdsa-sha256": ("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", "ec", "sha256"),
	"ecdsa-sha384": ("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384", "ec", "sha384"),
	"hmac-sha1": ("http://www.w3.org/2000/09/xmldsig#hmac-sha1", "hmac", "sha1"),
	"hmac-sha256": ("http://www.w3.org/2001/04/xmldsig-more#hmac-sha256", "hmac", "sha256"),
}
DIGEST_ALGS = {
	"sha256": "http://www.w3.org/2001/04/xmlenc#sha256",
	"sha384": "http://www.w3.org/2001/04/xmldsig-more#sha384",
	"sha512": "http://www.w3.org/2001/04/xmlenc#sha512",
	"sha1": "http://www.w3.org/2000/09/xmldsig#sha1",
	"md5": "http://www.w3.org/2001/04/xmldsig-more#md5",
}
_HASHES = {"sha1": hashes.SHA1, "sha256": hashes.SHA256, "sha384": hashes.SHA384,
	   "sha512": hashes.SHA512, "md5": hashes.MD5}

ACCOUNT = "123456789012"
ROLE_OPERATOR = "arn:aws:iam::%s:role/BastionOperator" % ACCOUNT
ROLE_READONLY = "arn:aws:iam::%s:role/BastionReadOnly" % ACCOUNT
ROLE_ADMIN = "arn:aws:iam::%s:role/Admin" % ACCOUNT
PROVIDER = "arn:aws:iam::%s:saml-provider/ExampleCorpIdP" % ACCOUNT
IDP_ENTITY = "https://idp.example.test/metadata"
AUDIENCE = "urn:amazon:webservices"
RECIPIENT = "https://signin.aws.amazon.com/saml"

# The pinned "now" every case is built around; the suite passes it to verify with --at.
NOW = datetime.datetime(2026, 3, 2, 12, 0, 0, tzinfo=datetime.timezone.utc)


def ts(offset_s=0, now=NOW):
	"""xs:dateTime in UTC, offset_s seconds from the pinned now."""
	t = now + datetime.timedelta(seconds=offset_s)
	return t.strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------- keys

class Key:
	"""A signing key: kind rsa|ec|hmac, the private object, the PEM cert path (if any)."""

	def __init__(self, kind, priv, cert=None, cert_path=None, secret=None):
		self.kind = kind
		self.priv = priv
		self.cert = cert
		self.cert_path = cert_path
		self.secret = secret

	def cert_b64(self):
		return base64.b64encode(self.cert.public_bytes(serialization.Encoding.DER)).decode()


def _self_signed(priv, cn, hash_alg):
	name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "pam_ecs_saml TEST ONLY"),
			  x509.NameAttribute(NameOID.COMMON_NAME, cn)])
	now = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
	return (x509.CertificateBuilder().subject_name(name).issuer_name(name)
		.public_key(priv.public_key()).serial_number(x509.random_serial_number())
		.not_valid_before(now).not_valid_after(now + datetime.timedelta(days=365 * 79))
		.add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
		.sign(priv, hash_alg()))


KEY_NAMES = ("idp-rsa2048", "idp-rsa1024", "idp-ec-p256", "attacker-rsa2048")


def make_keys(d):
	"""Write throwaway keys and self-signed certs into directory d (mode 0600 keys).
	The attacker cert clones the IdP subject, as SAML Raider's cert faking does."""
	os.makedirs(d, exist_ok=True)
	specs = {
		"idp-rsa2048": (lambda: rsa.generate_private_key(65537, 2048), "idp.example.test"),
		"idp-rsa1024": (lambda: rsa.generate_private_key(65537, 1024), "idp.example.test"),
		"idp-ec-p256": (lambda: ec.generate_private_key(ec.SECP256R1()), "idp.example.test"),
		"attacker-rsa2048": (lambda: rsa.generate_private_key(65537, 2048), "idp.example.test"),
	}
	for name, (gen, cn) in specs.items():
		priv = gen()
		cert = _self_signed(priv, cn, hashes.SHA256)
		kp = os.path.join(d, name + ".key.pem")
		fd = os.open(kp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
		with os.fdopen(fd, "wb") as f:
			f.write(priv.private_bytes(serialization.Encoding.PEM,
						   serialization.PrivateFormat.PKCS8,
						   serialization.NoEncryption()))
		with open(os.path.join(d, name + ".crt.pem"), "wb") as f:
			f.write(cert.public_bytes(serialization.Encoding.PEM))
		with open(os.path.join(d, name + ".crt.der"), "wb") as f:
			f.write(cert.public_bytes(serialization.Encoding.DER))


def load_keys(d):
	keys = {}
	for name in KEY_NAMES:
		with open(os.path.join(d, name + ".key.pem"), "rb") as f:
			priv = serialization.load_pem_private_key(f.read(), None)
		cp = os.path.join(d, name + ".crt.pem")
		with open(cp, "rb") as f:
			cert = x509.load_pem_x509_certificate(f.read())
		kind = "ec" if name.startswith("idp-ec") else "rsa"
		keys[name] = Key(kind, priv, cert, cp)
	keys["hmac"] = Key("hmac", None, secret=b"attacker-chosen-hmac-secret-0123")
	return keys


# ---------------------------------------------------------------------------- building

class Spec:
	"""Everything a Response is built from. Times are offsets in seconds from NOW."""

	DEFAULTS = dict(
		prefixes={"p": "samlp", "a": "saml", "ds": "ds"},
		assertion_redeclares=True,	# the Assertion declares its own namespace (as pysaml2 does)
		response_id="_r0a1b2c3d4e5f60718293a4b5c6d7e8f9",
		assertion_id="_a0f1e2d3c4b5a69788796a5b4c3d2e1f0",
		issue=-30,			# IssueInstant of Response and Assertion
		not_before=-30,
		not_on_or_after=270,
		scd_not_on_or_after=270,
		scd_not_before=None,
		session_not_on_or_after=8 * 3600,
		issuer=IDP_ENTITY,
		response_issuer=IDP_ENTITY,
		audience=AUDIENCE,
		recipient=RECIPIENT,
		destination=RECIPIENT,
		in_response_to=None,
		scd_in_response_to=None,
		status="urn:oasis:names:tc:SAML:2.0:status:Success",
		nameid="alice@corp.example.test",
		nameid_format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
		roles=((ROLE_OPERATOR, PROVIDER),),
		provider_first=False,
		session_name="alice",
		source_identity="alice",
		session_duration="3600",
		tags=(("Department", "Platform"), ("CostCenter", "CC-4711")),
		extra_attributes=(),		# ((name, [values]), ...)
		pad_b64=0,			# pad the signed Assertion so the base64 Response reaches this size
		sign="assertion",		# assertion | response | both | none
		alg="rsa-sha256",
		digest="sha256",
		key="idp-rsa2048",
		keyinfo="cert",			# cert | none | keyvalue
		prefix_list=None,		# InclusiveNamespaces PrefixList for the Reference's exc-c14n
	)

	def __init__(self, **kw):
		for k, v in self.DEFAULTS.items():
			setattr(self, k, copy.deepcopy(v))
		for k, v in kw.items():
			if k not in self.DEFAULTS:
				raise TypeError("unknown Spec field %s" % k)
			setattr(self, k, v)


_NSKEY = {"p": NS_P, "a": NS_A, "ds": NS_DS}


def new_el(parent, nskey, local, prefixes, attrib=None, text=None, nsmap_extra=None, index=None):
	"""A namespaced child of parent (or a root when parent is None) with the prefix chosen
	in prefixes (None = default namespace); declared only where not already in scope."""
	ns = _NSKEY[nskey]
	pfx = prefixes[nskey]
	nsmap = dict(nsmap_extra or {})
	inscope = parent.nsmap if parent is not None else {}
	if inscope.get(pfx) != ns:
		nsmap[pfx] = ns
	el = etree.Element("{%s}%s" % (ns, local), nsmap=nsmap or None)
	if parent is not None:
		if index is None:
			parent.append(el)
		else:
			parent.insert(index, el)
	for k, v in (attrib or {}).items():
		el.set(k, v)
	if text is not None:
		el.text = text
	return el


def _attribute(stmt, pf, name, values):
	a = new_el(stmt, "a", "Attribute", pf, {"Name": name,
		"NameFormat": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"})
	for v in values:
		av = new_el(a, "a", "AttributeValue", pf, text=v)
		av.set("{%s}type" % NS_XSI, "xs:string")
	return a


def build(s, pad_chars=0):
	"""The unsigned Response tree for spec s."""
	pf = s.prefixes
	root = new_el(None, "p", "Response", pf, nsmap_extra={pf["a"]: NS_A} if pf["a"] != pf["p"] else None)
	root.set("ID", s.response_id)
	root.set("Version", "2.0")
	root.set("IssueInstant", ts(s.issue))
	if s.destination is not None:
		root.set("Destination", s.destination)
	if s.in_response_to is not None:
		root.set("InResponseTo", s.in_response_to)
	if s.response_issuer is not None:
		new_el(root, "a", "Issuer", pf, {"Format": "urn:oasis:names:tc:SAML:2.0:nameid-format:entity"},
		       s.response_issuer)
	if s.status is not None:
		st = new_el(root, "p", "Status", pf)
		new_el(st, "p", "StatusCode", pf, {"Value": s.status})

	nsx = {"xs": NS_XS, "xsi": NS_XSI}
	if s.assertion_redeclares:
		nsx[pf["a"]] = NS_A
	a = etree.SubElement(root, "{%s}Assertion" % NS_A, nsmap=nsx)
	a.set("ID", s.assertion_id)
	a.set("Version", "2.0")
	a.set("IssueInstant", ts(s.issue))
	new_el(a, "a", "Issuer", pf, {"Format": "urn:oasis:names:tc:SAML:2.0:nameid-format:entity"}, s.issuer)
	subj = new_el(a, "a", "Subject", pf)
	if s.nameid is not None:
		new_el(subj, "a", "NameID", pf, {"Format": s.nameid_format}, s.nameid)
	sc = new_el(subj, "a", "SubjectConfirmation", pf, {"Method": "urn:oasis:names:tc:SAML:2.0:cm:bearer"})
	scd = new_el(sc, "a", "SubjectConfirmationData", pf)
	if s.scd_not_before is not None:
		scd.set("NotBefore", ts(s.scd_not_before))
	if s.scd_not_on_or_after is not None:
		scd.set("NotOnOrAfter", ts(s.scd_not_on_or_after))
	if s.recipient is not None:
		scd.set("Recipient", s.recipient)
	if s.scd_in_response_to is not None:
		scd.set("InResponseTo", s.scd_in_response_to)
	cond = new_el(a, "a", "Conditions", pf, {"NotBefore": ts(s.not_before),
						    "NotOnOrAfter": ts(s.not_on_or_after)})
	ar = new_el(cond, "a", "AudienceRestriction", pf)
	new_el(ar, "a", "Audience", pf, text=s.audience)
	authn = new_el(a, "a", "AuthnStatement", pf, {"AuthnInstant": ts(s.issue),
		"SessionIndex": "_s" + s.assertion_id[2:],
		"SessionNotOnOrAfter": ts(s.session_not_on_or_after)})
	ac = new_el(authn, "a", "AuthnContext", pf)
	new_el(ac, "a", "AuthnContextClassRef", pf,
	       text="urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport")
	stmt = new_el(a, "a", "AttributeStatement", pf)
	if s.roles:
		_attribute(stmt, pf, ATTR_ROLE, [("%s,%s" % (p, r)) if s.provider_first else ("%s,%s" % (r, p))
						 for r, p in s.roles])
	if s.session_name is not None:
		_attribute(stmt, pf, ATTR_RSN, [s.session_name])
	if s.session_duration is not None:
		_attribute(stmt, pf, ATTR_DUR, [s.session_duration])
	if s.source_identity is not None:
		_attribute(stmt, pf, ATTR_SRC, [s.source_identity])
	for k, v in s.tags:
		_attribute(stmt, pf, ATTR_TAG + k, [v])
	for name, values in s.extra_attributes:
		_attribute(stmt, pf, name, values)
	if pad_chars > 0:
		_attribute(stmt, pf, "urn:example:test:padding", ["p" * pad_chars])
	return root


# ---------------------------------------------------------------------------- finding

def q(root, path):
	"""Elements matching an XPath with prefixes p/a/ds bound to the SAML and DSig URIs."""
	return root.xpath(path, namespaces={"p": NS_P, "a": NS_A, "ds": NS_DS, "ec": NS_EC})


def assertion(root):
	return q(root, "/p:Response/a:Assertion")[0]


def signature_of(el):
	return q(el, "./ds:Signature")[0]


# ---------------------------------------------------------------------------- signing

def c14n(el, prefix_list=None, comments=False):
	return etree.tostring(el, method="c14n", exclusive=True, with_comments=comments,
			      inclusive_ns_prefixes=prefix_list.split() if prefix_list else None)


def _digest(data, name):
	return base64.b64encode(hashlib.new(name, data).digest()).decode()


def _sign_bytes(key, alg, data, hmac_bits=None):
	_, kind, h = SIG_ALGS[alg]
	if kind == "rsa":
		return key.priv.sign(data, padding.PKCS1v15(), _HASHES[h]())
	if kind == "ec":
		der = key.priv.sign(data, ec.ECDSA(_HASHES[h]()))
		r, sv = utils.decode_dss_signature(der)
		n = (key.priv.curve.key_size + 7) // 8
		return r.to_bytes(n, "big") + sv.to_bytes(n, "big")
	mac = hmac_mod.new(key.secret, data, h).digest()
	return mac[:hmac_bits // 8] if hmac_bits else mac


def sign(el, key, alg="rsa-sha256", digest="sha256", ds_prefix="ds", keyinfo="cert",
	 uri=None, transforms=None, prefix_list=None, index=None, digest_target=None,
	 hmac_bits=None, c14n_alg=C14N_EXC):
	"""Put an enveloped ds:Signature into el (after its Issuer unless index is given) that
	signs el (or digest_target) and return it. uri/transforms default to '#'+ID and
	[enveloped, exc-c14n]; attacks override them. The digest is computed over the exc-c14n
	of the target without this Signature, which is what the enveloped transform yields."""
	target = digest_target if digest_target is not None else el
	if uri is None:
		uri = "#" + target.get("ID")
	if transforms is None:
		transforms = [(T_ENVELOPED, None), (C14N_EXC, prefix_list)]
	dv = _digest(c14n(target, prefix_list), digest)

	dsn = {ds_prefix: NS_DS}
	D = lambda parent, local, attrib=None: etree.SubElement(parent, "{%s}%s" % (NS_DS, local), attrib or {})
	sig = etree.Element("{%s}Signature" % NS_DS, nsmap=dsn)
	si = D(sig, "SignedInfo")
	D(si, "CanonicalizationMethod", {"Algorithm": c14n_alg})
	sm = D(si, "SignatureMethod", {"Algorithm": SIG_ALGS[alg][0]})
	if hmac_bits is not None:
		D(sm, "HMACOutputLength").text = str(hmac_bits)
	ref = D(si, "Reference", {"URI": uri} if uri is not False else {})
	tr = D(ref, "Transforms")
	for t_alg, pl in transforms:
		t = D(tr, "Transform", {"Algorithm": t_alg})
		if pl:
			etree.SubElement(t, "{%s}InclusiveNamespaces" % NS_EC, {"PrefixList": pl},
					 nsmap={"ec": NS_EC})
	D(ref, "DigestMethod", {"Algorithm": DIGEST_ALGS[digest]})
	D(ref, "DigestValue").text = dv
	D(sig, "SignatureValue")
	if keyinfo == "cert":
		ki = D(sig, "KeyInfo")
		xd = D(ki, "X509Data")
		D(xd, "X509Certificate").text = key.cert_b64()
	elif keyinfo == "keyvalue":
		ki = D(sig, "KeyInfo")
		kv = D(ki, "KeyValue")
		pub = key.priv.public_key().public_numbers()
		rk = D(kv, "RSAKeyValue")
		b = lambda i: base64.b64encode(i.to_bytes((i.bit_length() + 7) // 8, "big")).decode()
		D(rk, "Modulus").text = b(pub.n)
		D(rk, "Exponent").text = b(pub.e)
	elif keyinfo == "hmac":
		ki = D(sig, "KeyInfo")
		kv = D(ki, "KeyValue")
		etree.SubElement(kv, "{http://www.aleksey.com/xmlsec/2002}HMACKeyValue",
				 nsmap={"dsig11": "http://www.aleksey.com/xmlsec/2002"}).text = \
			base64.b64encode(key.secret).decode()

	if index is None:
		iss = q(el, "./a:Issuer")
		index = (el.index(iss[0]) + 1) if iss else 0
	el.insert(index, sig)
	sig.find("{%s}SignatureValue" % NS_DS).text = base64.b64encode(
		_sign_bytes(key, alg, c14n(si), hmac_bits)).decode()
	return sig


def resign_value(sig, key, alg="rsa-sha256"):
	"""Recompute SignatureValue over sig's SignedInfo as it stands now (after an edit)."""
	si = sig.find("{%s}SignedInfo" % NS_DS)
	sig.find("{%s}SignatureValue" % NS_DS).text = base64.b64encode(
		_sign_bytes(key, alg, c14n(si))).decode()


def sign_spec(root, s, keys):
	"""Apply the Spec's signing choice to a built tree."""
	key = keys[s.key]
	kw = dict(alg=s.alg, digest=s.digest, keyinfo=s.keyinfo, prefix_list=s.prefix_list,
		  ds_prefix=s.prefixes.get("ds", "ds"))
	if s.sign in ("assertion", "both"):
		sign(assertion(root), key, **kw)
	if s.sign in ("response", "both"):
		sign(root, key, **kw)
	return root


def reparse(root):
	return etree.fromstring(serialize(root))


def serialize(root):
	return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def b64(xml, wrap=0, crlf=False):
	t = base64.b64encode(xml).decode()
	if wrap:
		nl = "\r\n" if crlf else "\n"
		t = nl.join(t[i:i + wrap] for i in range(0, len(t), wrap))
	return (t + "\n").encode()


def make(s, keys, pre=None):
	"""Build, optionally edit (pre runs on the unsigned tree, so its edit is signed), and
	sign. With s.pad_b64 the Assertion carries a padding attribute sized so that the base64
	of the serialised Response is exactly that long (give or take one base64 quantum)."""
	def once(pad):
		r = build(s, pad)
		if pre is not None:
			pre(r)
		# Sign a parsed copy: lxml's exclusive C14N of a freshly built subtree omits
		# PrefixList namespaces that a parsed tree (the verifier's view) renders.
		return sign_spec(reparse(r), s, keys)
	if not s.pad_b64:
		return once(0)
	base = len(serialize(once(1)))
	return once(max(1, s.pad_b64 * 3 // 4 - base + 1))
