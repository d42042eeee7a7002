#include "ticker.h"

#include <time.h>

int ticker_start(struct ticker *t, void *(*main)(void *), void *arg)
{
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&t->wake, &attr);
	pthread_condattr_destroy(&attr);
	pthread_mutex_init(&t->lock, NULL);
	atomic_store(&t->stopping, 0);
	t->started = pthread_create(&t->thread, NULL, main, arg) == 0;
	if (!t->started) {
		pthread_cond_destroy(&t->wake);
		pthread_mutex_destroy(&t->lock);
	}
	return t->started ? 0 : -1;
}

void ticker_nap(struct ticker *t, long ms)
{
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&t->lock);
	if (!atomic_load(&t->stopping))
		pthread_cond_timedwait(&t->wake, &t->lock, &until);
	pthread_mutex_unlock(&t->lock);
}

int ticker_stopping(struct ticker *t)
{
	return atomic_load(&t->stopping);
}

void ticker_stop(struct ticker *t)
{
	if (!t->started)
		return;
	pthread_mutex_lock(&t->lock);
	atomic_store(&t->stopping, 1);
	pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->lock);
	pthread_join(t->thread, NULL);
	pthread_cond_destroy(&t->wake);
	pthread_mutex_destroy(&t->lock);
	t->started = 0;
}
