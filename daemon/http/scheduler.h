/* scheduler: the one runner of scheduled work (domain/jobs.h) in an agorad process. A thread
 * of its own, on no event loop and with its own database connection, so a job never delays a
 * request. It runs what is due at once when it starts (so work that fell due while agorad was
 * stopped runs right away), then wakes every second. */
#ifndef AGORA_SCHEDULER_H
#define AGORA_SCHEDULER_H

#include <stddef.h>
#include <stdint.h>

struct agora_ctx;
struct generation_cell;
struct scheduler;

/* Starts the runner on its own connection to the database at db_path, with the kinds of
 * job_kinds.c. Each job's context is a copy of base (files folder, upload limit: they must
 * outlive the runner) with the runner's database, a fresh arena, the time and the plugins of the
 * generation current when the job starts (gens must outlive the runner too). NULL when it
 * cannot start (said on stderr). */
struct scheduler *scheduler_start(const char *db_path, const struct agora_ctx *base, struct generation_cell *gens);
/* Asks the runner to stop, waits for the job in hand to finish, and frees it. NULL is allowed. */
void scheduler_stop(struct scheduler *s);

#endif
