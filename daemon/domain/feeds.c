#include "feeds.h"

#include "forum.h"
#include "store_thread.h"

int feed_entry_opens_thread(const struct feed_entry *e)
{
	return e->post.id == e->thread->root_post_id;
}

/* Pairs each thread with its first post; threads whose first post stopped being published
 * between the two reads are left out. */
static enum ag_status entries_of_threads(struct agora_ctx *c, const struct thread *t, size_t nt,
					 struct feed_entry **out, size_t *n)
{
	*out = arena_alloc(c->arena, (nt ? nt : 1) * sizeof **out);
	*n = 0;
	for (size_t i = 0; i < nt; i++) {
		struct feed_entry *e = &(*out)[*n];
		int rc = store_post_get(c->db, c->arena, t[i].root_post_id, &e->post);
		if (rc == STORE_NOTFOUND || (rc == STORE_OK && e->post.state != POST_PUBLISHED))
			continue;
		if (rc != STORE_OK)
			return ag_store_fail(c, rc);
		e->thread = &t[i];
		(*n)++;
	}
	return AG_OK;
}

static enum ag_status threads_feed(struct agora_ctx *c, int64_t board_id, struct feed_entry **out, size_t *n)
{
	struct thread *t;
	size_t nt;
	int rc = store_feed_threads(c->db, c->arena, board_id, ag_viewer(c), FEED_MAX_ENTRIES, &t, &nt);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	return entries_of_threads(c, t, nt, out, n);
}

enum ag_status feed_board(struct agora_ctx *c, const char *slug, struct board *b, struct feed_entry **out,
			  size_t *n)
{
	enum ag_status st = access_board(c, slug, b);
	return st == AG_OK ? threads_feed(c, b->id, out, n) : st;
}

enum ag_status feed_site(struct agora_ctx *c, struct feed_entry **out, size_t *n)
{
	return threads_feed(c, 0, out, n);
}

enum ag_status feed_thread(struct agora_ctx *c, int64_t id, struct thread *t, struct feed_entry **out, size_t *n)
{
	struct post root, *p;
	size_t np;
	enum ag_status st = access_thread(c, id, t);
	if (st != AG_OK)
		return st;
	/* a thread still held for review is its author's and the moderators' only: a feed
	 * (often fetched by a shared reader) never names it */
	int rc = store_post_get(c->db, c->arena, t->root_post_id, &root);
	if (rc != STORE_OK || (root.state != POST_PUBLISHED && root.state != POST_DELETED))
		return ag_fail(c, AG_ENOTFOUND, "thread_not_found");
	if ((rc = store_feed_thread_posts(c->db, c->arena, t->id, ag_viewer(c), FEED_MAX_ENTRIES, &p, &np)) != STORE_OK)
		return ag_store_fail(c, rc);
	*out = arena_alloc(c->arena, (np ? np : 1) * sizeof **out);
	for (size_t i = 0; i < np; i++)
		(*out)[i] = (struct feed_entry){.thread = t, .post = p[i]};
	*n = np;
	return AG_OK;
}

enum ag_status feed_site_counts(struct agora_ctx *c, int local_client, struct store_counts *out)
{
	if (!local_client && !ag_is_admin(c))
		return ag_fail(c, AG_ENOTFOUND, "not_found");
	int rc = store_feed_counts(c->db, c->now, out);
	return ag_stored(c, rc);
}
