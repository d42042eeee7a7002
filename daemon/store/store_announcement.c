/* The SQL of announcements. */
#include "store_announcement.h"

#include "store_impl.h"

static const struct sql_field ann_fields[] = {
	SQL_FIELD(struct announcement, id), SQL_FIELD(struct announcement, author),
	SQL_FIELD(struct announcement, title), SQL_FIELD(struct announcement, body),
	SQL_FIELD(struct announcement, body_html), SQL_FIELD(struct announcement, audience),
	SQL_FIELD(struct announcement, training), SQL_FIELD(struct announcement, training_title),
	SQL_FIELD(struct announcement, association), SQL_FIELD(struct announcement, association_name),
	SQL_FIELD(struct announcement, recipients), SQL_FIELD(struct announcement, reached),
	SQL_FIELD(struct announcement, created_at), SQL_FIELD(struct announcement, done_at),
	SQL_FIELD(struct announcement, training_id), SQL_FIELD(struct announcement, association_id),
	SQL_FIELD(struct announcement, cursor),
};
static const struct sql_row ann_row = SQL_ROW(struct announcement, ann_fields);

/* The announcement's audience as ?2 .. ?5 of ANN_AUDIENCE, after ?1 its id. */
#define AUDIENCE_ARGS(ann_id, ann)                                                                 \
	SQL_INT(ann_id), SQL_INT((ann)->author.id), SQL_TEXT((ann)->audience), SQL_ID((ann)->training_id), \
		SQL_ID((ann)->association_id)

int store_announcement_add(struct store *s, const struct announcement *a, int64_t now, int64_t *id)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_ANN_INSERT, SQL_INT(a->author.id), SQL_TEXT(a->title), SQL_TEXT(a->body),
				    SQL_TEXT(a->body_html), SQL_TEXT(a->audience), SQL_ID(a->training_id),
				    SQL_ID(a->association_id), SQL_INT(now));
	int rc = sql_insert(s, st, id);
	return rc == STORE_OK ? sql_exec(SQL_BIND(s, ST_ANN_COUNT, AUDIENCE_ARGS(*id, a))) : rc;
}

int store_announcement_get(struct store *s, struct arena *a, int64_t id, struct announcement *out)
{
	return sql_one_row(SQL_BIND(s, ST_ANN_GET, SQL_INT(id)), a, &ann_row, out);
}

int store_announcement_received(struct store *s, int64_t id, int64_t user_id)
{
	return sql_found(SQL_BIND(s, ST_ANN_RECEIVED, SQL_INT(id), SQL_INT(user_id)));
}

int store_announcements_received(struct store *s, struct arena *a, int64_t user_id, struct page pg,
				 struct announcement **out, size_t *n, int64_t *total)
{
	return sql_page(SQL_BIND(s, ST_ANN_LIST_COUNT, SQL_INT(user_id)), total,
			SQL_BIND(s, ST_ANN_LIST, SQL_INT(user_id), SQL_PAGE(pg)), a, &ann_row, (void **)out, n);
}

static const struct sql_field choice_fields[] = {
	SQL_FIELD(struct audience_choice, kind), SQL_FIELD(struct audience_choice, slug),
	SQL_FIELD(struct audience_choice, title),
};
static const struct sql_row choice_row = SQL_ROW(struct audience_choice, choice_fields);

int store_announcement_audiences(struct store *s, struct arena *a, int64_t user_id, struct audience_choice **out,
				 size_t *n)
{
	return sql_collect(SQL_BIND(s, ST_ANN_AUDIENCES, SQL_INT(user_id)), a, &choice_row, (void **)out, n);
}

int store_announcement_fanout(struct store *s, int64_t id, int64_t limit, int64_t now, int *done)
{
	struct announcement a;
	struct arena *ar = arena_new();
	int rc = store_announcement_get(s, ar, id, &a);
	if (rc == STORE_OK)
		rc = sql_exec(SQL_BIND(s, ST_ANN_FANOUT, AUDIENCE_ARGS(id, &a), SQL_INT(a.cursor), SQL_INT(limit)));
	arena_free(ar);
	int64_t added = rc == STORE_OK ? sqlite3_changes(s->db) : 0;
	if (rc == STORE_OK)
		rc = sql_exec(SQL_BIND(s, ST_ANN_NOTIFY, SQL_INT(id), SQL_INT(now)));
	*done = added < limit;
	if (rc == STORE_OK)
		rc = sql_exec(SQL_BIND(s, ST_ANN_ADVANCE, SQL_INT(id), SQL_INT(now), SQL_INT(*done)));
	return rc;
}
