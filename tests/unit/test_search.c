/* Unit tests for search: the agora_cjk tokenizer and the query builder (through an
 * in-memory SQLite with FTS5), html_to_text, and the snippet highlighter. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "escape.h"
#include "fts_cjk.h"
#include "search.h"
#include "snippet.h"
#include "tools.h"

/* ---- the tokenizer and the query builder ------------------------------------------------ */

static sqlite3 *db;
static struct arena *arena;

static void open_index(void)
{
	ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	ck_assert_int_eq(fts_cjk_register(db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "CREATE VIRTUAL TABLE f USING fts5(title, body, tokenize='agora_cjk')",
				      NULL, NULL, NULL), SQLITE_OK);
	arena = arena_new();
}

static void close_index(void)
{
	sqlite3_close(db);
	arena_free(arena);
}

static void add_doc(int64_t id, const char *title, const char *body, int body_len)
{
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(db, "INSERT INTO f(rowid, title, body) VALUES(?1, ?2, ?3)", -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, body, body_len, SQLITE_STATIC);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

/* Adds bodies[0], [1], ... (up to a NULL) as documents 1, 2, ... without titles. */
static void add_bodies(const char *const *bodies)
{
	for (int64_t i = 0; bodies[i]; i++)
		add_doc(i + 1, "", bodies[i], -1);
}

/* The rowids that the user query q finds, as "1,3" ("" for none). */
static const char *found(const char *q)
{
	static char out[256];
	struct agora_ctx c = {.arena = arena};
	struct search_query sq;
	ck_assert_int_eq(search_build_query(&c, q, &sq), AG_OK);
	const char *match = sq.prefixed ? sq.prefixed : sq.exact;
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT rowid FROM f WHERE f MATCH ?1 ORDER BY rowid", -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	out[0] = '\0';
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		snprintf(out + strlen(out), sizeof out - strlen(out), "%s%lld", out[0] ? "," : "",
			 (long long)sqlite3_column_int64(st, 0));
	ck_assert_msg(rc == SQLITE_DONE, "query %s (%s): %s", q, match, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return out;
}

START_TEST(two_character_word_inside_a_sentence)
{
	static const struct unit_str_case cases[] = {
		{"春耕", "1"},
		{"耕准", "1"}, /* bigrams do not know word boundaries */
		{"秋收", "2"},
		{"春秋", ""},
	};

	add_bodies((const char *const[]){"今年春耕准备得早", "秋收以后再说", NULL});
	UNIT_CHECK_STRINGS(found, cases);
}
END_TEST

START_TEST(longer_phrase_matches_only_as_written)
{
	add_bodies((const char *const[]){"全面推进乡村振兴战略", "乡村的振兴靠大家", "振兴乡村", NULL});
	ck_assert_str_eq(found("乡村振兴"), "1");
	ck_assert_str_eq(found("乡村 振兴"), "1,2,3"); /* two terms: both anywhere */
}
END_TEST

START_TEST(single_character_anywhere_in_a_run)
{
	static const struct unit_str_case cases[] = {
		{"春", "1,2"}, /* first of a run, and a run of one */
		{"准", "1"}, /* in the middle */
		{"备", "1"}, /* last of a run: the extra unigram */
		{"收", "3"},
		{"夏", ""},
	};

	add_bodies((const char *const[]){"今年春耕准备", "春", "秋收", NULL});
	UNIT_CHECK_STRINGS(found, cases);
}
END_TEST

START_TEST(english_any_case_and_prefix)
{
	static const struct unit_str_case cases[] = {
		{"farming", "1"},
		{"Farm", "1,2"},
		{"SPRING", "1"},
		{"almanacs", ""},
		{"ＦＡＲＭ", "1,2"}, /* fullwidth letters fold to ASCII */
		{"café", ""},
	};

	add_bodies((const char *const[]){"FARMING tips for Spring", "a farmer's almanac", "nothing here", NULL});
	UNIT_CHECK_STRINGS(found, cases);
	add_doc(4, "", "Café CRÈME", -1);
	ck_assert_str_eq(found("CAFÉ crème"), "4");
}
END_TEST

START_TEST(mixed_chinese_and_english)
{
	static const struct unit_str_case cases[] = {
		{"AI 春耕", "1"},
		{"ai辅助", "1,2"}, /* one term across scripts: a phrase */
		{"AI春耕", ""}, /* ...that must be adjacent */
	};
	static const struct unit_str_case more[] = {
		{"春耕AI", "4"}, /* a CJK run then a word: positions line up */
		{"耕ai助", "4"},
		{"春ai", ""},
	};

	add_bodies((const char *const[]){"用AI辅助春耕，效果不错", "用AI辅助秋收", "春耕用人工", NULL});
	UNIT_CHECK_STRINGS(found, cases);
	add_doc(4, "", "春耕AI助手", -1);
	UNIT_CHECK_STRINGS(found, more);
}
END_TEST

START_TEST(exact_and_prefixed_forms)
{
	struct agora_ctx c = {.arena = arena};
	struct search_query q;
	ck_assert_int_eq(search_build_query(&c, "  Farm 春耕 \"x\"y 春 ", &q), AG_OK);
	ck_assert_str_eq(q.exact, "\"Farm\" AND \"春耕\" AND \"\"\"x\"\"y\" AND \"春\"");
	/* y is a word of one letter: too short to widen */
	ck_assert_str_eq(q.prefixed, "\"Farm\"* AND \"春耕\" AND \"\"\"x\"\"y\" AND \"春\"");
	ck_assert_uint_eq(q.nneedles, 5);
	ck_assert_str_eq(q.needles[0], "Farm");
	ck_assert_str_eq(q.needles[3], "y");
	ck_assert_int_eq(search_build_query(&c, "春耕 乡村振兴", &q), AG_OK);
	ck_assert_ptr_null(q.prefixed); /* nothing to widen */
}
END_TEST

START_TEST(repeated_terms_count_once)
{
	struct agora_ctx c = {.arena = arena};
	struct search_query q;
	struct buf b = BUF_INIT;
	for (int i = 0; i < 25; i++) /* 150 characters, 50 terms */
		buf_puts(&b, "ab 春耕 ");
	ck_assert_int_eq(search_build_query(&c, b.data, &q), AG_OK);
	ck_assert_str_eq(q.exact, "\"ab\" AND \"春耕\"");
	ck_assert_str_eq(q.prefixed, "\"ab\"* AND \"春耕\"");
	ck_assert_uint_eq(q.nneedles, 2);
	ck_assert_int_eq(search_build_query(&c, "Ab ab AB", &q), AG_OK);
	ck_assert_str_eq(q.exact, "\"Ab\" AND \"ab\" AND \"AB\""); /* same to FTS5, but cheap */
	buf_free(&b);
}
END_TEST

START_TEST(one_letter_is_not_a_prefix)
{
	static const struct unit_str_case cases[] = {
		{"f", "2"},
		{"fa", "1"},
		{"F st", "2"},
	};

	add_bodies((const char *const[]){"FARMING tips", "f stop", NULL});
	UNIT_CHECK_STRINGS(found, cases);
}
END_TEST

START_TEST(rank_puts_title_matches_first)
{
	add_doc(1, "", "防汛 防汛 防汛 in the body, many times", -1);
	add_doc(2, "防汛值班", "nothing", -1);
	add_doc(3, "", "一次防汛", -1);
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT rowid FROM f WHERE f MATCH '\"防汛\"'"
				 " ORDER BY agora_rank(f, 10.0, 1.0), rowid DESC", -1, &st, NULL), SQLITE_OK);
	int64_t order[3] = {0};
	for (int i = 0; i < 3 && sqlite3_step(st) == SQLITE_ROW; i++)
		order[i] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	ck_assert_int_eq(order[0], 2);
	ck_assert_int_eq(order[1], 1); /* three times beats once */
	ck_assert_int_eq(order[2], 3);
}
END_TEST

