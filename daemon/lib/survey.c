#include "survey.h"

#include <stdint.h>
#include <string.h>

#include "csv.h"
#include "escape.h"
#include "utf8.h"

enum kind { KIND_NONE, KIND_SINGLE, KIND_MULTI, KIND_RATING, KIND_TEXT };

static const char *const kind_names[] = {NULL, "single", "multi", "rating", "text"};

/* The kind of question q; KIND_NONE for anything unknown (also "single\0junk", which a
 * plain strcmp would take for "single"). */
static enum kind kind_named(const char *s, size_t len)
{
	if (!s || strlen(s) != len)
		return KIND_NONE;
	for (int k = KIND_SINGLE; k <= KIND_TEXT; k++)
		if (strcmp(s, kind_names[k]) == 0)
			return (enum kind)k;
	return KIND_NONE;
}

static enum kind kind_of(const json_t *q)
{
	const json_t *v = json_object_get(q, "kind");

	return kind_named(json_string_value(v), json_string_length(v));
}

static int has_options(enum kind k)
{
	return k == KIND_SINGLE || k == KIND_MULTI;
}

const char *survey_kind_name(size_t i)
{
	return i < KIND_TEXT ? kind_names[i + 1] : NULL;
}

int survey_kind_has_options(const char *kind)
{
	return has_options(kind_named(kind, kind ? strlen(kind) : 0));
}

static int fail(const char **error_code, const char *code)
{
	if (error_code)
		*error_code = code;
	return -1;
}

/* ---- checking a questionnaire ---- */

static int is_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return 0;
	return 1;
}

/* A prompt (multiline) or an option (single line: no control character at all, not even
 * a tab, since options become chart labels and CSV cells): 1..max code points of valid
 * UTF-8, not only blanks — a blank option could not be told from a missing one. */
static int label_ok(const json_t *v, size_t max, int multiline)
{
	const char *s = json_string_value(v);
	size_t len = json_string_length(v), n;

	if (!s || !utf8_text_ok(s, len, multiline))
		return 0;
	if (!multiline && memchr(s, '\t', len))
		return 0;
	n = utf8_length(s, len);
	return n >= 1 && n <= max && !is_blank(s, len);
}

/* 2..20 distinct options. Duplicates are refused because answers are indexes: two equal
 * texts would make the results and the CSV ambiguous. */
static int options_ok(const json_t *opts)
{
	size_t n = json_array_size(opts);

	if (!json_is_array(opts) || n < SURVEY_MIN_OPTIONS || n > SURVEY_MAX_OPTIONS)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!label_ok(json_array_get(opts, i), SURVEY_MAX_OPTION, 0))
			return 0;
		for (size_t j = 0; j < i; j++)
			if (json_equal(json_array_get(opts, i), json_array_get(opts, j)))
				return 0;
	}
	return 1;
}

const char *survey_question_check(const json_t *q)
{
	const json_t *opts = json_object_get(q, "options");
	size_t known;
	enum kind k;

	if (!json_is_object(q))
		return "invalid_questions";
	/* Counting the known keys present avoids iterating a const object. */
	known = (json_object_get(q, "kind") != NULL) + (json_object_get(q, "prompt") != NULL) +
		(opts != NULL);
	if (json_object_size(q) != known)
		return "unknown_field";
	k = kind_of(q);
	if (k == KIND_NONE)
		return "invalid_kind";
	if (!label_ok(json_object_get(q, "prompt"), SURVEY_MAX_PROMPT, 1))
		return "invalid_prompt";
	if (has_options(k) ? !options_ok(opts) : opts != NULL)
		return "invalid_options";
	return NULL;
}

int survey_questions_check(const json_t *questions, const char **error_code)
{
	size_t n = json_array_size(questions);

	if (!json_is_array(questions) || n == 0 || n > SURVEY_MAX_QUESTIONS)
		return fail(error_code, "invalid_questions");
	for (size_t i = 0; i < n; i++) {
		const char *code = survey_question_check(json_array_get(questions, i));
		if (code)
			return fail(error_code, code);
	}
	return 0;
}

/* ---- checking a response ---- */

/* The value of v when it is a JSON integer in [lo, hi] (lo >= 0), else -1. jansson keeps
 * true, false and reals as types of their own, so 1.0 and true are refused here. */
static long long int_in(const json_t *v, long long lo, long long hi)
{
	long long x;

	if (!json_is_integer(v))
		return -1;
	x = (long long)json_integer_value(v);
	return x >= lo && x <= hi ? x : -1;
}

