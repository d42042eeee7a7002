#include "store_search.h"

#include <time.h>

#include "store_impl.h"

int64_t store_clock_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* SQLite calls this every few thousand steps of a query; non-zero interrupts it. A worker
 * serves many connections from one loop, so one expensive search must not hold them all. */
static int past_deadline(void *arg)
{
	return store_clock_ms() >= *(const int64_t *)arg;
}

enum {
	DEADLINE_CHECK_STEPS = 4000,
	/* about 13 us each to put to FTS5: an author with fewer posts takes at most ~65 ms */
	AUTHOR_FIRST_MAX_POSTS = 5000,
	AUTHOR_FIRST_TRY_MS = 60,
};

static void read_hit(sqlite3_stmt *st, struct arena *a, void *out)
{
	struct search_hit *h = out;
	h->post_id = sqlite3_column_int64(st, 0);
	h->thread_id = sqlite3_column_int64(st, 1);
	h->title = sql_col_text(st, 2, a);
	h->board_slug = sql_col_text(st, 3, a);
	h->board_title = sql_col_text(st, 4, a);
	h->body_html = sql_col_text(st, 5, a);
	h->created_at = sqlite3_column_int64(st, 6);
	h->is_first = sqlite3_column_int(st, 7);
	h->window_count = sqlite3_column_int64(st, 8);
	sql_read_user(st, 9, a, &h->author);
}

static void bind_filter(sqlite3_stmt *st, const struct search_filter *f)
{
	sql_bind_text(st, 1, f->match);
	sqlite3_bind_int64(st, 2, f->viewer_id);
	sql_bind_text(st, 3, f->board);
	sql_bind_text(st, 4, f->author);
	sqlite3_bind_int64(st, 5, f->window);
}

/* The posts of an author, or -1 when there is nobody of that name. */
static int64_t author_posts(struct store *s, const char *author)
{
	sqlite3_stmt *st = sql_stmt(s, ST_SEARCH_AUTHOR_POSTS);
	int rc;
	sql_bind_text(st, 1, author);
	int64_t posts = sql_scalar(st, &rc);
	return rc == STORE_OK ? posts : -1;
}

/* One run of a plan: ST_SEARCH (the word's doclist, newest first) or ST_SEARCH_BY_AUTHOR (the
 * author's posts, newest first, each put to FTS5). */
static int search_rows(struct store *s, struct arena *a, const struct search_filter *f, struct page pg,
		       int by_author, struct search_hit **out, size_t *n, int64_t *total, int *capped)
{
	sqlite3_stmt *st = sql_stmt(s, by_author ? ST_SEARCH_BY_AUTHOR : ST_SEARCH);
	if (!st)
		return STORE_ERROR;
	bind_filter(st, f);
	sqlite3_bind_int64(st, 6, pg.limit);
	sqlite3_bind_int64(st, 7, pg.offset);
	int rc = sql_collect(st, a, sizeof(struct search_hit), (void **)out, n, read_hit);
	if (rc != STORE_OK)
		return rc;
	if (*n) {
		*total = (*out)[0].window_count;
	} else { /* a page past the end: count alone */
		if (!(st = sql_stmt(s, by_author ? ST_SEARCH_BY_AUTHOR_COUNT : ST_SEARCH_COUNT)))
			return STORE_ERROR;
		bind_filter(st, f);
		*total = sql_scalar(st, &rc);
	}
	*capped = *total >= f->window;
	return rc;
}

/* An author filter can make either plan slow: walking a common word's doclist until enough of
 * a small author's posts turn up, or putting a big author's posts to FTS5 one by one for a rare
 * word. An author with few posts is always read first (bounded by their count); for one with
 * many, that is tried for a moment, since a common word fills the window within their first
 * posts, and when the moment passes the word's doclist is walked instead (a rare word's is
 * short). */
int store_search(struct store *s, struct arena *a, const struct search_filter *f, struct page pg,
		 struct search_hit **out, size_t *n, int64_t *total, int *capped)
{
	int64_t whole = f->deadline ? f->deadline : INT64_MAX;
	int64_t deadline = whole; /* read by past_deadline */
	int64_t posts = f->author ? author_posts(s, f->author) : 0;
	int rc;
	if (posts < 0) { /* nobody of that name: nothing to walk a doclist for */
		*out = NULL;
		*n = 0;
		*total = *capped = 0;
		return STORE_OK;
	}
	sqlite3_progress_handler(s->db, DEADLINE_CHECK_STEPS, past_deadline, &deadline);
	if (!f->author || posts < AUTHOR_FIRST_MAX_POSTS) {
		rc = search_rows(s, a, f, pg, f->author != NULL, out, n, total, capped);
	} else {
		int64_t try_until = store_clock_ms() + AUTHOR_FIRST_TRY_MS;
		deadline = try_until < whole ? try_until : whole;
		rc = search_rows(s, a, f, pg, 1, out, n, total, capped);
		deadline = whole;
		if (rc == STORE_TIMEOUT && store_clock_ms() < whole)
			rc = search_rows(s, a, f, pg, 0, out, n, total, capped);
	}
	sqlite3_progress_handler(s->db, 0, NULL, NULL);
	return rc;
}
