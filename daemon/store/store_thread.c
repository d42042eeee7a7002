/* The SQL of threads and posts. */
#include "store_thread.h"

#include "store_impl.h"

int store_board_threads(struct store *s, struct arena *a, int64_t board_id, int64_t region_id,
			struct page pg, struct thread **out, size_t *n, int64_t *total)
{
	return sql_page(SQL_BIND(s, ST_BOARD_THREAD_COUNT, SQL_INT(board_id), SQL_INT(region_id)), total,
			SQL_BIND(s, ST_BOARD_THREADS, SQL_INT(board_id), SQL_INT(region_id), SQL_PAGE(pg)), a,
			&sql_thread_row, (void **)out, n);
}

int store_recent_threads(struct store *s, struct arena *a, int64_t viewer_id, int64_t limit, struct thread **out,
			 size_t *n)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_RECENT_THREADS, SQL_INT(limit), SQL_INT(viewer_id));
	return sql_collect(st, a, &sql_thread_row, (void **)out, n);
}

int store_thread_get(struct store *s, struct arena *a, int64_t id, struct thread *out)
{
	return sql_one_row(SQL_BIND(s, ST_THREAD_GET, SQL_INT(id)), a, &sql_thread_row, out);
}

int sql_post_shown(enum post_state st)
{
	return st == POST_PUBLISHED || st == POST_DELETED;
}

/* Moves the board, thread and author counters by threads and sign (±1 post). */
static int counters(struct store *s, const struct post *p, int64_t board_id, int threads, int sign)
{
	int64_t at = sign > 0 ? p->created_at : 0;
	int rc = sql_exec(SQL_BIND(s, ST_BOARD_COUNTERS, SQL_INT(board_id), SQL_INT(threads), SQL_INT(sign),
				   SQL_INT(at)));
	if (rc == STORE_OK)
		rc = sql_exec(SQL_BIND(s, ST_THREAD_COUNTERS, SQL_INT(p->thread_id),
				       SQL_INT(p->parent_id ? sign : 0), SQL_INT(at)));
	if (rc == STORE_OK)
		rc = sql_exec(SQL_BIND(s, ST_USER_POSTS_ADD, SQL_INT(p->author.id), SQL_INT(sign)));
	return rc;
}

static int post_row_insert(struct store *s, struct post *p)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_POST_INSERT, SQL_INT(p->thread_id), SQL_ID(p->parent_id),
				    SQL_INT(p->depth), SQL_INT(p->author.id), SQL_TEXT(p->body),
				    SQL_TEXT(p->body_html), SQL_INT(p->created_at),
				    SQL_TEXT(post_state_name(p->state)));
	int rc = sql_insert(s, st, &p->id);
	if (rc != STORE_OK)
		return rc;
	return sql_exec(SQL_BIND(s, ST_POST_SET_PATH, SQL_INT(p->id), SQL_ID(p->parent_id)));
}

int store_thread_insert(struct store *s, struct thread *t, struct post *p)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_THREAD_INSERT, SQL_INT(t->board_id), SQL_TEXT(t->title),
				    SQL_INT(t->author.id), SQL_INT(t->created_at));
	int rc = sql_insert(s, st, &t->id);
	if (rc != STORE_OK)
		return rc;
	p->thread_id = t->id;
	p->parent_id = 0;
	p->depth = 0;
	if ((rc = post_row_insert(s, p)) != STORE_OK)
		return rc;
	t->root_post_id = p->id;
	st = SQL_BIND(s, ST_THREAD_SET_ROOT, SQL_INT(t->id), SQL_INT(p->id), SQL_INT(p->state == POST_PUBLISHED));
	if ((rc = sql_exec(st)) != STORE_OK)
		return rc;
	return p->state == POST_PUBLISHED ? counters(s, p, t->board_id, 1, 1) : STORE_OK;
}

int store_post_insert(struct store *s, struct post *p)
{
	int rc;
	int64_t parent_depth = sql_scalar(SQL_BIND(s, ST_POST_PARENT, SQL_INT(p->parent_id), SQL_INT(p->thread_id)),
					  &rc);
	if (rc != STORE_OK)
		return rc;
	p->depth = (int)parent_depth + 1;
	if ((rc = post_row_insert(s, p)) != STORE_OK)
		return rc;
	if (p->state != POST_PUBLISHED)
		return STORE_OK;
	struct thread t;
	struct arena *a = arena_new();
	rc = store_thread_get(s, a, p->thread_id, &t);
	if (rc == STORE_OK)
		rc = counters(s, p, t.board_id, 0, 1);
	arena_free(a);
	return rc;
}

int store_posts_nth_since(struct store *s, int64_t author_id, int64_t since, int64_t n, int64_t *at)
{
	int rc;
	*at = sql_scalar(SQL_BIND(s, ST_POSTS_NTH_SINCE, SQL_INT(author_id), SQL_INT(since), SQL_INT(n)), &rc);
	return rc;
}

int store_post_capped_parent(struct store *s, int64_t thread_id, int64_t max_depth, int64_t *parent_id)
{
	int rc;
	int64_t depth = sql_scalar(SQL_BIND(s, ST_POST_PARENT, SQL_INT(*parent_id), SQL_INT(thread_id)), &rc);
	if (rc != STORE_OK || depth < max_depth)
		return rc;
	*parent_id = sql_scalar(SQL_BIND(s, ST_POST_ANCESTOR, SQL_INT(thread_id), SQL_INT(*parent_id),
					 SQL_INT(max_depth)), &rc);
	return rc;
}

