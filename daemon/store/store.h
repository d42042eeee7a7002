/* store: all SQL of Agora. One `struct store` is one SQLite connection with its cache of
 * prepared statements; each worker thread owns one and never shares it. Strings in returned
 * records are copied into the arena the caller passes. */
#ifndef AGORA_STORE_H
#define AGORA_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "util.h"

struct store;

enum store_status {
	STORE_OK = 0,
	STORE_NOTFOUND = -1,
	STORE_CONFLICT = -2, /* a uniqueness rule was broken */
	STORE_BUSY = -3,     /* the database stayed locked past the busy timeout */
	STORE_ERROR = -4,
	STORE_TIMEOUT = -5,  /* a query ran past the time it was given (store_search) */
};

enum term_kind { TERM_INDUSTRY = 0, TERM_POSITION, TERM_REGION };

/* A page of a list: which rows to return. */
struct page {
	int64_t offset;
	int64_t limit;
};

/* Opens (creating when missing) the database at path, sets WAL, foreign keys and the busy
 * timeout, and migrates the schema. On failure returns NULL and *err (malloc'd) says why. */
struct store *store_open(const char *path, char **err);
void store_close(struct store *db);

/* Write transactions start IMMEDIATE so writers queue on the busy handler instead of failing
 * on a lock upgrade. Every function below that writes several rows expects to run inside one. */
int store_begin(struct store *db);
int store_commit(struct store *db);
void store_rollback(struct store *db);

int store_ping(struct store *db);
/* Runs PRAGMA integrity_check and foreign_key_check; STORE_OK when both are clean. The first
 * problem found is appended to report. */
int store_check(struct store *db, struct buf *report);
/* An online, consistent copy of the whole database into a new file at path. */
int store_backup(struct store *db, const char *path, char **err);

/* Site settings: small key/value pairs. */
const char *store_setting_get(struct store *db, struct arena *a, const char *key);
int store_setting_set(struct store *db, const char *key, const char *value);

/* Taxonomy. */
int store_terms(struct store *db, struct arena *a, enum term_kind kind, struct term **out, size_t *n);
int store_term_find(struct store *db, struct arena *a, enum term_kind kind, const char *slug, struct term *out);
int store_term_put(struct store *db, enum term_kind kind, const char *slug, const char *name);
int store_term_delete(struct store *db, enum term_kind kind, const char *slug);

/* Users. store_user_insert sets u->id; STORE_CONFLICT when the name is taken. */
int store_user_insert(struct store *db, struct user *u, const char *pw_hash);
int store_user_by_name(struct store *db, struct arena *a, const char *name, struct user *out);
/* Like store_user_by_name, but also fills out->pw_hash. */
int store_user_credentials(struct store *db, struct arena *a, const char *name, struct user *out);
int store_user_update_profile(struct store *db, const struct user *u);
int store_user_set_role(struct store *db, int64_t user_id, enum role role);
int store_user_set_password(struct store *db, int64_t user_id, const char *pw_hash);
int store_user_count(struct store *db, int64_t *n);

/* Sessions, stored by the digest of their token only. */
int store_session_create(struct store *db, int64_t user_id, const char *digest, int64_t now, int64_t expires);
int store_session_user(struct store *db, struct arena *a, const char *digest, int64_t now, struct user *out);
int store_session_delete(struct store *db, const char *digest);
/* Ends every session of a user except the one with keep_digest (may be NULL). */
int store_sessions_end_others(struct store *db, int64_t user_id, const char *keep_digest);

/* Failed logins, for throttling by account name and by client address. */
int store_login_failures(struct store *db, const char *name, const char *addr, int64_t since,
			 int64_t *count, int64_t *oldest);
int store_login_failure_add(struct store *db, const char *name, const char *addr, int64_t now);
int store_login_failures_clear(struct store *db, const char *name);

/* Invite codes: store_invite_use marks an unused code used; STORE_NOTFOUND otherwise. */
int store_invite_create(struct store *db, const char *code, int64_t by, int64_t now);
int store_invite_use(struct store *db, const char *code, int64_t user_id);

