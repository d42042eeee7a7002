/* The live-updates hub: publications cross workers through mailboxes; each worker writes
 * them to its own listeners. */
#include "live.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

enum {
	/* An EventSource never sends anything after its request: a few stray bytes are forgiven,
	 * more close the stream, so a client cannot make us buffer what it sends. */
	READ_ALLOWANCE = 4096,
	/* A client that stops reading is dropped rather than buffered for; it reconnects with
	 * Last-Event-ID and catches up from the database. */
	OUTPUT_MAX = 256 * 1024,
	WRITE_TIMEOUT_SECONDS = 20,
	KEEPALIVE_MS = 25000,
	FIRST_BUCKETS = 64,
};

static const char keepalive_text[] = ": keepalive\n\n";

/* One piece of mail for the workers: a publication, shared by every worker and every
 * connection's output buffer, or a revocation (len 0; text holds the slug when there is one). */
struct live_event {
	atomic_long refs;
	int revoke; /* 0 for a post, else 1 + enum ag_rights_change */
	int64_t thread_id; /* the post's thread, or the id a revocation names */
	int64_t author_id; /* the post's */
	size_t len;
	char text[];
};

struct topic;

struct listener {
	struct listener *prev, *next;
	struct topic *topic;
	char association[65]; /* of the thread's board when the stream opened; "" for none */
	int64_t training_id;  /* of the thread's board when the stream opened; 0 for none */
	int64_t board_id;
	int64_t viewer_id;
	int own_only;         /* answers of others are hidden from the reader */
	struct evhttp_request *req;
	struct bufferevent *bev;
	size_t received; /* bytes the client sent after its request */
	int chunked;
};

/* The listeners of one thread on one worker. */
struct topic {
	int64_t thread_id;
	struct listener *first;
	struct topic *next; /* in its bucket */
	struct live_worker *lw;
};

struct live_worker {
	struct event_base *base;
	struct event *wake, *keepalive;
	pthread_mutex_t lock; /* guards the mailbox, filled by publishing threads */
	struct live_event **mail;
	size_t nmail, mail_cap;
	struct topic **buckets; /* touched by the worker's own thread only */
	size_t nbuckets, ntopics;
	int closed;
	struct live_worker *next; /* in the hub */
};

static pthread_mutex_t hub_lock = PTHREAD_MUTEX_INITIALIZER;
static struct live_worker *hub_workers;
static atomic_size_t listeners_open;
static _Thread_local struct live_worker *self;

size_t live_listener_count(void)
{
	return atomic_load(&listeners_open);
}

/* ---- events ------------------------------------------------------------------------------- */

char *live_event_text(int64_t post_id, const json_t *post, size_t *len)
{
	char *data = json_dumps(post, JSON_COMPACT);
	struct buf b = BUF_INIT;
	/* compact JSON escapes line breaks inside strings, so the data is a single line */
	buf_printf(&b, "id: %lld\nevent: post\ndata: %s\n\n", (long long)post_id, data ? data : "{}");
	free(data);
	*len = b.len;
	return buf_detach(&b);
}

static void event_unref(struct live_event *e)
{
	if (atomic_fetch_sub(&e->refs, 1) == 1)
		free(e);
}

static void event_unref_cb(const void *data, size_t len, void *arg)
{
	(void)data;
	(void)len;
	event_unref(arg);
}

/* ---- the map of topics ------------------------------------------------------------------------- */

static size_t bucket_of(const struct live_worker *lw, int64_t thread_id)
{
	return (size_t)((uint64_t)thread_id * 0x9E3779B97F4A7C15ull >> 32) & (lw->nbuckets - 1);
}

static struct topic *topic_find(struct live_worker *lw, int64_t thread_id)
{
	for (struct topic *t = lw->buckets[bucket_of(lw, thread_id)]; t; t = t->next)
		if (t->thread_id == thread_id)
			return t;
	return NULL;
}

static void buckets_grow(struct live_worker *lw)
{
	struct topic **old = lw->buckets;
	size_t n = lw->nbuckets;
	lw->nbuckets *= 2;
	lw->buckets = xcalloc(lw->nbuckets, sizeof *lw->buckets);
	for (size_t i = 0; i < n; i++)
		for (struct topic *t = old[i], *next; t; t = next) {
			size_t b = bucket_of(lw, t->thread_id);
			next = t->next;
			t->next = lw->buckets[b];
			lw->buckets[b] = t;
		}
	free(old);
}

