/* The SQL of the digest. */
#include "store_digest.h"

#include "store_impl.h"

static const struct sql_field thread_fields[] = {
	SQL_FIELD(struct digest_thread, id),    SQL_FIELD(struct digest_thread, title),
	SQL_FIELD(struct digest_thread, tie),   SQL_FIELD(struct digest_thread, where),
	SQL_FIELD(struct digest_thread, at),    SQL_FIELD(struct digest_thread, new_posts),
};
static const struct sql_row thread_row = SQL_ROW(struct digest_thread, thread_fields);

int store_digest_threads(struct store *s, struct arena *a, const struct digest_reader *r, int64_t limit,
			 struct digest_thread **out, size_t *n)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_DIGEST_THREADS, SQL_INT(r->user_id), SQL_INT(r->since), SQL_INT(r->now),
				    SQL_ID(r->position_id), SQL_ID(r->industry_id), SQL_ID(r->region_id),
				    SQL_INT(r->window), SQL_INT(limit), SQL_INT(r->counted), SQL_INT(r->site_window));
	return sql_collect(st, a, &thread_row, (void **)out, n);
}


int store_digest_trainings(struct store *s, struct arena *a, const struct digest_reader *r, const char *today,
			   int64_t limit, int64_t **out, size_t *n)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_DIGEST_TRAININGS, SQL_INT(r->user_id), SQL_INT(r->since), SQL_INT(r->now),
				    SQL_TEXT(today), SQL_INT(r->newest), SQL_INT(limit));
	return sql_collect(st, a, &sql_id_row, (void **)out, n);
}

static const struct sql_field material_fields[] = {
	SQL_FIELD(struct digest_material, id), SQL_FIELD(struct digest_material, title),
	SQL_FIELD(struct digest_material, where), SQL_FIELD(struct digest_material, at),
};
static const struct sql_row material_row = SQL_ROW(struct digest_material, material_fields);

int store_digest_materials(struct store *s, struct arena *a, const struct digest_reader *r, int64_t limit,
			   struct digest_material **out, size_t *n)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_DIGEST_MATERIALS, SQL_INT(r->user_id), SQL_INT(r->since), SQL_INT(r->now),
				    SQL_INT(limit), SQL_INT(r->newest));
	return sql_collect(st, a, &material_row, (void **)out, n);
}
