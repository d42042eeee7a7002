#include "fts_cjk.h"

#include <string.h>

#include "escape.h"
#include "textseg.h"
#include "util.h"

typedef int (*token_fn)(void *ctx, int flags, const char *token, int ntoken, int start, int end);

/* The tokenizer keeps no state: every instance is this one object. */
static char tokenizer_instance;

static int cjk_create(void *arg, const char **argv, int argc, Fts5Tokenizer **out)
{
	(void)arg;
	(void)argv;
	if (argc > 0)
		return SQLITE_ERROR;
	*out = (Fts5Tokenizer *)&tokenizer_instance;
	return SQLITE_OK;
}

static void cjk_delete(Fts5Tokenizer *t)
{
	(void)t;
}

/* One word: folded, cut at FTS_WORD_MAX bytes on a character boundary. */
static int emit_word(const char *s, const struct seg_run *run, void *ctx, token_fn emit)
{
	char word[FTS_WORD_MAX + 4];
	size_t n = 0, i = run->start;
	while (i < run->end) {
		char enc[4];
		size_t k = seg_encode(seg_fold(seg_decode(s, run->end, &i)), enc);
		if (n + k > FTS_WORD_MAX)
			break;
		memcpy(word + n, enc, k);
		n += k;
	}
	return emit(ctx, 0, word, (int)n, (int)run->start, (int)run->end);
}

/* A CJK run (see fts_cjk.h). Documents: character i as a unigram at position i, and the
 * bigram of characters i and i+1 at the same position. Queries: the bigrams, then the last
 * character only when it must line up with a token after the run (a run of one is just
 * that character). */
static int emit_cjk(const char *s, const struct seg_run *run, int query, int more, void *ctx, token_fn emit)
{
	size_t at = run->start, next = at, after;
	int rc = SQLITE_OK;
	seg_decode(s, run->end, &next);
	while (rc == SQLITE_OK && at < run->end) {
		after = next;
		if (next < run->end)
			seg_decode(s, run->end, &after);
		int last = next >= run->end;
		if (!query || (last && (more || run->nchars == 1)))
			rc = emit(ctx, 0, s + at, (int)(next - at), (int)at, (int)next);
		if (rc == SQLITE_OK && !last)
			rc = emit(ctx, query ? 0 : FTS5_TOKEN_COLOCATED, s + at, (int)(after - at), (int)at, (int)after);
		at = next;
		next = after;
	}
	return rc;
}

static int cjk_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int ntext, token_fn emit)
{
	(void)t;
	size_t pos = 0, len = ntext > 0 ? (size_t)ntext : 0;
	struct seg_run run, next;
	int query = (flags & FTS5_TOKENIZE_QUERY) != 0, rc = SQLITE_OK;
	int have = seg_next_run(text, len, &pos, &run);
	while (rc == SQLITE_OK && have) {
		int more = seg_next_run(text, len, &pos, &next);
		rc = run.cls == SEG_WORD ? emit_word(text, &run, ctx, emit)
					 : emit_cjk(text, &run, query, more, ctx, emit);
		run = next;
		have = more;
	}
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Column averages of the whole index, read once per query. */
struct rank_avg {
	int ncol;
	double avg[];
};

static struct rank_avg *rank_averages(const Fts5ExtensionApi *api, Fts5Context *fts)
{
	struct rank_avg *r = api->xGetAuxdata(fts, 0);
	if (r)
		return r;
	int ncol = api->xColumnCount(fts);
	sqlite3_int64 rows = 0, total = 0;
	r = sqlite3_malloc64(sizeof *r + (size_t)ncol * sizeof r->avg[0]);
	if (!r)
		return NULL;
	r->ncol = ncol;
	api->xRowCount(fts, &rows);
	for (int c = 0; c < ncol; c++) {
		total = 0;
		api->xColumnTotalSize(fts, c, &total);
		r->avg[c] = rows > 0 && total > 0 ? (double)total / (double)rows : 1.0;
	}
	if (api->xSetAuxdata(fts, r, sqlite3_free) != SQLITE_OK)
		return NULL; /* FTS5 has freed r */
	return r;
}

/* agora_rank(fts, weight of column 0, weight of column 1, ...): BM25 (k1 1.2, b 0.75) without
 * its IDF factor, negated so that better rows sort first like bm25(). FTS5's bm25 reads the
 * whole doclist of every phrase once per query to count the documents holding it; for a
 * word in most of a million posts that costs more than everything else a search does. Here
 * every cost is per ranked row, and search ranks a bounded window (store_search.h). Every
 * result holds every term, so IDF would only weigh the terms of a multi-term query
 * against each other; for one term the order is exactly bm25's. */
static void agora_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int argc,
		       sqlite3_value **argv)
{
	const double k1 = 1.2, b = 0.75;
	struct rank_avg *avg = rank_averages(api, fts);
	int nphrase = api->xPhraseCount(fts), ninst = 0;
	if (!avg || api->xInstCount(fts, &ninst) != SQLITE_OK) {
		sqlite3_result_error_code(ctx, SQLITE_NOMEM);
		return;
	}
	int *tf = sqlite3_malloc64((size_t)(nphrase * avg->ncol + 1) * sizeof *tf);
	if (!tf) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	memset(tf, 0, (size_t)(nphrase * avg->ncol + 1) * sizeof *tf);
	for (int i = 0; i < ninst; i++) {
		int ph, col, off;
		if (api->xInst(fts, i, &ph, &col, &off) == SQLITE_OK && ph < nphrase && col < avg->ncol)
			tf[ph * avg->ncol + col]++;
	}
	double score = 0;
	for (int c = 0; c < avg->ncol; c++) {
		int len = 0;
		api->xColumnSize(fts, c, &len);
		double w = c < argc ? sqlite3_value_double(argv[c]) : 1.0;
		double norm = k1 * (1 - b + b * (double)len / avg->avg[c]);
		for (int p = 0; p < nphrase; p++) {
			double t = tf[p * avg->ncol + c];
			if (t > 0)
				score += w * t * (k1 + 1) / (t + norm);
		}
	}
	sqlite3_free(tf);
	sqlite3_result_double(ctx, -score);
}

/* The fts5_api of db, through the documented pointer-passing query. */
static fts5_api *fts5_api_of(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	return api;
}

static void sql_agora_text(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *html = (const char *)sqlite3_value_text(argv[0]);
	if (!html) {
		sqlite3_result_null(ctx);
		return;
	}
	struct buf b = BUF_INIT;
	html_to_text(&b, html, (size_t)sqlite3_value_bytes(argv[0]));
	sqlite3_result_text(ctx, b.data ? b.data : "", (int)b.len, SQLITE_TRANSIENT);
	buf_free(&b);
}

int fts_cjk_register(sqlite3 *db)
{
	static fts5_tokenizer tokenizer = {cjk_create, cjk_delete, cjk_tokenize};
	fts5_api *api = fts5_api_of(db);
	if (!api)
		return SQLITE_ERROR;
	int rc = api->xCreateTokenizer(api, "agora_cjk", NULL, &tokenizer, NULL);
	if (rc == SQLITE_OK)
		rc = api->xCreateFunction(api, "agora_rank", NULL, agora_rank, NULL);
	if (rc != SQLITE_OK)
		return rc;
	return sqlite3_create_function_v2(db, "agora_text", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
					  NULL, sql_agora_text, NULL, NULL, NULL);
}
