/* store_search: the full-text query over post_fts (the index of published posts that the
 * triggers of schema migration 8 keep in step with the posts table). What a viewer may see
 * is decided here with BOARD_VISIBLE and t.visible, as every list query does. */
#ifndef AGORA_STORE_SEARCH_H
#define AGORA_STORE_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct search_filter {
	const char *match;  /* an FTS5 MATCH expression built by the domain, never user syntax */
	const char *board;  /* slug, or NULL for every board */
	const char *author; /* username, or NULL for everyone */
	int64_t viewer_id;  /* 0 for a visitor */
	int64_t window;     /* how many of the newest matches to rank (see store_search) */
	int64_t deadline;   /* CLOCK_MONOTONIC milliseconds to give up at (STORE_TIMEOUT); 0: none */
};

struct search_hit {
	int64_t post_id, thread_id;
	const char *title;                    /* the thread's */
	const char *board_slug, *board_title;
	struct user author;
	const char *body_html;
	int64_t created_at;
	int is_first;                         /* the thread's first post */
	int64_t window_count;                 /* visible matches in the ranked window */
	int64_t accepted_post_id;             /* the thread's accepted answer, 0: none */
};

/* One page of the matches the viewer may see, best first. Only the newest f->window visible
 * matches are ranked (bm25, titles weighted up): ranking and counting every match of a very
 * common word would cost time in proportion to the whole index. *total counts the visible
 * matches up to f->window; *capped is 1 when it reached f->window (there may be more). */
int store_search(struct store *db, struct arena *a, const struct search_filter *f, struct page pg,
		 struct search_hit **out, size_t *n, int64_t *total, int *capped);
/* What thing_fts (migration 24) indexes besides posts; the values are the rowid's kind. */
enum search_kind { SEARCH_MATERIAL = 1, SEARCH_QUESTIONNAIRE = 2, SEARCH_TRAINING = 3 };

struct search_thing {
	int64_t kind;         /* enum search_kind */
	int64_t id;           /* the material's, questionnaire's or training's */
	const char *slug;     /* a training's, "" otherwise */
	const char *title;
	const char *body;     /* the indexed plain text: description, file names, prompts */
	int64_t window_count; /* visible matches in the ranked window */
};

/* One page of the materials, questionnaires and trainings the viewer may see whose words
 * match f->match, best first, with the window, deadline, board and author of store_search (a
 * board: what is attached to it; an author: who uploaded or created it). */
int store_search_things(struct store *db, struct arena *a, const struct search_filter *f, struct page pg,
			struct search_thing **out, size_t *n, int64_t *total, int *capped);
/* Now, in CLOCK_MONOTONIC milliseconds: the clock of search_filter.deadline. */
int64_t store_clock_ms(void);

#endif
