/* fuzz_audit_line.c — libFuzzer target for the audit file reader (`audit sessions`,
 * `audit exec`): one line and a whole file's text.
 *
 * Properties beyond "no crash, no leak": an accepted line is an object with a known event and
 * a time; every login built has its session_open record, and a close only with its open. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit_read.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ecs_audit_logins l = { 0 };
	json_t *rec = NULL;
	time_t when;

	if (ecs_audit_line_parse((const char *)data, size, &rec, &when) == 0) {
		if (!json_is_object(rec) || ecs_audit_str(rec, "event") == NULL ||
		    ecs_audit_str(rec, "time") == NULL)
			abort();
		json_decref(rec);
	}
	if (ecs_audit_logins_add_text(&l, (const char *)data, size) == 0 &&
	    ecs_audit_logins_index(&l) == 0) {
		for (size_t i = 0; i < l.n; i++) {
			if (strcmp(ecs_audit_str(l.v[i].open, "event"), "session_open") != 0)
				abort();
			if (l.v[i].close != NULL &&
			    strcmp(ecs_audit_str(l.v[i].close, "event"), "session_close") != 0)
				abort();
			if (ecs_audit_str(l.v[i].open, "access_key_id") != NULL &&
			    ecs_audit_logins_by_akid(&l, ecs_audit_str(l.v[i].open,
								      "access_key_id")) == NULL)
				abort();
		}
	}
	ecs_audit_logins_free(&l);
	return 0;
}
