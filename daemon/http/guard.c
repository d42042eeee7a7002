/* The connection guard: every connection's bytes pass through a filter bufferevent before
 * libevent's parser sees them (evhttp_set_bevcb). libevent 2.1 reads some heads leniently (a
 * space before a header's colon, bare LF, "0x5" as a chunk size) where a proxy in front may
 * read them otherwise, and it buffers any body up to the largest upload before a handler can
 * say no. The guard reads each request head and chunk-size line itself, refuses what is
 * ambiguous, chooses the body's limit from the route, and holds every request to a deadline. */
#include "guard.h"

#include <arpa/inet.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/util.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "climit.h"
#include "metrics.h"
#include "http_impl.h"
#include "server.h"
#include "util.h"

enum {
	SMALL_BODY_MAX = 1024 * 1024,
	DEADLINE_MS = 30000,
	/* an upload may take longer than DEADLINE_MS, as long as it keeps this average */
	UPLOAD_MIN_RATE = 64 * 1024,
	CHUNK_LINE_MAX = 18, /* 16 hex digits and CRLF */
	OUT_BIG = 1024 * 1024,
	OUT_MIN_RATE = 32 * 1024,
	OUT_WINDOW_MS = 10000,
	LINGER_MS = 2000,
	LINGER_MAX = 4 * 1024 * 1024,
};

enum conn_state { C_HEAD, C_BODY, C_CHUNK_SIZE, C_CHUNK_DATA, C_CHUNK_END, C_TRAILER, C_REFUSED };

struct conn {
	struct worker *w;
	struct bufferevent *under, *filter;
	struct event *admit_ev, *deadline_ev, *kick_ev;
	struct evbuffer_cb_entry *drained_cb, *sent_cb;
	struct event *slow_ev, *linger_ev;
	int lingering;
	size_t discarded; /* bytes dropped after a refusal */
	int64_t slow_sent; /* bytes sent in the slow reader's window; -1 when none is open */
	char addr[INET6_ADDRSTRLEN];
	int counted;
	enum conn_state st;
	size_t scanned;     /* head bytes already checked for bare LF */
	int64_t left;       /* bytes of the body or of the chunk still to pass */
	int64_t body_max;   /* of the request being read */
	int64_t body_seen;  /* chunked: the sum of its chunk sizes */
	int armed;          /* the deadline runs for the request being read */
	int in_progress;    /* requests libevent has whole and has not answered yet */
};

/* What the head says that the guard needs. */
struct head {
	int http11, hosts, chunked, has_length;
	int64_t length;
	const char *method, *target;
	size_t method_len, target_len;
};

/* AGORA_REQUEST_DEADLINE_MS (undocumented) shortens the deadline for tests. */
static int64_t deadline_ms(void)
{
	int64_t v;
	return parse_i64(getenv("AGORA_REQUEST_DEADLINE_MS"), 1, 86400000, &v) == 0 ? v : DEADLINE_MS;
}

/* ---- refusing ------------------------------------------------------------------------------ */

/* Cuts the connection, dropping what the kernel still holds for it (a reset, not a FIN
 * behind megabytes): libevent reads end of stream and frees it. */
static void conn_cut(struct conn *c)
{
	int fd = (int)bufferevent_getfd(c->under);
	const struct linger abort_close = {1, 0};
	c->st = C_REFUSED;
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_close, sizeof abort_close);
	shutdown(fd, SHUT_RD);
	/* evhttp stops reading while it answers: read again, or the end of stream waits */
	bufferevent_enable(c->filter, EV_READ);
}

static void on_linger_end(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	conn_cut(arg);
}

/* Once our answer has left the buffer, our side shuts, but what the client still sends is
 * read and dropped for a moment (LINGER_MS, LINGER_MAX bytes at most): a client that sends its
 * whole body before it reads would otherwise meet a reset instead of our answer. Then libevent
 * reads end of stream and frees the connection (and the socket) itself. */
static void linger_start(struct conn *c)
{
	const struct timeval tv = {LINGER_MS / 1000, (LINGER_MS % 1000) * 1000};
	if (c->lingering)
		return;
	c->lingering = 1;
	shutdown((int)bufferevent_getfd(c->under), SHUT_WR);
	c->linger_ev = evtimer_new(bufferevent_get_base(c->under), on_linger_end, c);
	evtimer_add(c->linger_ev, &tv);
}

