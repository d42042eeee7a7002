/* Unit tests for survey: questionnaire and response checks, result tallies and the CSV
 * export. The SVG chart is in test_survey_chart.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "survey.h"

/* A string of n copies of unit (each unit one character). */
static char *repeat(const char *unit, size_t n)
{
	size_t ulen = strlen(unit);
	char *s = malloc(ulen * n + 1);

	for (size_t i = 0; i < n; i++)
		memcpy(s + i * ulen, unit, ulen);
	s[ulen * n] = '\0';
	return s;
}

/* The error code of checking the questionnaire text, or "ok". */
static const char *qcheck(const char *text)
{
	json_t *q = J(text);
	const char *code = "unset";
	int rc = survey_questions_check(q, &code);

	json_decref(q);
	ck_assert(rc == 0 || rc == -1);
	return rc == 0 ? "ok" : code;
}

/* Same with one question object built around a prompt or option string made here. */
static const char *qcheck_prompt(const char *prompt)
{
	json_t *q = json_pack("[{s:s, s:s}]", "kind", "text", "prompt", prompt);
	const char *code = "unset";
	int rc = survey_questions_check(q, &code);

	json_decref(q);
	return rc == 0 ? "ok" : code;
}

static const char *qcheck_option(const char *option)
{
	json_t *q = json_pack("[{s:s, s:s, s:[s, s]}]", "kind", "single", "prompt", "P",
			      "options", "other", option);
	const char *code = "unset";
	int rc = survey_questions_check(q, &code);

	json_decref(q);
	return rc == 0 ? "ok" : code;
}

/* f of unit repeated max times must be "ok", and of unit repeated max + 1 times `over`. */
static void check_limit(const char *(*f)(const char *), const char *unit, size_t max, const char *over)
{
	char *s = repeat(unit, max);

	ck_assert_str_eq(f(s), "ok");
	free(s);
	s = repeat(unit, max + 1);
	ck_assert_str_eq(f(s), over);
	free(s);
}

static const char *const SAMPLE =
	"[{\"kind\":\"single\",\"prompt\":\"Pick one\",\"options\":[\"Yes\",\"No\"]},"
	" {\"kind\":\"multi\",\"prompt\":\"Pick some\",\"options\":[\"Red\",\"Green\",\"Blue\"]},"
	" {\"kind\":\"rating\",\"prompt\":\"Rate it\"},"
	" {\"kind\":\"text\",\"prompt\":\"Say more\"}]";

/* ---- questionnaire definitions ---- */

/* Asserts that survey_questions_check refuses the questions q with code; frees q. */
static void assert_questions_refused(json_t *q, const char *code)
{
	const char *got = NULL;

	ck_assert_int_eq(survey_questions_check(q, &got), -1);
	ck_assert_str_eq(got, code);
	json_decref(q);
}

START_TEST(questions_valid)
{
	const char *const valid[] = {
		SAMPLE,
		"[{\"kind\":\"rating\",\"prompt\":\"Line one\\nline two\"}]",
		"[{\"kind\":\"text\",\"prompt\":\"你觉得这门课怎么样？\"}]",
	};

	UNIT_CHECK_ALL(qcheck, "ok", valid);
	ck_assert_int_eq(survey_questions_check(NULL, NULL), -1); /* a NULL code is fine */
}
END_TEST

START_TEST(questions_shape)
{
	static const char *const bad[] = {
		"{}", "\"q\"", "null", "[]", "[1]", "[null]", "[[]]", "[{\"kind\":\"text\",\"prompt\":\"P\"}, \"x\"]",
	};

	UNIT_CHECK_ALL(qcheck, "invalid_questions", bad);
}
END_TEST

START_TEST(questions_count_limit)
{
	json_t *q = json_array();
	const char *code = NULL;

	for (int i = 0; i < SURVEY_MAX_QUESTIONS; i++)
		json_array_append_new(q, json_pack("{s:s, s:s}", "kind", "rating", "prompt", "P"));
	ck_assert_int_eq(survey_questions_check(q, &code), 0);
	json_array_append_new(q, json_pack("{s:s, s:s}", "kind", "rating", "prompt", "P"));
	assert_questions_refused(q, "invalid_questions");
}
END_TEST

