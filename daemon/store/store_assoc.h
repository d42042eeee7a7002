/* store_assoc: associations and their members. */
#ifndef AGORA_STORE_ASSOC_H
#define AGORA_STORE_ASSOC_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* Associations. store_assoc_insert sets x->id (STORE_CONFLICT for a taken slug). */
int store_assocs(struct store *db, struct arena *a, const char *industry, const char *position,
		 struct association **out, size_t *n);
int store_assoc_by_slug(struct store *db, struct arena *a, const char *slug, struct association *out);
int store_assoc_insert(struct store *db, struct association *x, int64_t creator_id);
int store_membership(struct store *db, int64_t assoc_id, int64_t user_id, enum membership *out);
/* MEMBERSHIP_NONE removes the row. */
int store_membership_set(struct store *db, int64_t assoc_id, int64_t user_id, enum membership m, int64_t now);
/* STORE_OK when user_id is an officer of an association that has boards. */
int store_officer_any(struct store *db, int64_t user_id);
int store_assoc_people(struct store *db, struct arena *a, int64_t assoc_id, enum membership m, struct user **out,
		       size_t *n);

#endif