/* A non-empty list of distinct indexes below n: a response that ticks nothing is refused
 * so that every response says something about every question. */
static int multi_ok(const json_t *a, size_t n)
{
	uint64_t seen = 0;
	size_t count = json_array_size(a);

	if (!json_is_array(a) || count == 0 || count > n || n > 64)
		return 0;
	for (size_t i = 0; i < count; i++) {
		long long x = int_in(json_array_get(a, i), 0, (long long)n - 1);
		if (x < 0 || (seen & (UINT64_C(1) << x)))
			return 0;
		seen |= UINT64_C(1) << x;
	}
	return 1;
}

/* Free text may be empty: that is how a respondent skips a text question. */
static int text_answer_ok(const json_t *a)
{
	const char *s = json_string_value(a);
	size_t len = json_string_length(a);

	return s && utf8_text_ok(s, len, 1) && utf8_length(s, len) <= SURVEY_MAX_TEXT;
}

static int answer_ok(const json_t *q, const json_t *a)
{
	size_t n = json_array_size(json_object_get(q, "options"));

	switch (kind_of(q)) {
	case KIND_SINGLE: return int_in(a, 0, (long long)n - 1) >= 0;
	case KIND_MULTI: return multi_ok(a, n);
	case KIND_RATING: return int_in(a, 1, 5) >= 0;
	case KIND_TEXT: return text_answer_ok(a);
	default: return 0;
	}
}

int survey_answers_check(const json_t *questions, const json_t *answers,
			 const char **error_code)
{
	size_t n = json_array_size(questions);

	if (!json_is_array(answers))
		return fail(error_code, "invalid_answers");
	if (json_array_size(answers) != n)
		return fail(error_code, "wrong_answer_count");
	for (size_t i = 0; i < n; i++)
		if (!answer_ok(json_array_get(questions, i), json_array_get(answers, i)))
			return fail(error_code, "invalid_answer");
	return 0;
}

/* ---- results ---- */

static json_t *zeros(size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_integer(0));
	return a;
}

/* The empty tally of one question; options are copied in so that the results (and the
 * chart drawn from them) stand alone. */
static json_t *result_new(const json_t *q)
{
	json_t *r = json_object();
	const json_t *opts = json_object_get(q, "options");

	json_object_set_new(r, "prompt", json_deep_copy(json_object_get(q, "prompt")));
	json_object_set_new(r, "kind", json_deep_copy(json_object_get(q, "kind")));
	switch (kind_of(q)) {
	case KIND_SINGLE:
	case KIND_MULTI:
		json_object_set_new(r, "options", json_deep_copy(opts));
		json_object_set_new(r, "counts", zeros(json_array_size(opts)));
		json_object_set_new(r, "respondents", json_integer(0));
		break;
	case KIND_RATING:
		json_object_set_new(r, "count", json_integer(0));
		json_object_set_new(r, "sum", json_integer(0));
		json_object_set_new(r, "average", json_null());
		json_object_set_new(r, "counts", zeros(5));
		break;
	case KIND_TEXT:
		json_object_set_new(r, "texts", json_array());
		break;
	default:
		break;
	}
	return r;
}

json_t *survey_results_new(const json_t *questions)
{
	json_t *results = json_array();

	for (size_t i = 0; i < json_array_size(questions); i++)
		json_array_append_new(results, result_new(json_array_get(questions, i)));
	return results;
}

/* Adds one to the integer at counts[index]; ignores what is not there, so that a response
 * that skipped validation cannot corrupt the tally. */
static void count_up(json_t *counts, long long index)
{
	json_t *c = index >= 0 ? json_array_get(counts, (size_t)index) : NULL;

	if (json_is_integer(c))
		json_integer_set(c, json_integer_value(c) + 1);
}

static void bump(json_t *counts, const json_t *index)
{
	if (json_is_integer(index))
		count_up(counts, (long long)json_integer_value(index));
}

static void add_to(json_t *r, const char *key, json_int_t by)
{
	json_t *v = json_object_get(r, key);

	json_integer_set(v, json_integer_value(v) + by);
}

/* Keeps count and sum exact and recomputes the average from them, so that no rounding
 * accumulates over many responses. */
static void rating_add(json_t *r, const json_t *a)
{
	long long x = int_in(a, 1, 5);
	json_int_t count, sum;

	if (x < 0)
		return;
	count_up(json_object_get(r, "counts"), x - 1);
	add_to(r, "count", 1);
	add_to(r, "sum", x);
	count = json_integer_value(json_object_get(r, "count"));
	sum = json_integer_value(json_object_get(r, "sum"));
	json_object_set_new(r, "average", json_real((double)sum / (double)count));
}