START_TEST(punctuation_separates)
{
	static const struct unit_str_case cases[] = {
		{"耕防", ""},
		{"防汛", "1"},
		{"网格", "1"},
		{"医保", "1"},
		{"iot", "1"},
		{"春耕，防汛", "1"}, /* punctuation inside a term: still in order */
	};

	add_doc(1, "", "春耕，防汛。（网格）“医保”——AI/IoT!", -1);
	UNIT_CHECK_STRINGS(found, cases);
}
END_TEST

START_TEST(titles_and_bodies_both_searched)
{
	add_doc(1, "防汛值班安排", "见附件", -1);
	add_doc(2, "", "防汛物资", -1);
	ck_assert_str_eq(found("防汛"), "1,2");
}
END_TEST

START_TEST(query_syntax_is_never_fts5_syntax)
{
	static const struct unit_str_case cases[] = {
		{"NEAR", "1"},
		{"OR", "1"},
		{"NOT", "1"},
		{"col:x", "1"},
		{"\"hi\"", "1"},
		{"say\"hi", "1"},
		{"(x)", "1"},
		{"a*b", "1"},
		{"^x", "1"},
	};

	add_doc(1, "", "NEAR AND OR NOT col:x say \"hi\" a*b (x)", -1);
	UNIT_CHECK_STRINGS(found, cases);
}
END_TEST