static struct topic *topic_get(struct live_worker *lw, int64_t thread_id)
{
	struct topic *t = topic_find(lw, thread_id);
	if (t)
		return t;
	if (lw->ntopics >= lw->nbuckets)
		buckets_grow(lw);
	size_t b = bucket_of(lw, thread_id);
	t = xcalloc(1, sizeof *t);
	t->thread_id = thread_id;
	t->lw = lw;
	t->next = lw->buckets[b];
	lw->buckets[b] = t;
	lw->ntopics++;
	return t;
}

static void topic_drop(struct topic *t)
{
	struct live_worker *lw = t->lw;
	struct topic **p = &lw->buckets[bucket_of(lw, t->thread_id)];
	while (*p != t)
		p = &(*p)->next;
	*p = t->next;
	lw->ntopics--;
	free(t);
}

/* ---- listeners ------------------------------------------------------------------------------------ */

/* Frees everything the stream held: its place in the map, libevent's connection and
 * request, the socket, and any bytes still queued for it. */
static void listener_close(struct listener *l)
{
	struct topic *t = l->topic;
	if (l->prev)
		l->prev->next = l->next;
	else
		t->first = l->next;
	if (l->next)
		l->next->prev = l->prev;
	if (!t->first)
		topic_drop(t);
	atomic_fetch_sub(&listeners_open, 1);
	evhttp_connection_free(evhttp_request_get_connection(l->req));
	free(l);
}

/* Queues bytes for one client, framed as an HTTP/1.1 chunk when the answer is chunked. The
 * text of a shared event is added by reference, not copied. */
/* Bytes queued for the client: in the connection guard's filter and in the socket's buffer
 * below it, where the filter moves them at once. */
static size_t queued(struct bufferevent *bev)
{
	struct bufferevent *under = bufferevent_get_underlying(bev);
	return evbuffer_get_length(bufferevent_get_output(bev)) +
	       (under ? evbuffer_get_length(bufferevent_get_output(under)) : 0);
}

static void listener_send(struct listener *l, const char *text, size_t len, struct live_event *shared)
{
	struct evbuffer *out = bufferevent_get_output(l->bev);
	if (queued(l->bev) > OUTPUT_MAX) {
		listener_close(l);
		return;
	}
	if (l->chunked)
		evbuffer_add_printf(out, "%zx\r\n", len);
	if (shared) {
		atomic_fetch_add(&shared->refs, 1);
		if (evbuffer_add_reference(out, text, len, event_unref_cb, shared) != 0)
			event_unref(shared);
	} else {
		evbuffer_add(out, text, len);
	}
	if (l->chunked)
		evbuffer_add(out, "\r\n", 2);
}

static void on_client_data(struct bufferevent *bev, void *arg)
{
	struct listener *l = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t n = evbuffer_get_length(in);
	l->received += n;
	evbuffer_drain(in, n);
	if (l->received > READ_ALLOWANCE)
		listener_close(l);
}

/* End of stream, a socket error, or a write that waited too long: the client is gone. */
static void on_client_event(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	(void)what;
	listener_close(arg);
}

