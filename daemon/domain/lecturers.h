/* lecturers: the lecturer pool (who teaches, with what they teach and how trainees rated
 * them), members' bio and expertise, and applications to teach, which admins decide. */
#ifndef AGORA_LECTURERS_H
#define AGORA_LECTURERS_H

#include <stddef.h>

#include "ctx.h"
#include "store_lecturer.h"

enum {
	BIO_MAX_CHARS = 4000,
	EXPERTISE_MAX_ITEMS = 10,
	EXPERTISE_MAX_CHARS = 40,   /* of one item */
	STATEMENT_MAX_CHARS = 2000, /* of an application */
	DECLINE_REASON_MAX_CHARS = 500,
	POOL_QUERY_MAX_BYTES = 200,
	POOL_RATINGS_SHOWN = 3, /* fewer ratings than this: the average is withheld */
};

/* Checks a bio (Markdown, "" clears it) and renders it into *html, in c's arena: AG_EINVAL
 * invalid_text, AG_ETOOLARGE bio_too_long. */
enum ag_status lecturer_bio_render(struct agora_ctx *c, const char *bio, const char **html);
/* Checks a list of expertise (at most EXPERTISE_MAX_ITEMS of 1–EXPERTISE_MAX_CHARS characters
 * on one line, nothing hidden) and joins it one a line into *joined: AG_EINVAL
 * too_many_expertise or invalid_expertise. */
enum ag_status lecturer_expertise_join(struct agora_ctx *c, const char *const *items, size_t n,
				       const char **joined);
/* The items of a joined list, in c's arena; *n of them. */
const char **lecturer_expertise_split(struct agora_ctx *c, const char *joined, size_t *n);

/* A member's bio, its HTML and expertise (joined). */
enum ag_status lecturer_profile_text(struct agora_ctx *c, int64_t user_id, const char **bio,
				     const char **bio_html, const char **expertise);

/* The pool, for everyone: of an industry (slug; NULL or "" any; unknown: AG_EINVAL
 * unknown_industry), matching text (NULL or "" any). */
enum ag_status lecturer_pool(struct agora_ctx *c, const char *industry, const char *text, struct page pg,
			     struct pool_entry **out, size_t *n, int64_t *total);

/* Signed in, not banned, and not already of the lecturer role or above (AG_ECONFLICT
 * already_lecturer: approving would not change, or would lower, their role). */
struct ag_right lecturer_may_apply(const struct agora_ctx *c);
/* Admins only: the right that changes roles. */
struct ag_right lecturer_may_review(const struct agora_ctx *c);
/* Applies: AG_EINVAL statement_required or invalid_text, AG_ETOOLARGE statement_too_long,
 * AG_ECONFLICT application_pending while one waits. Fills *out. */
enum ag_status lecturer_apply(struct agora_ctx *c, const char *statement, const char *const *expertise,
			      size_t n, struct lecturer_app *out);
/* Applications of state (NULL any; else pending, approved or declined, or AG_EINVAL
 * invalid_state): the caller's own when mine, else everyone's (admins only). */
enum ag_status lecturer_apps(struct agora_ctx *c, const char *state, int mine, struct page pg,
			     struct lecturer_app **out, size_t *n, int64_t *total);
/* An admin decides a pending application: action approve (the applicant's role becomes
 * lecturer, their expertise the application's if theirs is empty) or decline (reason
 * optional). The applicant is notified and the moderation log records it, in the same
 * transaction. AG_ECONFLICT already_decided. Fills *out with the decided application. */
enum ag_status lecturer_decide(struct agora_ctx *c, int64_t id, const char *action, const char *reason,
			       struct lecturer_app *out);

#endif
