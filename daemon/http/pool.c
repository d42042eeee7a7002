#include "pool.h"

#include <event2/event.h>
#include <pthread.h>
#include <stdlib.h>

#include "util.h"

struct job {
	struct job *next;
	void (*work)(void *);
	void *arg;
	struct event *done_ev;
	int (*wanted)(void *);
	void *wanted_arg;
};

/* One queue and the threads that serve it alone. */
struct lane {
	pthread_mutex_t lock;
	pthread_cond_t ready;
	struct job *head, *tail;
	int queued;
	int stopping;
	int n;
	pthread_t *threads;
};

struct pool {
	struct lane lanes[POOL_LANES];
};

static struct job *next_job(struct lane *l)
{
	pthread_mutex_lock(&l->lock);
	while (!l->head && !l->stopping)
		pthread_cond_wait(&l->ready, &l->lock);
	struct job *j = l->head;
	if (j) {
		l->head = j->next;
		if (!l->head)
			l->tail = NULL;
		l->queued--;
	}
	pthread_mutex_unlock(&l->lock);
	return j;
}

static void *lane_main(void *arg)
{
	struct lane *l = arg;
	struct job *j;
	while ((j = next_job(l)) != NULL) {
		/* a client that went away needs no hashing */
		if (!j->wanted || j->wanted(j->wanted_arg))
			j->work(j->arg);
		event_active(j->done_ev, 0, 0);
		free(j);
	}
	return NULL;
}

static void lane_start(struct lane *l, int n)
{
	pthread_mutex_init(&l->lock, NULL);
	pthread_cond_init(&l->ready, NULL);
	l->n = n < 1 ? 1 : n;
	l->threads = xcalloc((size_t)l->n, sizeof(pthread_t));
	for (int i = 0; i < l->n; i++)
		if (pthread_create(&l->threads[i], NULL, lane_main, l) != 0) {
			l->n = i;
			break;
		}
}

struct pool *pool_start(int n)
{
	struct pool *p = xcalloc(1, sizeof *p);
	lane_start(&p->lanes[POOL_SIGNIN], n / 2);
	lane_start(&p->lanes[POOL_SEARCH], n);
	lane_start(&p->lanes[POOL_WORK], n);
	return p;
}

int pool_submit(struct pool *p, enum pool_lane lane, void (*work)(void *), void *arg, struct event *done_ev,
		int (*wanted)(void *), void *wanted_arg)
{
	struct lane *l = &p->lanes[lane];
	pthread_mutex_lock(&l->lock);
	if (l->queued >= POOL_MAX_QUEUED) {
		pthread_mutex_unlock(&l->lock);
		return -1;
	}
	struct job *j = xcalloc(1, sizeof *j);
	j->work = work;
	j->arg = arg;
	j->done_ev = done_ev;
	j->wanted = wanted;
	j->wanted_arg = wanted_arg;
	l->queued++;
	if (l->tail)
		l->tail->next = j;
	else
		l->head = j;
	l->tail = j;
	pthread_cond_signal(&l->ready);
	pthread_mutex_unlock(&l->lock);
	return 0;
}

int pool_queued(struct pool *p)
{
	int n = 0;
	for (int i = 0; i < POOL_LANES; i++) {
		pthread_mutex_lock(&p->lanes[i].lock);
		n += p->lanes[i].queued;
		pthread_mutex_unlock(&p->lanes[i].lock);
	}
	return n;
}

static void lane_stop(struct lane *l)
{
	pthread_mutex_lock(&l->lock);
	l->stopping = 1;
	pthread_cond_broadcast(&l->ready);
	pthread_mutex_unlock(&l->lock);
	for (int i = 0; i < l->n; i++)
		pthread_join(l->threads[i], NULL);
	pthread_mutex_destroy(&l->lock);
	pthread_cond_destroy(&l->ready);
	free(l->threads);
}

void pool_stop(struct pool *p)
{
	if (!p)
		return;
	for (int i = 0; i < POOL_LANES; i++)
		lane_stop(&p->lanes[i]);
	free(p);
}
