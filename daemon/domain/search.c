#include "search.h"

#include <string.h>

#include "escape.h"
#include "snippet.h"
#include "textseg.h"
#include "utf8.h"

/* What separates the terms of a query: ASCII white space and the ideographic space. */
static size_t space_at(const char *s, size_t len, size_t i)
{
	if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f' || s[i] == '\v')
		return 1;
	return len - i >= 3 && !memcmp(s + i, "\xE3\x80\x80", 3) ? 3 : 0;
}

/* What one term costs and gives: FTS5 reads one doclist per token, and a CJK run of n
 * characters is about n tokens (its bigrams), a word one. */
struct term_shape {
	size_t tokens;
	int prefix; /* ends in a word long enough to widen into a prefix */
};

/* Appends the term s[0..len) as a phrase to exact and to prefixed (there with a '*' when it
 * ends in a word of SEARCH_PREFIX_MIN_CHARS or more: a one-letter prefix covers a large
 * share of all words, and FTS5 merges every doclist it covers), and its runs to the
 * needles. Returns 0, appending nothing, when the term holds no word at all. */
static int add_term(struct arena *a, struct buf *exact, struct buf *prefixed, const char *s, size_t len,
		    struct search_query *out, struct term_shape *shape)
{
	struct seg_run run, last = {0};
	size_t pos = 0, runs = 0;
	shape->tokens = 0;
	while (seg_next_run(s, len, &pos, &run)) {
		out->needles[out->nneedles++] = arena_strndup(a, s + run.start, run.end - run.start);
		shape->tokens += run.cls == SEG_WORD ? 1 : run.nchars;
		last = run;
		runs++;
	}
	if (!runs)
		return 0;
	struct buf *both[2] = {exact, prefixed};
	for (int k = 0; k < 2; k++) {
		struct buf *m = both[k];
		if (m->len)
			buf_puts(m, " AND ");
		buf_putc(m, '"');
		for (size_t i = 0; i < len; i++) {
			if (s[i] == '"')
				buf_putc(m, '"');
			buf_putc(m, s[i]);
		}
		buf_putc(m, '"');
	}
	shape->prefix = last.cls == SEG_WORD && last.nchars >= SEARCH_PREFIX_MIN_CHARS;
	if (shape->prefix)
		buf_putc(prefixed, '*');
	return 1;
}

/* The next term of q[0..len) from *i on (terms are separated by white space): sets *start
 * and returns its length, 0 when there is none left. */
static size_t next_term(const char *q, size_t len, size_t *i, size_t *start)
{
	size_t sp;
	while (*i < len && (sp = space_at(q, len, *i)))
		*i += sp;
	*start = *i;
	while (*i < len && !space_at(q, len, *i))
		++*i;
	return *i - *start;
}

/* 1 when the term s[0..n) stands in q[0..end) already: repeating a term changes nothing in
 * an AND but its cost. */
static int repeated(const char *q, size_t end, const char *s, size_t n)
{
	size_t i = 0, start, k;
	while ((k = next_term(q, end, &i, &start)))
		if (k == n && !memcmp(q + start, s, n))
			return 1;
	return 0;
}

/* Adds every distinct term of q[0..len) to the two expressions; counts what they cost. */
static void add_terms(struct arena *a, const char *q, size_t len, struct buf *exact, struct buf *prefixed,
		      struct search_query *out, size_t *terms, size_t *tokens, int *prefix)
{
	size_t i = 0, start, n;
	while ((n = next_term(q, len, &i, &start))) {
		struct term_shape shape;
		if (repeated(q, start, q + start, n))
			continue;
		++*terms;
		if (add_term(a, exact, prefixed, q + start, n, out, &shape)) {
			*tokens += shape.tokens;
			*prefix |= shape.prefix;
		}
	}
}

enum ag_status search_build_query(struct agora_ctx *c, const char *q, struct search_query *out)
{
	size_t len = q ? strlen(q) : 0, terms = 0, tokens = 0;
	int prefix = 0;
	if (!utf8_valid(q ? q : "", len))
		return ag_fail(c, AG_EINVAL, "invalid_query");
	if (utf8_length(q ? q : "", len) > SEARCH_QUERY_MAX_CHARS)
		return ag_fail(c, AG_EINVAL, "query_too_long");
	struct buf exact = BUF_INIT, prefixed = BUF_INIT;
	/* at most one needle per byte of the query */
	out->needles = arena_alloc(c->arena, (len + 1) * sizeof *out->needles);
	out->nneedles = 0;
	add_terms(c->arena, q, len, &exact, &prefixed, out, &terms, &tokens, &prefix);
	enum ag_status st = AG_OK;
	if (!terms || !exact.len) {
		st = ag_fail(c, AG_EINVAL, terms ? "query_no_words" : "query_empty");
	} else if (tokens > SEARCH_QUERY_MAX_WORDS) {
		st = ag_fail(c, AG_EINVAL, "query_too_many_words");
	} else {
		out->exact = arena_strndup(c->arena, exact.data, exact.len);
		out->prefixed = prefix ? arena_strndup(c->arena, prefixed.data, prefixed.len) : NULL;
	}
	buf_free(&exact);
	buf_free(&prefixed);
	return st;
}

