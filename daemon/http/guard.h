/* guard: the filter between each connection's socket and libevent's parser. It refuses, with
 * an answer of its own and the connection closed, heads a proxy could read differently (400),
 * bodies over their route's limit (413, before they are read), requests that outlast their
 * deadline (408) and connections past their client address's share (503). */
#ifndef AGORA_GUARD_H
#define AGORA_GUARD_H

/* The largest request head, and the room around an upload for a multipart body's own framing
 * and small fields: the guard's limits, which libevent's own are set to as a second line. */
enum { GUARD_HEAD_MAX = 16 * 1024, GUARD_UPLOAD_SLACK = 256 * 1024 };

struct bufferevent;
struct event_base;

/* evhttp_set_bevcb's callback; arg is the worker. The bufferevent libevent will give the
 * accepted socket to. */
struct bufferevent *guard_bufferevent(struct event_base *base, void *arg);

#endif