/* Which boards to list: slugs or NULL, and who is looking (0 for a visitor). Boards the
 * viewer may not see are left out. */
struct board_filter {
	const char *industry, *position, *association;
	int64_t viewer_id;
};

int store_boards(struct store *db, struct arena *a, const struct board_filter *f, struct board **out, size_t *n);
/* STORE_OK when viewer_id may see the board; STORE_NOTFOUND otherwise. */
int store_board_visible(struct store *db, int64_t board_id, int64_t viewer_id);
int store_board_by_slug(struct store *db, struct arena *a, const char *slug, struct board *out);
/* b->industry.id / b->position.id must be set (0 for none); sets b->id. */
int store_board_insert(struct store *db, struct board *b, int64_t now);
int store_board_moderator_add(struct store *db, int64_t board_id, int64_t user_id);
int store_board_is_moderator(struct store *db, int64_t board_id, int64_t user_id);
/* STORE_OK when the user moderates at least one board. */
int store_moderates_any(struct store *db, int64_t user_id);

/* Threads of a board, pinned first then by last activity; region_id 0 means all regions. */
int store_board_threads(struct store *db, struct arena *a, int64_t board_id, int64_t region_id,
			struct page pg, struct thread **out, size_t *n, int64_t *total);
/* The most recently active threads of the whole site. */
int store_recent_threads(struct store *db, struct arena *a, int64_t viewer_id, int64_t limit, struct thread **out,
			 size_t *n);
int store_thread_get(struct store *db, struct arena *a, int64_t id, struct thread *out);

/* A new thread with its first post, counters updated. Sets t->id, p->id and t->root_post_id. */
int store_thread_insert(struct store *db, struct thread *t, struct post *p);
/* A reply under p->parent_id (which must be a post of p->thread_id), counters updated when it
 * is published. Sets p->id and p->depth. */
int store_post_insert(struct store *db, struct post *p);

/* Posts of a thread in tree order (depth first, siblings oldest first) or by time. Pending and
 * rejected posts are included only for their author (viewer_id) or when all_states is set. */
int store_thread_posts(struct store *db, struct arena *a, int64_t thread_id, int by_time,
		       int64_t viewer_id, int all_states, struct page pg,
		       struct post **out, size_t *n, int64_t *total);
int store_post_get(struct store *db, struct arena *a, int64_t id, struct post *out);
/* The id of the thread's newest published post (0 when none). */
int store_thread_newest_post(struct store *db, int64_t thread_id, int64_t *post_id);
/* How many posts of the thread come before post_id in tree order, as viewer_id sees them. */
int store_posts_before(struct store *db, int64_t thread_id, int64_t post_id, int64_t viewer_id, int all_states,
		       int64_t *n);
/* Replaces the body, keeping the old one as the next revision by editor_id. */
int store_post_edit(struct store *db, int64_t post_id, int64_t editor_id, const char *body,
		    const char *body_html, int64_t now);
/* Moves a post to another state (a soft delete is POST_DELETED: the row and its body stay for
 * revisions). Board, thread and author counters and the thread's visibility follow. */
int store_post_set_state(struct store *db, int64_t post_id, enum post_state to);
/* An edit held for review: kept beside the published text until a moderator decides. */
int store_post_set_pending(struct store *db, int64_t post_id, const char *body, const char *html);
/* Makes the held edit the post's text (the old text becomes a revision by editor_id). */
int store_post_apply_pending(struct store *db, int64_t post_id, int64_t editor_id, int64_t now);
int store_post_revisions(struct store *db, struct arena *a, int64_t post_id, struct revision **out, size_t *n);

/* Moderation. Flags are why a post is in the queue: kind "held" (a plugin) or "report". A
 * member's second open report of the same post is STORE_CONFLICT. */
int store_flag_add(struct store *db, int64_t post_id, const char *kind, int64_t reporter_id, const char *reason,
		   int64_t now);
