/* digest: the content of the digest e-mail ("precise drip irrigation"): for one member, the
 * few new things that concern them in a period, ranked like the personal feed. The outbox,
 * the sending and the recurring job that calls digest_collect once per member and period are
 * elsewhere; this only reads. */
#ifndef AGORA_DIGEST_H
#define AGORA_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "ctx.h"

struct digest_item {
	const char *kind;  /* "thread", "material", "training" */
	int64_t id;        /* thread id, material id, training id */
	const char *title;
	/* the reason it concerns the member, strongest first (digest.c says why in this order):
	 * "followed_thread", "association", "training", "followed_board", "position", "industry",
	 * "region", "training_open", "material" */
	const char *why;
	const char *path;  /* site-relative link: "/t/12", "/materials/3", "/trainings/SLUG" */
	/* for display, may be NULL: a thread's association (for an association's boards) or board
	 * (a training's board is titled after its training); a material's board or association;
	 * NULL for a training, whose title says it all */
	const char *where;
	int64_t at;        /* the newest activity that counts, Unix seconds */
	int64_t new_posts; /* threads: published posts by others in the period, at most
	                    * DIGEST_NEW_POSTS_MAX (say "100+" then); 0 for others */
};
enum { DIGEST_ITEMS_MAX = 10, DIGEST_NEW_POSTS_MAX = 100 };

/* What is new since `since` (exclusive) up to c->now for member c->actor (who must be set: the
 * job sets the actor to the recipient so visibility applies exactly as for their pages), at
 * most max (≤ DIGEST_ITEMS_MAX) items, the most relevant first, in c->arena. *n = 0 when
 * nothing new concerns them. Reads only; no transaction of its own (it runs inside the job's).
 *
 * What counts: published posts by others (never the member's own, never held, rejected or
 * deleted ones) in threads they follow, on boards of their associations and of the trainings
 * they organise or are enrolled in (members-only and training boards included, since they may
 * see them), on the boards of their position and industry, and in threads started by people
 * of their region; new threads on boards they follow; trainings made in the period that they
 * may enrol in (training_may_enrol); materials made in the period by others that they may see.
 * Each thing once, for its strongest reason; then more new posts, then the newest. */
enum ag_status digest_collect(struct agora_ctx *c, int64_t since, size_t max, struct digest_item **out, size_t *n);

#endif
