/* moderation: what plugins say of submissions, the review queue, reports, moderators' actions
 * on posts, threads and users, and the public log. Every action is authorised here and logged
 * in the same transaction as the change. */
#ifndef AGORA_MODERATION_H
#define AGORA_MODERATION_H

#include <stddef.h>

#include "ctx.h"

/* What is being submitted, for the plugins. */
struct submission {
	const char *board;
	const struct thread *thread; /* NULL for a new thread */
	const char *title;
	const char *body;
	unsigned links;
	int is_edit;
};

/* Asks the plugins. AG_OK to publish; AG_PENDING to hold (c->held_reasons says why);
 * AG_EREFUSED (the reasons in c->error_detail) or AG_ERATE (c->retry_after) to refuse. */
enum ag_status mod_screen(struct agora_ctx *c, const struct submission *s);
/* Records why a held post waits (inside the caller's transaction). */
int mod_hold(struct agora_ctx *c, int64_t post_id);
/* Tells the plugins a post was published (after commit), and when readers see it for the
 * first time (not an approved edit), the listeners of the context's events. */
void mod_published(struct agora_ctx *c, const struct post *p, const char *board, int first_time);

/* 1 when the acting user moderates anything: admins, site moderators, board moderators. */
int mod_is_moderator(struct agora_ctx *c);

struct mod_item {
	struct post post;
	const char *board;
	const char **reasons;
	size_t nreasons;
};

enum ag_status mod_queue(struct agora_ctx *c, struct page pg, struct mod_item **out, size_t *n);
/* approve, reject, delete or restore a post. */
enum ag_status mod_post_action(struct agora_ctx *c, int64_t id, const char *action, const char *reason,
			       struct post *out);
/* pin, unpin, lock, unlock, or move (to board). */
enum ag_status mod_thread_action(struct agora_ctx *c, int64_t id, const char *action, const char *board,
				 const char *reason, struct thread *out);
enum ag_status mod_report(struct agora_ctx *c, int64_t post_id, const char *reason);
/* days 0: until lifted. */
enum ag_status mod_ban(struct agora_ctx *c, const char *username, int64_t days, const char *reason);
enum ag_status mod_unban(struct agora_ctx *c, const char *username);
enum ag_status mod_log_list(struct agora_ctx *c, struct page pg, struct mod_entry **out, size_t *n,
			    int64_t *total);
/* Appends to the public log (inside the caller's transaction). */
int mod_log(struct agora_ctx *c, const char *action, const char *target_type, int64_t target_id,
	    const char *reason);

#endif