static const char *or_null(const char *s)
{
	return s && *s ? s : NULL;
}

/* The snippet of plain text (escaped, its matches marked), in the arena. */
static const char *snippet_of_text(struct arena *a, const char *text, size_t len, const char *const *needles,
				   size_t n)
{
	struct buf out = BUF_INIT;
	snippet_html(&out, text ? text : "", text ? len : 0, needles, n, SNIPPET_CHARS);
	const char *s = arena_strndup(a, out.data ? out.data : "", out.len);
	buf_free(&out);
	return s;
}

static const char *snippet_of(struct arena *a, const char *html, const char *const *needles, size_t n)
{
	struct buf text = BUF_INIT;
	html_to_text(&text, html ? html : "", html ? strlen(html) : 0);
	const char *s = snippet_of_text(a, text.data, text.len, needles, n);
	buf_free(&text);
	return s;
}

/* Exact words first: when they alone fill the ranked window, the prefix form is not run,
 * nor with an author filter (see below),
 * since FTS5 answers a prefix by merging the whole doclists of every word it covers (the*
 * is the, them, there...: tens of milliseconds at a million posts), while an exact word is
 * read lazily, newest first, only as far as the window. When the exact words match fewer
 * posts than the window holds, the prefix form (a superset) is run instead. An author's posts
 * are put to FTS5 one by one (store_search), and a prefix costs a merge of every word it
 * covers at each of them, so with an author filter words match whole. */
static int run_query(struct agora_ctx *c, const struct search_query *q, struct search_filter *f, struct page pg,
		     struct search_hit **hits, size_t *n, int64_t *total, int *capped)
{
	f->match = q->exact;
	int rc = store_search(c->db, c->arena, f, pg, hits, n, total, capped);
	if (rc != STORE_OK || *capped || !q->prefixed || f->author)
		return rc;
	f->match = q->prefixed;
	return store_search(c->db, c->arena, f, pg, hits, n, total, capped);
}

/* The query and filter of a request, for posts and other things alike. */
static enum ag_status search_prepare(struct agora_ctx *c, const struct search_request *in, struct search_query *q,
				     struct search_filter *f)
{
	*f = (struct search_filter){.board = or_null(in->board), .author = or_null(in->author),
				    .viewer_id = ag_viewer(c), .window = SEARCH_WINDOW,
				    .deadline = store_clock_ms() + SEARCH_TIME_LIMIT_MS};
	return search_build_query(c, in->q, q);
}

/* What a store search's result means to the caller. */
static enum ag_status search_outcome(struct agora_ctx *c, int rc)
{
	if (rc == STORE_TIMEOUT)
		return ag_fail(c, AG_EBUSY, "search_too_slow");
	return rc == STORE_OK ? AG_OK : ag_store_fail(c, rc);
}

enum ag_status search_posts(struct agora_ctx *c, const struct search_request *in, struct listing *l,
			    struct search_item **out, size_t *n, int *capped)
{
	struct search_query q;
	struct search_filter f;
	enum ag_status st = search_prepare(c, in, &q, &f);
	if (st != AG_OK)
		return st;
	struct search_hit *hits;
	if ((st = search_outcome(c, run_query(c, &q, &f, l->page, &hits, n, &l->total, capped))) != AG_OK)
		return st;
	*out = arena_alloc(c->arena, (*n ? *n : 1) * sizeof **out);
	for (size_t i = 0; i < *n; i++) {
		(*out)[i].hit = hits[i];
		(*out)[i].snippet_html = snippet_of(c->arena, hits[i].body_html, q.needles, q.nneedles);
	}
	return AG_OK;
}

/* As run_query, over thing_fts: far fewer rows than posts, so the prefix form also runs with an
 * author filter (which is read from the matches, not from the author's posts). */
static int run_things(struct agora_ctx *c, const struct search_query *q, struct search_filter *f, struct page pg,
		      struct search_thing **things, size_t *n, int64_t *total, int *capped)
{
	f->match = q->exact;
	int rc = store_search_things(c->db, c->arena, f, pg, things, n, total, capped);
	if (rc != STORE_OK || *capped || !q->prefixed)
		return rc;
	f->match = q->prefixed;
	return store_search_things(c->db, c->arena, f, pg, things, n, total, capped);
}

enum ag_status search_others(struct agora_ctx *c, const struct search_request *in, struct listing *l,
			     struct search_other **out, size_t *n, int *capped)
{
	struct search_query q;
	struct search_filter f;
	enum ag_status st = search_prepare(c, in, &q, &f);
	if (st != AG_OK)
		return st;
	struct search_thing *things;
	if ((st = search_outcome(c, run_things(c, &q, &f, l->page, &things, n, &l->total, capped))) != AG_OK)
		return st;
	*out = arena_alloc(c->arena, (*n ? *n : 1) * sizeof **out);
	for (size_t i = 0; i < *n; i++) {
		const char *body = things[i].body ? things[i].body : "";
		(*out)[i].thing = things[i];
		(*out)[i].snippet_html = snippet_of_text(c->arena, body, strlen(body), q.needles, q.nneedles);
	}
	return AG_OK;
}
