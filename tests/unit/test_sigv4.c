/* test_sigv4.c — the SigV4 signer against AWS's published SigV4 test-suite vectors.
 *
 * Every case of the suite uses the same context: access key AKIDEXAMPLE, secret
 * wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, region us-east-1, service "service", time
 * 2015-08-30T12:36:00Z. Each vector below is the case's request (method, raw path, query,
 * headers, body) and what the suite publishes for it: the canonical request and the string
 * to sign where the suite gives them for the header form, and always the Authorization
 * header. The normalize-path cases are signed with path normalisation on (every service but
 * S3); their canonical request is that of the normalised path. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "aws_sigv4.h"
#include "tap.h"

#define AKID "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define DATE "20150830T123600Z"
#define HOST "example.amazonaws.com"
#define EMPTY_SHA "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define SCOPE "20150830/us-east-1/service/aws4_request"
#define AUTH(signed, sig) \
	"AWS4-HMAC-SHA256 Credential=" AKID "/" SCOPE ", SignedHeaders=" signed ", Signature=" sig
#define STS(hash) "AWS4-HMAC-SHA256\n" DATE "\n" SCOPE "\n" hash
#define STD_HEADERS { { "Host", HOST }, { "X-Amz-Date", DATE } }
#define STD_CANON_HEADERS "host:" HOST "\nx-amz-date:" DATE "\n\nhost;x-amz-date\n"

struct vector {
	const char *name;
	const char *method;
	const char *path;
	bool normalize;
	struct ecs_sigv4_pair query[3];
	size_t nquery;
	struct ecs_sigv4_pair headers[8];
	size_t nheaders;
	const char *payload;
	const char *creq;	/* NULL where the suite publishes only the signed request */
	const char *sts;
	const char *authz;
};

