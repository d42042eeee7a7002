/* store_digest: the reads behind the digest e-mail: for one reader, the threads, trainings
 * and materials that are new in a period, each source bounded so that running it for every
 * member of the site stays cheap. What the reader may see is decided here with BOARD_VISIBLE
 * and ATTACHED_VISIBLE, as every list query does. */
#ifndef AGORA_STORE_DIGEST_H
#define AGORA_STORE_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* Why a thread concerns its reader, strongest first: the store keeps each thread's strongest
 * tie and ranks by it (DIGEST_THREADS in store_impl.h writes these numbers). Why this order
 * is the domain's to say (digest.c). */
enum digest_tie {
	DIGEST_TIE_FEATURED = 0,   /* featured by a moderator in the period: best practice */
	DIGEST_TIE_FOLLOWED_THREAD,
	DIGEST_TIE_ASSOCIATION,
	DIGEST_TIE_TRAINING,
	DIGEST_TIE_FOLLOWED_BOARD, /* only threads started in the period */
	DIGEST_TIE_POSITION,
	DIGEST_TIE_INDUSTRY,
	DIGEST_TIE_REGION,         /* the thread's author works in the reader's region */
};

/* Whose digest, for which period (since, now], and how far each source looks. */
struct digest_reader {
	int64_t user_id, position_id, industry_id, region_id; /* 0: unset */
	int64_t since, now;
	int64_t window;      /* threads each source considers, its most recently active */
	int64_t site_window; /* the site's most recently active threads, for region */
	int64_t newest;      /* trainings and materials considered, the newest made */
	int64_t counted;     /* new posts of a thread counted at most */
};

/* A thread with published posts by others in the period, on a board the reader may see. */
struct digest_thread {
	int64_t id;
	const char *title;
	int tie;           /* enum digest_tie */
	const char *where; /* the association's name for its boards, else the board's title */
	int64_t at;        /* the newest post that counts */
	int64_t new_posts; /* the posts that count, at most r->counted */
};

/* At most limit threads: strongest tie first, then more helpful marks, then more new posts,
 * then the newest. A featured thread comes even with no new post. */
int store_digest_threads(struct store *db, struct arena *a, const struct digest_reader *r, int64_t limit,
			 struct digest_thread **out, size_t *n);
/* The ids of trainings made in the period, open to enrolment (open or by approval), not ended
 * as of today (YYYY-MM-DD), whose audience holds the reader and in which they take no part;
 * newest first, at most limit. The domain's training_may_enrol has the last word. */
int store_digest_trainings(struct store *db, struct arena *a, const struct digest_reader *r, const char *today,
			   int64_t limit, int64_t **out, size_t *n);

/* A material made in the period by someone else, that the reader may see. */
struct digest_material {
	int64_t id;
	const char *title;
	const char *where; /* its board's title or its association's name */
	int64_t at;
};
/* Newest first, at most limit. */
int store_digest_materials(struct store *db, struct arena *a, const struct digest_reader *r, int64_t limit,
			   struct digest_material **out, size_t *n);

#endif