static void on_drained(struct evbuffer *b, const struct evbuffer_cb_info *info, void *arg)
{
	struct conn *c = arg;
	(void)info;
	if (evbuffer_get_length(b) == 0 && c->st == C_REFUSED)
		linger_start(c);
}

/* What a refused client still sends: dropped, up to LINGER_MAX. */
static int step_discard(struct conn *c, struct evbuffer *src)
{
	c->discarded += evbuffer_get_length(src);
	evbuffer_drain(src, evbuffer_get_length(src));
	if (c->discarded > LINGER_MAX)
		conn_cut(c);
	return 0;
}

/* Answers status straight on the socket, ahead of libevent, and closes the connection. */
static void conn_refuse(struct conn *c, int status)
{
	struct evbuffer *out = bufferevent_get_output(c->under);
	if (c->st == C_REFUSED)
		return;
	c->st = C_REFUSED;
	if (c->deadline_ev)
		event_del(c->deadline_ev);
	evbuffer_drain(bufferevent_get_input(c->under), evbuffer_get_length(bufferevent_get_input(c->under)));
	c->drained_cb = evbuffer_add_cb(out, on_drained, c);
	/* an answer of ours would land inside one libevent is writing (or a stream) */
	if (!c->in_progress && !(bufferevent_get_enabled(c->filter) & EV_WRITE))
		answer_refusal(out, status);
	bufferevent_enable(c->under, EV_WRITE | EV_READ);
	if (evbuffer_get_length(out) == 0)
		linger_start(c);
}

static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	conn_refuse(arg, 408);
}

static void deadline_arm(struct conn *c, int64_t ms)
{
	struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
	if (!c->deadline_ev)
		c->deadline_ev = evtimer_new(bufferevent_get_base(c->under), on_deadline, c);
	evtimer_add(c->deadline_ev, &tv);
	c->armed = 1;
}

/* The request is in whole: its deadline no longer runs, and the next head may come. */
static void request_complete(struct conn *c)
{
	if (c->deadline_ev)
		event_del(c->deadline_ev);
	c->armed = 0;
	c->st = C_HEAD;
	c->in_progress++;
}

/* ---- the request head ------------------------------------------------------------------------ */

static int is_tchar(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       (ch && strchr("!#$%&'*+-.^_`|~", ch));
}

/* "METHOD SP target SP HTTP/1.x", nothing more. */
static int request_line(const char *s, size_t n, struct head *h)
{
	const char *sp1 = memchr(s, ' ', n), *sp2;
	if (!sp1 || sp1 == s)
		return -1;
	h->method = s;
	h->method_len = (size_t)(sp1 - s);
	for (size_t i = 0; i < h->method_len; i++)
		if (!is_tchar((unsigned char)s[i]))
			return -1;
	sp2 = memchr(sp1 + 1, ' ', n - (size_t)(sp1 + 1 - s));
	if (!sp2 || sp2 == sp1 + 1 || (size_t)(s + n - sp2 - 1) != 8 || memcmp(sp2 + 1, "HTTP/1.", 7) ||
	    (sp2[8] != '0' && sp2[8] != '1'))
		return -1;
	h->target = sp1 + 1;
	h->target_len = (size_t)(sp2 - sp1 - 1);
	for (size_t i = 0; i < h->target_len; i++)
		if ((unsigned char)h->target[i] <= ' ' || h->target[i] == 0x7f)
			return -1;
	h->http11 = sp2[8] == '1';
	return 0;
}

static int name_is(const char *s, size_t n, const char *want)
{
	return strlen(want) == n && !evutil_ascii_strncasecmp(s, want, n);
}

