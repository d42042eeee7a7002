/* guard: the filter between each connection's socket and libevent's parser. It refuses, with
 * an answer of its own and the connection closed, heads a proxy could read differently (400),
 * bodies over their route's limit (413, before they are read), requests that outlast their
 * deadline (408) and connections past their client address's share (503). */
#ifndef AGORA_GUARD_H
#define AGORA_GUARD_H

struct bufferevent;
struct event_base;

/* evhttp_set_bevcb's callback; arg is the worker. The bufferevent libevent will give the
 * accepted socket to. */
struct bufferevent *guard_bufferevent(struct event_base *base, void *arg);

#endif
