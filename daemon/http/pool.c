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

struct pool {
	pthread_mutex_t lock;
	pthread_cond_t ready;
	struct job *head, *tail;
	int queued;
	int stopping;
	int n;
	pthread_t *threads;
};

static struct job *next_job(struct pool *p)
{
	pthread_mutex_lock(&p->lock);
	while (!p->head && !p->stopping)
		pthread_cond_wait(&p->ready, &p->lock);
	struct job *j = p->head;
	if (j) {
		p->head = j->next;
		if (!p->head)
			p->tail = NULL;
		p->queued--;
	}
	pthread_mutex_unlock(&p->lock);
	return j;
}

static void *pool_main(void *arg)
{
	struct pool *p = arg;
	struct job *j;
	while ((j = next_job(p)) != NULL) {
		/* a client that went away needs no hashing */
		if (!j->wanted || j->wanted(j->wanted_arg))
			j->work(j->arg);
		event_active(j->done_ev, 0, 0);
		free(j);
	}
	return NULL;
}

struct pool *pool_start(int n)
{
	struct pool *p = xcalloc(1, sizeof *p);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->ready, NULL);
	p->n = n < 1 ? 1 : n;
	p->threads = xcalloc((size_t)p->n, sizeof(pthread_t));
	for (int i = 0; i < p->n; i++)
		if (pthread_create(&p->threads[i], NULL, pool_main, p) != 0) {
			p->n = i;
			break;
		}
	return p;
}

int pool_submit(struct pool *p, void (*work)(void *), void *arg, struct event *done_ev,
		int (*wanted)(void *), void *wanted_arg)
{
	pthread_mutex_lock(&p->lock);
	if (p->queued >= POOL_MAX_QUEUED) {
		pthread_mutex_unlock(&p->lock);
		return -1;
	}
	struct job *j = xcalloc(1, sizeof *j);
	j->work = work;
	j->arg = arg;
	j->done_ev = done_ev;
	j->wanted = wanted;
	j->wanted_arg = wanted_arg;
	p->queued++;
	if (p->tail)
		p->tail->next = j;
	else
		p->head = j;
	p->tail = j;
	pthread_cond_signal(&p->ready);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

int pool_queued(struct pool *p)
{
	pthread_mutex_lock(&p->lock);
	int n = p->queued;
	pthread_mutex_unlock(&p->lock);
	return n;
}

void pool_stop(struct pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = 1;
	pthread_cond_broadcast(&p->ready);
	pthread_mutex_unlock(&p->lock);
	for (int i = 0; i < p->n; i++)
		pthread_join(p->threads[i], NULL);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->ready);
	free(p->threads);
	free(p);
}
