/* aws_sigv4.c — AWS Signature Version 4 (see aws_sigv4.h). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "ecs_secmem.h"
#include "aws_sigv4.h"

#define ALGORITHM "AWS4-HMAC-SHA256"
#define MAX_QUERY 32
#define MAX_SEGMENTS 64
#define MAX_NAME 64	/* a header name, lowercased */

void
ecs_sigv4_result_init(struct ecs_sigv4_result *res)
{
	ecs_buf_init(&res->canonical_request, ECS_SIGV4_TEXT_MAX);
	ecs_buf_init(&res->string_to_sign, 1024);
	ecs_buf_init(&res->authorization, 2048);
}

void
ecs_sigv4_result_free(struct ecs_sigv4_result *res)
{
	ecs_buf_free(&res->canonical_request);
	ecs_buf_free(&res->string_to_sign);
	ecs_buf_free(&res->authorization);
}

static void
to_hex(const unsigned char *d, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * n] = 0;
}

int
ecs_sigv4_sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (EVP_Digest(p, n, md, &len, EVP_sha256(), NULL) != 1 || len != 32)
		return -EIO;
	to_hex(md, 32, out);
	return 0;
}

static int
hmac(const void *key, size_t keylen, const void *msg, size_t n, unsigned char out[32])
{
	unsigned int len = 0;

	if (!HMAC(EVP_sha256(), key, (int)keylen, msg, n, out, &len) || len != 32)
		return -EIO;
	return 0;
}

static bool
unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.' || c == '~';
}

/* Append s[n] percent-encoded (uppercase hex, as SigV4 requires); '/' kept when keep_slash. */
static int
put_encoded(struct ecs_buf *b, const char *s, size_t n, bool keep_slash)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (unreserved(c) || (keep_slash && c == '/'))
			r = ecs_buf_append(b, &c, 1);
		else
			r = ecs_buf_printf(b, "%%%02X", c);
	}
	return r;
}

/* The canonical URI. Normalising follows what the SDKs do: runs of '/' and "." segments
 * go, ".." drops the segment before it, and a trailing '/' stays. */
static int
put_uri(struct ecs_buf *b, const char *path, bool normalize)
{
	const char *seg[MAX_SEGMENTS];
	size_t len[MAX_SEGMENTS];
	size_t n = 0;
	const char *p = path;
	size_t plen = strlen(path);
	int r = 0;

	if (plen == 0 || path[0] != '/')
		return -EINVAL;
	if (!normalize)
		return put_encoded(b, path, plen, true);
	while (*p) {
		const char *end;
		size_t l;

		while (*p == '/')
			p++;
		end = strchrnul(p, '/');
		l = (size_t)(end - p);
		if (l == 0 || (l == 1 && p[0] == '.')) {
			/* empty or "." segment: nothing */
		} else if (l == 2 && p[0] == '.' && p[1] == '.') {
			if (n > 0)
				n--;
		} else if (n == MAX_SEGMENTS) {
			return -E2BIG;
		} else {
			seg[n] = p;
			len[n++] = l;
		}
		p = end;
	}
	if (n == 0)
		return ecs_buf_puts(b, "/");
	for (size_t i = 0; r == 0 && i < n; i++) {
		r = ecs_buf_puts(b, "/");
		if (r == 0)
			r = put_encoded(b, seg[i], len[i], false);
	}
	if (r == 0 && path[plen - 1] == '/')
		r = ecs_buf_puts(b, "/");
	return r;
}

struct enc_pair {
	char *name;
	char *value;
};

static int
cmp_pair(const void *a, const void *b)
{
	const struct enc_pair *x = a;
	const struct enc_pair *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : strcmp(x->value, y->value);
}

/* Encode one string into a new C string (caller frees). */
static int
encode_dup(const char *s, char **out)
{
	struct ecs_buf b;
	size_t n;
	int r;

	ecs_buf_init(&b, ECS_SIGV4_TEXT_MAX);
	r = put_encoded(&b, s, strlen(s), false);
	if (r == 0)
		r = ecs_buf_append(&b, "", 0);	/* an empty value still gets its storage */
	if (r == 0 && !b.data)
		r = -ENOMEM;
	if (r < 0) {
		ecs_buf_free(&b);
		return r;
	}
	*out = (char *)ecs_buf_take(&b, &n);
	return 0;
}

