/* The SQL of materials. */
#include "store_material.h"

#include "store_impl.h"

static void read_material(sqlite3_stmt *st, struct arena *a, void *out)
{
	struct material *m = out;
	m->id = sqlite3_column_int64(st, 0);
	m->title = sql_col_text(st, 1, a);
	m->description = sql_col_text(st, 2, a);
	m->description_html = sql_col_text(st, 3, a);
	m->board_id = sqlite3_column_int64(st, 4);
	m->association_id = sqlite3_column_int64(st, 5);
	m->board = sql_col_text(st, 6, a);
	m->association = sql_col_text(st, 7, a);
	m->created_at = sqlite3_column_int64(st, 8);
	m->downloads = sqlite3_column_int64(st, 9);
	m->version = sqlite3_column_int(st, 10);
	m->sha256 = sql_col_text(st, 11, a);
	m->filename = sql_col_text(st, 12, a);
	m->content_type = sql_col_text(st, 13, a);
	m->note = sql_col_text(st, 14, a);
	m->size = sqlite3_column_int64(st, 15);
	m->version_created_at = sqlite3_column_int64(st, 16);
	m->version_downloads = sqlite3_column_int64(st, 17);
	sql_read_user(st, 18, a, &m->uploader);
}

int store_material_insert(struct store *s, struct material *m)
{
	sqlite3_stmt *st = sql_stmt(s, ST_MATERIAL_INSERT);
	sql_bind_text(st, 1, m->title);
	sql_bind_text(st, 2, m->description);
	sql_bind_text(st, 3, m->description_html);
	sql_bind_id(st, 4, m->board_id);
	sql_bind_id(st, 5, m->association_id);
	sqlite3_bind_int64(st, 6, m->uploader.id);
	sqlite3_bind_int64(st, 7, m->created_at);
	int rc = sql_exec(st);
	if (rc == STORE_OK)
		m->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

int store_material_version_add(struct store *s, struct material *m, int64_t uploader_id, int64_t now)
{
	sqlite3_stmt *st = sql_stmt(s, ST_MATERIAL_VERSION_ADD);
	sqlite3_bind_int64(st, 1, m->id);
	sql_bind_text(st, 2, m->sha256);
	sql_bind_text(st, 3, m->filename);
	sql_bind_text(st, 4, m->content_type);
	sqlite3_bind_int64(st, 5, m->size);
	sql_bind_text(st, 6, m->note ? m->note : "");
	sqlite3_bind_int64(st, 7, uploader_id);
	sqlite3_bind_int64(st, 8, now);
	int rc = sql_exec(st);
	if (rc != STORE_OK)
		return rc;
	st = sql_stmt(s, ST_MATERIAL_LAST_VERSION);
	sqlite3_bind_int64(st, 1, m->id);
	m->version = (int)sql_scalar(st, &rc);
	return rc;
}

int store_material_get(struct store *s, struct arena *a, int64_t id, int version, struct material *out)
{
	sqlite3_stmt *st = sql_stmt(s, ST_MATERIAL_GET);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, version);
	return sql_one_row(st, a, out, sizeof *out, read_material);
}

static void bind_material_filter(sqlite3_stmt *st, const struct material_filter *f)
{
	sqlite3_bind_int64(st, 1, f->board_id);
	sqlite3_bind_int64(st, 2, f->association_id);
	sql_bind_text(st, 3, f->text);
	sqlite3_bind_int64(st, 4, f->viewer_id);
}

int store_materials(struct store *s, struct arena *a, const struct material_filter *f, struct page pg,
		    struct material **out, size_t *n, int64_t *total)
{
	int rc;
	sqlite3_stmt *st = sql_stmt(s, ST_MATERIAL_COUNT);
	bind_material_filter(st, f);
	*total = sql_scalar(st, &rc);
	if (rc != STORE_OK)
		return rc;
	st = sql_stmt(s, ST_MATERIALS);
	bind_material_filter(st, f);
	sqlite3_bind_int64(st, 5, pg.limit);
	sqlite3_bind_int64(st, 6, pg.offset);
	return sql_collect(st, a, sizeof(struct material), (void **)out, n, read_material);
}

int store_sha_used(struct store *s, const char *sha)
{
	sqlite3_stmt *st = sql_stmt(s, ST_SHA_USED);
	sql_bind_text(st, 1, sha);
	int rc = sql_first_row(st);
	if (rc == STORE_OK)
		sqlite3_reset(st);
	return rc;
}

int store_material_versions(struct store *s, struct arena *a, int64_t id, struct material **out, size_t *n)
{
	sqlite3_stmt *st = sql_stmt(s, ST_MATERIAL_VERSIONS);
	sqlite3_bind_int64(st, 1, id);
	return sql_collect(st, a, sizeof(struct material), (void **)out, n, read_material);
}

int store_material_downloaded(struct store *s, int64_t id, int version)
{
	sqlite3_stmt *st = sql_stmt(s, ST_MATERIAL_DOWNLOADED);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, version);
	int rc = sql_exec(st);
	if (rc != STORE_OK)
		return rc;
	st = sql_stmt(s, ST_MATERIAL_DOWNLOADS);
	sqlite3_bind_int64(st, 1, id);
	return sql_exec(st);
}

struct lecturer_row {
	struct user u;
	int64_t count;
};

static void read_lecturer(sqlite3_stmt *st, struct arena *a, void *out)
{
	struct lecturer_row *l = out;
	sql_read_user(st, 0, a, &l->u);
	l->count = sqlite3_column_int64(st, USER_NCOLS);
}

int store_lecturers(struct store *s, struct arena *a, int64_t viewer_id, struct user **out, int64_t **counts,
		    size_t *n)
{
	struct lecturer_row *rows;
	sqlite3_stmt *st = sql_stmt(s, ST_LECTURERS);
	sqlite3_bind_int64(st, 1, viewer_id);
	int rc = sql_collect(st, a, sizeof *rows, (void **)&rows, n, read_lecturer);
	if (rc != STORE_OK)
		return rc;
	*out = arena_alloc(a, (*n ? *n : 1) * sizeof **out);
	*counts = arena_alloc(a, (*n ? *n : 1) * sizeof **counts);
	for (size_t i = 0; i < *n; i++) {
		(*out)[i] = rows[i].u;
		(*counts)[i] = rows[i].count;
	}
	return STORE_OK;
}
