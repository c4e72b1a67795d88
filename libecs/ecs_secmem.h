/* ecs_secmem.h — wiping secrets before their memory is released.
 * The code that owns a secret wipes it: assertion bytes, PAM answers, STS keys and tokens,
 * rendered credential files, pipe buffers. */
#ifndef ECS_SECMEM_H
#define ECS_SECMEM_H

#include <stddef.h>

/* Overwrite n bytes at p; never optimised away. p may be NULL when n is 0. */
void ecs_wipe(void *p, size_t n);

/* Wipe n bytes then free(p). NULL is fine. */
void ecs_free_secret(void *p, size_t n);

/* Wipe strlen(s) bytes then free(s). NULL is fine. */
void ecs_free_secret_str(char *s);

/* Whether x is a pointer (not an array, which the comma operator decays, nor a struct). */
#define ECS_IS_POINTER(x)                                                  \
	(__builtin_classify_type(x) == 5 /* pointer_type_class */ &&      \
	 __builtin_types_compatible_p(__typeof__(x), __typeof__((void)0, (x))))

/* Wipe a whole object or array in scope: ECS_WIPE_OBJ(struct_var), ECS_WIPE_OBJ(char_array).
 * A pointer is refused at compile time: it would wipe the pointer, not the secret. */
#define ECS_WIPE_OBJ(x)                                                          \
	do {                                                                     \
		_Static_assert(!ECS_IS_POINTER(x),                               \
			       "ECS_WIPE_OBJ of a pointer wipes the pointer only");  \
		ecs_wipe(&(x), sizeof(x));                                       \
	} while (0)

#endif
