/* unit_store: a store of its own in a temporary folder, for the unit tests of the layers that
 * need one (domain, jobs). Linked into the tests of AGORA_IMPURE_UNIT_TESTS only. */
#ifndef AGORA_UNIT_STORE_H
#define AGORA_UNIT_STORE_H

#include "store.h"
#include "util.h"

/* Opened by unit_store_setup (a checked fixture), removed with its folder by
 * unit_store_teardown. */
extern struct store *db;
extern struct arena *arena;

void unit_store_setup(void);
void unit_store_teardown(void);

#endif