/* A header value's framing meaning: Host counted, one plain Content-Length, plain chunked. */
static int framing_header(const char *name, size_t nlen, const char *v, size_t vlen, struct head *h)
{
	if (name_is(name, nlen, "Host"))
		h->hosts++;
	else if (name_is(name, nlen, "Content-Length")) {
		char digits[20];
		if (h->has_length++ || vlen == 0 || vlen >= sizeof digits || strspn(v, "0123456789") < vlen)
			return -1;
		memcpy(digits, v, vlen);
		digits[vlen] = '\0';
		return parse_i64(digits, 0, INT64_MAX, &h->length);
	} else if (name_is(name, nlen, "Transfer-Encoding")) {
		if (h->chunked++ || !name_is(v, vlen, "chunked"))
			return -1;
	}
	return 0;
}

/* "name:value": a token right up to the colon (no space or tab before it), no control
 * characters but tab in the value. */
static int header_line(const char *s, size_t n, struct head *h)
{
	const char *colon = memchr(s, ':', n);
	if (!colon || colon == s)
		return -1;
	for (const char *p = s; p < colon; p++)
		if (!is_tchar((unsigned char)*p))
			return -1;
	const char *v = colon + 1, *end = s + n;
	for (const char *p = v; p < end; p++)
		if (((unsigned char)*p < ' ' && *p != '\t') || *p == 0x7f)
			return -1;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return framing_header(s, (size_t)(colon - s), v, (size_t)(end - v), h);
}

/* Reads a whole head of len bytes (CRLF line ends already checked, ending in an empty line). */
static int head_parse(const char *s, size_t len, struct head *h)
{
	const char *end = s + len - 2; /* the final empty line */
	const char *eol = memchr(s, '\r', (size_t)(end - s));
	if (!eol || eol[1] != '\n' || request_line(s, (size_t)(eol - s), h) != 0)
		return -1;
	for (const char *p = eol + 2; p < end; p = eol + 2) {
		eol = memchr(p, '\r', (size_t)(end - p));
		if (!eol || eol[1] != '\n' || header_line(p, (size_t)(eol - p), h) != 0)
			return -1; /* a lone CR, or a continuation line (it starts with a space) */
	}
	if (h->hosts > 1 || (h->http11 && h->hosts == 0) || (h->chunked && h->has_length))
		return -1;
	return 0;
}

/* Finds the end of the head in the bytes so far: its length, 0 when more must come, -1 when
 * a line ends in a bare LF. Bytes checked once are not checked again. */
static ssize_t head_end(struct conn *c, const unsigned char *s, size_t len)
{
	for (size_t i = c->scanned; i < len; i++) {
		if (s[i] != '\n')
			continue;
		if (i == 0 || s[i - 1] != '\r')
			return -1;
		if (i >= 3 && s[i - 2] == '\n' && s[i - 3] == '\r')
			return (ssize_t)i + 1;
	}
	c->scanned = len;
	return 0;
}

/* The limit of this request's body, from its route. */
static int64_t body_limit(struct conn *c, const struct head *h)
{
	size_t plen = 0;
	while (plen < h->target_len && h->target[plen] != '?' && h->target[plen] != '#')
		plen++;
	if (route_takes_upload(c->w->site->app, h->method, h->method_len, h->target, plen))
		return c->w->site->max_upload + GUARD_UPLOAD_SLACK;
	return SMALL_BODY_MAX;
}

/* The head is in (len bytes at the front of src): refuse it, or pass it on and read its body. */
static int head_done(struct conn *c, struct evbuffer *src, struct evbuffer *dst, size_t len)
{
	struct head h = {0};
	const char *s = (const char *)evbuffer_pullup(src, (ev_ssize_t)len);
	if (head_parse(s, len, &h) != 0)
		return conn_refuse(c, 400), -1;
	c->body_max = body_limit(c, &h);
	if (h.has_length && h.length > c->body_max)
		return conn_refuse(c, 413), -1;
	if (c->body_max > SMALL_BODY_MAX) /* an upload: the deadline grows with its size */
		deadline_arm(c, deadline_ms() + (h.has_length ? h.length : c->body_max) * 1000 / UPLOAD_MIN_RATE);
	evbuffer_remove_buffer(src, dst, len);
	c->scanned = 0;
	c->body_seen = 0;
	c->left = h.length;
	c->st = h.chunked ? C_CHUNK_SIZE : h.length > 0 ? C_BODY : C_HEAD;
	if (c->st == C_HEAD)
		request_complete(c);
	return 0;
}

