/* screen: what the moderation plugins say of a submission before it is written, and what they
 * (and the context's listeners) are told once it is published. Below forum and moderation,
 * which both write posts. */
#ifndef AGORA_SCREEN_H
#define AGORA_SCREEN_H

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
enum ag_status screen_submission(struct agora_ctx *c, const struct submission *s);
/* Records why a held post waits (inside the caller's transaction); a store status. */
int screen_hold(struct agora_ctx *c, int64_t post_id);
/* Tells the plugins a post was published (after commit), and when readers see it for the
 * first time (not an approved edit), the listeners of the context's events. */
void screen_published(struct agora_ctx *c, const struct post *p, const char *board, int first_time);

#endif
