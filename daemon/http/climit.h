/* climit: how many of something (open connections, searches running) each client address
 * holds right now, across all workers, so one address cannot take more than its share. */
#ifndef AGORA_CLIMIT_H
#define AGORA_CLIMIT_H

struct climit;

/* An empty table allowing max at once per address. */
struct climit *climit_new(int max);
void climit_free(struct climit *l);
/* Takes one for addr: 1, or 0 (nothing taken) when addr already holds max. Any thread. */
int climit_take(struct climit *l, const char *addr);
/* Gives back one taken by climit_take. */
void climit_give(struct climit *l, const char *addr);
/* What all addresses hold together (open connections, for /metrics). */
long climit_total(struct climit *l);

#endif