START_TEST(questions_unknown_keys)
{
	static const char *const bad[] = {
		"[{\"kind\":\"text\",\"prompt\":\"P\",\"required\":true}]",
		"[{\"kind\":\"text\",\"prompt\":\"P\",\"Kind\":\"text\"}]",
	};

	UNIT_CHECK_ALL(qcheck, "unknown_field", bad);
}
END_TEST

/* jansson's parser refuses NUL in keys, but a key built in code may hold one: it must not
 * pass for "kind". */
START_TEST(questions_key_with_nul)
{
	json_t *q = json_pack("{s:s}", "prompt", "P"), *list = json_array();

	json_object_setn_new(q, "kind\0x", 6, json_string("text"));
	json_array_append_new(list, q);
	assert_questions_refused(list, "unknown_field");
}
END_TEST

START_TEST(questions_kind)
{
	static const char *const bad[] = {
		"[{\"prompt\":\"P\"}]",
		"[{\"kind\":\"choice\",\"prompt\":\"P\"}]",
		"[{\"kind\":\"Single\",\"prompt\":\"P\",\"options\":[\"a\",\"b\"]}]",
		"[{\"kind\":1,\"prompt\":\"P\"}]",
		"[{\"kind\":null,\"prompt\":\"P\"}]",
		"[{\"kind\":[\"text\"],\"prompt\":\"P\"}]",
		"[{\"kind\":\"text\\u0000x\",\"prompt\":\"P\"}]",
	};

	UNIT_CHECK_ALL(qcheck, "invalid_kind", bad);
}
END_TEST

START_TEST(questions_prompt)
{
	static const char *const bad[] = {
		"[{\"kind\":\"text\"}]",
		"[{\"kind\":\"text\",\"prompt\":1}]",
		"[{\"kind\":\"text\",\"prompt\":null}]",
		"[{\"kind\":\"text\",\"prompt\":\"nul\\u0000inside\"}]",
	};
	static const struct unit_str_case prompts[] = {
		{"", "invalid_prompt"},
		{"  \n\t ", "invalid_prompt"},
		{"bell\x07", "invalid_prompt"},
		{"esc\x1b[31m", "invalid_prompt"},
		{"del\x7f", "invalid_prompt"},
		{"tab\tand\r\nnewline", "ok"},
	};

	UNIT_CHECK_ALL(qcheck, "invalid_prompt", bad);
	UNIT_CHECK_STRINGS(qcheck_prompt, prompts);
	check_limit(qcheck_prompt, "x", SURVEY_MAX_PROMPT, "invalid_prompt");
	check_limit(qcheck_prompt, "中", SURVEY_MAX_PROMPT, "invalid_prompt"); /* 1500 bytes but 500 characters */
}
END_TEST

START_TEST(questions_options_shape)
{
	static const char *const bad[] = {
		"[{\"kind\":\"single\",\"prompt\":\"P\"}]",
		"[{\"kind\":\"multi\",\"prompt\":\"P\"}]",
		"[{\"kind\":\"single\",\"prompt\":\"P\",\"options\":null}]",
		"[{\"kind\":\"single\",\"prompt\":\"P\",\"options\":\"a,b\"}]",
		"[{\"kind\":\"single\",\"prompt\":\"P\",\"options\":[]}]",
		"[{\"kind\":\"single\",\"prompt\":\"P\",\"options\":[\"only\"]}]",
		"[{\"kind\":\"single\",\"prompt\":\"P\",\"options\":[\"a\",1]}]",
		"[{\"kind\":\"multi\",\"prompt\":\"P\",\"options\":[\"a\",null]}]",
		"[{\"kind\":\"single\",\"prompt\":\"P\",\"options\":[\"a\",[\"b\"]]}]",
		"[{\"kind\":\"single\",\"prompt\":\"P\",\"options\":[\"a\",\"a\"]}]",
		/* rating and text take no options, not even an empty list */
		"[{\"kind\":\"rating\",\"prompt\":\"P\",\"options\":[\"a\",\"b\"]}]",
		"[{\"kind\":\"rating\",\"prompt\":\"P\",\"options\":[]}]",
		"[{\"kind\":\"text\",\"prompt\":\"P\",\"options\":null}]",
	};

	UNIT_CHECK_ALL(qcheck, "invalid_options", bad);
}
END_TEST

