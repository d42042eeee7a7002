/* store_answer: peer learning in threads: who sees a question's answers, a board's kind,
 * accepted answers, helpful marks and featured threads. */
#ifndef AGORA_STORE_ANSWER_H
#define AGORA_STORE_ANSWER_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* 1 when the answers of thread_id are hidden from viewer_id (ANSWERS_HIDDEN, store_impl.h:
 * the one definition every reader applies), 0 when not, -1 on an error. */
int store_answers_hidden(struct store *db, int64_t thread_id, int64_t viewer_id);
/* A board's title, description, kind ("discussion" or "qa") and answer-first rule. */
int store_board_update(struct store *db, const struct board *b);
/* Sets or clears (post_id 0) a thread's accepted answer. */
int store_thread_accept(struct store *db, int64_t thread_id, int64_t post_id);
/* A helpful mark: given once (a second is no change), or taken back. */
int store_helpful_put(struct store *db, int64_t post_id, int64_t user_id, int64_t now);
int store_helpful_delete(struct store *db, int64_t post_id, int64_t user_id);
/* STORE_OK when user_id marked post_id helpful, STORE_NOTFOUND when not. */
int store_helpful_given(struct store *db, int64_t post_id, int64_t user_id);
/* The posts of thread_id that user_id marked helpful. */
int store_helpful_in_thread(struct store *db, struct arena *a, int64_t thread_id, int64_t user_id,
			    int64_t **ids, size_t *n);
/* The helpful marks author_id received on the posts viewer_id may see. */
int store_helpful_received(struct store *db, int64_t author_id, int64_t viewer_id, int64_t *count);
/* Featured threads on boards viewer_id may see, newest featured first, at most limit. */
int store_featured_threads(struct store *db, struct arena *a, int64_t viewer_id, int64_t limit,
			   struct thread **out, size_t *n);

#endif
