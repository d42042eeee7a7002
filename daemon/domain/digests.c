/* The digest and the daily summary: who is due, what they get, marking them done. */
#include "digests.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "digest.h"
#include "outbox.h"
#include "store_follow.h"
#include "store_mail.h"
#include "trainings.h"

struct periodic {
	const char *kind; /* the outbox kind and the member's period columns */
	/* Queues the member's message about what came since then (or nothing). */
	enum ag_status (*compose)(struct agora_ctx *c, const struct mail_member *m, int64_t since);
};

void digest_period(int64_t now, long zone_offset, int weekly, char key[16], int64_t *start)
{
	int64_t local = now + zone_offset - (int64_t)DIGEST_HOUR * 3600;
	int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	if (weekly)
		day -= ((day + 3) % 7 + 7) % 7; /* 1970-01-01 was a Thursday: back to Monday */
	time_t t = (time_t)(day * 86400);
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(key, 16, "%c%04d-%02d-%02d", weekly ? 'W' : 'D', (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
		 tm.tm_mday % 100);
	*start = day * 86400 + (int64_t)DIGEST_HOUR * 3600 - zone_offset;
}

static json_t *digest_items(const struct digest_item *it, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:I, s:s, s:s, s:s, s:s?, s:I, s:I}", "kind", it[i].kind,
						   "id", (json_int_t)it[i].id, "title", it[i].title, "why", it[i].why,
						   "path", it[i].path, "where", it[i].where, "at", (json_int_t)it[i].at,
						   "new_posts", (json_int_t)it[i].new_posts));
	return a;
}

static enum ag_status compose_digest(struct agora_ctx *c, const struct mail_member *m, int64_t since)
{
	struct digest_item *items;
	size_t n = 0;
	c->actor = &m->user; /* the member's own view: what they may see, nothing else */
	enum ag_status st = digest_collect(c, since, DIGEST_ITEMS_MAX, &items, &n);
	c->actor = NULL;
	if (st != AG_OK || n == 0)
		return st;
	json_t *data = json_pack("{s:o, s:I}", "items", digest_items(items, n), "since", (json_int_t)since);
	return ag_stored(c, outbox_queue(c, m->user.id, "digest", m->email, data));
}

static enum ag_status compose_summary(struct agora_ctx *c, const struct mail_member *m, int64_t since)
{
	struct note *notes;
	size_t n = 0;
	int64_t total = 0;
	int rc = store_notes_unread_since(c->db, c->arena, m->user.id, since, 1, &notes, &n, &total);
	if (rc != STORE_OK || total == 0)
		return ag_stored(c, rc);
	json_t *data = json_pack("{s:I}", "since", (json_int_t)since);
	return ag_stored(c, outbox_queue(c, m->user.id, "summary", m->email, data));
}

/* One batch of the members of pref not yet done for period; *full when there may be more. */
static enum ag_status batch(struct agora_ctx *c, const struct periodic *p, const char *pref, const char *period,
			    int64_t period_len, int *full)
{
	struct mail_member *ms;
	size_t n = 0;
	int rc = store_mail_members_due(c->db, c->arena, p->kind, pref, period, DIGEST_BATCH, &ms, &n);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	for (size_t i = 0; i < n; i++) {
		int64_t since = ms[i].last_at;
		if (!since) /* a first one covers one period at most, nothing before joining */
			since = ms[i].user.created_at > c->now - period_len ? ms[i].user.created_at : c->now - period_len;
		enum ag_status st = p->compose(c, &ms[i], since);
		if (st != AG_OK)
			return st;
		if ((rc = store_mail_period_done(c->db, ms[i].user.id, p->kind, period, c->now)) != STORE_OK)
			return ag_store_fail(c, rc);
	}
	*full = n == DIGEST_BATCH;
	return AG_OK;
}

/* The members of pref due for the period now falls in, if it began less than DIGEST_GRACE
 * ago: a period that agorad missed altogether is skipped, never sent days late. */
static enum ag_status period_batch(struct agora_ctx *c, const struct periodic *p, const char *pref, int weekly,
				   int64_t *next, int *more)
{
	char key[16];
	int64_t start, len = weekly ? 7 * 86400 : 86400;
	int full = 0;
	digest_period(c->now, training_zone_offset(c), weekly, key, &start);
	if (start + len < *next || !*next)
		*next = start + len;
	if (c->now >= start + DIGEST_GRACE)
		return AG_OK;
	enum ag_status st = batch(c, p, pref, key, len, &full);
	*more |= full;
	return st;
}

/* Runs a batch for each preference given; due again at once while members remain, else when
 * the next period begins. */
static enum ag_status periodic_run(struct agora_ctx *c, const struct periodic *p, const char *daily,
				   const char *weekly, int64_t *again_at)
{
	int more = 0;
	*again_at = 0;
	enum ag_status st = c->mail ? period_batch(c, p, daily, 0, again_at, &more) : AG_OK;
	if (st == AG_OK && c->mail && weekly)
		st = period_batch(c, p, weekly, 1, again_at, &more);
	if (!*again_at) /* no mail: look again tomorrow at the hour */
		*again_at = c->now + 86400;
	if (more)
		*again_at = c->now;
	return st;
}

enum ag_status digest_job(struct agora_ctx *c, const struct job *j, int64_t *again_at)
{
	static const struct periodic p = {"digest", compose_digest};
	(void)j;
	return periodic_run(c, &p, "daily", "weekly", again_at);
}

enum ag_status summary_job(struct agora_ctx *c, const struct job *j, int64_t *again_at)
{
	static const struct periodic p = {"summary", compose_summary};
	(void)j;
	return periodic_run(c, &p, "daily", NULL, again_at);
}
