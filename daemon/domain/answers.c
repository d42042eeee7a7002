#include "answers.h"

#include <string.h>

#include "notify.h"
#include "store_answer.h"

static int is_question_board(const struct board *b)
{
	return b->kind && !strcmp(b->kind, "qa");
}

struct ag_right answers_may_accept(struct agora_ctx *c, const struct board *b, const struct thread *t)
{
	struct ag_right r = ag_may_write(c);
	if (!ag_allowed(r))
		return r;
	if (c->actor->id != t->author.id && !access_may_moderate(c, t->board_id))
		return ag_refused(AG_EFORBIDDEN, "not_the_asker");
	if (!is_question_board(b))
		return ag_refused(AG_ECONFLICT, "not_a_question");
	return AG_ALLOWED;
}

/* The post to accept: a published answer of thread t that the caller sees. */
static enum ag_status acceptable(struct agora_ctx *c, const struct thread *t, int64_t post_id)
{
	struct post p;
	struct thread pt;
	if (access_post_in(c, post_id, &p, &pt) != AG_OK || pt.id != t->id)
		return ag_fail(c, AG_EINVAL, "invalid_post");
	if (!p.parent_id || p.state != POST_PUBLISHED)
		return ag_fail(c, AG_EINVAL, "invalid_post");
	return AG_OK;
}

enum ag_status answers_accept(struct agora_ctx *c, int64_t thread_id, int64_t post_id, struct thread *out)
{
	struct thread t;
	struct board b;
	enum ag_status st = access_thread(c, thread_id, &t);
	if (st == AG_OK)
		st = access_board(c, t.board_slug, &b);
	if (st != AG_OK || (st = ag_check(c, answers_may_accept(c, &b, &t))) != AG_OK)
		return st;
	if (post_id && (st = acceptable(c, &t, post_id)) != AG_OK)
		return st;
	int rc = store_begin(c->db);
	if (rc == STORE_OK)
		rc = store_thread_accept(c->db, t.id, post_id);
	if (rc == STORE_OK && post_id && post_id != t.accepted_post_id)
		rc = notify_accepted(c, post_id);
	if ((st = ag_commit(c, rc, AG_OK)) != AG_OK)
		return st;
	return access_thread(c, t.id, out);
}

struct ag_right answers_may_mark(struct agora_ctx *c, const struct post *p)
{
	struct ag_right r = ag_may_write(c);
	if (!ag_allowed(r))
		return r;
	if (p->author.id == c->actor->id)
		return ag_refused(AG_EFORBIDDEN, "helpful_own_post");
	if (p->state != POST_PUBLISHED)
		return ag_refused(AG_ECONFLICT, "post_not_published");
	return AG_ALLOWED;
}

enum ag_status answers_helpful(struct agora_ctx *c, int64_t post_id, int on)
{
	struct post p;
	struct thread t;
	enum ag_status st = access_post_in(c, post_id, &p, &t);
	if (st != AG_OK || (st = ag_check(c, answers_may_mark(c, &p))) != AG_OK)
		return st;
	int rc = store_begin(c->db);
	if (rc == STORE_OK)
		rc = on ? store_helpful_put(c->db, p.id, c->actor->id, c->now) : store_helpful_delete(c->db, p.id, c->actor->id);
	return ag_commit(c, rc, AG_OK);
}

enum ag_status answers_mark_helpful(struct agora_ctx *c, int64_t thread_id, struct post *p, size_t n)
{
	int64_t *ids;
	size_t nids;
	if (!c->actor || !n)
		return AG_OK;
	int rc = store_helpful_in_thread(c->db, c->arena, thread_id, c->actor->id, &ids, &nids);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < nids; k++)
			if (p[i].id == ids[k])
				p[i].helpful = 1;
	return AG_OK;
}

enum ag_status answers_helpful_received(struct agora_ctx *c, int64_t author_id, int64_t *count)
{
	return ag_stored(c, store_helpful_received(c->db, author_id, ag_viewer(c), count));
}

enum ag_status answers_featured(struct agora_ctx *c, int64_t limit, struct thread **out, size_t *n)
{
	return ag_found(c, store_featured_threads(c->db, c->arena, ag_viewer(c), limit, out, n), "not_found");
}
