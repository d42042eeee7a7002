/* store_site: site settings and the taxonomy (industries, positions, regions). */
#ifndef AGORA_STORE_SITE_H
#define AGORA_STORE_SITE_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

enum term_kind { TERM_INDUSTRY = 0, TERM_POSITION, TERM_REGION };

/* Site settings: small key/value pairs. */
const char *store_setting_get(struct store *db, struct arena *a, const char *key);
int store_setting_set(struct store *db, const char *key, const char *value);
/* Sets key only when it has no value yet (the first of several processes wins). */
int store_setting_add(struct store *db, const char *key, const char *value);

/* Taxonomy. */
int store_terms(struct store *db, struct arena *a, enum term_kind kind, struct term **out, size_t *n);
int store_term_find(struct store *db, struct arena *a, enum term_kind kind, const char *slug, struct term *out);
int store_term_put(struct store *db, enum term_kind kind, const char *slug, const char *name);
int store_term_delete(struct store *db, enum term_kind kind, const char *slug);

#endif
