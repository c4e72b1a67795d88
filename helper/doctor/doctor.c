/* doctor.c — the table of checks, findings, and how they are printed (doctor.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "doctor.h"
#include "ecs_version.h"

#define NEEDS_CONF 0x1u	/* skipped (with one finding saying so) when the configuration failed */

struct check {
	const char *name;
	int (*run)(struct ecs_doc *d);
	unsigned flags;
};

/* One line per check, in the order an operator fixes things: the configuration first. */
static const struct check checks[] = {
	{ "config", ecs_doc_check_config, 0 },
	{ "idp", ecs_doc_check_idp, NEEDS_CONF },
	{ "dirs", ecs_doc_check_dirs, NEEDS_CONF },
	{ "usermap", ecs_doc_check_usermap, NEEDS_CONF },
	{ "nsswitch", ecs_doc_check_nsswitch, 0 },
	{ "pam", ecs_doc_check_pam, 0 },	/* before sshd: its conv_timeout */
	{ "sshd", ecs_doc_check_sshd, NEEDS_CONF },
	{ "clock", ecs_doc_check_clock, NEEDS_CONF },
	{ "sts", ecs_doc_check_sts, NEEDS_CONF },
	{ "policy", ecs_doc_check_policy, NEEDS_CONF },
	{ "server", ecs_doc_check_server, 0 },
	{ "plugin", ecs_doc_check_plugin, 0 },
	{ "proc", ecs_doc_check_proc, 0 },
	{ "mac", ecs_doc_check_mac, 0 },
	{ "imds", ecs_doc_check_imds, NEEDS_CONF },
};

#define NCHECKS (sizeof(checks) / sizeof(checks[0]))

static const char *const sev_names[] = { "ok", "info", "warn", "fail" };

const char *
ecs_doc_sev_name(enum ecs_doc_sev sev)
{
	return sev_names[sev];
}

void
ecs_doc_add(struct ecs_doc *d, enum ecs_doc_sev sev, const char *id, const char *fix,
	    const char *fmt, ...)
{
	struct ecs_doc_finding *f;
	va_list ap;

	if (d->n == ECS_DOC_MAX_FINDINGS) {
		/* never silently lose a failure: the last slot keeps the worst */
		f = &d->f[d->n - 1];
		if (sev <= f->sev)
			return;
	} else {
		f = &d->f[d->n++];
	}
	f->sev = sev;
	f->check = d->check;
	snprintf(f->id, sizeof(f->id), "%s", id);
	snprintf(f->fix, sizeof(f->fix), "%s", fix ? fix : "");
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
}

int
ecs_doc_run(struct ecs_doc *d)
{
	size_t i;
	int r = 0;

	for (i = 0; r == 0 && i < NCHECKS; i++) {
		d->check = checks[i].name;
		if ((checks[i].flags & NEEDS_CONF) && !d->conf_ok) {
			ecs_doc_add(d, ECS_DOC_INFO, "skipped", "fix the configuration first",
				    "not checked: the configuration did not load");
			continue;
		}
		r = checks[i].run(d);
	}
	d->check = NULL;
	return r;
}

static enum ecs_doc_sev
worst(const struct ecs_doc *d)
{
	enum ecs_doc_sev w = ECS_DOC_OK;
	unsigned i;

	for (i = 0; i < d->n; i++)
		if (d->f[i].sev > w)
			w = d->f[i].sev;
	return w;
}

int
ecs_doc_exit_status(const struct ecs_doc *d)
{
	switch (worst(d)) {
	case ECS_DOC_FAIL:
		return ECS_DOC_EXIT_FAIL;
	case ECS_DOC_WARN:
		return ECS_DOC_EXIT_WARN;
	default:
		return ECS_DOC_EXIT_OK;
	}
}

void
ecs_doc_print_text(const struct ecs_doc *d, FILE *out)
{
	unsigned i, count[4] = { 0 };

	for (i = 0; i < d->n; i++) {
		const struct ecs_doc_finding *f = &d->f[i];

		count[f->sev]++;
		fprintf(out, "%-4s %s: %s\n", ecs_doc_sev_name(f->sev), f->id, f->msg);
		if (f->fix[0] && f->sev >= ECS_DOC_WARN)
			fprintf(out, "     fix: %s\n", f->fix);
	}
	fprintf(out, "doctor: %u ok, %u info, %u warn, %u fail\n", count[ECS_DOC_OK],
		count[ECS_DOC_INFO], count[ECS_DOC_WARN], count[ECS_DOC_FAIL]);
}

/* A JSON string: the findings quote file contents and programs' output. */
static void
json_str(FILE *out, const char *s)
{
	const unsigned char *p;

	fputc('"', out);
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(out, "\\u%04x", *p);	/* bytes, not UTF-8: stays valid JSON */
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

void
ecs_doc_print_json(const struct ecs_doc *d, FILE *out)
{
	unsigned i;

	fprintf(out, "{\"version\": ");
	json_str(out, ECS_VERSION);
	fprintf(out, ", \"config\": ");
	json_str(out, d->conf_path);
	fprintf(out, ", \"worst\": \"%s\", \"exit\": %d, \"findings\": [",
		ecs_doc_sev_name(worst(d)), ecs_doc_exit_status(d));
	for (i = 0; i < d->n; i++) {
		const struct ecs_doc_finding *f = &d->f[i];

		fprintf(out, "%s\n  {\"check\": ", i ? "," : "");
		json_str(out, f->check ? f->check : "");
		fprintf(out, ", \"id\": ");
		json_str(out, f->id);
		fprintf(out, ", \"severity\": \"%s\", \"message\": ", ecs_doc_sev_name(f->sev));
		json_str(out, f->msg);
		fprintf(out, ", \"fix\": ");
		json_str(out, f->fix);
		fputc('}', out);
	}
	fprintf(out, "\n]}\n");
}
