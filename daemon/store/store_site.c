/* The SQL of site settings and the taxonomy. */
#include "store_site.h"

#include "store_impl.h"

const char *store_setting_get(struct store *s, struct arena *a, const char *key)
{
	const char *v = NULL;
	sql_one_row(SQL_BIND(s, ST_SETTING_GET, SQL_TEXT(key)), a, &sql_text_row, &v);
	return v;
}

int store_setting_set(struct store *s, const char *key, const char *value)
{
	return sql_exec(SQL_BIND(s, ST_SETTING_SET, SQL_TEXT(key), SQL_TEXT(value)));
}

int store_setting_add(struct store *s, const char *key, const char *value)
{
	return sql_exec(SQL_BIND(s, ST_SETTING_ADD, SQL_TEXT(key), SQL_TEXT(value)));
}

int store_terms(struct store *s, struct arena *a, enum term_kind kind, struct term **out, size_t *n)
{
	return sql_collect(SQL_BIND(s, ST_TERMS, SQL_INT(kind)), a, &sql_term_row, (void **)out, n);
}

int store_term_find(struct store *s, struct arena *a, enum term_kind kind, const char *slug, struct term *out)
{
	return sql_one_row(SQL_BIND(s, ST_TERM_FIND, SQL_INT(kind), SQL_TEXT(slug)), a, &sql_term_row, out);
}

int store_term_put(struct store *s, enum term_kind kind, const char *slug, const char *name)
{
	return sql_exec(SQL_BIND(s, ST_TERM_PUT, SQL_INT(kind), SQL_TEXT(slug), SQL_TEXT(name)));
}

int store_term_delete(struct store *s, enum term_kind kind, const char *slug)
{
	return sql_change(s, SQL_BIND(s, ST_TERM_DELETE, SQL_INT(kind), SQL_TEXT(slug)));
}