int live_attach(struct evhttp_request *req, const struct live_scope *scope, const char *first, size_t len)
{
	struct live_worker *lw = self;
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	struct bufferevent *bev = evhttp_connection_get_bufferevent(evcon);
	const struct timeval write_timeout = {WRITE_TIMEOUT_SECONDS, 0};
	if (!lw || lw->closed || !bev) {
		evhttp_connection_free(evcon);
		return -1;
	}
	struct listener *l = xcalloc(1, sizeof *l);
	const char *te = evhttp_find_header(evhttp_request_get_output_headers(req), "Transfer-Encoding");
	l->req = req;
	l->bev = bev;
	l->chunked = te && !evutil_ascii_strcasecmp(te, "chunked");
	l->viewer_id = scope->viewer_id;
	l->training_id = scope->training_id;
	l->board_id = scope->board_id;
	l->own_only = scope->own_only;
	memcpy(l->association, scope->association, sizeof l->association);
	l->association[sizeof l->association - 1] = '\0';
	l->topic = topic_get(lw, scope->thread_id);
	l->next = l->topic->first;
	if (l->next)
		l->next->prev = l;
	l->topic->first = l;
	atomic_fetch_add(&listeners_open, 1);
	/* libevent stops reading once a request is in, so it would notice neither a client that
	 * leaves nor one that keeps sending until a write failed. The stream reads again, through
	 * its own callbacks: input is counted and dropped, end of stream closes. The high
	 * watermark bounds each read; no read timeout, since clients are silent by design. */
	bufferevent_setcb(bev, on_client_data, NULL, on_client_event, l);
	bufferevent_setwatermark(bev, EV_READ, 0, READ_ALLOWANCE);
	bufferevent_set_timeouts(bev, NULL, &write_timeout);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
	listener_send(l, first, len, NULL);
	if (evbuffer_get_length(bufferevent_get_input(bev)) > 0)
		on_client_data(bev, l); /* bytes pipelined after the request */
	return 0;
}

static void each_listener(struct live_worker *lw, void (*fn)(struct listener *, const void *), const void *arg)
{
	for (size_t i = 0; i < lw->nbuckets; i++)
		for (struct topic *t = lw->buckets[i], *tnext; t; t = tnext) {
			tnext = t->next; /* fn may free the topic with its last listener */
			for (struct listener *l = t->first, *next; l; l = next) {
				next = l->next;
				fn(l, arg);
			}
		}
}

static void close_listener(struct listener *l, const void *unused)
{
	(void)unused;
	listener_close(l);
}

static void send_keepalive(struct listener *l, const void *unused)
{
	(void)unused;
	listener_send(l, keepalive_text, sizeof keepalive_text - 1, NULL);
}

static void on_keepalive(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	each_listener(arg, send_keepalive, NULL);
}

/* ---- publishing across workers ------------------------------------------------------------------ */

static void close_if_revoked(struct listener *l, const void *arg)
{
	const struct live_event *e = arg;
	if ((e->revoke == 1 + AG_RIGHTS_ASSOCIATION && e->text[0] && !strcmp(l->association, e->text)) ||
	    (e->revoke == 1 + AG_RIGHTS_TRAINING && l->training_id && l->training_id == e->thread_id) ||
	    (e->revoke == 1 + AG_RIGHTS_BOARD && l->board_id == e->thread_id) ||
	    (e->revoke == 1 + AG_RIGHTS_READER && l->viewer_id == e->thread_id))
		listener_close(l);
}

static void revoke(struct live_worker *lw, struct live_event *e)
{
	struct topic *t;
	if (e->revoke != 1 + AG_RIGHTS_THREAD) {
		each_listener(lw, close_if_revoked, e);
		return;
	}
	while ((t = topic_find(lw, e->thread_id)) != NULL)
		listener_close(t->first); /* the topic goes with its last listener */
}

static void deliver(struct live_worker *lw, struct live_event *e)
{
	if (e->revoke) {
		revoke(lw, e);
		return;
	}
	struct topic *t = topic_find(lw, e->thread_id);
	if (!t)
		return;
	/* a listener that cannot take more is closed here; the topic may go with its last one,
	 * so only the saved next pointer is read after a send */
	for (struct listener *l = t->first, *next; l; l = next) {
		next = l->next;
		if (!l->own_only || l->viewer_id == e->author_id)
			listener_send(l, e->text, e->len, e);
	}
}

static void on_mail(evutil_socket_t fd, short what, void *arg)
{
	struct live_worker *lw = arg;
	struct live_event **mail;
	size_t n;
	(void)fd;
	(void)what;
	pthread_mutex_lock(&lw->lock);
	mail = lw->mail;
	n = lw->nmail;
	lw->mail = NULL;
	lw->nmail = lw->mail_cap = 0;
	pthread_mutex_unlock(&lw->lock);
	for (size_t i = 0; i < n; i++) {
		if (!lw->closed)
			deliver(lw, mail[i]);
		event_unref(mail[i]);
	}
	free(mail);
}

