/* Live updates: a thread's new posts as Server-Sent Events. The stream itself is the live
 * hub's (live.c); this handler checks the thread may be seen and catches a returning client
 * up on what it missed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forum.h"
#include "handlers.h"
#include "live.h"
#include "views.h"

enum {
	CATCH_UP_MAX = 100, /* posts sent to a returning client, at most */
	/* and bytes: one post can be hundreds of KiB of JSON, and the opening of a stream is
	 * queued whole, so a client that asks for a long catch-up and then does not read must
	 * not make us hold megabytes (the newest post is sent even when it alone is larger) */
	CATCH_UP_BYTES = 128 * 1024,
	RETRY_MS = 3000,
};

/* The last post the client has: Last-Event-ID when the browser reconnects, else ?after= (the
 * page passes the newest post it shows). 0 when neither is a post id. */
static int64_t last_seen(struct req *r)
{
	const char *v = req_header(r, "Last-Event-ID");
	if (!v || !*v)
		v = req_query(r, "after");
	int64_t n;
	if (!v || strlen(v) > 18 || parse_i64(v, 0, INT64_MAX, &n) != 0)
		return 0;
	return n;
}

/* The events of the published posts in p[0..n) newer than after, oldest first: the newest
 * ones that fit in CATCH_UP_BYTES. */
static void catch_up_events(const struct post *p, size_t n, int64_t after, struct buf *out)
{
	char **text = xcalloc(n ? n : 1, sizeof *text);
	size_t *len = xcalloc(n ? n : 1, sizeof *len), bytes = 0;
	for (size_t i = n; i-- > 0;) {
		if (p[i].id <= after || p[i].state != POST_PUBLISHED)
			continue;
		json_t *o = view_post(&p[i]);
		text[i] = live_event_text(p[i].id, o, &len[i]);
		json_decref(o);
		if (bytes > 0 && bytes + len[i] > CATCH_UP_BYTES) {
			free(text[i]);
			text[i] = NULL;
			break;
		}
		bytes += len[i];
	}
	for (size_t i = 0; i < n; i++)
		if (text[i]) {
			buf_append(out, text[i], len[i]);
			free(text[i]);
		}
	free(text);
	free(len);
}

/* Published posts of the thread newer than after, as events. They come from the newest page
 * by time, seen as the caller sees the thread; only published ones count, since the stream
 * shows what everyone sees. */
static void catch_up(struct req *r, const struct thread *t, int64_t after, struct buf *out)
{
	struct listing l = {.page = {.offset = 0, .limit = 1}};
	struct post *p;
	size_t n;
	if (forum_thread_posts(&r->ctx, t, 1, &l, &p, &n) != AG_OK || l.total <= 1)
		return;
	l.page.limit = CATCH_UP_MAX;
	l.page.offset = l.total > CATCH_UP_MAX ? l.total - CATCH_UP_MAX : 0;
	if (forum_thread_posts(&r->ctx, t, 1, &l, &p, &n) == AG_OK)
		catch_up_events(p, n, after, out);
}

void h_live_thread(struct req *r)
{
	struct thread t;
	struct board b;
	struct buf first = BUF_INIT;
	enum ag_status st = access_thread(&r->ctx, param_id(r, 0), &t);
	if (st == AG_OK)
		st = access_board(&r->ctx, t.board_slug, &b);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	/* what the check above depended on, so that a change to it can close the stream */
	struct live_scope scope = {.thread_id = t.id, .training_id = b.training_id, .board_id = b.id,
				   .viewer_id = ag_viewer(&r->ctx), .own_only = access_answers_hidden(&r->ctx, &t)};
	snprintf(scope.association, sizeof scope.association, "%s", b.association ? b.association : "");
	/* the first bytes tell the browser the stream is open, and how soon to come back */
	buf_printf(&first, "retry: %d\n: agora live\n\n", RETRY_MS);
	int64_t after = last_seen(r);
	if (after > 0)
		catch_up(r, &t, after, &first);
	req_stream(r, &scope, first.data, first.len);
	buf_free(&first);
}

void live_post_published(const struct post *p)
{
	json_t *o = view_post(p);
	live_publish(p->thread_id, p->id, p->author.id, o);
	json_decref(o);
}
