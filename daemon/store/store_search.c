/* The SQL of full-text search, and the deadline that bounds it. */
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

static const struct sql_field hit_fields[] = {
	SQL_FIELD(struct search_hit, post_id), SQL_FIELD(struct search_hit, thread_id),
	SQL_FIELD(struct search_hit, title), SQL_FIELD(struct search_hit, board_slug),
	SQL_FIELD(struct search_hit, board_title), SQL_FIELD(struct search_hit, body_html),
	SQL_FIELD(struct search_hit, created_at), SQL_FIELD(struct search_hit, is_first),
	SQL_FIELD(struct search_hit, window_count), SQL_FIELD(struct search_hit, author),
	SQL_FIELD(struct search_hit, accepted_post_id),
};
static const struct sql_row hit_row = SQL_ROW(struct search_hit, hit_fields);

/* The parameters ?1..?5 that every search statement shares. */
#define SEARCH_FILTER(f) SQL_TEXT((f)->match), SQL_INT((f)->viewer_id), SQL_TEXT((f)->board), \
	SQL_TEXT((f)->author), SQL_INT((f)->window)

/* The posts of an author, or -1 when there is nobody of that name. */
static int64_t author_posts(struct store *s, const char *author)
{
	int rc;
	int64_t posts = sql_scalar(SQL_BIND(s, ST_SEARCH_AUTHOR_POSTS, SQL_TEXT(author)), &rc);
	return rc == STORE_OK ? posts : -1;
}

/* One run of a plan: ST_SEARCH (the word's doclist, newest first) or ST_SEARCH_BY_AUTHOR (the
 * author's posts, newest first, each put to FTS5). */
static int search_rows(struct store *s, struct arena *a, const struct search_filter *f, struct page pg,
		       int by_author, struct search_hit **out, size_t *n, int64_t *total, int *capped)
{
	sqlite3_stmt *st = SQL_BIND(s, by_author ? ST_SEARCH_BY_AUTHOR : ST_SEARCH, SEARCH_FILTER(f), SQL_PAGE(pg));
	int rc = sql_collect(st, a, &hit_row, (void **)out, n);
	if (rc != STORE_OK)
		return rc;
	if (*n) {
		*total = (*out)[0].window_count;
	} else { /* a page past the end: count alone */
		st = SQL_BIND(s, by_author ? ST_SEARCH_BY_AUTHOR_COUNT : ST_SEARCH_COUNT, SEARCH_FILTER(f));
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

static const struct sql_field thing_fields[] = {
	SQL_FIELD(struct search_thing, kind), SQL_FIELD(struct search_thing, id),
	SQL_FIELD(struct search_thing, slug), SQL_FIELD(struct search_thing, title),
	SQL_FIELD(struct search_thing, body), SQL_FIELD(struct search_thing, window_count),
};
static const struct sql_row thing_row = SQL_ROW(struct search_thing, thing_fields);

int store_search_things(struct store *s, struct arena *a, const struct search_filter *f, struct page pg,
			struct search_thing **out, size_t *n, int64_t *total, int *capped)
{
	int64_t deadline = f->deadline ? f->deadline : INT64_MAX;
	sqlite3_progress_handler(s->db, DEADLINE_CHECK_STEPS, past_deadline, &deadline);
	int rc = sql_collect(SQL_BIND(s, ST_SEARCH_THINGS, SEARCH_FILTER(f), SQL_PAGE(pg)), a, &thing_row,
			     (void **)out, n);
	if (rc == STORE_OK && *n)
		*total = (*out)[0].window_count;
	else if (rc == STORE_OK) /* a page past the end: count alone */
		*total = sql_scalar(SQL_BIND(s, ST_SEARCH_THINGS_COUNT, SEARCH_FILTER(f)), &rc);
	sqlite3_progress_handler(s->db, 0, NULL, NULL);
	*capped = rc == STORE_OK && *total >= f->window;
	return rc;
}
