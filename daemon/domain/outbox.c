/* The outbox: queued inside the cause's transaction, claimed and recorded by the sender. */
#include "outbox.h"

#include <stdlib.h>

#include "jobs.h"

int outbox_note_mark(struct agora_ctx *c, int64_t *mark)
{
	*mark = 0;
	return c->mail ? store_note_last_id(c->db, mark) : STORE_OK;
}

int outbox_queue_notes(struct agora_ctx *c, int64_t mark)
{
	return c->mail ? store_outbox_notes(c->db, mark, c->now) : STORE_OK;
}

int outbox_queue(struct agora_ctx *c, int64_t user_id, const char *kind, const char *to, json_t *data)
{
	if (!c->mail) {
		json_decref(data);
		return STORE_OK;
	}
	char *text = data ? json_dumps(data, JSON_COMPACT) : NULL;
	json_decref(data);
	int rc = store_outbox_add(c->db, user_id, kind, 0, to, text, c->now);
	free(text);
	return rc;
}

enum ag_status outbox_claim(struct agora_ctx *c, const char *by, struct outbox_mail *m)
{
	int rc = store_begin(c->db);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	rc = store_outbox_claim(c->db, c->arena, c->now, by, OUTBOX_LEASE, m);
	if (rc == STORE_NOTFOUND) {
		store_rollback(c->db);
		return AG_ENOTFOUND;
	}
	return ag_commit(c, rc, AG_OK);
}

enum ag_status outbox_record(struct agora_ctx *c, const struct outbox_mail *m, const char *by,
			     enum outbox_result r, const char *why, int64_t *next_at)
{
	int rc;
	*next_at = 0;
	if (r == OUTBOX_SENT)
		rc = store_outbox_sent(c->db, c->now, m->id, by);
	else if (r == OUTBOX_RETRY && m->attempts < OUTBOX_MAX_ATTEMPTS) {
		*next_at = c->now + job_backoff(m->attempts);
		rc = store_outbox_retry(c->db, c->now, m->id, by, *next_at, why);
	} else
		rc = store_outbox_end(c->db, c->now, m->id, by, r == OUTBOX_DROPPED ? "dropped" : "failed", why);
	if (rc == STORE_NOTFOUND)
		return ag_fail(c, AG_ECONFLICT, "lease_lost");
	return ag_stored(c, rc);
}
