/* site: the settings and taxonomy admins edit, and invite codes. */
#ifndef AGORA_SITE_H
#define AGORA_SITE_H

#include <stddef.h>

#include "ctx.h"

/* 1 while the database answers. */
int site_healthy(struct agora_ctx *c);
/* "industry", "position" or "region"; -1 for anything else. */
int site_term_kind(const char *s);
enum ag_status site_terms(struct agora_ctx *c, enum term_kind kind, struct term **out, size_t *n);
/* Adds or renames a term (admins). */
enum ag_status site_term_put(struct agora_ctx *c, enum term_kind kind, const char *slug, const char *name);
enum ag_status site_term_delete(struct agora_ctx *c, enum term_kind kind, const char *slug);
/* The settings admins change through the API and /admin: the registration mode (open, invite
 * or closed) and rotation_years, within how many years every member is trained again
 * (docs/RECORDS.md). In an update, NULL and 0 leave a setting as it is; nothing is written
 * unless every value given is valid (invalid_registration_mode, invalid_rotation_years). */
enum { ROTATION_YEARS = 5, ROTATION_YEARS_MAX = 10 };
struct site_settings {
	const char *registration;
	int64_t rotation_years;
};
enum ag_status site_settings_update(struct agora_ctx *c, const struct site_settings *in);
int64_t site_rotation_years(struct agora_ctx *c);
/* A new single-use invite code (admins); *code is in the context's arena. */
enum ag_status site_invite_create(struct agora_ctx *c, const char **code);

#endif