START_TEST(questions_options_count)
{
	json_t *opts = json_array(), *q;
	const char *code = NULL;
	char name[8];

	for (int i = 0; i < SURVEY_MAX_OPTIONS; i++) {
		snprintf(name, sizeof name, "o%d", i);
		json_array_append_new(opts, json_string(name));
	}
	q = json_pack("[{s:s, s:s, s:O}]", "kind", "multi", "prompt", "P", "options", opts);
	ck_assert_int_eq(survey_questions_check(q, &code), 0);
	json_array_append_new(opts, json_string("one too many"));
	ck_assert_int_eq(survey_questions_check(q, &code), -1);
	ck_assert_str_eq(code, "invalid_options");
	json_decref(q);
	json_decref(opts);
}
END_TEST

START_TEST(questions_option_text)
{
	static const char *const bad[] = {"", "   ", "two\nlines", "cr\r", "tab\there", "bell\x07", "\x1f"};

	ck_assert_str_eq(qcheck_option("中文选项"), "ok");
	UNIT_CHECK_ALL(qcheck_option, "invalid_options", bad);
	check_limit(qcheck_option, "é", SURVEY_MAX_OPTION, "invalid_options");
}
END_TEST

/* ---- responses ---- */

/* The error code of answering SAMPLE with the answers text, or "ok". */
static const char *acheck(const char *response)
{
	json_t *q = J(SAMPLE), *a = J(response);
	const char *code = "unset";
	int rc;

	ck_assert_int_eq(survey_questions_check(q, NULL), 0);
	rc = survey_answers_check(q, a, &code);
	json_decref(q);
	json_decref(a);
	return rc == 0 ? "ok" : code;
}

START_TEST(answers_valid)
{
	static const char *const valid[] = {
		"[0, [2], 5, \"fine\"]",
		"[1, [0,1,2], 1, \"\"]",
		"[1, [2,0], 3, \"多行\\n文本\\tok\"]",
	};

	UNIT_CHECK_ALL(acheck, "ok", valid);
}
END_TEST

START_TEST(answers_shape_and_count)
{
	static const struct unit_str_case cases[] = {
		{"{\"0\":0}", "invalid_answers"},
		{"null", "invalid_answers"},
		{"\"0\"", "invalid_answers"},
		{"[]", "wrong_answer_count"},
		{"[0, [1], 5]", "wrong_answer_count"},
		{"[0, [1], 5, \"x\", \"extra\"]", "wrong_answer_count"},
	};

	UNIT_CHECK_STRINGS(acheck, cases);
}
END_TEST

START_TEST(answers_single)
{
	static const char *const bad[] = {
		"[-1, [0], 3, \"\"]",   "[2, [0], 3, \"\"]",    "[4294967296, [0], 3, \"\"]",
		"[0.0, [0], 3, \"\"]",  "[1.0, [0], 3, \"\"]",  "[true, [0], 3, \"\"]",
		"[false, [0], 3, \"\"]", "[\"0\", [0], 3, \"\"]", "[null, [0], 3, \"\"]",
		"[[0], [0], 3, \"\"]",
	};

	UNIT_CHECK_ALL(acheck, "invalid_answer", bad);
}
END_TEST

START_TEST(answers_multi)
{
	static const char *const bad[] = {
		"[0, [], 3, \"\"]",      "[0, [0,0], 3, \"\"]", "[0, [2,1,2], 3, \"\"]", "[0, [3], 3, \"\"]",
		"[0, [-1], 3, \"\"]",    "[0, [0,1,2,0], 3, \"\"]", "[0, [1.0], 3, \"\"]", "[0, [true], 3, \"\"]",
		"[0, [\"1\"], 3, \"\"]", "[0, [null], 3, \"\"]", "[0, 1, 3, \"\"]",       "[0, {\"0\":1}, 3, \"\"]",
	};

	UNIT_CHECK_ALL(acheck, "invalid_answer", bad);
}
END_TEST

