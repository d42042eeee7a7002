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
/* Sets the registration mode: open, invite or closed (admins). */
enum ag_status site_set_registration(struct agora_ctx *c, const char *mode);
/* A new single-use invite code (admins); *code is in the context's arena. */
enum ag_status site_invite_create(struct agora_ctx *c, const char **code);

#endif
