/* moderation: the review queue, reports, and moderators' actions on posts, threads and users.
 * Every action is authorised here and logged (modlog) in the same transaction as the change;
 * what plugins say of submissions is screen's. */
#ifndef AGORA_MODERATION_H
#define AGORA_MODERATION_H

#include <stddef.h>

#include "ctx.h"

/* 1 when the acting user moderates anything: admins, site moderators, board moderators. */
int mod_is_moderator(struct agora_ctx *c);

/* The reason a post hidden by members' reports is held with (pages translate it). */
#define MOD_HIDDEN_REASON "hidden after reports from several members"

struct mod_item {
	struct post post;
	const char *board, *board_title, *thread_title;
	struct flag_reason *reasons;
	size_t nreasons;
};

enum ag_status mod_queue(struct agora_ctx *c, struct page pg, struct mod_item **out, size_t *n);
/* approve, reject, delete or restore a post. */
enum ag_status mod_post_action(struct agora_ctx *c, int64_t id, const char *action, const char *reason,
			       struct post *out);
/* pin, unpin, lock, unlock, or move (to board). */
enum ag_status mod_thread_action(struct agora_ctx *c, int64_t id, const char *action, const char *board,
				 const char *reason, struct thread *out);
/* Moderators ban members and lecturers; only admins ban moderators; nobody bans an admin or
 * themselves. */
struct ag_right mod_may_ban(const struct agora_ctx *c, const struct user *target);
/* Members report others' posts that are not deleted. */
struct ag_right mod_may_report(const struct agora_ctx *c, const struct post *p);
enum ag_status mod_report(struct agora_ctx *c, int64_t post_id, const char *reason);
/* days 0: until lifted. */
enum ag_status mod_ban(struct agora_ctx *c, const char *username, int64_t days, const char *reason);
enum ag_status mod_unban(struct agora_ctx *c, const char *username);

#endif
