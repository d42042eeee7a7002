/* access: the one rule of who may see what, and the lookups that apply it. Every reader of
 * boards, threads and posts, and of what is attached to an association, comes through here:
 * what the caller may not see answers AG_ENOTFOUND, exactly as what does not exist. The
 * modules that write (forum, moderation, associations, follow, ...) build on these, so none
 * of them needs another. */
#ifndef AGORA_ACCESS_H
#define AGORA_ACCESS_H

#include "ctx.h"

/* 1 when u moderates this board: an admin, a site moderator, a moderator of the board, or an
 * officer of the association the board belongs to (whose boards, members-only ones too, only
 * its members could otherwise moderate). Moderating is not seeing: a board the user may not
 * see stays 404 to them (access_board_visible), admins included. */
int access_moderates(struct agora_ctx *c, const struct user *u, int64_t board_id);
/* access_moderates for the acting user. */
int access_may_moderate(struct agora_ctx *c, int64_t board_id);
/* Boards of a members-only association exist only for its members, a training's board only
 * for its organisers, enrolled or completed trainees and lecturers (BOARD_VISIBLE). */
int access_board_visible(struct agora_ctx *c, int64_t board_id);
/* The caller's standing in an association (MEMBERSHIP_NONE for visitors). */
enum membership access_membership(struct agora_ctx *c, int64_t assoc_id);
int access_is_officer(struct agora_ctx *c, int64_t assoc_id);
/* Whether what is attached to a board (board_id) or to an association (its slug, when
 * board_id is 0) may be seen: a public association's for all, a members-only one's for its
 * members. */
int access_content_visible(struct agora_ctx *c, int64_t board_id, const char *association);

enum ag_status access_board(struct agora_ctx *c, const char *slug, struct board *out);
/* A thread is visible when its board is and its first post is: published or deleted for all,
 * pending or rejected for its author and the board's moderators. */
enum ag_status access_thread(struct agora_ctx *c, int64_t id, struct thread *out);
/* 1 when the caller may not yet see the other answers of this answer-first question
 * (ANSWERS_HIDDEN in the store: the one rule that the thread, search, feeds, notifications
 * and live updates apply). */
int access_answers_hidden(struct agora_ctx *c, const struct thread *t);
/* A post as the caller may see it, with its thread; the body of a deleted post is kept (for
 * the rules that look at it), so this is not for showing. */
enum ag_status access_post_in(struct agora_ctx *c, int64_t id, struct post *p, struct thread *t);
/* A post as the caller may see it; a deleted post's body is blanked. */
enum ag_status access_post(struct agora_ctx *c, int64_t id, struct post *out);

#endif
