/* sts_reply.c — the STS reply, parsed strictly (see sts_reply.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>


#include "ecs_err.h"
#include "ecs_names.h"
#include "ecs_secmem.h"
#include "ecs_str.h"
#include "ecs_time.h"
#include "sts_reply.h"
#include "xml_strict.h"
#include "xml_lib.h"	/* last: redirects libxml2's and xmlsec's names */

#define STS_NS "https://sts.amazonaws.com/doc/2011-06-15/"

/* Character classes for values. */
enum vclass {
	V_WORD,		/* [A-Za-z0-9_] — AccessKeyId */
	V_TOKEN,	/* printable ASCII without space — keys, tokens, ARNs, ids */
	V_TEXT,		/* no control characters — names shown in logs */
	V_ANY,		/* anything: sanitised where it is used */
};

struct field {
	const char *name;
	enum vclass cls;
	size_t min;
	size_t max;
};

static const struct field F_AKID = { "AccessKeyId", V_WORD, 16, 128 };
static const struct field F_SECRET = { "SecretAccessKey", V_TOKEN, 1, 4096 };
static const struct field F_TOKEN = { "SessionToken", V_TOKEN, 1, 65536 };
static const struct field F_EXPIRY = { "Expiration", V_TOKEN, 1, 64 };
static const struct field F_ARN = { "Arn", V_TOKEN, 20, 2048 };
static const struct field F_ROLEID = { "AssumedRoleId", V_TOKEN, 2, 193 };
static const struct field F_REQID = { "RequestId", V_TOKEN, 1, 79 };
static const struct field F_SRCID = { "SourceIdentity", V_TOKEN, 2, ECS_NAME_SESSION_MAX };
static const struct field F_SUBJECT = { "Subject", V_TEXT, 1, 2048 };
static const struct field F_ISSUER = { "Issuer", V_TEXT, 1, 2048 };
static const struct field F_PPS = { "PackedPolicySize", V_WORD, 1, 6 };
static const struct field F_CODE = { "Code", V_TOKEN, 1, 63 };
/* STS's own words: a stray newline in them must not turn a clear error code into an
 * "unreadable reply", so the message is accepted as is and made log-safe on copy. */
static const struct field F_MESSAGE = { "Message", V_ANY, 0, 4096 };

static bool
class_ok(enum vclass cls, const unsigned char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = s[i];

		switch (cls) {
		case V_WORD:
			if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			      (c >= '0' && c <= '9') || c == '_'))
				return false;
			break;
		case V_TOKEN:
			if (c <= 0x20 || c >= 0x7f)
				return false;
			break;
		case V_TEXT:
			if (c < 0x20 || c == 0x7f)
				return false;
			break;
		case V_ANY:
			break;
		}
	}
	return true;
}

static bool
is_sts_element(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       strcmp((const char *)n->ns->href, STS_NS) == 0 &&
	       strcmp((const char *)n->name, name) == 0;
}

/* The single child element `name` of parent: 0 (found), -ENOENT (absent) or -EBADMSG
 * (repeated: a second copy could carry different values to different readers). */
static int
child(const xmlNode *parent, const char *name, xmlNode **out)
{
	xmlNode *n;

	*out = NULL;
	for (n = parent->children; n; n = n->next) {
		if (!is_sts_element(n, name))
			continue;
		if (*out)
			return -EBADMSG;
		*out = n;
	}
	return *out ? 0 : -ENOENT;
}

static int
malformed(struct ecs_sts_error *err, const struct field *f)
{
	snprintf(err->message, sizeof(err->message), "STS reply has a malformed %s", f->name);
	return -EBADMSG;
}

/* Copy the value of parent/f->name into *out (malloc'd). Absent: -ENOENT, *out NULL.
 * The element must hold one text node (or nothing, when min is 0) and nothing else. */
static int
value(const xmlNode *parent, const struct field *f, char **out, struct ecs_sts_error *err)
{
	xmlNode *el;
	const xmlNode *t;
	const unsigned char *s = (const unsigned char *)"";
	size_t n;
	int r;

	*out = NULL;
	r = child(parent, f->name, &el);
	if (r == -EBADMSG)
		snprintf(err->message, sizeof(err->message), "STS reply repeats %s", f->name);
	if (r < 0)
		return r;
	t = el->children;
	if (t && (t->type != XML_TEXT_NODE || t->next || !t->content))
		return malformed(err, f);
	if (t)
		s = t->content;
	n = strlen((const char *)s);
	if (n < f->min || n > f->max || !class_ok(f->cls, s, n))
		return malformed(err, f);
	*out = strdup((const char *)s);
	return *out ? 0 : -ENOMEM;
}

/* value() for members that must be present. */
static int
required(const xmlNode *parent, const struct field *f, char **out, struct ecs_sts_error *err)
{
	int r = value(parent, f, out, err);

	if (r == -ENOENT) {
		snprintf(err->message, sizeof(err->message), "STS reply lacks %s", f->name);
		r = -EBADMSG;
	}
	return r;
}

/* value() for members that may be absent. */
static int
optional(const xmlNode *parent, const struct field *f, char **out, struct ecs_sts_error *err)
{
	int r = value(parent, f, out, err);

	return r == -ENOENT ? 0 : r;
}

