/* The SQL of settings and taxonomy. */
#include "store_site.h"

#include "store_impl.h"

const char *store_setting_get(struct store *s, struct arena *a, const char *key)
{
	sqlite3_stmt *st = sql_stmt(s, ST_SETTING_GET);
	sql_bind_text(st, 1, key);
	if (sql_first_row(st) != STORE_OK)
		return NULL;
	const char *v = sql_col_text(st, 0, a);
	sqlite3_reset(st);
	return v;
}

int store_setting_set(struct store *s, const char *key, const char *value)
{
	sqlite3_stmt *st = sql_stmt(s, ST_SETTING_SET);
	sql_bind_text(st, 1, key);
	sql_bind_text(st, 2, value);
	return sql_exec(st);
}

static void read_term_row(sqlite3_stmt *st, struct arena *a, void *out)
{
	sql_read_term(st, 0, a, out);
}

int store_terms(struct store *s, struct arena *a, enum term_kind kind, struct term **out, size_t *n)
{
	sqlite3_stmt *st = sql_stmt(s, ST_TERMS);
	sqlite3_bind_int(st, 1, (int)kind);
	return sql_collect(st, a, sizeof(struct term), (void **)out, n, read_term_row);
}

int store_term_find(struct store *s, struct arena *a, enum term_kind kind, const char *slug, struct term *out)
{
	sqlite3_stmt *st = sql_stmt(s, ST_TERM_FIND);
	sqlite3_bind_int(st, 1, (int)kind);
	sql_bind_text(st, 2, slug);
	return sql_one_row(st, a, out, sizeof *out, read_term_row);
}

int store_term_put(struct store *s, enum term_kind kind, const char *slug, const char *name)
{
	sqlite3_stmt *st = sql_stmt(s, ST_TERM_PUT);
	sqlite3_bind_int(st, 1, (int)kind);
	sql_bind_text(st, 2, slug);
	sql_bind_text(st, 3, name);
	return sql_exec(st);
}

int store_term_delete(struct store *s, enum term_kind kind, const char *slug)
{
	sqlite3_stmt *st = sql_stmt(s, ST_TERM_DELETE);
	sqlite3_bind_int(st, 1, (int)kind);
	sql_bind_text(st, 2, slug);
	int rc = sql_exec(st);
	if (rc == STORE_OK && sqlite3_changes(s->db) == 0)
		return STORE_NOTFOUND;
	return rc;
}
