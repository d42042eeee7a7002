/* store_lecturer: the lecturer pool, members' bio and expertise, applications to teach. */
#ifndef AGORA_STORE_LECTURER_H
#define AGORA_STORE_LECTURER_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* One member of the pool, as the pool's statement reads it. expertise: one item a line. */
struct pool_entry {
	struct user user;
	const char *bio, *bio_html;
	const char *expertise;
	int64_t lessons_taught;
	int64_t rating_count;
	double rating_average; /* 0 when there is no rating */
	int64_t materials;
};
struct pool_filter {
	int64_t viewer_id;   /* materials are counted as this user may see them (0: a visitor) */
	int64_t industry_id; /* 0: any */
	const char *text;    /* NULL: any; else a literal substring, case-insensitive */
	int64_t now;         /* lessons that started by then are taught */
};
int store_pool(struct store *db, struct arena *a, const struct pool_filter *f, struct page pg,
	       struct pool_entry **out, size_t *n, int64_t *total);

/* A member's bio, its HTML and expertise (one item a line); "" when unset. */
int store_user_profile_text(struct store *db, struct arena *a, int64_t user_id, const char **bio,
			    const char **bio_html, const char **expertise);
/* Sets what is not NULL of bio (with its HTML) and expertise. */
int store_user_set_profile_text(struct store *db, int64_t user_id, const char *bio, const char *bio_html,
				const char *expertise);
/* Sets the expertise only when the member has none. */
int store_user_expertise_if_empty(struct store *db, int64_t user_id, const char *expertise);

struct lecturer_app {
	int64_t id;
	const char *statement;
	const char *expertise; /* one item a line */
	const char *state;     /* pending, approved, declined */
	const char *reason;
	int64_t created_at, decided_at; /* decided_at 0 while pending */
	const char *decider;   /* the deciding admin's username, NULL while pending */
	struct user user;
};
/* STORE_CONFLICT when the member has a pending application already. Sets app->id. */
int store_app_insert(struct store *db, int64_t user_id, const char *statement, const char *expertise,
		     int64_t now, int64_t *id);
int store_app_get(struct store *db, struct arena *a, int64_t id, struct lecturer_app *out);
/* Applications in state (NULL: any) of user_id (0: anyone's), pending first, then newest. */
int store_apps(struct store *db, struct arena *a, const char *state, int64_t user_id, struct page pg,
	       struct lecturer_app **out, size_t *n, int64_t *total);
/* Decides a pending application: STORE_NOTFOUND when it is not pending (any more). */
int store_app_decide(struct store *db, int64_t id, const char *state, const char *reason, int64_t by,
		     int64_t now);
/* A notification of kind moderation, about no post, to user_id. */
int store_notify_lecturer(struct store *db, int64_t user_id, int64_t actor_id, const char *detail, int64_t now);

#endif