/* A container element that must be present exactly once. */
static int
section(const xmlNode *parent, const char *name, xmlNode **out, struct ecs_sts_error *err)
{
	int r = child(parent, name, out);

	if (r < 0) {
		snprintf(err->message, sizeof(err->message), "STS reply %s %s",
			 r == -ENOENT ? "lacks" : "repeats", name);
		r = -EBADMSG;
	}
	return r;
}

/* Overwrite every text node below n before the tree is freed (the secret key and the
 * session token live there). The strict parse bounds the depth (ECS_XML_MAX_DEPTH), so the
 * recursion is bounded too. */
static void
wipe_tree(xmlNode *n)
{
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE && n->content)
			ecs_wipe(n->content, strlen((const char *)n->content));
		wipe_tree(n->children);
	}
}

static int
parse_success(const xmlNode *root, struct ecs_sts_creds *c, struct ecs_sts_error *err)
{
	xmlNode *result;
	xmlNode *creds;
	xmlNode *user;
	xmlNode *meta;
	char *pps = NULL;
	uint64_t v;
	int r;

	r = section(root, "AssumeRoleWithSAMLResult", &result, err);
	if (r == 0)
		r = section(result, "Credentials", &creds, err);
	if (r == 0)
		r = section(result, "AssumedRoleUser", &user, err);
	if (r == 0)
		r = required(creds, &F_AKID, &c->access_key_id, err);
	if (r == 0)
		r = required(creds, &F_SECRET, &c->secret_access_key, err);
	if (r == 0)
		r = required(creds, &F_TOKEN, &c->session_token, err);
	if (r == 0)
		r = required(creds, &F_EXPIRY, &c->expiration_str, err);
	if (r == 0 && ecs_time_parse(c->expiration_str, &c->expiration) < 0) {
		snprintf(err->message, sizeof(err->message), "STS reply has a malformed Expiration");
		r = -EBADMSG;
	}
	if (r == 0)
		r = required(user, &F_ARN, &c->assumed_role_arn, err);
	if (r == 0)
		r = required(user, &F_ROLEID, &c->assumed_role_id, err);
	if (r == 0)
		r = optional(result, &F_SRCID, &c->source_identity, err);
	if (r == 0)
		r = optional(result, &F_SUBJECT, &c->subject, err);
	if (r == 0)
		r = optional(result, &F_ISSUER, &c->issuer, err);
	if (r == 0)
		r = optional(result, &F_PPS, &pps, err);
	if (r == 0 && pps) {
		if (ecs_parse_u64(pps, 0, 100000, &v) < 0) {
			snprintf(err->message, sizeof(err->message),
				 "STS reply has a malformed PackedPolicySize");
			r = -EBADMSG;
		} else {
			c->packed_policy_size = (unsigned)v;
		}
	}
	/* The request id is for the logs: a reply without ResponseMetadata is still usable. */
	if (r == 0 && child(root, "ResponseMetadata", &meta) == 0)
		r = optional(meta, &F_REQID, &c->request_id, err);
	free(pps);
	return r;
}

static int
parse_error(const xmlNode *root, struct ecs_sts_error *err)
{
	xmlNode *e;
	char *code = NULL;
	char *msg = NULL;
	char *reqid = NULL;
	char *p;
	int r;

	r = section(root, "Error", &e, err);
	if (r == 0)
		r = required(e, &F_CODE, &code, err);
	if (r == 0)
		r = optional(e, &F_MESSAGE, &msg, err);
	if (r == 0)
		r = optional(root, &F_REQID, &reqid, err);
	if (r < 0)
		goto out;
	snprintf(err->code, sizeof(err->code), "%s", code);
	/* truncation of the message is fine: it is only shown and logged */
	snprintf(err->message, sizeof(err->message), "%s", msg ? msg : "");
	for (p = err->message; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';	/* one log line per event, whatever STS wrote */
	if (reqid)
		snprintf(err->request_id, sizeof(err->request_id), "%s", reqid);
	r = -ECS_ESTS;
out:
	free(code);
	free(msg);
	free(reqid);
	return r;
}

int
ecs_sts_reply_parse(const void *body, size_t len, struct ecs_sts_creds *out,
		       struct ecs_sts_error *err)
{
	struct ecs_xml_error xerr;
	xmlDoc *doc = NULL;
	const xmlNode *root;
	int r;

	memset(out, 0, sizeof(*out));
	/* The same strict parse as a SAML Response: a DOCTYPE is refused before any of it is
	 * parsed, and nothing is loaded or expanded. */
	r = ecs_xml_parse_strict(body, len, ECS_STS_REPLY_MAX, &doc, &xerr);
	if (r == -EBADMSG)
		snprintf(err->message, sizeof(err->message), "STS reply refused: %s", xerr.msg);
	if (r < 0)
		goto out;
	r = -EBADMSG;
	root = xmlDocGetRootElement(doc);
	if (root && is_sts_element(root, "AssumeRoleWithSAMLResponse")) {
		r = parse_success(root, out, err);
		if (r < 0)
			ecs_sts_creds_free(out);
	} else if (root && is_sts_element(root, "ErrorResponse")) {
		r = parse_error(root, err);
	} else {
		snprintf(err->message, sizeof(err->message),
			 "STS reply is not an AssumeRoleWithSAML document");
	}
out:
	/* The tree holds the secret key and token: wipe the text nodes' bytes first. */
	if (doc) {
		wipe_tree(doc->children);
		xmlFreeDoc(doc);
	}
	return r;
}
