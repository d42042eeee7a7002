/* The SQL of uploads in posts and of the links posts make to them. */
#include "store_upload.h"

#include "store_impl.h"

/* UPLOAD_GET's columns */
static const struct sql_field upload_fields[] = {
	SQL_FIELD(struct upload_file, id), SQL_FIELD(struct upload_file, user_id),
	SQL_FIELD(struct upload_file, sha), SQL_FIELD(struct upload_file, filename),
	SQL_FIELD(struct upload_file, content_type), SQL_FIELD(struct upload_file, size),
	SQL_FIELD(struct upload_file, width), SQL_FIELD(struct upload_file, height),
	SQL_FIELD(struct upload_file, created_at),
};
static const struct sql_row upload_row = SQL_ROW(struct upload_file, upload_fields);

static const struct sql_field id_fields[] = {{SQL_COL_I64, 0}};
static const struct sql_row id_row = {id_fields, 1, sizeof(int64_t)};

int store_upload_insert(struct store *s, struct upload_file *f)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_UPLOAD_INSERT, SQL_INT(f->user_id), SQL_TEXT(f->sha), SQL_TEXT(f->filename),
				    SQL_TEXT(f->content_type), SQL_INT(f->size), SQL_ID(f->width), SQL_ID(f->height),
				    SQL_INT(f->created_at));
	return sql_insert(s, st, &f->id);
}

int store_uploads_since(struct store *s, int64_t user_id, int64_t since, int64_t *files, int64_t *bytes)
{
	return sql_pair(SQL_BIND(s, ST_UPLOAD_SINCE, SQL_INT(user_id), SQL_INT(since)), files, bytes);
}

int store_uploads_oldest(struct store *s, int64_t user_id, int64_t since, int64_t *at)
{
	int rc;
	*at = sql_scalar(SQL_BIND(s, ST_UPLOAD_OLDEST, SQL_INT(user_id), SQL_INT(since)), &rc);
	return rc;
}

int store_upload_get(struct store *s, struct arena *a, int64_t id, int64_t viewer_id, struct upload_file *out)
{
	return sql_one_row(SQL_BIND(s, ST_UPLOAD_GET, SQL_INT(id), SQL_INT(viewer_id)), a, &upload_row, out);
}

int store_post_uploads(struct store *s, struct arena *a, int64_t post_id, int64_t **ids, size_t *n)
{
	return sql_collect(SQL_BIND(s, ST_POST_UPLOADS, SQL_INT(post_id)), a, &id_row, (void **)ids, n);
}

int store_post_upload_add(struct store *s, int64_t post_id, int64_t upload_id, int64_t viewer_id)
{
	return sql_exec(SQL_BIND(s, ST_POST_UPLOAD_ADD, SQL_INT(post_id), SQL_INT(upload_id), SQL_INT(viewer_id)));
}

int store_post_upload_drop(struct store *s, int64_t post_id, int64_t upload_id)
{
	return sql_exec(SQL_BIND(s, ST_POST_UPLOAD_DROP, SQL_INT(post_id), SQL_INT(upload_id)));
}
