/* The SQL of threads and posts. */
#include "store_thread.h"

#include "store_impl.h"

int store_board_threads(struct store *s, struct arena *a, int64_t board_id, int64_t region_id,
			struct page pg, struct thread **out, size_t *n, int64_t *total)
{
	sqlite3_stmt *st = sql_stmt(s, ST_BOARD_THREAD_COUNT);
	int rc;
	sqlite3_bind_int64(st, 1, board_id);
	sqlite3_bind_int64(st, 2, region_id);
	*total = sql_scalar(st, &rc);
	if (rc != STORE_OK)
		return rc;
	st = sql_stmt(s, ST_BOARD_THREADS);
	sqlite3_bind_int64(st, 1, board_id);
	sqlite3_bind_int64(st, 2, region_id);
	sqlite3_bind_int64(st, 3, pg.limit);
	sqlite3_bind_int64(st, 4, pg.offset);
	return sql_collect(st, a, sizeof(struct thread), (void **)out, n, sql_read_thread);
}

int store_recent_threads(struct store *s, struct arena *a, int64_t viewer_id, int64_t limit, struct thread **out,
			 size_t *n)
{
	sqlite3_stmt *st = sql_stmt(s, ST_RECENT_THREADS);
	sqlite3_bind_int64(st, 1, limit);
	sqlite3_bind_int64(st, 2, viewer_id);
	return sql_collect(st, a, sizeof(struct thread), (void **)out, n, sql_read_thread);
}

int store_thread_get(struct store *s, struct arena *a, int64_t id, struct thread *out)
{
	sqlite3_stmt *st = sql_stmt(s, ST_THREAD_GET);
	sqlite3_bind_int64(st, 1, id);
	return sql_one_row(st, a, out, sizeof *out, sql_read_thread);
}

/* Moves the board, thread and author counters by threads and sign (±1 post). */
static int counters(struct store *s, const struct post *p, int64_t board_id, int threads, int sign)
{
	sqlite3_stmt *st = sql_stmt(s, ST_BOARD_COUNTERS);
	sqlite3_bind_int64(st, 1, board_id);
	sqlite3_bind_int(st, 2, threads);
	sqlite3_bind_int(st, 3, sign);
	sqlite3_bind_int64(st, 4, sign > 0 ? p->created_at : 0);
	int rc = sql_exec(st);
	if (rc != STORE_OK)
		return rc;
	st = sql_stmt(s, ST_THREAD_COUNTERS);
	sqlite3_bind_int64(st, 1, p->thread_id);
	sqlite3_bind_int(st, 2, p->parent_id ? sign : 0);
	sqlite3_bind_int64(st, 3, sign > 0 ? p->created_at : 0);
	if ((rc = sql_exec(st)) != STORE_OK)
		return rc;
	st = sql_stmt(s, ST_USER_POSTS_ADD);
	sqlite3_bind_int64(st, 1, p->author.id);
	sqlite3_bind_int(st, 2, sign);
	return sql_exec(st);
}

static int post_row_insert(struct store *s, struct post *p)
{
	sqlite3_stmt *st = sql_stmt(s, ST_POST_INSERT);
	sqlite3_bind_int64(st, 1, p->thread_id);
	sql_bind_id(st, 2, p->parent_id);
	sqlite3_bind_int(st, 3, p->depth);
	sqlite3_bind_int64(st, 4, p->author.id);
	sql_bind_text(st, 5, p->body);
	sql_bind_text(st, 6, p->body_html);
	sqlite3_bind_int64(st, 7, p->created_at);
	sql_bind_text(st, 8, post_state_name(p->state));
	int rc = sql_exec(st);
	if (rc != STORE_OK)
		return rc;
	p->id = sqlite3_last_insert_rowid(s->db);
	st = sql_stmt(s, ST_POST_SET_PATH);
	sqlite3_bind_int64(st, 1, p->id);
	sql_bind_id(st, 2, p->parent_id);
	return sql_exec(st);
}

int store_thread_insert(struct store *s, struct thread *t, struct post *p)
{
	sqlite3_stmt *st = sql_stmt(s, ST_THREAD_INSERT);
	sqlite3_bind_int64(st, 1, t->board_id);
	sql_bind_text(st, 2, t->title);
	sqlite3_bind_int64(st, 3, t->author.id);
	sqlite3_bind_int64(st, 4, t->created_at);
	int rc = sql_exec(st);
	if (rc != STORE_OK)
		return rc;
	t->id = p->thread_id = sqlite3_last_insert_rowid(s->db);
	p->parent_id = 0;
	p->depth = 0;
	if ((rc = post_row_insert(s, p)) != STORE_OK)
		return rc;
	t->root_post_id = p->id;
	st = sql_stmt(s, ST_THREAD_SET_ROOT);
	sqlite3_bind_int64(st, 1, t->id);
	sqlite3_bind_int64(st, 2, p->id);
	sqlite3_bind_int(st, 3, p->state == POST_PUBLISHED);
	if ((rc = sql_exec(st)) != STORE_OK)
		return rc;
	return p->state == POST_PUBLISHED ? counters(s, p, t->board_id, 1, 1) : STORE_OK;
}

