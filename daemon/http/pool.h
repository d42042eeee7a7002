/* pool: threads for slow work (Argon2id hashing, searches, uploads) so it never stalls an
 * event loop. The threads are split into lanes, each with its own threads and queue, so that
 * a flood of one kind of work (searches, registrations) cannot hold up another (a sign-in).
 * A finished job is handed back to the event loop it came from through an event made
 * active from the pool thread (libevent is set up for threads before any base exists). */
#ifndef AGORA_POOL_H
#define AGORA_POOL_H

struct event;
struct pool;

enum pool_lane {
	POOL_SIGNIN, /* password checks of sign-ins */
	POOL_SEARCH, /* searches, each thread with its own database connection */
	POOL_WORK,   /* everything else: registrations, password changes, uploads, packs */
	POOL_LANES
};

/* Starts the lanes for n workers: n/2 (at least 1) sign-in threads, n search threads, n
 * threads for the rest. */
struct pool *pool_start(int n);
/* Most jobs waiting at once in a lane: past this, a burst of sign-ins is turned away (503) instead of
 * queueing minutes of hashing. */
enum { POOL_MAX_QUEUED = 128 };

/* Queues work(arg); when it returns (or is skipped because wanted(wanted_arg), asked just
 * before, said the result is no longer wanted), done_ev is made active on its own event
 * base. Neither arg nor done_ev is touched by the pool after that. -1 when the queue is full
 * (nothing queued). */
int pool_submit(struct pool *p, enum pool_lane lane, void (*work)(void *arg), void *arg, struct event *done_ev,
		int (*wanted)(void *wanted_arg), void *wanted_arg);
/* Jobs waiting for a thread right now, in all lanes (for /metrics). */
int pool_queued(struct pool *p);
/* Finishes the queued jobs, then joins and frees the threads. */
void pool_stop(struct pool *p);

#endif