/* 1 when a step was taken, 0 when more bytes must come, -1 when refused. */
static int step_head(struct conn *c, struct evbuffer *src, struct evbuffer *dst)
{
	size_t len = evbuffer_get_length(src);
	if (len == 0)
		return 0;
	if (!c->armed)
		deadline_arm(c, deadline_ms());
	size_t look = len < GUARD_HEAD_MAX ? len : GUARD_HEAD_MAX;
	ssize_t end = head_end(c, evbuffer_pullup(src, (ev_ssize_t)look), look);
	if (end < 0)
		return conn_refuse(c, 400), -1;
	if (end == 0)
		return len >= GUARD_HEAD_MAX ? (conn_refuse(c, 400), -1) : 0;
	return head_done(c, src, dst, (size_t)end) == 0 ? 1 : -1;
}

/* ---- the body --------------------------------------------------------------------------------- */

/* Passes up to c->left bytes on; the state moves to next once they all went. */
static int step_pass(struct conn *c, struct evbuffer *src, struct evbuffer *dst, enum conn_state next)
{
	size_t len = evbuffer_get_length(src);
	size_t n = (int64_t)len < c->left ? len : (size_t)c->left;
	if (n == 0)
		return 0;
	evbuffer_remove_buffer(src, dst, n);
	c->left -= (int64_t)n;
	if (c->left == 0) {
		c->st = next;
		if (next == C_HEAD)
			request_complete(c);
	}
	return 1;
}

/* The line at the front of src, up to CRLF: its length without CRLF, -2 for more bytes, -1
 * when it is malformed (bare LF, or longer than max). */
static ssize_t crlf_line(struct evbuffer *src, size_t max, const char **s)
{
	size_t len = evbuffer_get_length(src), look = len < max ? len : max;
	const char *p = (const char *)evbuffer_pullup(src, (ev_ssize_t)look);
	const char *lf = p ? memchr(p, '\n', look) : NULL;
	*s = p;
	if (!lf)
		return look >= max ? -1 : -2;
	if (lf == p || lf[-1] != '\r')
		return -1;
	return lf - p - 1;
}

/* A chunk-size line: bare hex digits only (no sign, 0x, spaces or extensions). */
static int step_chunk_size(struct conn *c, struct evbuffer *src, struct evbuffer *dst)
{
	const char *s;
	ssize_t n = crlf_line(src, CHUNK_LINE_MAX, &s);
	int64_t size = 0;
	if (n == -2)
		return 0;
	if (n <= 0 || n > 15 || strspn(s, "0123456789abcdefABCDEF") < (size_t)n)
		return conn_refuse(c, 400), -1;
	for (ssize_t i = 0; i < n; i++)
		size = size * 16 + (s[i] <= '9' ? s[i] - '0' : (s[i] | 0x20) - 'a' + 10);
	c->body_seen += size;
	if (c->body_seen > c->body_max)
		return conn_refuse(c, 413), -1;
	evbuffer_remove_buffer(src, dst, (size_t)n + 2);
	c->left = size;
	c->st = size ? C_CHUNK_DATA : C_TRAILER;
	return 1;
}

/* After a chunk's data, CRLF; after the last chunk, an empty line (trailers are refused: they
 * would become headers after the guard has read them). */
static int step_crlf(struct conn *c, struct evbuffer *src, struct evbuffer *dst, enum conn_state next)
{
	const char *s;
	ssize_t n = crlf_line(src, 2, &s);
	if (n == -2)
		return 0;
	if (n != 0)
		return conn_refuse(c, 400), -1;
	evbuffer_remove_buffer(src, dst, 2);
	c->st = next;
	if (next == C_HEAD)
		request_complete(c);
	return 1;
}

static int step(struct conn *c, struct evbuffer *src, struct evbuffer *dst)
{
	switch (c->st) {
	case C_HEAD: return step_head(c, src, dst);
	case C_BODY: return step_pass(c, src, dst, C_HEAD);
	case C_CHUNK_SIZE: return step_chunk_size(c, src, dst);
	case C_CHUNK_DATA: return step_pass(c, src, dst, C_CHUNK_END);
	case C_CHUNK_END: return step_crlf(c, src, dst, C_CHUNK_SIZE);
	case C_TRAILER: return step_crlf(c, src, dst, C_HEAD);
	default: return step_discard(c, src);
	}
}