/* The canonical query string: names and values encoded, then sorted by name, then value. */
static int
put_query(struct ecs_buf *b, const struct ecs_sigv4_pair *q, size_t n)
{
	struct enc_pair e[MAX_QUERY];
	size_t done = 0;
	int r = 0;

	if (n > MAX_QUERY)
		return -E2BIG;
	for (; done < n; done++) {
		e[done].value = NULL;
		if (!q[done].name || !q[done].value) {
			r = -EINVAL;
			break;
		}
		r = encode_dup(q[done].name, &e[done].name);
		if (r < 0)
			break;
		r = encode_dup(q[done].value, &e[done].value);
		if (r < 0) {
			done++;	/* its name is allocated */
			break;
		}
	}
	if (r == 0) {
		qsort(e, n, sizeof(e[0]), cmp_pair);
		for (size_t i = 0; r == 0 && i < n; i++)
			r = ecs_buf_printf(b, "%s%s=%s", i ? "&" : "", e[i].name, e[i].value);
	}
	for (size_t i = 0; i < done; i++) {
		free(e[i].name);
		free(e[i].value);
	}
	return r;
}

static bool
token_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && !strchr("()<>@,;:\\\"/[]?={}", c);
}

/* The header's name in lowercase into out[MAX_NAME]; -EINVAL unless an HTTP token. */
static int
lower_name(const char *name, char out[MAX_NAME])
{
	size_t i;

	for (i = 0; name[i]; i++) {
		unsigned char c = (unsigned char)name[i];

		if (i + 1 == MAX_NAME || !token_char(c))
			return -EINVAL;
		out[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	out[i] = 0;
	return i ? 0 : -EINVAL;
}

/* Append a header value trimmed, with inner runs of spaces and tabs made one space. */
static int
put_value(struct ecs_buf *b, const char *v)
{
	const char *end = v + strlen(v);
	int r = 0;

	while (*v == ' ' || *v == '\t')
		v++;
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	for (; r == 0 && v < end; v++) {
		if (*v == ' ' || *v == '\t') {
			if (v[-1] == ' ' || v[-1] == '\t')
				continue;
			r = ecs_buf_puts(b, " ");
		} else if ((unsigned char)*v < 0x20 || *v == 0x7f) {
			r = -EINVAL;	/* a control character would change the request's shape */
		} else {
			r = ecs_buf_append(b, v, 1);
		}
	}
	return r;
}

struct hdr {
	char name[MAX_NAME];
	const char *value;
};

/* Canonical headers and the signed-headers list. Headers are ordered by lowercase name with
 * a stable sort, so repeats of one name keep the order they were given in and are joined
 * with ','. */
static int
put_headers(struct ecs_buf *canon, struct ecs_buf *signed_list, const struct ecs_sigv4_pair *h,
	    size_t n)
{
	struct hdr s[ECS_SIGV4_MAX_HEADERS];
	int r = 0;

	if (n == 0)
		return -EINVAL;
	if (n > ECS_SIGV4_MAX_HEADERS)
		return -E2BIG;
	for (size_t i = 0; i < n; i++) {
		struct hdr t;
		size_t j = i;

		if (!h[i].name || !h[i].value)
			return -EINVAL;
		r = lower_name(h[i].name, t.name);
		if (r < 0)
			return r;
		t.value = h[i].value;
		while (j > 0 && strcmp(s[j - 1].name, t.name) > 0) {
			s[j] = s[j - 1];
			j--;
		}
		s[j] = t;
	}
	for (size_t i = 0; r == 0 && i < n; i++) {
		bool first = i == 0 || strcmp(s[i - 1].name, s[i].name) != 0;
		bool last = i + 1 == n || strcmp(s[i + 1].name, s[i].name) != 0;

		if (first) {
			r = ecs_buf_printf(canon, "%s:", s[i].name);
			if (r == 0)
				r = ecs_buf_printf(signed_list, "%s%s", i ? ";" : "", s[i].name);
		} else {
			r = ecs_buf_puts(canon, ",");
		}
		if (r == 0)
			r = put_value(canon, s[i].value);
		if (r == 0 && last)
			r = ecs_buf_puts(canon, "\n");
	}
	return r;
}

static bool
date_ok(const char *d)
{
	if (!d || strlen(d) != ECS_SIGV4_DATE_LEN || d[8] != 'T' || d[15] != 'Z')
		return false;
	for (int i = 0; i < 15; i++)
		if (i != 8 && (d[i] < '0' || d[i] > '9'))
			return false;
	return true;
}

/* scope = DATE/REGION/SERVICE/aws4_request; a part with '/' or a space would shift it. */
static bool
scope_part_ok(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (*s <= 0x20 || *s >= 0x7f || *s == '/')
			return false;
	return true;
}

/* The signing key, derived from the secret for this day, region and service, into key[32]. */
static int
signing_key(const struct ecs_sigv4_request *req, unsigned char key[32])
{
	struct ecs_buf k;
	unsigned char a[32];
	unsigned char b[32];
	int r;

	ecs_buf_init(&k, 512);
	r = ecs_buf_printf(&k, "AWS4%s", req->secret_access_key);
	if (r == 0)
		r = hmac(k.data, k.len, req->amz_date, 8, a);
	if (r == 0)
		r = hmac(a, 32, req->region, strlen(req->region), b);
	if (r == 0)
		r = hmac(b, 32, req->service, strlen(req->service), a);
	if (r == 0)
		r = hmac(a, 32, "aws4_request", 12, key);
	ecs_buf_free(&k);
	ECS_WIPE_OBJ(a);
	ECS_WIPE_OBJ(b);
	return r;
}

int
ecs_sigv4_sign(const struct ecs_sigv4_request *req, struct ecs_sigv4_result *res)
{
	struct ecs_buf signed_list;
	char hash[65];
	unsigned char key[32];
	unsigned char sig[32];
	char sighex[65];
	int r;

	ecs_sigv4_result_free(res);
	ecs_buf_init(&signed_list, 1024);
	r = -EINVAL;
	if (!req->method || !*req->method || !req->path || !date_ok(req->amz_date) ||
	    !scope_part_ok(req->region) || !scope_part_ok(req->service) ||
	    !scope_part_ok(req->access_key_id) || !req->secret_access_key ||
	    (req->payload_len && !req->payload) || (req->nquery && !req->query))
		goto out;
	r = ecs_buf_printf(&res->canonical_request, "%s\n", req->method);
	if (r == 0)
		r = put_uri(&res->canonical_request, req->path, req->normalize_path);
	if (r == 0)
		r = ecs_buf_puts(&res->canonical_request, "\n");
	if (r == 0)
		r = put_query(&res->canonical_request, req->query, req->nquery);
	if (r == 0)
		r = ecs_buf_puts(&res->canonical_request, "\n");
	if (r == 0)
		r = put_headers(&res->canonical_request, &signed_list, req->headers, req->nheaders);
	if (r == 0)
		r = ecs_sigv4_sha256_hex(req->payload ? req->payload : "", req->payload_len, hash);
	if (r == 0)
		r = ecs_buf_printf(&res->canonical_request, "\n%s\n%s", (char *)signed_list.data,
				   hash);
	if (r == 0)
		r = ecs_sigv4_sha256_hex(res->canonical_request.data, res->canonical_request.len,
					 hash);
	if (r == 0)
		r = ecs_buf_printf(&res->string_to_sign, ALGORITHM "\n%s\n%.8s/%s/%s/aws4_request\n%s",
				   req->amz_date, req->amz_date, req->region, req->service, hash);
	if (r == 0)
		r = signing_key(req, key);
	if (r == 0)
		r = hmac(key, 32, res->string_to_sign.data, res->string_to_sign.len, sig);
	if (r < 0)
		goto out;
	to_hex(sig, 32, sighex);
	r = ecs_buf_printf(&res->authorization,
			   ALGORITHM " Credential=%s/%.8s/%s/%s/aws4_request, SignedHeaders=%s, "
			   "Signature=%s",
			   req->access_key_id, req->amz_date, req->region, req->service,
			   (char *)signed_list.data, sighex);
out:
	ECS_WIPE_OBJ(key);
	ECS_WIPE_OBJ(sig);
	ecs_buf_free(&signed_list);
	if (r < 0)
		ecs_sigv4_result_free(res);
	return r;
}
