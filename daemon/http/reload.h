/* reload: what SIGHUP does, on the main thread. The command line and configuration file are
 * read again, a new generation (generation.h) is built from them and swapped in; the requests
 * in flight finish on the one they started with. When anything fails to load (a bad key, a
 * template that does not parse, a plugin whose init refuses), the site goes on as it was and
 * the failure is one line on stderr. Keys that only a start can apply (the listening address,
 * the data folder, workers, mail...) are said to wait for the next start. */
#ifndef AGORA_RELOAD_H
#define AGORA_RELOAD_H

#include "generation.h"
#include "server_config.h"

/* What a generation is built from, out of a configuration. */
struct generation_source reload_source(const struct server_config *cfg);
/* Reloads the site whose generations gens holds, serving with the configuration running. 0, or
 * -1 when it kept the old. */
int reload_site(struct generation_cell *gens, const struct server_config *running);

#endif
