/* search: full-text search of published posts, Chinese, English and mixed. Checks the query,
 * turns it into an FTS5 expression of our own making (user text never reaches FTS5 as
 * syntax), asks the store for what the caller may see, and cuts a highlighted snippet for
 * each result. */
#ifndef AGORA_SEARCH_H
#define AGORA_SEARCH_H

#include <stddef.h>

#include "ctx.h"
#include "forum.h"
#include "store_search.h"

enum {
	SEARCH_QUERY_MAX_CHARS = 200,
	/* Words in a query, each CJK character counting as one: FTS5 reads a doclist per
	 * token, and a query whose tokens never meet in one post reads all of them to the end
	 * (a 200-character query of common words took seconds at a million posts). */
	SEARCH_QUERY_MAX_WORDS = 20,
	/* The shortest word that also counts as a prefix ("ir" finds irrigation, "i" does not). */
	SEARCH_PREFIX_MIN_CHARS = 2,
	/* The newest matches ranked per query: see store_search and docs/SEARCH.md. */
	SEARCH_WINDOW = 1000,
	/* What one search may take: the longest queries the bounds above allow took 0.6 s at a
	 * million posts, while those of real words take milliseconds. */
	SEARCH_TIME_LIMIT_MS = 250,
};

struct search_request {
	const char *q;
	const char *board;  /* slug or NULL/"" */
	const char *author; /* username or NULL/"" */
};

struct search_item {
	struct search_hit hit;
	const char *snippet_html; /* escaped text with <mark> around what matched */
};

/* A query made safe for FTS5: user text only ever appears inside quoted phrases. */
struct search_query {
	const char *exact;    /* the terms as phrases, ANDed */
	const char *prefixed; /* the same with the last word of each term a prefix ("irrig"
	                         finds irrigation), or NULL when no term ends in a word of
	                         SEARCH_PREFIX_MIN_CHARS or more */
	const char **needles; /* what to highlight: the words and CJK runs of the query */
	size_t nneedles;
};

/* Builds the query from q: terms are separated by white space; each distinct one becomes a
 * quoted phrase ('"' doubled). AG_EINVAL with invalid_query, query_empty, query_too_long,
 * query_too_many_words or query_no_words (only punctuation or symbols). Strings are in the
 * context's arena. */
enum ag_status search_build_query(struct agora_ctx *c, const char *q, struct search_query *out);

/* One page of results, best first; l->page in, l->total out (counted up to SEARCH_WINDOW;
 * *capped says when more matched than were counted). */
enum ag_status search_posts(struct agora_ctx *c, const struct search_request *in, struct listing *l,
			    struct search_item **out, size_t *n, int *capped);

/* A material, questionnaire or training found, with its snippet (escaped, <mark>ed). */
struct search_other {
	struct search_thing thing;
	const char *snippet_html;
};

/* One page of the materials, questionnaires and trainings that match in->q and that the
 * caller may see (each by the rule of its own page), best first; the same query rules and
 * errors as search_posts, l->page in, l->total out. */
enum ag_status search_others(struct agora_ctx *c, const struct search_request *in, struct listing *l,
			     struct search_other **out, size_t *n, int *capped);

#endif