START_TEST(answers_rating)
{
	static const char *const valid[] = {"[0, [0], 1, \"\"]", "[0, [0], 5, \"\"]"};
	static const char *const bad[] = {
		"[0, [0], 0, \"\"]",   "[0, [0], 6, \"\"]",    "[0, [0], -3, \"\"]",  "[0, [0], 3.0, \"\"]",
		"[0, [0], 4.5, \"\"]", "[0, [0], true, \"\"]", "[0, [0], \"3\", \"\"]", "[0, [0], null, \"\"]",
	};

	UNIT_CHECK_ALL(acheck, "ok", valid);
	UNIT_CHECK_ALL(acheck, "invalid_answer", bad);
}
END_TEST

/* Checks SAMPLE answered with the text answer t. */
static const char *acheck_text(const char *t)
{
	json_t *q = J(SAMPLE);
	json_t *a = json_pack("[i, [i], i, s]", 0, 0, 3, t);
	const char *code = "unset";
	int rc = survey_answers_check(q, a, &code);

	json_decref(q);
	json_decref(a);
	return rc == 0 ? "ok" : code;
}

START_TEST(answers_text)
{
	static const char *const bad[] = {
		"[0, [0], 3, 7]", "[0, [0], 3, null]", "[0, [0], 3, [\"x\"]]", "[0, [0], 3, \"nul\\u0000\"]",
	};
	static const struct unit_str_case texts[] = {
		{"bell\x07", "invalid_answer"},
		{"\x1b[2J", "invalid_answer"},
		{"lines\r\nand\ttabs", "ok"},
	};

	UNIT_CHECK_ALL(acheck, "invalid_answer", bad);
	UNIT_CHECK_STRINGS(acheck_text, texts);
	check_limit(acheck_text, "a", SURVEY_MAX_TEXT, "invalid_answer");
	check_limit(acheck_text, "学", SURVEY_MAX_TEXT, "invalid_answer");
}
END_TEST

/* ---- results ---- */

static json_int_t int_at(const json_t *arr, size_t i)
{
	const json_t *v = json_array_get(arr, i);

	ck_assert(json_is_integer(v));
	return json_integer_value(v);
}

static void ck_counts(const json_t *r, const char *expected_json)
{
	json_t *want = J(expected_json);

	ck_assert_msg(json_equal(json_object_get(r, "counts"), want), "counts differ from %s",
		      expected_json);
	json_decref(want);
}

START_TEST(results_empty)
{
	json_t *q = J(SAMPLE), *res = survey_results_new(q);
	const json_t *single = json_array_get(res, 0), *rating = json_array_get(res, 2);

	ck_assert_uint_eq(json_array_size(res), 4);
	ck_assert_str_eq(json_string_value(json_object_get(single, "prompt")), "Pick one");
	ck_assert_str_eq(json_string_value(json_object_get(single, "kind")), "single");
	ck_counts(single, "[0,0]");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(single, "options"), 1)),
			 "No");
	ck_counts(json_array_get(res, 1), "[0,0,0]");
	ck_assert(json_is_null(json_object_get(rating, "average")));
	ck_assert_int_eq(json_integer_value(json_object_get(rating, "count")), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(rating, "sum")), 0);
	ck_counts(rating, "[0,0,0,0,0]");
	ck_assert_uint_eq(json_array_size(json_object_get(json_array_get(res, 3), "texts")), 0);
	json_decref(res);
	json_decref(q);
}
END_TEST

static void add(json_t *res, const json_t *q, const char *response)
{
	json_t *a = J(response);

	ck_assert_int_eq(survey_answers_check(q, a, NULL), 0);
	survey_results_add(res, q, a);
	json_decref(a);
}

