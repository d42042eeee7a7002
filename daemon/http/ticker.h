/* ticker: a background thread that works, naps and stops when told — what the runner of
 * scheduled work and the mail sender share. Its naps end early when it is asked to stop, so
 * agorad exits without waiting out a sleep. */
#ifndef AGORA_TICKER_H
#define AGORA_TICKER_H

#include <pthread.h>
#include <stdatomic.h>

struct ticker {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	atomic_int stopping;
	int started;
};

/* Starts main(arg) on a new thread; 0, or -1 when it could not start. */
int ticker_start(struct ticker *t, void *(*main)(void *), void *arg);
/* Sleeps ms milliseconds, or less when asked to stop. */
void ticker_nap(struct ticker *t, long ms);
int ticker_stopping(struct ticker *t);
/* Asks the thread to stop, waits for it and frees what ticker_start made. */
void ticker_stop(struct ticker *t);

#endif