int store_post_insert(struct store *s, struct post *p)
{
	sqlite3_stmt *st = sql_stmt(s, ST_POST_PARENT);
	int rc;
	sqlite3_bind_int64(st, 1, p->parent_id);
	sqlite3_bind_int64(st, 2, p->thread_id);
	int64_t parent_depth = sql_scalar(st, &rc);
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

int store_thread_posts(struct store *s, struct arena *a, int64_t thread_id, int by_time,
		       int64_t viewer_id, int all_states, struct page pg,
		       struct post **out, size_t *n, int64_t *total)
{
	sqlite3_stmt *st = sql_stmt(s, ST_POSTS_COUNT);
	int rc;
	sqlite3_bind_int64(st, 1, thread_id);
	sqlite3_bind_int64(st, 2, viewer_id);
	sqlite3_bind_int(st, 3, all_states);
	*total = sql_scalar(st, &rc);
	if (rc != STORE_OK)
		return rc;
	st = sql_stmt(s, by_time ? ST_POSTS_TIME : ST_POSTS_TREE);
	sqlite3_bind_int64(st, 1, thread_id);
	sqlite3_bind_int64(st, 2, viewer_id);
	sqlite3_bind_int(st, 3, all_states);
	sqlite3_bind_int64(st, 4, pg.limit);
	sqlite3_bind_int64(st, 5, pg.offset);
	return sql_collect(st, a, sizeof(struct post), (void **)out, n, sql_read_post);
}

int store_thread_newest_post(struct store *s, int64_t thread_id, int64_t *post_id)
{
	sqlite3_stmt *st = sql_stmt(s, ST_THREAD_NEWEST_POST);
	int rc;
	sqlite3_bind_int64(st, 1, thread_id);
	*post_id = sql_scalar(st, &rc);
	return rc;
}

int store_posts_before(struct store *s, int64_t thread_id, int64_t post_id, int64_t viewer_id, int all_states,
		       int64_t *n)
{
	sqlite3_stmt *st = sql_stmt(s, ST_POSTS_BEFORE);
	int rc;
	sqlite3_bind_int64(st, 1, thread_id);
	sqlite3_bind_int64(st, 2, viewer_id);
	sqlite3_bind_int(st, 3, all_states);
	sqlite3_bind_int64(st, 4, post_id);
	*n = sql_scalar(st, &rc);
	return rc;
}

int store_post_get(struct store *s, struct arena *a, int64_t id, struct post *out)
{
	sqlite3_stmt *st = sql_stmt(s, ST_POST_GET);
	sqlite3_bind_int64(st, 1, id);
	return sql_one_row(st, a, out, sizeof *out, sql_read_post);
}

int store_post_edit(struct store *s, int64_t post_id, int64_t editor_id, const char *body,
		    const char *body_html, int64_t now)
{
	sqlite3_stmt *st = sql_stmt(s, ST_REVISION_ADD);
	sqlite3_bind_int64(st, 1, post_id);
	sqlite3_bind_int64(st, 2, editor_id);
	sqlite3_bind_int64(st, 3, now);
	int rc = sql_exec(st);
	if (rc != STORE_OK)
		return rc;
	st = sql_stmt(s, ST_POST_EDIT);
	sqlite3_bind_int64(st, 1, post_id);
	sql_bind_text(st, 2, body);
	sql_bind_text(st, 3, body_html);
	sqlite3_bind_int64(st, 4, now);
	return sql_exec(st);
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
	sqlite3_stmt *st = sql_stmt(s, ST_POST_SET_STATE);
	sqlite3_bind_int64(st, 1, post_id);
	sql_bind_text(st, 2, post_state_name(to));
	if ((rc = sql_exec(st)) != STORE_OK)
		goto done;
	/* A thread is listed while its first post is shown, even as a placeholder. */
	int root = p.parent_id == 0, dthreads = root ? sql_post_shown(to) - sql_post_shown(p.state) : 0;
	int dposts = (to == POST_PUBLISHED) - (p.state == POST_PUBLISHED);
	if (dthreads) {
		st = sql_stmt(s, ST_THREAD_SET_VISIBLE);
		sqlite3_bind_int64(st, 1, t.id);
		sqlite3_bind_int(st, 2, sql_post_shown(to));
		if ((rc = sql_exec(st)) != STORE_OK)
			goto done;
	}
	if (dthreads || dposts)
		rc = counters(s, &p, t.board_id, dthreads, dposts);
done:
	arena_free(a);
	return rc;
}

int store_post_set_pending(struct store *s, int64_t post_id, const char *body, const char *html)
{
	sqlite3_stmt *st = sql_stmt(s, ST_POST_SET_PENDING);
	sqlite3_bind_int64(st, 1, post_id);
	sql_bind_text(st, 2, body);
	sql_bind_text(st, 3, html);
	return sql_exec(st);
}

int store_post_apply_pending(struct store *s, int64_t post_id, int64_t editor_id, int64_t now)
{
	struct arena *a = arena_new();
	sqlite3_stmt *st = sql_stmt(s, ST_POST_PENDING_BODY);
	sqlite3_bind_int64(st, 1, post_id);
	int rc = sql_first_row(st);
	if (rc == STORE_OK) {
		const char *body = sql_col_text(st, 0, a), *html = sql_col_text(st, 1, a);
		sqlite3_reset(st);
		rc = store_post_edit(s, post_id, editor_id, body, html ? html : "", now);
	}
	if (rc == STORE_OK)
		rc = store_post_set_pending(s, post_id, NULL, NULL);
	arena_free(a);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

static void read_revision(sqlite3_stmt *st, struct arena *a, void *out)
{
	struct revision *r = out;
	r->rev = sqlite3_column_int(st, 0);
	r->editor = sql_col_text(st, 1, a);
	r->created_at = sqlite3_column_int64(st, 2);
	r->body = sql_col_text(st, 3, a);
}

int store_post_revisions(struct store *s, struct arena *a, int64_t post_id, struct revision **out, size_t *n)
{
	sqlite3_stmt *st = sql_stmt(s, ST_REVISIONS);
	sqlite3_bind_int64(st, 1, post_id);
	return sql_collect(st, a, sizeof(struct revision), (void **)out, n, read_revision);
}
