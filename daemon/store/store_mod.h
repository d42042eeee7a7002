/* store_mod: moderation: flags, the review queue, pinning, moving, bans and the log. */
#ifndef AGORA_STORE_MOD_H
#define AGORA_STORE_MOD_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* Moderation. Flags are why a post is in the queue: kind "held" (a plugin) or "report". A
 * member's second open report of the same post is STORE_CONFLICT. */
int store_flag_add(struct store *db, int64_t post_id, const char *kind, int64_t reporter_id, const char *reason,
		   int64_t now);
int store_flag_reports(struct store *db, int64_t post_id, int64_t *n);
/* A member's report, weighing weight toward hiding the post (STORE_CONFLICT for a second open
 * one); store_report_weight: the sum over the post's open reports. */
int store_report_add(struct store *db, int64_t post_id, int64_t reporter_id, const char *reason, int weight,
		     int64_t now);
int store_report_weight(struct store *db, int64_t post_id, int64_t *sum);
int store_flags_resolve(struct store *db, int64_t post_id, int64_t now);
/* A post's open flags, oldest first. */
int store_flag_reasons(struct store *db, struct arena *a, int64_t post_id, struct flag_reason **out, size_t *n);
/* Posts held, with a held edit or with open flags, on the boards moderator_id moderates (or
 * on all boards). */
int store_mod_queue(struct store *db, struct arena *a, int64_t moderator_id, int all_boards, struct page pg,
		    struct queue_item **out, size_t *n);
int store_thread_set(struct store *db, const struct thread *t);
int store_thread_move(struct store *db, int64_t thread_id, int64_t to_board);
/* until: Unix seconds, INT64_MAX until lifted, 0 to lift. */
int store_user_ban(struct store *db, int64_t user_id, int64_t until, const char *reason);
int store_mod_log_add(struct store *db, int64_t actor_id, const char *action, const char *target_type,
		      int64_t target_id, const char *reason, int64_t now);
/* The log, newest first; each entry's seen says whether viewer_id (0: a visitor) may see its
 * target. */
int store_mod_log(struct store *db, struct arena *a, int64_t viewer_id, struct page pg, struct mod_entry **out,
		  size_t *n, int64_t *total);

#endif
