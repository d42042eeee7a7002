/* live: the process-wide hub of live updates (Server-Sent Events). Each worker registers its
 * event loop and keeps its own listeners, by thread, in a map only its thread touches; a post
 * published on any worker is serialised once, shared by reference count, and handed to every
 * worker through a mailbox and an event activated from the publishing thread. Part of the
 * transport: it writes to connections; handlers only publish. */
#ifndef AGORA_LIVE_H
#define AGORA_LIVE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "ctx.h"

struct event_base;
struct evhttp_request;

/* Who a stream was opened for, as its visibility was checked then: the thread, the slug of the
 * association its board belongs to ("" for none), the training whose board it is (0 for
 * none), the board, the signed-in reader (0 for a visitor), and whether the reader sees only
 * their own answers (an answer-first question they have not answered yet). */
struct live_scope {
	int64_t thread_id;
	char association[65];
	int64_t training_id;
	int64_t board_id;
	int64_t viewer_id;
	int own_only;
};


/* The worker calling this (on its own thread, before its loop runs) takes part in the hub:
 * publications reach its listeners from then on. 0 or -1. */
int live_worker_start(struct event_base *base);
/* Closes every stream of the calling worker and refuses new ones: the graceful drain. */
void live_worker_close_streams(void);
/* Leaves the hub (the calling worker's loop has ended) and frees what the worker held. */
void live_worker_end(void);

/* Sends the post (a view as GET /api/v1/posts/ID answers it) by author_id as an event `post`
 * with id post_id to everyone listening to thread_id, on every worker (a stream own_only
 * only when author_id is its reader). Any thread may call it. A stream sees only what its
 * reader could see when it opened: see live_revoke. */
void live_publish(int64_t thread_id, int64_t post_id, int64_t author_id, const json_t *post);

/* Takes over a request whose headers of a streamed answer were just sent: first (len bytes)
 * goes out at once, then every post published in thread_id. The hub owns the connection from
 * now on, and closes it when the client leaves, sends what it should not, or stops reading.
 * -1 (connection closed) when the calling worker is not taking streams. */
int live_attach(struct evhttp_request *req, const struct live_scope *scope, const char *first, size_t len);

/* Closes, on every worker, the streams opened under the rule that changed: those of thread
 * id, of the association slug, of training id's board, of board id, or of reader id; the browser's reconnection is checked afresh
 * (it catches up with Last-Event-ID). Any thread may call it: it is the domain's
 * rights_changed listener (struct ag_events). */
void live_revoke(enum ag_rights_change what, int64_t id, const char *slug);

/* Streams open now, across all workers (for tests and /metrics). */
size_t live_listener_count(void);

/* The text of one event: "id: ID\nevent: post\ndata: JSON\n\n", in malloc'd memory. */
char *live_event_text(int64_t post_id, const json_t *post, size_t *len);

#endif
