/* The SQL of the composer's @mention completion. */
#include "store_composer.h"

#include "store_impl.h"

int store_users_by_prefix(struct store *db, struct arena *a, const char *prefix, int64_t now, int64_t limit,
			  struct user **out, size_t *n)
{
	sqlite3_stmt *st = SQL_BIND(db, ST_USERS_BY_PREFIX, SQL_TEXT(prefix), SQL_INT(now), SQL_INT(limit));
	return sql_collect(st, a, &sql_user_row, (void **)out, n);
}