int store_thread_posts(struct store *s, struct arena *a, int64_t thread_id, int by_time,
		       int64_t viewer_id, int all_states, struct page pg,
		       struct post **out, size_t *n, int64_t *total)
{
	return sql_page(SQL_BIND(s, ST_POSTS_COUNT, SQL_INT(thread_id), SQL_INT(viewer_id), SQL_INT(all_states)),
			total,
			SQL_BIND(s, by_time ? ST_POSTS_TIME : ST_POSTS_TREE, SQL_INT(thread_id), SQL_INT(viewer_id),
				 SQL_INT(all_states), SQL_PAGE(pg)),
			a, &sql_post_row, (void **)out, n);
}

int store_thread_newest_post(struct store *s, int64_t thread_id, int64_t *post_id)
{
	int rc;
	*post_id = sql_scalar(SQL_BIND(s, ST_THREAD_NEWEST_POST, SQL_INT(thread_id)), &rc);
	return rc;
}

int store_posts_before(struct store *s, int64_t thread_id, int64_t post_id, int64_t viewer_id, int all_states,
		       int64_t *n)
{
	int rc;
	*n = sql_scalar(SQL_BIND(s, ST_POSTS_BEFORE, SQL_INT(thread_id), SQL_INT(viewer_id), SQL_INT(all_states),
				 SQL_INT(post_id)),
			&rc);
	return rc;
}

int store_post_get(struct store *s, struct arena *a, int64_t id, struct post *out)
{
	return sql_one_row(SQL_BIND(s, ST_POST_GET, SQL_INT(id)), a, &sql_post_row, out);
}

int store_post_edit(struct store *s, int64_t post_id, int64_t editor_id, const char *body,
		    const char *body_html, int64_t now)
{
	int rc = sql_exec(SQL_BIND(s, ST_REVISION_ADD, SQL_INT(post_id), SQL_INT(editor_id), SQL_INT(now)));
	if (rc != STORE_OK)
		return rc;
	return sql_exec(SQL_BIND(s, ST_POST_EDIT, SQL_INT(post_id), SQL_TEXT(body), SQL_TEXT(body_html),
				 SQL_INT(now)));
}

int store_post_set_state(struct store *s, int64_t post_id, enum post_state to)
{
	struct arena *a = arena_new();
	struct post p;
	struct thread t;
	int rc = store_post_get(s, a, post_id, &p);
	if (rc == STORE_OK)
		rc = store_thread_get(s, a, p.thread_id, &t);
	if (rc != STORE_OK || p.state == to)
		goto done;
	rc = sql_exec(SQL_BIND(s, ST_POST_SET_STATE, SQL_INT(post_id), SQL_TEXT(post_state_name(to))));
	/* an answer no longer shown is no longer the accepted one (restoring it does not
	 * accept it again: the asker decides anew) */
	if (rc == STORE_OK && to != POST_PUBLISHED)
		rc = sql_exec(SQL_BIND(s, ST_THREAD_ACCEPT_DROP, SQL_INT(post_id)));
	if (rc != STORE_OK)
		goto done;
	/* A thread is listed while its first post is shown, even as a placeholder. */
	int root = p.parent_id == 0, dthreads = root ? sql_post_shown(to) - sql_post_shown(p.state) : 0;
	int dposts = (to == POST_PUBLISHED) - (p.state == POST_PUBLISHED);
	if (dthreads)
		rc = sql_exec(SQL_BIND(s, ST_THREAD_SET_VISIBLE, SQL_INT(t.id), SQL_INT(sql_post_shown(to))));
	if (rc == STORE_OK && (dthreads || dposts))
		rc = counters(s, &p, t.board_id, dthreads, dposts);
done:
	arena_free(a);
	return rc;
}

int store_post_set_pending(struct store *s, int64_t post_id, const char *body, const char *html)
{
	return sql_exec(SQL_BIND(s, ST_POST_SET_PENDING, SQL_INT(post_id), SQL_TEXT(body), SQL_TEXT(html)));
}

/* An edit held for review (POST_PENDING_BODY). */
struct held_edit {
	const char *body, *html;
};
static const struct sql_field held_edit_fields[] = {
	SQL_FIELD(struct held_edit, body), SQL_FIELD(struct held_edit, html),
};
static const struct sql_row held_edit_row = SQL_ROW(struct held_edit, held_edit_fields);

int store_post_apply_pending(struct store *s, int64_t post_id, int64_t editor_id, int64_t now)
{
	struct arena *a = arena_new();
	struct held_edit e;
	int rc = sql_one_row(SQL_BIND(s, ST_POST_PENDING_BODY, SQL_INT(post_id)), a, &held_edit_row, &e);
	if (rc == STORE_OK)
		rc = store_post_edit(s, post_id, editor_id, e.body, e.html ? e.html : "", now);
	if (rc == STORE_OK)
		rc = store_post_set_pending(s, post_id, NULL, NULL);
	arena_free(a);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

static const struct sql_field revision_fields[] = {
	SQL_FIELD(struct revision, rev), SQL_FIELD(struct revision, editor),
	SQL_FIELD(struct revision, created_at), SQL_FIELD(struct revision, body),
	SQL_FIELD(struct revision, editor_name),
};
static const struct sql_row revision_row = SQL_ROW(struct revision, revision_fields);

int store_post_revisions(struct store *s, struct arena *a, int64_t post_id, struct revision **out, size_t *n)
{
	return sql_collect(SQL_BIND(s, ST_REVISIONS, SQL_INT(post_id)), a, &revision_row, (void **)out, n);
}