static enum bufferevent_filter_result guard_input(struct evbuffer *src, struct evbuffer *dst, ev_ssize_t limit,
						  enum bufferevent_flush_mode mode, void *arg)
{
	struct conn *c = arg;
	size_t had = evbuffer_get_length(dst);
	(void)limit;
	(void)mode;
	while (step(c, src, dst) > 0)
		;
	/* BEV_OK makes libevent call again while src is not empty: only when bytes went up */
	return c->st != C_REFUSED && evbuffer_get_length(dst) > had ? BEV_OK : BEV_NEED_MORE;
}

/* ---- connections -------------------------------------------------------------------------------- */

/* Runs once the connection has its socket (libevent gives it after the callback that made the
 * bufferevent): starts reading, and counts it against its client address. */
static void on_admit(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;
	struct sockaddr_storage sa;
	socklen_t len = sizeof sa;
	(void)fd;
	(void)what;
	int s = (int)bufferevent_getfd(c->under);
	/* a socket bufferevent starts with writing alone enabled; the filter's own enable only
	 * lifts its suspension, so reading starts here, once there is a socket to read */
	bufferevent_enable(c->under, EV_READ);
	if (s < 0 || getpeername(s, (struct sockaddr *)&sa, &len) != 0)
		return;
	const void *ip = sa.ss_family == AF_INET6 ? (const void *)&((struct sockaddr_in6 *)&sa)->sin6_addr
	                                          : (const void *)&((struct sockaddr_in *)&sa)->sin_addr;
	if (!inet_ntop(sa.ss_family, ip, c->addr, sizeof c->addr))
		return;
	/* a trusted proxy carries every client's connections: limiting those is its own job */
	struct generation *g = generation_take(&c->w->site->gens);
	int proxy = forwarded_trusted(&g->proxies, c->addr);
	generation_release(g);
	if (proxy)
		return;
	if (!climit_take(c->w->site->conns, c->addr)) {
		conn_refuse(c, 503);
		return;
	}
	c->counted = 1;
}

/* ---- the answer's way out ---------------------------------------------------------------------- */

/* evhttp takes an answer as sent, and may free the connection, once the filter's writecb runs,
 * which libevent runs as soon as the bytes reach the socket bufferevent's buffer, not the
 * socket. So the guard's output filter moves the bytes down but reports success (BEV_OK, which
 * makes libevent call the writecb) only once the socket has taken them all; the flush that
 * reports it comes from the kick, after the socket's buffer has drained. */
static enum bufferevent_filter_result guard_output(struct evbuffer *src, struct evbuffer *dst, ev_ssize_t limit,
						   enum bufferevent_flush_mode mode, void *arg)
{
	struct conn *c = arg;
	(void)limit;
	(void)mode;
	if (evbuffer_get_length(src))
		evbuffer_add_buffer(dst, src);
	if (evbuffer_get_length(dst) || !(bufferevent_get_enabled(c->filter) & EV_WRITE))
		return BEV_NEED_MORE;
	if (c->in_progress > 0)
		c->in_progress--;
	return BEV_OK;
}

static void on_kick(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;
	(void)fd;
	(void)what;
	if (c->st != C_REFUSED)
		bufferevent_flush(c->filter, EV_WRITE, BEV_FLUSH);
}

/* evhttp enables writing only after it queued its answer, which libevent's filter then leaves
 * where it is: a kick moves it on, once evhttp is done queueing. */
static void on_output_added(struct evbuffer *b, const struct evbuffer_cb_info *info, void *arg)
{
	struct conn *c = arg;
	(void)b;
	if (info->n_added)
		event_active(c->kick_ev, EV_TIMEOUT, 0);
}

/* A slow reader of a big answer holds its bytes for as long as it reads: while more than
 * OUT_BIG is queued, each window of OUT_WINDOW_MS must see OUT_MIN_RATE on average, or the
 * connection is cut. The socket's sends count the bytes; a timer judges each window, since a
 * reader that takes a few bytes at a time wakes no send. */
