#include "notify.h"

#include "markdown.h"
#include "outbox.h"
#include "store_announcement.h"
#include "store_followup.h"
#include "store_lecturer.h"
#include "store_training.h"

/* Every notification may be an e-mail too: the outbox queues, in the same transaction, one
 * for each notification a cause made (those after mark) whose recipient wants it at once. */
static int mailed(struct agora_ctx *c, int64_t mark, int rc)
{
	return rc == STORE_OK ? outbox_queue_notes(c, mark) : rc;
}

int notify_published(struct agora_ctx *c, const struct post *p)
{
	char names[MENTIONS_MAX][MENTION_NAME_MAX + 1];
	int64_t mark;
	int rc = outbox_note_mark(c, &mark);
	size_t n = p->body ? md_mentions(p->body, names, MENTIONS_MAX) : 0;
	int64_t actor = p->author.id, id = p->id;
	for (size_t i = 0; rc == STORE_OK && i < n; i++)
		rc = store_notify_post(c->db, NOTIFY_MENTIONED, "mention", names[i], id, actor, c->now);
	if (rc == STORE_OK && p->parent_id)
		rc = store_notify_post(c->db, NOTIFY_PARENT_AUTHOR, "reply", NULL, id, actor, c->now);
	if (rc == STORE_OK)
		rc = store_notify_post(c->db, p->parent_id ? NOTIFY_THREAD_FOLLOWERS : NOTIFY_BOARD_FOLLOWERS,
				       "subscription", NULL, id, actor, c->now);
	return mailed(c, mark, rc);
}

int notify_accepted(struct agora_ctx *c, int64_t post_id)
{
	int64_t mark;
	int rc = outbox_note_mark(c, &mark);
	if (rc == STORE_OK)
		rc = store_notify_post(c->db, NOTIFY_POST_AUTHOR, "accepted", NULL, post_id, c->actor->id, c->now);
	return mailed(c, mark, rc);
}

int notify_moderation(struct agora_ctx *c, int64_t post_id, const char *action, const char *reason)
{
	const char *detail = arena_printf(c->arena, "%s\t%s", action, reason ? reason : "");
	int64_t mark;
	int rc = outbox_note_mark(c, &mark);
	if (rc == STORE_OK)
		rc = store_notify_moderation(c->db, post_id, c->actor->id, detail, c->now);
	return mailed(c, mark, rc);
}

int notify_lecturer(struct agora_ctx *c, int64_t user_id, const char *what, const char *reason)
{
	const char *detail = arena_printf(c->arena, "%s\t%s", what, reason ? reason : "");
	int64_t mark;
	int rc = outbox_note_mark(c, &mark);
	if (rc == STORE_OK)
		rc = store_notify_lecturer(c->db, user_id, c->actor->id, detail, c->now);
	return mailed(c, mark, rc);
}

int notify_training(struct agora_ctx *c, int64_t training_id, int64_t user_id, const char *what)
{
	int64_t mark;
	int rc = outbox_note_mark(c, &mark);
	if (rc == STORE_OK)
		rc = store_notify_training(c->db, training_id, user_id, ag_viewer(c), what, c->now);
	return mailed(c, mark, rc);
}

int notify_followup(struct agora_ctx *c, const struct followup *f, const char *what, int unanswered)
{
	const char *detail = arena_printf(c->arena, "%s\t%lld", what, (long long)f->questionnaire_id);
	int64_t mark;
	int rc = outbox_note_mark(c, &mark);
	if (rc == STORE_OK)
		rc = store_followup_notify(c->db, f, detail, unanswered, c->now);
	return mailed(c, mark, rc);
}

int notify_announcement(struct agora_ctx *c, int64_t announcement_id, int64_t limit, int *done)
{
	int64_t mark;
	int rc = outbox_note_mark(c, &mark);
	if (rc == STORE_OK)
		rc = store_announcement_fanout(c->db, announcement_id, limit, c->now, done);
	return mailed(c, mark, rc);
}

enum ag_status notify_list(struct agora_ctx *c, struct page pg, struct note **out, size_t *n, int64_t *total,
			   int64_t *unread)
{
	enum ag_status st = ag_require_reader(c);
	if (st != AG_OK)
		return st;
	int rc = store_notes(c->db, c->arena, c->actor->id, pg, out, n, total, unread);
	return ag_stored(c, rc);
}

enum ag_status notify_mark_read(struct agora_ctx *c, const int64_t *ids, size_t n)
{
	enum ag_status st = ag_require_reader(c);
	if (st != AG_OK)
		return st;
	if (ids && n > NOTIFY_READ_IDS_MAX)
		return ag_fail(c, AG_ETOOLARGE, "too_many_ids");
	int rc = store_begin(c->db);
	if (rc == STORE_OK && !ids)
		rc = store_notes_read(c->db, c->actor->id, 0, c->now);
	for (size_t i = 0; rc == STORE_OK && ids && i < n; i++)
		if (ids[i] > 0)
			rc = store_notes_read(c->db, c->actor->id, ids[i], c->now);
	return ag_commit(c, rc, AG_OK);
}

int64_t notify_unread_count(struct agora_ctx *c)
{
	int64_t n = 0;
	if (!c->actor || store_notes_unread(c->db, c->actor->id, NOTIFY_UNREAD_SHOWN + 1, &n) != STORE_OK)
		return 0;
	return n;
}
