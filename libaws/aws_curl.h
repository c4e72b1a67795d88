/* aws_curl.h — libcurl, loaded by the code that talks to AWS at the moment it first needs it.
 *
 * Each start of ecs-saml-helper (auth, session-open, session-close, and the administrator's
 * verbs) would otherwise spend about half its start-up in the dynamic linker mapping
 * libcurl's own tree (HTTP/2, SSH, LDAP, IDN, PSL, ...), although only the verbs that call
 * STS or SSM use it. So the programs that use this library do not link libcurl: the first
 * caller loads the pinned soname ECS_CURL_SONAME (RTLD_NOW | RTLD_LOCAL: every function is
 * resolved at once and none leaks into the global scope) and resolves, through this one
 * table, exactly the functions used, then checks the version and TLS support. The library
 * stays loaded for the life of the process (libcurl and OpenSSL do not unload cleanly).
 * Not thread-safe: the helper and ecs-saml-exec call it from one thread. */
#ifndef ECS_AWS_CURL_H
#define ECS_AWS_CURL_H

#include <stddef.h>

#include <curl/curl.h>

/* Debian's libcurl4 package: the only ABI this code is built for. */
#define ECS_CURL_SONAME "libcurl.so.4"
/* CURLOPT_PROTOCOLS_STR and CURLOPT_REDIR_PROTOCOLS_STR (the oldest option used) */
#define ECS_CURL_MIN_VERSION 0x075500u
#define ECS_CURL_MIN_VERSION_TEXT "7.85.0"

struct ecs_curl {
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *c, CURLoption opt, ...);
	CURLcode (*easy_perform)(CURL *c);
	CURLcode (*easy_getinfo)(CURL *c, CURLINFO info, ...);
	const char *(*easy_strerror)(CURLcode e);
	void (*easy_cleanup)(CURL *c);
	struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s);
	void (*slist_free_all)(struct curl_slist *l);
	CURLU *(*url)(void);
	CURLUcode (*url_set)(CURLU *u, CURLUPart part, const char *s, unsigned int flags);
	CURLUcode (*url_get)(const CURLU *u, CURLUPart part, char **s, unsigned int flags);
	void (*url_cleanup)(CURLU *u);
	void (*free)(void *p);
};

/* The table, loading libcurl on the first call. 0 with *out set; -ELIBACC when the library
 * cannot be loaded or lacks a function (not installed, a broken file), -ELIBBAD when it is
 * older than ECS_CURL_MIN_VERSION_TEXT or has no TLS. A failure is remembered: every later
 * call returns it again. */
int ecs_curl_load(const struct ecs_curl **out);

/* Why the last ecs_curl_load failed, for the log ("" when it did not). */
const char *ecs_curl_load_error(void);

#endif