START_TEST(results_accumulate)
{
	json_t *q = J(SAMPLE), *res = survey_results_new(q);
	const json_t *rating = json_array_get(res, 2), *texts;

	add(res, q, "[0, [0,2], 4, \"good\"]");
	add(res, q, "[1, [2], 5, \"\"]");
	ck_assert(json_is_real(json_object_get(rating, "average")));
	ck_assert(json_real_value(json_object_get(rating, "average")) == 4.5);
	add(res, q, "[0, [1,2,0], 3, \"多谢\"]");
	ck_counts(json_array_get(res, 0), "[2,1]");
	ck_counts(json_array_get(res, 1), "[2,1,3]");
	ck_counts(rating, "[0,0,1,1,1]");
	ck_assert_int_eq(json_integer_value(json_object_get(rating, "count")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(rating, "sum")), 12);
	ck_assert(json_real_value(json_object_get(rating, "average")) == 4.0);
	ck_assert(json_is_real(json_object_get(rating, "average"))); /* 4.0, not 4 */
	texts = json_object_get(json_array_get(res, 3), "texts");
	ck_assert_uint_eq(json_array_size(texts), 2); /* the empty answer is not listed */
	ck_assert_str_eq(json_string_value(json_array_get(texts, 0)), "good");
	ck_assert_str_eq(json_string_value(json_array_get(texts, 1)), "多谢");
	ck_assert_int_eq(int_at(json_object_get(json_array_get(res, 1), "counts"), 2), 3);
	/* a multi's counts add up to more than its respondents: shares are of the latter */
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(res, 0), "respondents")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(res, 1), "respondents")), 3);
	json_decref(res);
	json_decref(q);
}
END_TEST

START_TEST(results_serialise_for_the_api)
{
	json_t *q = J(SAMPLE), *res = survey_results_new(q), *reply, *back;
	char *text;

	add(res, q, "[1, [1], 2, \"x\"]");
	add(res, q, "[1, [1], 3, \"y\"]");
	reply = json_pack("{s:i, s:O}", "responses", 2, "questions", res);
	text = json_dumps(reply, JSON_COMPACT);
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(strstr(text, "\"average\":2.5"));
	back = J(text);
	ck_assert(json_equal(back, reply));
	free(text);
	json_decref(back);
	json_decref(reply);
	json_decref(res);
	json_decref(q);
}
END_TEST

START_TEST(results_ignore_mismatched_response)
{
	json_t *q = J(SAMPLE), *res = survey_results_new(q), *fresh = survey_results_new(q);
	json_t *short_answers = J("[0, [0], 3]"), *not_array = J("{}");

	survey_results_add(res, q, short_answers);
	survey_results_add(res, q, not_array);
	ck_assert(json_equal(res, fresh));
	json_decref(short_answers);
	json_decref(not_array);
	json_decref(fresh);
	json_decref(res);
	json_decref(q);
}
END_TEST

/* ---- CSV ---- */

static const char *const CSV_QUESTIONS =
	"[{\"kind\":\"single\",\"prompt\":\"Attend?\",\"options\":[\"Yes\",\"No, sorry\"]},"
	" {\"kind\":\"multi\",\"prompt\":\"Colours, any\",\"options\":[\"Red\",\"Green\",\"Blue\"]},"
	" {\"kind\":\"rating\",\"prompt\":\"Say \\\"how\\\"\"},"
	" {\"kind\":\"text\",\"prompt\":\"=Comments\"}]";

static char *csv(const char *responses_text, int anonymous)
{
	json_t *q = J(CSV_QUESTIONS), *r = J(responses_text);
	struct buf out = BUF_INIT;

	ck_assert_int_eq(survey_questions_check(q, NULL), 0);
	survey_csv(&out, q, r, anonymous);
	json_decref(q);
	json_decref(r);
	return buf_detach(&out);
}

static const char *const RESPONSES =
	"[{\"respondent\":\"alice\",\"answers\":[0,[2,0],5,\"Hello, \\\"world\\\"\\nbye\"]},"
	" {\"respondent\":null,\"answers\":[1,[1],1,\"plain\"]},"
	" {\"respondent\":\"@bob\",\"answers\":[0,[0],3,\"=HYPERLINK(\\\"x\\\")\"]}]";

START_TEST(csv_quotes_and_header)
{
	char *s = csv(RESPONSES, 0);

	ck_assert_str_eq(s,
		"respondent,Attend?,\"Colours, any\",\"Say \"\"how\"\"\",'=Comments\r\n"
		"alice,Yes,Red; Blue,5,\"Hello, \"\"world\"\"\nbye\"\r\n"
		",\"No, sorry\",Green,1,plain\r\n"
		"'@bob,Yes,Red,3,\"'=HYPERLINK(\"\"x\"\")\"\r\n");
	free(s);
}
END_TEST

