#include "follow.h"

/* How many of the most recently active threads the feed ranks: bounded, so the home page
 * costs the same however large the forum grows. */
enum { FEED_WINDOW = 1000 };

int follow_on_post(struct agora_ctx *c, int64_t thread_id)
{
	return store_thread_sub_set(c->db, c->actor->id, thread_id, 1, c->now);
}

enum ag_status follow_thread(struct agora_ctx *c, int64_t thread_id, int on)
{
	struct thread t;
	enum ag_status st = ag_require_reader(c);
	if (st != AG_OK || (st = access_thread(c, thread_id, &t)) != AG_OK)
		return st;
	int rc = store_thread_sub_set(c->db, c->actor->id, t.id, on, c->now);
	return ag_stored(c, rc);
}

enum ag_status follow_board(struct agora_ctx *c, const char *slug, int on)
{
	struct board b;
	enum ag_status st = ag_require_reader(c);
	if (st != AG_OK || (st = access_board(c, slug, &b)) != AG_OK)
		return st;
	int rc = store_board_sub_set(c->db, c->actor->id, b.id, on, c->now);
	return ag_stored(c, rc);
}

int follow_thread_followed(struct agora_ctx *c, int64_t thread_id)
{
	return c->actor && store_thread_sub_get(c->db, c->actor->id, thread_id) == STORE_OK;
}

int follow_board_followed(struct agora_ctx *c, int64_t board_id)
{
	return c->actor && store_board_sub_get(c->db, c->actor->id, board_id) == STORE_OK;
}

int follow_post_unread(const struct agora_ctx *c, const struct post *p, int64_t prev)
{
	/* a first visit marks nothing (everything would be new); one's own posts are never new */
	return c->actor && prev > 0 && p->id > prev && p->state == POST_PUBLISHED && p->author.id != c->actor->id;
}

enum ag_status follow_thread_seen(struct agora_ctx *c, const struct thread *t, const struct post *posts, size_t n,
				  int64_t *prev)
{
	int64_t seen = 0;
	*prev = 0;
	if (!c->actor)
		return AG_OK;
	int rc = store_read_get(c->db, c->actor->id, t->id, prev);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	for (size_t i = 0; i < n; i++)
		if (posts[i].state == POST_PUBLISHED && posts[i].id > seen)
			seen = posts[i].id;
	/* Most views change nothing and must not queue for the write lock. A held post approved
	 * later has an older id than the mark, so its notification is looked for on its own. */
	int fresh = seen > *prev;
	if (!fresh && store_notes_unread_in_thread(c->db, c->actor->id, t->id) != STORE_OK)
		return AG_OK;
	rc = store_begin(c->db);
	if (rc == STORE_OK && fresh)
		rc = store_read_mark(c->db, c->actor->id, t->id, seen, c->now);
	if (rc == STORE_OK)
		rc = store_notes_read_thread(c->db, c->actor->id, t->id, c->now);
	return ag_commit(c, rc, AG_OK);
}

enum ag_status follow_unread(struct agora_ctx *c, const struct thread *threads, size_t n,
			     struct unread_mark **out, size_t *nout)
{
	*nout = 0;
	*out = NULL;
	if (!c->actor || !n)
		return AG_OK;
	int64_t *ids = arena_alloc(c->arena, n * sizeof *ids);
	for (size_t i = 0; i < n; i++)
		ids[i] = threads[i].id;
	int rc = store_unread_threads(c->db, c->arena, c->actor->id, c->actor->created_at, FOLLOW_NEW_POSTS_SHOWN + 1,
				      ids, n, out, nout);
	return ag_stored(c, rc);
}

enum ag_status follow_feed(struct agora_ctx *c, struct listing *l, struct feed_item **out, size_t *n)
{
	enum ag_status st = ag_require_reader(c);
	if (st != AG_OK)
		return st;
	const struct user *u = c->actor;
	struct feed_reader f = {u->id, u->position.id, u->industry.id, u->region.id, FEED_WINDOW};
	int rc = store_feed(c->db, c->arena, &f, l->page, out, n, &l->total);
	return ag_stored(c, rc);
}

enum ag_status follow_followed_threads(struct agora_ctx *c, int64_t limit, struct thread **out, size_t *n)
{
	enum ag_status st = ag_require_reader(c);
	if (st != AG_OK)
		return st;
	int rc = store_followed_threads(c->db, c->arena, c->actor->id, limit, out, n);
	return ag_stored(c, rc);
}