int store_flag_reports(struct store *db, int64_t post_id, int64_t *n);
int store_flags_resolve(struct store *db, int64_t post_id, int64_t now);
int store_flag_reasons(struct store *db, struct arena *a, int64_t post_id, const char ***out, size_t *n);
/* Posts held, with a held edit or with open flags, on the boards moderator_id moderates (or
 * on all boards). */
int store_mod_queue(struct store *db, struct arena *a, int64_t moderator_id, int all_boards, struct page pg,
		    struct queue_item **out, size_t *n);
int store_thread_set(struct store *db, int64_t thread_id, int pinned, int locked);
int store_thread_move(struct store *db, int64_t thread_id, int64_t to_board);
/* until: Unix seconds, INT64_MAX until lifted, 0 to lift. */
int store_user_ban(struct store *db, int64_t user_id, int64_t until, const char *reason);
int store_mod_log_add(struct store *db, int64_t actor_id, const char *action, const char *target_type,
		      int64_t target_id, const char *reason, int64_t now);
int store_mod_log(struct store *db, struct arena *a, struct page pg, struct mod_entry **out, size_t *n,
		  int64_t *total);

/* Associations. store_assoc_insert sets x->id (STORE_CONFLICT for a taken slug). */
int store_assocs(struct store *db, struct arena *a, const char *industry, const char *position,
		 struct association **out, size_t *n);
int store_assoc_by_slug(struct store *db, struct arena *a, const char *slug, struct association *out);
int store_assoc_insert(struct store *db, struct association *x, int64_t creator_id);
int store_membership(struct store *db, int64_t assoc_id, int64_t user_id, enum membership *out);
/* MEMBERSHIP_NONE removes the row. */
int store_membership_set(struct store *db, int64_t assoc_id, int64_t user_id, enum membership m, int64_t now);
int store_assoc_people(struct store *db, struct arena *a, int64_t assoc_id, enum membership m, struct user **out,
		       size_t *n);

/* Questionnaires. A member's second response is STORE_CONFLICT. With anonymous set, the
 * response row keeps neither the respondent nor the time. */
int store_q_insert(struct store *db, struct questionnaire *q);
int store_q_get(struct store *db, struct arena *a, int64_t id, struct questionnaire *out);
/* Those of a board or an association (0 for any), newest first. */
int store_q_list(struct store *db, struct arena *a, int64_t board_id, int64_t assoc_id, struct questionnaire **out,
		 size_t *n);
int store_q_respond(struct store *db, const struct questionnaire *q, int64_t user_id, const char *answers,
		    int64_t now);
int store_q_has_responded(struct store *db, int64_t q_id, int64_t user_id);
/* Every response; anonymous questionnaires come back in random order. */
int store_q_responses(struct store *db, struct arena *a, const struct questionnaire *q, struct response **out,
		      size_t *n);

/* Materials. */
struct material_filter {
	int64_t board_id, association_id; /* 0: any */
	const char *text;                 /* NULL: any; else in the title or description */
	int64_t viewer_id;                /* only what this user may see (0: a visitor) */
};
int store_material_insert(struct store *db, struct material *m);
/* Adds the next version (sets m->version) of material m->id with m's file fields. */
int store_material_version_add(struct store *db, struct material *m, int64_t uploader_id, int64_t now);
/* A material at a version (0: the latest). */
int store_material_get(struct store *db, struct arena *a, int64_t id, int version, struct material *out);
int store_materials(struct store *db, struct arena *a, const struct material_filter *f, struct page pg,
		    struct material **out, size_t *n, int64_t *total);
/* STORE_OK when some material version holds the file with this SHA-256. */
int store_sha_used(struct store *db, const char *sha);
/* Every version of a material, newest first. */
int store_material_versions(struct store *db, struct arena *a, int64_t id, struct material **out, size_t *n);
int store_material_downloaded(struct store *db, int64_t id, int version);
/* Lecturers, moderators and admins who share materials, with how many. */
int store_lecturers(struct store *db, struct arena *a, int64_t viewer_id, struct user **out, int64_t **counts,
		    size_t *n);

#endif
