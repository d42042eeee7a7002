/* drafts: a member's unsent text, kept on the server per thread ("thread-ID": a reply) and
 * per board ("board-SLUG": a new thread, with its title), restored on any device and gone
 * once posted (forum.c forgets it in the post's transaction). */
#ifndef AGORA_DRAFTS_H
#define AGORA_DRAFTS_H

#include "ctx.h"
#include "store_draft.h"

enum {
	/* Drafts a member keeps; saving one more drops the one untouched longest, so that typing
	 * never fails on a forgotten draft. */
	DRAFTS_MAX = 100,
	DRAFT_KEY_MAX = 80,
};

/* Saves the caller's draft under key: the thread or board must be visible (404) and the
 * caller allowed to post there (403); the body is text within a post's size (400, 413); a
 * title only counts on a board's draft. A blank body deletes the draft instead (*kept 0). */
enum ag_status draft_put(struct agora_ctx *c, const char *key, const char *title, const char *body,
			 struct draft *out, int *kept);
/* The caller's draft under key, while its thread or board is visible: 404 otherwise. */
enum ag_status draft_get(struct agora_ctx *c, const char *key, struct draft *out);
/* Deletes the caller's draft under key (a key of the right shape): AG_OK either way. */
enum ag_status draft_delete(struct agora_ctx *c, const char *key);
/* What a page refused keeps: the text is saved as the draft, cut to the limits if need be;
 * 1 when it was. Never changes the context's error (the refusal is what the caller reports). */
int draft_keep(struct agora_ctx *c, const char *key, const char *title, const char *body);
/* The keys, in the context's arena. */
const char *draft_key_thread(struct agora_ctx *c, int64_t thread_id);
const char *draft_key_board(struct agora_ctx *c, const char *slug);

#endif
