/* tools: the command-line tools beside the server — demo site, synthetic seed data. They
 * go through the domain layer like any request, acting as a local administrator. */
#ifndef AGORA_TOOLS_H
#define AGORA_TOOLS_H

#include "store.h"

/* Fills an empty database with a small realistic site and prints the demo logins.
 * Does nothing to a database that already has users. 0 or -1. */
int tools_demo(struct store *db, const char *files_dir);
/* Adds `threads` threads of `posts` posts each (a reply tree) for benchmarks. 0 or -1. */
int tools_seed(struct store *db, long threads, long posts);

#endif
