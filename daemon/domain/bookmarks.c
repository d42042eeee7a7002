#include "bookmarks.h"

#include "access.h"

/* The bookmark is written, then counted: a member at the cap may still put one they hold. */
static int bookmark_add(struct agora_ctx *c, int64_t post_id, int *full)
{
	int64_t held = 0;
	int rc = store_bookmark_put(c->db, c->actor->id, post_id, c->now);
	if (rc == STORE_OK)
		rc = store_bookmarks_held(c->db, c->actor->id, &held);
	*full = held > BOOKMARKS_MAX;
	return rc;
}

enum ag_status bookmark_set(struct agora_ctx *c, int64_t post_id, int on)
{
	struct post p;
	int full = 0;
	enum ag_status st = ag_require_reader(c);
	if (st != AG_OK || (st = access_post(c, post_id, &p)) != AG_OK)
		return st;
	if (on && p.state == POST_DELETED)
		return ag_fail(c, AG_ENOTFOUND, "post_not_found");
	int rc = store_begin(c->db);
	if (rc == STORE_OK)
		rc = on ? bookmark_add(c, post_id, &full) : store_bookmark_delete(c->db, c->actor->id, post_id);
	if (rc == STORE_OK && full) {
		store_rollback(c->db);
		return ag_fail(c, AG_ECONFLICT, "too_many_bookmarks");
	}
	return ag_commit(c, rc, AG_OK);
}

enum ag_status bookmarks_list(struct agora_ctx *c, struct listing *l, struct placed_post **out, size_t *n)
{
	enum ag_status st = ag_require_reader(c);
	if (st != AG_OK)
		return st;
	return ag_stored(c, store_bookmarks(c->db, c->arena, c->actor->id, l->page, out, n, &l->total));
}

enum ag_status bookmarks_in_thread(struct agora_ctx *c, int64_t thread_id, int64_t **ids, size_t *n)
{
	*ids = NULL;
	*n = 0;
	if (!c->actor)
		return AG_OK;
	return ag_stored(c, store_bookmarked_in_thread(c->db, c->arena, c->actor->id, thread_id, ids, n));
}

enum ag_status profile_recent_posts(struct agora_ctx *c, const struct user *u, struct placed_post **out,
				    size_t *n)
{
	return ag_stored(c, store_user_recent_posts(c->db, c->arena, u->id, ag_viewer(c), PROFILE_RECENT_POSTS, out, n));
}
