/* store_composer: what the composer asks of the store beside posts: members by the start of
 * their names, for @mention completion. */
#ifndef AGORA_STORE_COMPOSER_H
#define AGORA_STORE_COMPOSER_H

#include <stdint.h>

#include "store.h"

/* Up to limit members not banned at now whose username or display name starts with prefix
 * (ASCII case ignored); *out is an array of *n records in the arena a. */
int store_users_by_prefix(struct store *db, struct arena *a, const char *prefix, int64_t now, int64_t limit,
			  struct user **out, size_t *n);

#endif
