/* forum: boards, threads and posts, and who may see and change them. */
#ifndef AGORA_FORUM_H
#define AGORA_FORUM_H

#include <stddef.h>

#include "access.h"
#include "ctx.h"

enum {
	TITLE_MAX_CHARS = 200,
	BODY_MAX_BYTES = 64 * 1024,
	/* Deepest reply (the first post is depth 0). A reply to a post at this depth goes beside
	 * it, as Discourse and Reddit do: each level adds 11 bytes to every descendant's path and
	 * an indent to the page, so unbounded chains cost disk and readability. */
	REPLY_MAX_DEPTH = 8,
};

struct board_input {
	const char *slug, *title, *description, *industry, *position, *association;
	const char *kind; /* "discussion" (NULL: the default) or "qa" */
	int answer_first; /* qa only */
};
/* A change to a board: NULL (or -1) leaves a field as it is. */
struct board_patch {
	const char *title, *description, *kind;
	int answer_first;
};


/* Boards the caller may see; filters are slugs or NULL. */
enum ag_status forum_boards(struct agora_ctx *c, const char *industry, const char *position,
			    const char *association, struct board **out, size_t *n);
enum ag_status forum_board_create(struct agora_ctx *c, const struct board_input *in, struct board *out);
/* Who changes a board: admins; an association's officers its boards; a training's organisers
 * its board (to make it one of answer-first questions, for assignments). */
struct ag_right forum_may_edit_board(struct agora_ctx *c, const struct board *b);
/* Changes a board's title, description, kind and answer-first rule. */
enum ag_status forum_board_update(struct agora_ctx *c, const char *slug, const struct board_patch *in,
				  struct board *out);
enum ag_status forum_board_add_moderator(struct agora_ctx *c, const char *slug, const char *username);
/* Threads of a board, pinned first; region is a slug or NULL for all. */
enum ag_status forum_board_threads(struct agora_ctx *c, const struct board *b, const char *region,
				   struct listing *l, struct thread **out, size_t *n);
enum ag_status forum_recent_threads(struct agora_ctx *c, int64_t limit, struct thread **out, size_t *n);

enum ag_status forum_thread_posts(struct agora_ctx *c, const struct thread *t, int by_time,
				  struct listing *l, struct post **out, size_t *n);
/* Starts a thread: AG_CREATED, or AG_PENDING when its first post is held. */
enum ag_status forum_thread_create(struct agora_ctx *c, const char *board_slug, const char *title,
				   const char *body, struct thread *t, struct post *p);
/* Replies in a thread under parent_id (0: under the first post). */
enum ag_status forum_reply(struct agora_ctx *c, int64_t thread_id, int64_t parent_id, const char *body,
			   struct post *p);

/* The id of the newest post published in a thread the caller has opened (forum_thread). */
enum ag_status forum_thread_newest_post(struct agora_ctx *c, const struct thread *t, int64_t *post_id);
/* Where a post is: its thread, and the page of the thread (tree order, per_page posts a page)
 * that shows it to the caller. */
enum ag_status forum_post_place(struct agora_ctx *c, int64_t id, int64_t per_page, int64_t *thread_id,
				int64_t *page);
/* A post the caller may edit (author or moderator, not deleted), with its Markdown source. */
enum ag_status forum_post_editable(struct agora_ctx *c, int64_t id, struct post *out);
enum ag_status forum_post_edit(struct agora_ctx *c, int64_t id, const char *body, struct post *out);
enum ag_status forum_post_delete(struct agora_ctx *c, int64_t id);
enum ag_status forum_post_revisions(struct agora_ctx *c, int64_t id, struct revision **out, size_t *n);

/* Who may reply in a thread: writers, and in a locked thread its board's moderators. */
struct ag_right forum_may_reply(struct agora_ctx *c, const struct thread *t);
/* Who may edit or delete a post: its author, or the board's moderators; nobody a deleted
 * post; only moderators in a locked thread. */
struct ag_right forum_may_change(struct agora_ctx *c, const struct post *p, const struct thread *t);

/* Checks a Markdown text (size, emptiness, control characters) and renders it once, at write
 * time, into the context's arena; *links counts its links. */
/* The built-in rate of new posts (threads and replies; edits are free) for the actor:
 * AG_OK, or AG_ERATE rate_limited with retry_after. Moderators and admins are exempt. */
enum ag_status forum_post_rate(struct agora_ctx *c);
enum ag_status forum_render(struct agora_ctx *c, const char *text, const char **html, unsigned *links);


#endif
