/* conf_keys.c — print the configuration key table as the parser has it, for suite 06, which
 * holds pam_ecs_saml.conf(5) to it (every key, its range and its default). It includes the
 * table's own source file, so what it prints is what the compiler built, macros resolved.
 *
 * One line per key: NAME TYPE WHERE MIN MAX DEFAULT [DEFAULT-STRING], separated by tabs; TYPE
 * is number, bool, string, list or other; WHERE is file (file only: refused as a module
 * argument) or any; DEFAULT-STRING is the default of a string or list (list values separated
 * by spaces), absent when there is none. */
#include "../libecs/ecs_conf.c"

static const char *
type_name(enum ecs_conf_type t)
{
	switch (t) {
	case ECS_CT_UNSIGNED:
	case ECS_CT_U32:
		return "number";
	case ECS_CT_BOOL:
		return "bool";
	case ECS_CT_STRING:
		return "string";
	case ECS_CT_LIST:
		return "list";
	default:
		return "other";
	}
}

int
main(void)
{
	for (size_t i = 0; i < ECS_CONF_NKEYS; i++) {
		const struct ecs_conf_key *k = &ecs_conf_keys[i];

		printf("%s\t%s\t%s\t%llu\t%llu\t%llu%s%s\n", k->name, type_name(k->type),
		       k->flags & ECS_CF_FILE_ONLY ? "file" : "any", (unsigned long long)k->min, (unsigned long long)k->max,
		       (unsigned long long)k->def, k->defstr ? "\t" : "", k->defstr ? k->defstr : "");
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
