/* job_kinds: the table of every kind of scheduled work and its handler (jobs.h). At the top of
 * the domain's order: it names the modules whose handlers it lists, and none of them names it. */
#ifndef AGORA_JOB_KINDS_H
#define AGORA_JOB_KINDS_H

#include <stddef.h>

#include "jobs.h"

/* Every kind agorad handles; the runner fails a job of any other kind at once. */
extern const struct job_kind job_kinds[];
extern const size_t job_nkinds;

#endif