START_TEST(invalid_utf8_in_a_document_is_harmless)
{
	static const struct unit_str_case cases[] = {
		{"ab", "1"},
		{"cd", "1"},
		{"春", "1"},
	};

	add_doc(1, "\xFF\xFE", "ab\xE6\x98" "cd\xC0\xAF春\xE8耕\xF4\x90\x80\x80", 18);
	UNIT_CHECK_STRINGS(found, cases);
}
END_TEST

START_TEST(cjk_extensions_and_kana_and_hangul)
{
	static const struct unit_str_case cases[] = {
		{"𠀀𠀁", "1"},
		{"かな", "1"},
		{"국어", "1"},
		{"豈", "1"},
	};

	add_doc(1, "", "𠀀𠀁 かな 한국어 豈更", -1);
	UNIT_CHECK_STRINGS(found, cases);
}
END_TEST

static enum ag_status build(const char *q, const char **code)
{
	struct agora_ctx c = {.arena = arena};
	struct search_query sq;
	enum ag_status st = search_build_query(&c, q, &sq);
	*code = c.error_code;
	return st;
}

START_TEST(bad_queries_refused)
{
	const char *code;
	char big[256];
	ck_assert_int_eq(build(NULL, &code), AG_EINVAL);
	ck_assert_str_eq(code, "query_empty");
	ck_assert_int_eq(build(" \t\xE3\x80\x80 ", &code), AG_EINVAL);
	ck_assert_str_eq(code, "query_empty");
	ck_assert_int_eq(build("，。！ ?? ***", &code), AG_EINVAL);
	ck_assert_str_eq(code, "query_no_words");
	memset(big, 'a', 201);
	big[201] = '\0';
	ck_assert_int_eq(build(big, &code), AG_EINVAL);
	ck_assert_str_eq(code, "query_too_long");
	big[200] = '\0';
	ck_assert_int_eq(build(big, &code), AG_OK);
	ck_assert_int_eq(build("\xFF", &code), AG_EINVAL);
}
END_TEST

/* Tokens that never meet in one post make FTS5 read every doclist to its end, so the number
 * of words is bounded as well as the length; each CJK character counts as one. */
