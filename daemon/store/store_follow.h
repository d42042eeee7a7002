/* store_follow: the SQL of following: subscriptions to threads and boards, notifications,
 * what each member has read of each thread, and the personal feed. */
#ifndef AGORA_STORE_FOLLOW_H
#define AGORA_STORE_FOLLOW_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* Subscriptions: putting one twice or deleting a missing one is not an error. */
int store_thread_sub_set(struct store *db, int64_t user_id, int64_t thread_id, int on, int64_t now);
int store_board_sub_set(struct store *db, int64_t user_id, int64_t board_id, int on, int64_t now);
/* STORE_OK when subscribed, STORE_NOTFOUND when not. */
int store_thread_sub_get(struct store *db, int64_t user_id, int64_t thread_id);
int store_board_sub_get(struct store *db, int64_t user_id, int64_t board_id);

/* Who gets told of a newly published post. */
enum notify_audience {
	NOTIFY_MENTIONED,      /* the user named by `name` */
	NOTIFY_PARENT_AUTHOR,  /* the author of the post replied to */
	NOTIFY_THREAD_FOLLOWERS,
	NOTIFY_BOARD_FOLLOWERS,
	NOTIFY_POST_AUTHOR,    /* the post's own author (their answer was accepted) */
};

/* Notifies an audience of post_id (kind: reply, mention, subscription or accepted), leaving out the
 * actor, those who may not see the board, and anyone already notified of the post. */
int store_notify_post(struct store *db, enum notify_audience who, const char *kind, const char *name,
		      int64_t post_id, int64_t actor_id, int64_t now);
/* A moderation notification to the author of post_id, unless they are the actor. */
int store_notify_moderation(struct store *db, int64_t post_id, int64_t actor_id, const char *detail, int64_t now);

struct note {
	int64_t id;
	const char *kind;
	int64_t post_id, thread_id;
	const char *actor, *actor_name; /* username and display name; NULL for none */
	const char *detail;             /* moderation: "action\treason" */
	int64_t created_at, read_at;
	const char *thread_title;
	const char *post_state;         /* NULL when the notification names no post */
	const char *training, *training_title; /* kind training: its slug and title */
};

/* A user's notifications they may still see, newest first, with how many there are and how
 * many of them are unread (counted in one pass). */
int store_notes(struct store *db, struct arena *a, int64_t user_id, struct page pg, struct note **out, size_t *n,
		int64_t *total, int64_t *unread);
/* One notification of the user, if they may still see it (the rule of the list). */
int store_note_get(struct store *db, struct arena *a, int64_t user_id, int64_t id, struct note *out);
/* The user's unread notifications made after since, newest first, at most limit, and how many
 * there are in all. */
int store_notes_unread_since(struct store *db, struct arena *a, int64_t user_id, int64_t since, int64_t limit,
			     struct note **out, size_t *n, int64_t *total);
/* How many of them are unread, counting no further than limit. */
int store_notes_unread(struct store *db, int64_t user_id, int64_t limit, int64_t *n);
/* Marks read: all of them (id 0) or one; a thread's (store_notes_read_thread). */
int store_notes_read(struct store *db, int64_t user_id, int64_t id, int64_t now);
int store_notes_read_thread(struct store *db, int64_t user_id, int64_t thread_id, int64_t now);
/* STORE_OK when the user has unread notifications of the thread, STORE_NOTFOUND when not. */
int store_notes_unread_in_thread(struct store *db, int64_t user_id, int64_t thread_id);

/* Unread tracking: the highest post id a user saw in a thread (0: never opened). */
int store_read_get(struct store *db, int64_t user_id, int64_t thread_id, int64_t *last_post_id);
/* Remembers that the user saw up to post_id; never goes back. */
int store_read_mark(struct store *db, int64_t user_id, int64_t thread_id, int64_t post_id, int64_t now);

struct unread_mark {
	int64_t thread_id;
	int64_t new_posts; /* published posts by others the user has not seen */
};
/* Of the threads ids[0..n), those with posts the user has not seen, counting no further than
 * limit in each; threads never opened count only when active since joined_at. */
int store_unread_threads(struct store *db, struct arena *a, int64_t user_id, int64_t joined_at, int64_t limit,
			 const int64_t *ids, size_t n, struct unread_mark **out, size_t *nout);

/* The personal feed: among the `window` most recently active threads, those the reader may
 * see, matching ones first (why says how: association, position, industry, region; "" for
 * none), then by last activity. */
struct feed_item {
	struct thread thread;
	const char *why;
};
struct feed_reader {
	int64_t user_id, position_id, industry_id, region_id; /* 0: unset */
	int64_t window;
};
int store_feed(struct store *db, struct arena *a, const struct feed_reader *f, struct page pg,
	       struct feed_item **out, size_t *n, int64_t *total);
/* Threads the user follows, most recently active first. */
int store_followed_threads(struct store *db, struct arena *a, int64_t user_id, int64_t limit, struct thread **out,
			   size_t *n);

#endif
