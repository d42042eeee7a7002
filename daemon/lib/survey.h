/* survey: questionnaires — checking a definition and a response, tallying results, and
 * writing responses as CSV (the charts are chart.h's). Pure: free of libevent and SQLite so
 * unit tests and fuzzers link it alone.
 *
 * A questionnaire is a JSON array of questions {kind, prompt, options}: kind is "single",
 * "multi", "rating" or "text"; options (2-20 strings) only for single and multi.
 * A response is a JSON array with one answer per question, in order: an option index for
 * single, a non-empty list of distinct option indexes for multi, an integer 1-5 for rating,
 * a string (possibly empty) for text. */
#ifndef AGORA_SURVEY_H
#define AGORA_SURVEY_H

#include <jansson.h>

#include "util.h"

#define SURVEY_MAX_QUESTIONS 50
#define SURVEY_MAX_PROMPT 500    /* code points */
#define SURVEY_MIN_OPTIONS 2
#define SURVEY_MAX_OPTIONS 20
#define SURVEY_MAX_OPTION 200    /* code points */
#define SURVEY_MAX_TEXT 5000     /* code points of a text answer */

/* The kinds of question, in the order a builder offers them: "single", "multi", "rating",
 * "text" for i = 0..3, then NULL. */
const char *survey_kind_name(size_t i);
/* 1 when questions of kind (a name as above) take options. */
int survey_kind_has_options(const char *kind);
/* survey_questions_check for one question: NULL when q is valid, else its error code
 * (invalid_questions, unknown_field, invalid_kind, invalid_prompt, invalid_options), so that
 * a form can say which question is wrong. */
const char *survey_question_check(const json_t *q);

/* 0 when questions is a valid questionnaire definition from a client; else -1 and
 * *error_code is a static snake_case code: invalid_questions (not an array, empty, more
 * than 50, an element not an object), unknown_field, invalid_kind, invalid_prompt,
 * invalid_options. */
int survey_questions_check(const json_t *questions, const char **error_code);

/* 0 when answers is a valid response to questions (which passed survey_questions_check);
 * else -1 and *error_code is invalid_answers (not an array), wrong_answer_count or
 * invalid_answer. Integers must be JSON integers: reals and booleans are refused. */
int survey_answers_check(const json_t *questions, const json_t *answers,
			 const char **error_code);

/* A new, empty result accumulator for questions (the caller owns the reference). It is the
 * array the results API returns as "questions": per question
 *   single/multi: {prompt, kind, options:[text], counts:[n per option], respondents: n
 *                  (responses counted: a bar's share of them is its percentage)}
 *   rating:       {prompt, kind, count, sum, average (real, null until answered),
 *                  counts:[n of 1, ..., n of 5]}
 *   text:         {prompt, kind, texts:[non-empty answers in the order added]} */
json_t *survey_results_new(const json_t *questions);
/* Adds one response (which passed survey_answers_check) to results. */
void survey_results_add(json_t *results, const json_t *questions, const json_t *answers);

/* Appends responses as RFC 4180 CSV with CRLF line ends: a header row ("respondent" unless
 * anonymous, then each prompt) and one row per element {respondent: name or null,
 * answers:[...]} of responses. Fields that a spreadsheet would read as a formula get a
 * leading apostrophe. */
void survey_csv(struct buf *out, const json_t *questions, const json_t *responses,
		int anonymous);

#endif