static void mail_post(struct live_worker *lw, struct live_event *e)
{
	pthread_mutex_lock(&lw->lock);
	if (lw->nmail == lw->mail_cap) {
		lw->mail_cap = lw->mail_cap ? lw->mail_cap * 2 : 8;
		lw->mail = xrealloc(lw->mail, lw->mail_cap * sizeof *lw->mail);
	}
	atomic_fetch_add(&e->refs, 1);
	lw->mail[lw->nmail++] = e;
	pthread_mutex_unlock(&lw->lock);
	event_active(lw->wake, EV_READ, 0);
}

static struct live_event *event_new_text(int revoke, int64_t id, const char *text, size_t len)
{
	struct live_event *e = xmalloc(sizeof *e + len + 1);
	atomic_init(&e->refs, 1);
	e->revoke = revoke;
	e->thread_id = id;
	e->author_id = 0;
	e->len = revoke ? 0 : len;
	memcpy(e->text, text, len);
	e->text[len] = '\0';
	return e;
}

static void mail_all(struct live_event *e)
{
	pthread_mutex_lock(&hub_lock);
	for (struct live_worker *lw = hub_workers; lw; lw = lw->next)
		mail_post(lw, e);
	pthread_mutex_unlock(&hub_lock);
	event_unref(e);
}

void live_publish(int64_t thread_id, int64_t post_id, int64_t author_id, const json_t *post)
{
	size_t len;
	char *text = live_event_text(post_id, post, &len);
	struct live_event *e = event_new_text(0, thread_id, text, len);
	e->author_id = author_id;
	free(text);
	mail_all(e);
}

void live_revoke(enum ag_rights_change what, int64_t id, const char *slug)
{
	mail_all(event_new_text(1 + (int)what, id, slug ? slug : "", slug ? strlen(slug) : 0));
}

/* ---- workers -------------------------------------------------------------------------------------- */

/* The keepalive interval; AGORA_LIVE_KEEPALIVE_MS (undocumented) shortens it for tests. */
static struct timeval keepalive_interval(void)
{
	const char *env = getenv("AGORA_LIVE_KEEPALIVE_MS");
	int64_t ms;
	if (parse_i64(env, 1, 86400000, &ms) != 0)
		ms = KEEPALIVE_MS;
	return (struct timeval){ms / 1000, (ms % 1000) * 1000};
}

int live_worker_start(struct event_base *base)
{
	struct live_worker *lw = xcalloc(1, sizeof *lw);
	struct timeval every = keepalive_interval();
	lw->base = base;
	lw->nbuckets = FIRST_BUCKETS;
	lw->buckets = xcalloc(lw->nbuckets, sizeof *lw->buckets);
	pthread_mutex_init(&lw->lock, NULL);
	lw->wake = event_new(base, -1, 0, on_mail, lw);
	lw->keepalive = event_new(base, -1, EV_PERSIST, on_keepalive, lw);
	if (!lw->wake || !lw->keepalive || event_add(lw->keepalive, &every) != 0) {
		self = lw;
		live_worker_end();
		return -1;
	}
	self = lw;
	pthread_mutex_lock(&hub_lock);
	lw->next = hub_workers;
	hub_workers = lw;
	pthread_mutex_unlock(&hub_lock);
	return 0;
}

void live_worker_close_streams(void)
{
	struct live_worker *lw = self;
	if (!lw)
		return;
	lw->closed = 1;
	event_del(lw->keepalive);
	each_listener(lw, close_listener, NULL);
}

void live_worker_end(void)
{
	struct live_worker *lw = self;
	if (!lw)
		return;
	pthread_mutex_lock(&hub_lock);
	for (struct live_worker **p = &hub_workers; *p; p = &(*p)->next)
		if (*p == lw) {
			*p = lw->next;
			break;
		}
	pthread_mutex_unlock(&hub_lock);
	live_worker_close_streams();
	for (size_t i = 0; i < lw->nmail; i++)
		event_unref(lw->mail[i]);
	free(lw->mail);
	if (lw->wake)
		event_free(lw->wake);
	if (lw->keepalive)
		event_free(lw->keepalive);
	pthread_mutex_destroy(&lw->lock);
	free(lw->buckets);
	free(lw);
	self = NULL;
}
