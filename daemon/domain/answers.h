/* answers: peer learning in threads. On a qa board a thread is a question and its replies
 * answers; the asker or a moderator accepts one, shown first after the question. Members mark
 * others' posts helpful, once each; the marks count on the post, in the author's record and
 * profile, and rank the personal feed and the digest. Who sees the answers of an answer-first
 * question is access_answers_hidden (access.h). */
#ifndef AGORA_ANSWERS_H
#define AGORA_ANSWERS_H

#include "access.h"

/* Whether the caller may accept an answer to t (on board b): signed in, not banned, the
 * asker or a moderator of the board; t must be a question (409 not_a_question). */
struct ag_right answers_may_accept(struct agora_ctx *c, const struct board *b, const struct thread *t);
/* Accepts post_id (a published answer of thread_id) or, with 0, takes the acceptance back.
 * The answer's author is notified. *out is the thread as it is now. */
enum ag_status answers_accept(struct agora_ctx *c, int64_t thread_id, int64_t post_id, struct thread *out);

/* Whether the caller may mark p helpful: signed in, not banned, not their own post, and a
 * post that is published. */
struct ag_right answers_may_mark(struct agora_ctx *c, const struct post *p);
/* Gives (on) or takes back a helpful mark on a post the caller may see; both idempotent. */
enum ag_status answers_helpful(struct agora_ctx *c, int64_t post_id, int on);
/* Sets .helpful on the posts p[0..n) of thread_id that the caller marked. */
enum ag_status answers_mark_helpful(struct agora_ctx *c, int64_t thread_id, struct post *p, size_t n);
/* The helpful marks author_id received, on the posts the caller may see. */
enum ag_status answers_helpful_received(struct agora_ctx *c, int64_t author_id, int64_t *count);

/* Featured threads (best practice) the caller may see, newest featured first. */
enum ag_status answers_featured(struct agora_ctx *c, int64_t limit, struct thread **out, size_t *n);

#endif