START_TEST(csv_anonymous_drops_respondent)
{
	static const char *const lacks[] = {
		"alice",
		"bob",
		"respondent",
	};

	char *s = csv(RESPONSES, 1);

	ck_assert_str_eq(s,
		"Attend?,\"Colours, any\",\"Say \"\"how\"\"\",'=Comments\r\n"
		"Yes,Red; Blue,5,\"Hello, \"\"world\"\"\nbye\"\r\n"
		"\"No, sorry\",Green,1,plain\r\n"
		"Yes,Red,3,\"'=HYPERLINK(\"\"x\"\")\"\r\n");
	UNIT_CHECK_LACKS(s, lacks);
	free(s);
}
END_TEST

START_TEST(csv_formula_guard)
{
	static const char *const has[] = {
		"\r\n'-x,Yes,Red,2,'+1\r\n",
		"\r\n'\tt,Yes,Red,2,\"'\rcr\"\r\n",
		"\r\na=b,Yes,Red,2,\"'-5, or so\"\r\n", /* only leading */
		"\r\nok,Yes,Red,2,'@user\r\n",
	};

	char *s = csv("[{\"respondent\":\"-x\",\"answers\":[0,[0],2,\"+1\"]},"
		      " {\"respondent\":\"\\tt\",\"answers\":[0,[0],2,\"\\rcr\"]},"
		      " {\"respondent\":\"a=b\",\"answers\":[0,[0],2,\"-5, or so\"]},"
		      " {\"respondent\":\"ok\",\"answers\":[0,[0],2,\"@user\"]}]", 0);

	UNIT_CHECK_HAS(s, has);
	free(s);
}
END_TEST

START_TEST(csv_empty_and_missing)
{
	char *s = csv("[]", 0);

	ck_assert_str_eq(s, "respondent,Attend?,\"Colours, any\",\"Say \"\"how\"\"\",'=Comments\r\n");
	free(s);
	/* a row without answers still has every column */
	s = csv("[{\"respondent\":\"z\"}]", 0);
	ck_assert_ptr_nonnull(strstr(s, "\r\nz,,,,\r\n"));
	free(s);
}
END_TEST

START_TEST(kinds_by_name)
{
	json_t *bad = J("{\"kind\": \"single\", \"prompt\": \"P\", \"options\": [\"a\"]}");
	json_t *good = J("{\"kind\": \"rating\", \"prompt\": \"P\"}");

	ck_assert_str_eq(survey_kind_name(0), "single");
	ck_assert_str_eq(survey_kind_name(3), "text");
	ck_assert_ptr_null(survey_kind_name(4));
	ck_assert(survey_kind_has_options("multi"));
	ck_assert(!survey_kind_has_options("rating"));
	ck_assert(!survey_kind_has_options(NULL));
	ck_assert_str_eq(survey_question_check(bad), "invalid_options");
	ck_assert_ptr_null(survey_question_check(good));
	json_decref(bad);
	json_decref(good);
}
END_TEST

static const struct unit_tcase survey_cases[] = {
	{.name = "questions", .tests = UNIT_TESTS(&questions_valid, &questions_shape,
					  &questions_count_limit, &questions_unknown_keys,
					  &questions_key_with_nul, &questions_kind, &questions_prompt,
					  &questions_options_shape, &questions_options_count,
					  &questions_option_text)},
	{.name = "answers", .tests = UNIT_TESTS(&answers_valid, &answers_shape_and_count,
					  &answers_single, &answers_multi, &answers_rating, &answers_text)},
	{.name = "results", .tests = UNIT_TESTS(&results_empty, &results_accumulate,
					  &results_serialise_for_the_api,
					  &results_ignore_mismatched_response)},
	{.name = "kinds", .tests = UNIT_TESTS(&kinds_by_name)},
	{.name = "csv", .tests = UNIT_TESTS(&csv_quotes_and_header,
					  &csv_anonymous_drops_respondent, &csv_formula_guard,
					  &csv_empty_and_missing)},
};

UNIT_SUITE(survey, survey_cases)

const struct unit_tests unit_tests = {.suites = {survey_suite}};
