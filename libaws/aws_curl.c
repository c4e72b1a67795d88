/* aws_curl.c — libcurl's functions, loaded on first use (see aws_curl.h). */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "aws_curl.h"

static struct ecs_curl api;
static int load_r = 1;		/* 1: not tried yet; else ecs_curl_load's answer */
static char load_error[256];

/* Each slot of the table and the library's name for it. */
#define SYM(field, name) { offsetof(struct ecs_curl, field), #name }
static const struct {
	size_t off;
	const char *name;
} syms[] = {
	SYM(easy_init, curl_easy_init),		SYM(easy_setopt, curl_easy_setopt),
	SYM(easy_perform, curl_easy_perform),	SYM(easy_getinfo, curl_easy_getinfo),
	SYM(easy_strerror, curl_easy_strerror),	SYM(easy_cleanup, curl_easy_cleanup),
	SYM(slist_append, curl_slist_append),	SYM(slist_free_all, curl_slist_free_all),
	SYM(url, curl_url),			SYM(url_set, curl_url_set),
	SYM(url_get, curl_url_get),		SYM(url_cleanup, curl_url_cleanup),
	SYM(free, curl_free),
};
#undef SYM

static int
fail(int r, const char *what, const char *detail)
{
	snprintf(load_error, sizeof(load_error), "%s: %s%s%s", ECS_CURL_SONAME, what,
		 detail ? ": " : "", detail ? detail : "");
	return r;
}

static int
load(void)
{
	curl_version_info_data *(*version_info)(CURLversion v);
	CURLcode (*global_init)(long flags);
	curl_version_info_data *info;
	void *lib, *f;

	lib = dlopen(ECS_CURL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		return fail(-ELIBACC, "cannot be loaded", dlerror());
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		f = dlsym(lib, syms[i].name);
		if (!f)
			return fail(-ELIBACC, "lacks a function the helper uses", syms[i].name);
		/* POSIX guarantees dlsym's object pointer converts to a function pointer */
		memcpy((char *)&api + syms[i].off, &f, sizeof(f));
	}
	f = dlsym(lib, "curl_version_info");
	memcpy(&version_info, &f, sizeof(f));
	info = version_info ? version_info(CURLVERSION_NOW) : NULL;
	if (!info)
		return fail(-ELIBACC, "lacks a function the helper uses", "curl_version_info");
	if (info->version_num < ECS_CURL_MIN_VERSION)
		return fail(-ELIBBAD, "is older than " ECS_CURL_MIN_VERSION_TEXT, info->version);
	if (!(info->features & CURL_VERSION_SSL))
		return fail(-ELIBBAD, "is built without TLS", info->version);
	/* once, here, rather than inside the first curl_easy_init: the helper server's children
	 * then inherit an initialised library instead of each initialising it again */
	f = dlsym(lib, "curl_global_init");
	memcpy(&global_init, &f, sizeof(f));
	if (!global_init)
		return fail(-ELIBACC, "lacks a function the helper uses", "curl_global_init");
	if (global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return fail(-ELIBBAD, "does not initialise", info->version);
	/* the handle is never closed: the functions stay for the life of the process */
	return 0;
}

int
ecs_curl_load(const struct ecs_curl **out)
{
	if (load_r == 1)
		load_r = load();
	*out = load_r == 0 ? &api : NULL;
	return load_r;
}

const char *
ecs_curl_load_error(void)
{
	return load_error;
}