static void result_add(json_t *r, const json_t *q, const json_t *a)
{
	json_t *counts = json_object_get(r, "counts");
	size_t i;
	const json_t *x;

	switch (kind_of(q)) {
	case KIND_SINGLE:
		bump(counts, a);
		add_to(r, "respondents", 1);
		break;
	case KIND_MULTI:
		json_array_foreach(a, i, x)
			bump(counts, x);
		add_to(r, "respondents", 1);
		break;
	case KIND_RATING:
		rating_add(r, a);
		break;
	case KIND_TEXT:
		if (json_string_length(a) > 0)
			json_array_append_new(json_object_get(r, "texts"), json_deep_copy(a));
		break;
	default:
		break;
	}
}

void survey_results_add(json_t *results, const json_t *questions, const json_t *answers)
{
	size_t n = json_array_size(questions);

	if (json_array_size(results) != n || json_array_size(answers) != n)
		return;
	for (size_t i = 0; i < n; i++)
		result_add(json_array_get(results, i), json_array_get(questions, i),
			   json_array_get(answers, i));
}

/* ---- CSV ---- */

static void json_text(struct buf *out, const json_t *v)
{
	if (json_is_string(v))
		buf_append(out, json_string_value(v), json_string_length(v));
}

static int has_index(const json_t *list, size_t index)
{
	for (size_t i = 0; i < json_array_size(list); i++) {
		const json_t *v = json_array_get(list, i);
		if (json_is_integer(v) && json_integer_value(v) == (json_int_t)index)
			return 1;
	}
	return 0;
}

/* The chosen options of a multi answer, in the questionnaire's order so that equal
 * choices read the same in every row. */
static void multi_text(struct buf *tmp, const json_t *opts, const json_t *a)
{
	for (size_t j = 0; j < json_array_size(opts); j++) {
		if (!has_index(a, j))
			continue;
		if (tmp->len)
			buf_puts(tmp, "; ");
		json_text(tmp, json_array_get(opts, j));
	}
}

/* The cell text of answer a to question q, into tmp. */
static void answer_text(struct buf *tmp, const json_t *q, const json_t *a)
{
	const json_t *opts = json_object_get(q, "options");

	switch (kind_of(q)) {
	case KIND_SINGLE:
		if (int_in(a, 0, (long long)json_array_size(opts) - 1) >= 0)
			json_text(tmp, json_array_get(opts, (size_t)json_integer_value(a)));
		break;
	case KIND_MULTI:
		multi_text(tmp, opts, a);
		break;
	case KIND_RATING:
		if (json_is_integer(a))
			buf_printf(tmp, "%lld", (long long)json_integer_value(a));
		break;
	case KIND_TEXT:
		json_text(tmp, a);
		break;
	default:
		break;
	}
}

static void csv_cell(struct buf *out, struct buf *tmp, int first)
{
	if (!first)
		buf_putc(out, ',');
	csv_field(out, tmp->data ? tmp->data : "", tmp->len);
	buf_reset(tmp);
}

static void csv_header(struct buf *out, struct buf *tmp, const json_t *questions,
		       int anonymous)
{
	size_t n = json_array_size(questions);

	if (!anonymous) {
		buf_puts(tmp, "respondent");
		csv_cell(out, tmp, 1);
	}
	for (size_t i = 0; i < n; i++) {
		json_text(tmp, json_object_get(json_array_get(questions, i), "prompt"));
		csv_cell(out, tmp, anonymous && i == 0);
	}
	buf_puts(out, "\r\n");
}

static void response_row(struct buf *out, struct buf *tmp, const json_t *questions,
		    const json_t *response, int anonymous)
{
	const json_t *answers = json_object_get(response, "answers");
	size_t n = json_array_size(questions);

	if (!anonymous) {
		json_text(tmp, json_object_get(response, "respondent"));
		csv_cell(out, tmp, 1);
	}
	for (size_t i = 0; i < n; i++) {
		answer_text(tmp, json_array_get(questions, i), json_array_get(answers, i));
		csv_cell(out, tmp, anonymous && i == 0);
	}
	buf_puts(out, "\r\n");
}

void survey_csv(struct buf *out, const json_t *questions, const json_t *responses,
		int anonymous)
{
	struct buf tmp = BUF_INIT;

	csv_header(out, &tmp, questions, anonymous);
	for (size_t i = 0; i < json_array_size(responses); i++)
		response_row(out, &tmp, questions, json_array_get(responses, i), anonymous);
	buf_free(&tmp);
}
