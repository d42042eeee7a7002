#include "unit_store.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct store *db;
struct arena *arena;
static char dir[64];

void unit_store_setup(void)
{
	char path[128], *err = NULL;
	strcpy(dir, "/tmp/agora-unit-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/agora.db", dir);
	db = store_open(path, &err);
	ck_assert_msg(db != NULL, "store_open: %s", err ? err : "?");
	arena = arena_new();
}

void unit_store_teardown(void)
{
	char cmd[128];
	store_close(db);
	arena_free(arena);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}