static const struct vector vectors[] = {
	{ "get-vanilla", "GET", "/", true, { { 0 } }, 0, STD_HEADERS, 2, "",
	  "GET\n/\n\n" STD_CANON_HEADERS EMPTY_SHA,
	  STS("bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"),
	  AUTH("host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31") },
	{ "get-vanilla-query-order-key-case", "GET", "/", true,
	  { { "Param2", "value2" }, { "Param1", "value1" } }, 2, STD_HEADERS, 2, "",
	  "GET\n/\nParam1=value1&Param2=value2\n" STD_CANON_HEADERS EMPTY_SHA,
	  STS("816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0"),
	  AUTH("host;x-amz-date", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500") },
	{ "get-vanilla-query-unreserved", "GET", "/", true,
	  { { "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
	      "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" } }, 1,
	  STD_HEADERS, 2, "",
	  "GET\n/\n-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz="
	  "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\n"
	  STD_CANON_HEADERS EMPTY_SHA,
	  STS("c30d4703d9f799439be92736156d47ccfb2d879ddf56f5befa6d1d6aab979177"),
	  AUTH("host;x-amz-date", "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197") },
	{ "get-vanilla-utf8-query", "GET", "/", true, { { "\xe1\x88\xb4", "bar" } }, 1,
	  STD_HEADERS, 2, "",
	  "GET\n/\n%E1%88%B4=bar\n" STD_CANON_HEADERS EMPTY_SHA,
	  STS("eb30c5bed55734080471a834cc727ae56beb50e5f39d1bff6d0d38cb192a7073"),
	  AUTH("host;x-amz-date", "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04") },
	{ "get-unreserved", "GET",
	  "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", true,
	  { { 0 } }, 0, STD_HEADERS, 2, "",
	  "GET\n/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\n\n"
	  STD_CANON_HEADERS EMPTY_SHA,
	  STS("6a968768eefaa713e2a6b16b589a8ea192661f098f37349f4e2c0082757446f9"),
	  AUTH("host;x-amz-date", "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f") },
	{ "get-utf8", "GET", "/\xe1\x88\xb4", true, { { 0 } }, 0, STD_HEADERS, 2, "",
	  "GET\n/%E1%88%B4\n\n" STD_CANON_HEADERS EMPTY_SHA,
	  STS("2a0a97d02205e45ce2e994789806b19270cfbbb0921b278ccf58f5249ac42102"),
	  AUTH("host;x-amz-date", "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85") },
	{ "get-space (unnormalized)", "GET", "/example space/", false, { { 0 } }, 0, STD_HEADERS,
	  2, "", "GET\n/example%20space/\n\n" STD_CANON_HEADERS EMPTY_SHA,
	  STS("63ee75631ed7234ae61b5f736dfc7754cdccfedbff4b5128a915706ee9390d86"),
	  AUTH("host;x-amz-date", "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741") },
	{ "get-slashes (unnormalized)", "GET", "//example//", false, { { 0 } }, 0, STD_HEADERS, 2,
	  "", "GET\n//example//\n\n" STD_CANON_HEADERS EMPTY_SHA,
	  STS("528ec3105ee1f34ab014bb0a1a45da0ed2742a4fea3555149e5b4d5d201eb240"),
	  AUTH("host;x-amz-date", "87cca117541a147f6df867677d98a7d80dff226d2bfca9e4ffa899665623c7e5") },
	{ "get-relative (unnormalized)", "GET", "/example/..", false, { { 0 } }, 0, STD_HEADERS, 2,
	  "", "GET\n/example/..\n\n" STD_CANON_HEADERS EMPTY_SHA,
	  STS("0511f456aa502b456d135fcb9d749374a55228f9dbeedda1eacf659e05b0615b"),
	  AUTH("host;x-amz-date", "eca7ead57bb5aa5c8e28007acd4ff04e1ff9a0ff3b237ec1554a184887ff9282") },
	/* normalize-path cases: the suite publishes the signed request */
	{ "normalize-path/get-relative", "GET", "/example/..", true, { { 0 } }, 0, STD_HEADERS, 2,
	  "", "GET\n/\n\n" STD_CANON_HEADERS EMPTY_SHA, NULL,
	  AUTH("host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31") },
	{ "normalize-path/get-relative-relative", "GET", "/example1/example2/../..", true,
	  { { 0 } }, 0, STD_HEADERS, 2, "", "GET\n/\n\n" STD_CANON_HEADERS EMPTY_SHA, NULL,
	  AUTH("host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31") },
	{ "normalize-path/get-slash", "GET", "//", true, { { 0 } }, 0, STD_HEADERS, 2, "",
	  "GET\n/\n\n" STD_CANON_HEADERS EMPTY_SHA, NULL,
	  AUTH("host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31") },
	{ "normalize-path/get-slash-dot-slash", "GET", "/./", true, { { 0 } }, 0, STD_HEADERS, 2,
	  "", "GET\n/\n\n" STD_CANON_HEADERS EMPTY_SHA, NULL,
	  AUTH("host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31") },
	{ "normalize-path/get-slash-pointless-dot", "GET", "/./example", true, { { 0 } }, 0,
	  STD_HEADERS, 2, "", "GET\n/example\n\n" STD_CANON_HEADERS EMPTY_SHA, NULL,
	  AUTH("host;x-amz-date", "ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5") },
	{ "normalize-path/get-slashes", "GET", "//example//", true, { { 0 } }, 0, STD_HEADERS, 2,
	  "", "GET\n/example/\n\n" STD_CANON_HEADERS EMPTY_SHA, NULL,
	  AUTH("host;x-amz-date", "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84") },
	{ "normalize-path/get-space", "GET", "/example space/", true, { { 0 } }, 0, STD_HEADERS, 2,
	  "", "GET\n/example%20space/\n\n" STD_CANON_HEADERS EMPTY_SHA,
	  STS("63ee75631ed7234ae61b5f736dfc7754cdccfedbff4b5128a915706ee9390d86"),
	  AUTH("host;x-amz-date", "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741") },
	{ "get-header-key-duplicate", "GET", "/", true, { { 0 } }, 0,
	  { { "Host", HOST }, { "My-Header1", "value2" }, { "My-Header1", "value2" },
	    { "My-Header1", "value1" }, { "X-Amz-Date", DATE } }, 5, "",
	  "GET\n/\n\nhost:" HOST "\nmy-header1:value2,value2,value1\nx-amz-date:" DATE
	  "\n\nhost;my-header1;x-amz-date\n" EMPTY_SHA,
	  STS("dc7f04a3abfde8d472b0ab1a418b741b7c67174dad1551b4117b15527fbe966c"),
	  AUTH("host;my-header1;x-amz-date",
	       "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea") },
	{ "get-header-value-trim", "GET", "/", true, { { 0 } }, 0,
	  { { "Host", HOST }, { "My-Header1", " value1" }, { "My-Header2", " \"a   b   c\"" },
	    { "X-Amz-Date", DATE } }, 4, "",
	  "GET\n/\n\nhost:" HOST "\nmy-header1:value1\nmy-header2:\"a b c\"\nx-amz-date:" DATE
	  "\n\nhost;my-header1;my-header2;x-amz-date\n" EMPTY_SHA,
	  STS("a726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7"),
	  AUTH("host;my-header1;my-header2;x-amz-date",
	       "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736") },
	{ "post-vanilla", "POST", "/", true, { { 0 } }, 0, STD_HEADERS, 2, "",
	  "POST\n/\n\n" STD_CANON_HEADERS EMPTY_SHA,
	  STS("553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87"),
	  AUTH("host;x-amz-date", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b") },
	{ "post-vanilla-query", "POST", "/", true, { { "Param1", "value1" } }, 1, STD_HEADERS, 2,
	  "", "POST\n/\nParam1=value1\n" STD_CANON_HEADERS EMPTY_SHA,
	  STS("9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd"),
	  AUTH("host;x-amz-date", "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11") },
	{ "post-x-www-form-urlencoded", "POST", "/", true, { { 0 } }, 0,
	  { { "Content-Type", "application/x-www-form-urlencoded" }, { "Host", HOST },
	    { "Content-Length", "13" }, { "X-Amz-Date", DATE },
	    { "X-Amz-Content-Sha256",
	      "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e" } }, 5,
	  "Param1=value1",
	  "POST\n/\n\ncontent-length:13\ncontent-type:application/x-www-form-urlencoded\nhost:"
	  HOST "\nx-amz-content-sha256:"
	  "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e\nx-amz-date:" DATE
	  "\n\ncontent-length;content-type;host;x-amz-content-sha256;x-amz-date\n"
	  "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
	  STS("b1edd1d03544c25390e32085d55b57acc9a3961bb59415ff86c45c3d89d16cfb"),
	  AUTH("content-length;content-type;host;x-amz-content-sha256;x-amz-date",
	       "d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b") },
	{ "post-x-www-form-urlencoded-parameters", "POST", "/", true, { { 0 } }, 0,
	  { { "Content-Type", "application/x-www-form-urlencoded; charset=utf-8" },
	    { "Host", HOST }, { "Content-Length", "13" }, { "X-Amz-Date", DATE },
	    { "X-Amz-Content-Sha256",
	      "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e" } }, 5,
	  "Param1=value1", NULL,
	  STS("a89f1a5b53e37702ee6363ce1da3ce8f54386f3c8f352ae652153c2982a0bc4d"),
	  AUTH("content-length;content-type;host;x-amz-content-sha256;x-amz-date",
	       "328d1b9eaadca9f5818ef05e8392801e091653bafec24fcab71e7344e7f51422") },
	/* temporary credentials: the token travels, and is signed, as X-Amz-Security-Token */
	{ "get-vanilla-with-session-token", "GET", "/", true, { { 0 } }, 0,
	  { { "Host", HOST }, { "X-Amz-Date", DATE },
	    { "X-Amz-Security-Token",
	      "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267" } }, 3, "",
	  "GET\n/\n\nhost:" HOST "\nx-amz-date:" DATE "\nx-amz-security-token:"
	  "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267\n\n"
	  "host;x-amz-date;x-amz-security-token\n" EMPTY_SHA, NULL,
	  AUTH("host;x-amz-date;x-amz-security-token",
	       "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8") },
};

static struct ecs_sigv4_request
request_of(const struct vector *v)
{
	struct ecs_sigv4_request req = {
		.method = v->method,
		.path = v->path,
		.normalize_path = v->normalize,
		.query = v->query,
		.nquery = v->nquery,
		.headers = v->headers,
		.nheaders = v->nheaders,
		.payload = v->payload,
		.payload_len = strlen(v->payload),
		.amz_date = DATE,
		.region = "us-east-1",
		.service = "service",
		.access_key_id = AKID,
		.secret_access_key = SECRET,
	};
	return req;
}

static const char *
text(const struct ecs_buf *b)
{
	return b->data ? (const char *)b->data : "";
}

static void
test_vectors(void)
{
	struct ecs_sigv4_result res;

	ecs_sigv4_result_init(&res);
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		const struct vector *v = &vectors[i];
		struct ecs_sigv4_request req = request_of(v);
		int r = ecs_sigv4_sign(&req, &res);

		T_OK(r == 0, "%s: signs (%d)", v->name, r);
		if (v->creq)
			T_OK(strcmp(text(&res.canonical_request), v->creq) == 0,
			     "%s: canonical request", v->name);
		if (v->sts)
			T_OK(strcmp(text(&res.string_to_sign), v->sts) == 0,
			     "%s: string to sign", v->name);
		T_OK(strcmp(text(&res.authorization), v->authz) == 0, "%s: Authorization",
		     v->name);
	}
	ecs_sigv4_result_free(&res);
}

/* A signer that signs anything gives the same answer for a changed request: these change
 * one input each and expect another signature, or a refusal. */
static void
test_changes(void)
{
	static const struct ecs_sigv4_pair bad_value[] = { { "Host", HOST },
							   { "X-Amz-Date", DATE },
							   { "X-Evil", "a\r\nX-Injected: 1" } };
	static const struct ecs_sigv4_pair bad_name[] = { { "Host", HOST },
							  { "X Amz", DATE } };
	struct ecs_sigv4_result res;
	struct ecs_sigv4_request req = request_of(&vectors[0]);
	char vanilla[512];

	ecs_sigv4_result_init(&res);
	T_OK(ecs_sigv4_sign(&req, &res) == 0, "vanilla signs");
	snprintf(vanilla, sizeof(vanilla), "%s", text(&res.authorization));

	req.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEz";
	T_OK(ecs_sigv4_sign(&req, &res) == 0 && strcmp(text(&res.authorization), vanilla) != 0,
	     "another secret, another signature");
	req = request_of(&vectors[0]);
	req.region = "eu-west-1";
	T_OK(ecs_sigv4_sign(&req, &res) == 0 && strcmp(text(&res.authorization), vanilla) != 0 &&
		     strstr(text(&res.authorization), "/eu-west-1/service/"),
	     "another region, another scope and signature");
	req = request_of(&vectors[0]);
	req.payload = "{}";
	req.payload_len = 2;
	T_OK(ecs_sigv4_sign(&req, &res) == 0 && strcmp(text(&res.authorization), vanilla) != 0,
	     "a body changes the signature");
	req = request_of(&vectors[0]);
	req.amz_date = "2015-08-30T12:36:00Z";
	T_OK(ecs_sigv4_sign(&req, &res) == -EINVAL && res.authorization.len == 0,
	     "an ISO 8601 date with separators is refused");
	req = request_of(&vectors[0]);
	req.headers = bad_value;
	req.nheaders = 3;
	T_OK(ecs_sigv4_sign(&req, &res) == -EINVAL, "a header value with CR LF is refused");
	req = request_of(&vectors[0]);
	req.headers = bad_name;
	req.nheaders = 2;
	T_OK(ecs_sigv4_sign(&req, &res) == -EINVAL, "a header name with a space is refused");
	req = request_of(&vectors[0]);
	req.region = "us-east-1/x";
	T_OK(ecs_sigv4_sign(&req, &res) == -EINVAL, "a region with '/' cannot shift the scope");
	req = request_of(&vectors[0]);
	req.nheaders = 0;
	T_OK(ecs_sigv4_sign(&req, &res) == -EINVAL, "a request without headers is refused");
	req = request_of(&vectors[0]);
	req.path = "example";
	T_OK(ecs_sigv4_sign(&req, &res) == -EINVAL, "a relative path is refused");
	ecs_sigv4_result_free(&res);
}

int
main(void)
{
	char h[65];

	T_OK(ecs_sigv4_sha256_hex("", 0, h) == 0 && strcmp(h, EMPTY_SHA) == 0,
	     "SHA-256 of the empty payload");
	test_vectors();
	test_changes();
	T_DONE();
}
