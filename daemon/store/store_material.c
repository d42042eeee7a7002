/* The SQL of materials, their versions and downloads. */
#include "store_material.h"

#include "store_impl.h"

/* MATERIAL_SELECT */
static const struct sql_field material_fields[] = {
	SQL_FIELD(struct material, id), SQL_FIELD(struct material, title),
	SQL_FIELD(struct material, description), SQL_FIELD(struct material, description_html),
	SQL_FIELD(struct material, board_id), SQL_FIELD(struct material, association_id),
	SQL_FIELD(struct material, board), SQL_FIELD(struct material, association),
	SQL_FIELD(struct material, created_at), SQL_FIELD(struct material, downloads),
	SQL_FIELD(struct material, version), SQL_FIELD(struct material, sha256),
	SQL_FIELD(struct material, filename), SQL_FIELD(struct material, content_type),
	SQL_FIELD(struct material, note), SQL_FIELD(struct material, size),
	SQL_FIELD(struct material, version_created_at), SQL_FIELD(struct material, version_downloads),
	SQL_FIELD(struct material, uploader), SQL_FIELD(struct material, place_name),
};
static const struct sql_row material_row = SQL_ROW(struct material, material_fields);

int store_material_insert(struct store *s, struct material *m)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_MATERIAL_INSERT, SQL_TEXT(m->title), SQL_TEXT(m->description),
				    SQL_TEXT(m->description_html), SQL_ID(m->board_id), SQL_ID(m->association_id),
				    SQL_INT(m->uploader.id), SQL_INT(m->created_at));
	return sql_insert(s, st, &m->id);
}

int store_uploads_nth_since(struct store *s, int64_t uploader_id, int64_t since, int64_t n, int64_t *at)
{
	int rc;
	*at = sql_scalar(SQL_BIND(s, ST_UPLOADS_NTH_SINCE, SQL_INT(uploader_id), SQL_INT(since), SQL_INT(n)), &rc);
	return rc;
}

int store_material_version_add(struct store *s, struct material *m, int64_t uploader_id, int64_t now)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_MATERIAL_VERSION_ADD, SQL_INT(m->id), SQL_TEXT(m->sha256),
				    SQL_TEXT(m->filename), SQL_TEXT(m->content_type), SQL_INT(m->size),
				    SQL_TEXT(m->note ? m->note : ""), SQL_INT(uploader_id), SQL_INT(now));
	int rc = sql_exec(st);
	if (rc != STORE_OK)
		return rc;
	m->version = (int)sql_scalar(SQL_BIND(s, ST_MATERIAL_LAST_VERSION, SQL_INT(m->id)), &rc);
	return rc;
}

int store_material_get(struct store *s, struct arena *a, int64_t id, int version, struct material *out)
{
	return sql_one_row(SQL_BIND(s, ST_MATERIAL_GET, SQL_INT(id), SQL_INT(version)), a, &material_row, out);
}

/* MATERIAL_MATCH's parameters ?1..?4. */
#define MATERIAL_FILTER(f) SQL_INT((f)->board_id), SQL_INT((f)->association_id), SQL_TEXT((f)->text), \
	SQL_INT((f)->viewer_id)

int store_materials(struct store *s, struct arena *a, const struct material_filter *f, struct page pg,
		    struct material **out, size_t *n, int64_t *total)
{
	return sql_page(SQL_BIND(s, ST_MATERIAL_COUNT, MATERIAL_FILTER(f)), total,
			SQL_BIND(s, ST_MATERIALS, MATERIAL_FILTER(f), SQL_PAGE(pg)), a, &material_row, (void **)out,
			n);
}

int store_sha_used(struct store *s, const char *sha)
{
	return sql_found(SQL_BIND(s, ST_SHA_USED, SQL_TEXT(sha)));
}

int store_material_versions(struct store *s, struct arena *a, int64_t id, struct material **out, size_t *n)
{
	return sql_collect(SQL_BIND(s, ST_MATERIAL_VERSIONS, SQL_INT(id)), a, &material_row, (void **)out, n);
}

int store_material_downloaded(struct store *s, int64_t id, int version, int64_t user_id, int64_t now)
{
	int rc = sql_exec(SQL_BIND(s, ST_MATERIAL_DOWNLOADED, SQL_INT(id), SQL_INT(version)));
	if (rc == STORE_OK)
		rc = sql_exec(SQL_BIND(s, ST_MATERIAL_DOWNLOADS, SQL_INT(id)));
	if (rc == STORE_OK && user_id)
		rc = sql_exec(SQL_BIND(s, ST_MATERIAL_DOWNLOAD_RECORD, SQL_INT(id), SQL_INT(user_id), SQL_INT(now)));
	return rc;
}