static void on_slow_window(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;
	const struct timeval window = {OUT_WINDOW_MS / 1000, (OUT_WINDOW_MS % 1000) * 1000};
	(void)fd;
	(void)what;
	if (c->st == C_REFUSED || evbuffer_get_length(bufferevent_get_output(c->under)) <= OUT_BIG) {
		c->slow_sent = -1; /* no window open */
		return;
	}
	if (c->slow_sent * 1000 / OUT_WINDOW_MS < OUT_MIN_RATE) {
		conn_cut(c);
		return;
	}
	c->slow_sent = 0;
	evtimer_add(c->slow_ev, &window);
}

static void slow_watch(struct conn *c, size_t queued, size_t sent)
{
	const struct timeval window = {OUT_WINDOW_MS / 1000, (OUT_WINDOW_MS % 1000) * 1000};
	if (c->slow_sent >= 0) {
		c->slow_sent += (int64_t)sent;
	} else if (queued > OUT_BIG) {
		c->slow_sent = 0; /* the first gulp, into the kernel's buffer, is not counted */
		if (!c->slow_ev)
			c->slow_ev = evtimer_new(bufferevent_get_base(c->under), on_slow_window, c);
		evtimer_add(c->slow_ev, &window);
	}
}

/* The socket took bytes: progress resets libevent's write timeout (it would otherwise count
 * from the start of the answer), a window for slow readers opens, an empty buffer is
 * reported. */
static void on_socket_sent(struct evbuffer *b, const struct evbuffer_cb_info *info, void *arg)
{
	struct conn *c = arg;
	size_t left = evbuffer_get_length(b);
	if (!info->n_deleted || c->st == C_REFUSED)
		return;
	slow_watch(c, left, info->n_deleted);
	if (bufferevent_get_enabled(c->filter) & EV_WRITE)
		bufferevent_enable(c->filter, EV_WRITE);
	if (left == 0)
		event_active(c->kick_ev, EV_TIMEOUT, 0);
}

static void conn_free(void *arg)
{
	struct conn *c = arg;
	const struct linger abort_close = {1, 0};
	/* freed with an answer unsent (libevent's write timeout): the kernel's queue goes too */
	if (evbuffer_get_length(bufferevent_get_output(c->under)) > 0)
		setsockopt((int)bufferevent_getfd(c->under), SOL_SOCKET, SO_LINGER, &abort_close, sizeof abort_close);
	if (c->counted)
		climit_give(c->w->site->conns, c->addr);
	if (c->drained_cb)
		evbuffer_remove_cb_entry(bufferevent_get_output(c->under), c->drained_cb);
	if (c->sent_cb)
		evbuffer_remove_cb_entry(bufferevent_get_output(c->under), c->sent_cb);
	if (c->admit_ev)
		event_free(c->admit_ev);
	if (c->deadline_ev)
		event_free(c->deadline_ev);
	if (c->kick_ev)
		event_free(c->kick_ev);
	if (c->slow_ev)
		event_free(c->slow_ev);
	if (c->linger_ev)
		event_free(c->linger_ev);
	free(c);
}

struct bufferevent *guard_bufferevent(struct event_base *base, void *arg)
{
	struct conn *c = xcalloc(1, sizeof *c);
	const struct timeval now = {0, 0};
	c->w = arg;
	c->slow_sent = -1;
	c->under = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	struct bufferevent *f = c->under ? bufferevent_filter_new(c->under, guard_input, guard_output, BEV_OPT_CLOSE_ON_FREE,
								  conn_free, c)
	                                 : NULL;
	if (!f) {
		if (c->under)
			bufferevent_free(c->under);
		free(c);
		return NULL;
	}
	c->filter = f;
	c->kick_ev = event_new(base, -1, 0, on_kick, c);
	/* sendfile'd file pieces pass through this buffer to the socket's */
	evbuffer_set_flags(bufferevent_get_output(f), EVBUFFER_FLAG_DRAINS_TO_FD);
	evbuffer_add_cb(bufferevent_get_output(f), on_output_added, c);
	c->sent_cb = evbuffer_add_cb(bufferevent_get_output(c->under), on_socket_sent, c);
	c->admit_ev = evtimer_new(base, on_admit, c);
	evtimer_add(c->admit_ev, &now);
	return f;
}
