/* announcements (通知公告): a message to an audience, each recipient notified once (and
 * e-mailed per their preferences, by the notification's outbox hook). Who may send to whom:
 * admins to any audience of industries, positions and regions (each list a choice among its
 * slugs, all lists together; none: every member); a training's organisers to its trainees;
 * an association's officers to its members. The audience is counted when the announcement is
 * made; the fan-out runs in the background (job ANNOUNCE_JOB), ANNOUNCE_BATCH recipients a
 * run, each batch and the cursor in one transaction: exactly once, and never a long lock. */
#ifndef AGORA_ANNOUNCEMENTS_H
#define AGORA_ANNOUNCEMENTS_H

#include <stddef.h>

#include "ctx.h"
#include "store_announcement.h"

#define ANNOUNCE_JOB "announcements.fanout"

enum {
	ANNOUNCE_BATCH = 1000,  /* recipients a run of the fan-out (AGORA_FANOUT_BATCH in tests) */
	ANNOUNCE_TITLE_MAX = 200, /* characters */
	ANNOUNCE_SLUGS_MAX = 100, /* slugs in each list of an audience */
};

/* What an announcement is to say and to whom. At most one of training and association;
 * the slug lists are for admins only. */
struct announcement_input {
	const char *title, *body;
	const char *training;    /* slug */
	const char *association; /* slug */
	const char *const *industries, *const *positions, *const *regions;
	size_t nindustries, npositions, nregions;
};

/* Whether the actor may send to the audience in (looked up: unknown slugs are AG_EINVAL or
 * AG_ENOTFOUND as for their own pages). Pages offer the form when any audience is open to the
 * caller: announcement_may_send_any. */
struct ag_right announcement_may_send_any(struct agora_ctx *c);
enum ag_status announcement_create(struct agora_ctx *c, const struct announcement_input *in,
				   struct announcement *out);
/* One announcement, for its author, its recipients and admins (AG_ENOTFOUND for the rest). */
enum ag_status announcement_get(struct agora_ctx *c, int64_t id, struct announcement *out);
/* The caller's received announcements, newest first. */
enum ag_status announcement_list(struct agora_ctx *c, struct listing *l, struct announcement **out, size_t *n);
/* The trainings the caller organises and the associations they are an officer of: the
 * audiences their form offers (in c->arena). */
enum ag_status announcement_audiences(struct agora_ctx *c, struct audience_choice **out, size_t *n);

struct job;
/* The fan-out job (job_kinds.c), inside the runner's transaction. */
enum ag_status announcement_fanout_job(struct agora_ctx *c, const struct job *j, int64_t *again_at);

#endif