START_TEST(too_many_words_refused)
{
	const char *code;
	char q[512] = "";
	for (int i = 0; i < 20; i++)
		snprintf(q + strlen(q), sizeof q - strlen(q), "w%d ", i);
	ck_assert_int_eq(build(q, &code), AG_OK);
	strcat(q, "w20");
	ck_assert_int_eq(build(q, &code), AG_EINVAL);
	ck_assert_str_eq(code, "query_too_many_words");
	ck_assert_int_eq(build("工作工作工作工作工作工作工作工作工作工作", &code), AG_OK); /* 20 */
	ck_assert_int_eq(build("工作工作工作工作工作工作工作工作工作工作工", &code), AG_EINVAL);
	ck_assert_str_eq(code, "query_too_many_words");
	ck_assert_int_eq(build("春耕准备 AI辅助 乡村振兴 基层治理 疫情防控", &code), AG_OK); /* 4 + 3 + 12 */
	ck_assert_int_eq(build("，。 ！", &code), AG_EINVAL);
	ck_assert_str_eq(code, "query_no_words");
}
END_TEST

/* ---- html_to_text ------------------------------------------------------------------------- */

static const char *text_of(const char *html)
{
	static struct buf b;
	buf_reset(&b);
	html_to_text(&b, html, strlen(html));
	return b.data ? b.data : "";
}

START_TEST(html_to_text_strips_tags_and_decodes)
{
	static const struct unit_str_case cases[] = {
		{"<p>a <strong>b</strong>c</p>", "a bc"},
		{"<p>one</p>\n<p>two</p>", "one\n\ntwo"},
		{"<ul><li>x</li><li>y</li></ul>", "x\ny"},
		{"<p>a<br>\nb</p>", "a\n\nb"},
		{"<p><a href=\"https://example.org/春耕\">link</a></p>", "link"},
		{"&lt;script&gt; &amp;amp; &quot;q&quot; &#39;s&#39;", "<script> &amp; \"q\" 's'"},
		{"&#26149;&#x8015; &#0; &#xD800; &#x110000; &copy; & x; &", "春耕 &#0; &#xD800; &#x110000; &copy; & x; &"},
		{"<img src=\"a.png\" alt=\"x &gt; y\">after", "after"},
		{"<p>unterminated <b", "unterminated "},
		{"", ""},
	};

	UNIT_CHECK_STRINGS(text_of, cases);
}
END_TEST

/* ---- snippets ------------------------------------------------------------------------------ */

static const char *snip(const char *text, const char *const *needles, size_t n, size_t window)
{
	static struct buf b;
	buf_reset(&b);
	snippet_html(&b, text, strlen(text), needles, n, window);
	return b.data ? b.data : "";
}

START_TEST(snippet_marks_matches_any_case)
{
	const char *n[] = {"spring", "春耕"};
	ck_assert_str_eq(snip("Spring work: 今年春耕 and SPRING again", n, 2, 160),
			 "<mark>Spring</mark> work: 今年<mark>春耕</mark> and <mark>SPRING</mark> again");
}
END_TEST

/* Marks what the index matched: whole words or their starts, folded like the tokenizer. */
START_TEST(snippet_marks_what_the_index_matches)
{
	const char *n[] = {"rice", "ＦＡＲＭ", "CAFÉ", "春耕"};
	ck_assert_str_eq(snip("price of rice; Farming at the café, 今年春耕", n, 4, 160),
			 "price of <mark>rice</mark>; <mark>Farm</mark>ing at the <mark>café</mark>, 今年<mark>春耕</mark>");
	const char *w[] = {"ab"};
	ck_assert_str_eq(snip("cab ab-ab 春ab", w, 1, 160),
			 "cab <mark>ab</mark>-<mark>ab</mark> 春<mark>ab</mark>");
}
END_TEST

START_TEST(snippet_escapes_everything)
{
	const char *n[] = {"script"};
	ck_assert_str_eq(snip("<script>alert('x')</script> & \"q\"", n, 1, 160),
			 "&lt;<mark>script</mark>&gt;alert(&#39;x&#39;)&lt;/<mark>script</mark>&gt; &amp; &quot;q&quot;");
	const char *amp[] = {"&", "<b"};
	ck_assert_str_eq(snip("a & <b>", amp, 2, 160), "a <mark>&amp;</mark> <mark>&lt;b</mark>&gt;");
}
END_TEST

START_TEST(snippet_cuts_a_window_on_character_boundaries)
{
	struct buf t = BUF_INIT;
	for (int i = 0; i < 100; i++)
		buf_puts(&t, "农");
	buf_puts(&t, "春耕");
	for (int i = 0; i < 100; i++)
		buf_puts(&t, "田");
	const char *n[] = {"春耕"};
	const char *s = snip(t.data, n, 1, 20);
	/* 5 characters before the match (a quarter of the window), the match, the rest of the
	 * window, ellipses on both sides */
	ck_assert_str_eq(s, "…农农农农农<mark>春耕</mark>田田田田田田田田田田田田田…");
	buf_free(&t);
}
END_TEST

START_TEST(snippet_without_match_and_bad_bytes)
{
	const char *n[] = {"zzz"};
	ck_assert_str_eq(snip("  one\n\n two  ", n, 1, 160), "one two");
	ck_assert_str_eq(snip("abcdef", n, 1, 3), "abc…");
	ck_assert_str_eq(snip("a\xFF" "b\xE6\x98", n, 1, 160), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD");
	ck_assert_str_eq(snip("", n, 1, 160), "");
	ck_assert_str_eq(snip("abc", NULL, 0, 160), "abc");
	const char *empty[] = {""};
	ck_assert_str_eq(snip("abc", empty, 1, 160), "abc");
}
END_TEST

/* A search that runs past its deadline is interrupted with STORE_TIMEOUT, and the next one on
 * the same connection runs whole: the deadline is not left behind. */
START_TEST(search_stops_at_its_deadline)
{
	char dir[] = "/tmp/agora-unit-XXXXXX", path[64], cmd[96], *err = NULL;
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/agora.db", dir);
	struct store *s = store_open(path, &err);
	ck_assert_msg(s != NULL, "store_open: %s", err ? err : "?");
	ck_assert_int_eq(tools_seed(s, 2, 100), 0);
	struct search_filter f = {.match = "\"工作\"", .window = SEARCH_WINDOW, .deadline = store_clock_ms() - 1};
	struct search_hit *hits;
	size_t n;
	int64_t total;
	int capped;
	struct page pg = {0, 20};
	ck_assert_int_eq(store_search(s, arena, &f, pg, &hits, &n, &total, &capped), STORE_TIMEOUT);
	f.deadline = 0;
	ck_assert_int_eq(store_search(s, arena, &f, pg, &hits, &n, &total, &capped), STORE_OK);
	ck_assert_uint_eq(n, 20);
	store_close(s);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

static const struct unit_tcase search_cases[] = {
	{.name = "tokenizer", .tests = UNIT_TESTS(&two_character_word_inside_a_sentence,
					  &longer_phrase_matches_only_as_written,
					  &single_character_anywhere_in_a_run,
					  &english_any_case_and_prefix, &mixed_chinese_and_english,
					  &exact_and_prefixed_forms, &repeated_terms_count_once,
					  &one_letter_is_not_a_prefix, &rank_puts_title_matches_first,
					  &punctuation_separates, &titles_and_bodies_both_searched,
					  &query_syntax_is_never_fts5_syntax,
					  &invalid_utf8_in_a_document_is_harmless,
					  &cjk_extensions_and_kana_and_hangul, &bad_queries_refused,
					  &too_many_words_refused, &search_stops_at_its_deadline), .setup = open_index, .teardown = close_index},
	{.name = "html_to_text", .tests = UNIT_TESTS(&html_to_text_strips_tags_and_decodes)},
	{.name = "snippet", .tests = UNIT_TESTS(&snippet_marks_matches_any_case,
					  &snippet_escapes_everything,
					  &snippet_marks_what_the_index_matches,
					  &snippet_cuts_a_window_on_character_boundaries,
					  &snippet_without_match_and_bad_bytes)},
};

UNIT_SUITE(search, search_cases)

const struct unit_tests unit_tests = {.suites = {search_suite}};
