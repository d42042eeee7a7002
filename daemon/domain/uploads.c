#include "uploads.h"

#include <stdlib.h>
#include <string.h>

#include "blobs.h"
#include "filetype.h"
#include "imagemeta.h"
#include "store_material.h"

enum { SAFE_NAME_MAX = 80 };

/* What we take, by the type libmagic reads. Office documents as libmagic names them: the OLE
 * formats, their OOXML successors and OpenDocument; a ZIP it cannot name is refused. */
static const struct upload_kind kinds[] = {
	{"image/png", 1, UPLOAD_IMAGE_MAX},
	{"image/jpeg", 1, UPLOAD_IMAGE_MAX},
	{"image/gif", 1, UPLOAD_IMAGE_MAX},
	{"image/webp", 1, UPLOAD_IMAGE_MAX},
	{"application/pdf", 0, UPLOAD_DOC_MAX},
	{"application/msword", 0, UPLOAD_DOC_MAX},
	{"application/vnd.ms-excel", 0, UPLOAD_DOC_MAX},
	{"application/vnd.ms-powerpoint", 0, UPLOAD_DOC_MAX},
	{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", 0, UPLOAD_DOC_MAX},
	{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 0, UPLOAD_DOC_MAX},
	{"application/vnd.openxmlformats-officedocument.presentationml.presentation", 0, UPLOAD_DOC_MAX},
	{"application/vnd.oasis.opendocument.text", 0, UPLOAD_DOC_MAX},
	{"application/vnd.oasis.opendocument.spreadsheet", 0, UPLOAD_DOC_MAX},
	{"application/vnd.oasis.opendocument.presentation", 0, UPLOAD_DOC_MAX},
	{"text/plain", 0, UPLOAD_DOC_MAX},
};
static const struct upload_kind text_kind = {"text/plain", 0, UPLOAD_DOC_MAX};

struct ag_right upload_may_create(const struct agora_ctx *c)
{
	return ag_may_write(c);
}

/* The quota's numbers: the built-in ones, or AGORA_UPLOAD_QUOTA's. */
static void quota_limits(int64_t *files, int64_t *bytes)
{
	const char *env = getenv("AGORA_UPLOAD_QUOTA");
	*files = UPLOAD_DAY_FILES;
	*bytes = UPLOAD_DAY_BYTES;
	if (!env || !*env)
		return;
	char *end;
	long long f = strtoll(env, &end, 10);
	if (f > 0)
		*files = f;
	if (*end == ',' && strtoll(end + 1, NULL, 10) > 0)
		*bytes = strtoll(end + 1, NULL, 10);
}

enum ag_status upload_quota(struct agora_ctx *c, int64_t size)
{
	int64_t max_files, max_bytes, files, bytes, oldest;
	int64_t since = c->now - UPLOAD_DAY_SECONDS;
	quota_limits(&max_files, &max_bytes);
	int rc = store_uploads_since(c->db, c->actor->id, since, &files, &bytes);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	if (files < max_files && bytes + size <= max_bytes && (size > 0 || bytes < max_bytes))
		return AG_OK;
	if ((rc = store_uploads_oldest(c->db, c->actor->id, since, &oldest)) != STORE_OK)
		return ag_store_fail(c, rc);
	c->retry_after = oldest ? oldest + UPLOAD_DAY_SECONDS - c->now : UPLOAD_DAY_SECONDS;
	if (c->retry_after < 1)
		c->retry_after = 1;
	return ag_fail(c, AG_ERATE, "quota_exceeded");
}

const struct upload_kind *upload_kind_of(const char *magic, const unsigned char *head, size_t len, int complete)
{
	enum ft_kind ft = ft_sniff(head, len, complete);
	if (!magic)
		return NULL;
	/* libmagic calls much of text "text/x-c", "text/csv"...: text is ours to judge, and
	 * markup is refused whatever it is called */
	if (!strncmp(magic, "text/", 5) || !strcmp(magic, "application/csv"))
		return ft == FT_TEXT && strcmp(magic, "text/html") && strcmp(magic, "text/xml") ? &text_kind : NULL;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (!strcmp(kinds[i].content_type, magic))
			return kinds[i].image && img_format(head, len) == IMG_NONE ? NULL : &kinds[i];
	return NULL;
}

enum ag_status upload_create(struct agora_ctx *c, const struct upload_file *f, const struct upload_kind *k,
			     struct upload_file *out)
{
	enum ag_status st = ag_check(c, upload_may_create(c));
	if (st != AG_OK)
		return st;
	if (!f->sha)
		return ag_fail(c, AG_EINVAL, "no_file");
	if (!k)
		return ag_fail(c, AG_EUNSUPPORTED, "unsupported_type");
	if (f->size > k->max)
		return ag_fail(c, AG_ETOOLARGE, "too_large");
	if (k->image && (f->width <= 0 || f->height <= 0))
		return ag_fail(c, AG_EUNSUPPORTED, "unsupported_type");
	int rc = store_begin(c->db);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	if ((st = upload_quota(c, f->size)) != AG_OK) {
		store_rollback(c->db);
		return st;
	}
	*out = *f;
	out->user_id = c->actor->id;
	out->content_type = k->content_type;
	out->created_at = c->now;
	if (!k->image)
		out->width = out->height = 0;
	return ag_commit(c, store_upload_insert(c->db, out), AG_CREATED);
}

enum ag_status upload_get(struct agora_ctx *c, int64_t id, const char *name, struct upload_file *out)
{
	int rc = id > 0 ? store_upload_get(c->db, c->arena, id, ag_viewer(c), out) : STORE_NOTFOUND;
	enum ag_status st = ag_found(c, rc, "not_found");
	if (st == AG_OK && (!name || strcmp(name, upload_safe_name(c->arena, out->filename))))
		return ag_fail(c, AG_ENOTFOUND, "not_found");
	return st;
}

static int safe_char(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' ||
	       ch == '-' || ch == '_';
}

const char *upload_safe_name(struct arena *a, const char *filename)
{
	char out[SAFE_NAME_MAX + 1];
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)(filename ? filename : ""); *p && n < SAFE_NAME_MAX; p++) {
		if (safe_char(*p) && !(n == 0 && *p == '.'))
			out[n++] = (char)*p;
		else if (n > 0 && out[n - 1] != '_')
			out[n++] = '_';
	}
	out[n] = '\0';
	return arena_strdup(a, n ? out : "file");
}

const char *upload_url(struct arena *a, const struct upload_file *f)
{
	return arena_printf(a, "/uploads/%lld/%s", (long long)f->id, upload_safe_name(a, f->filename));
}

/* The upload ids a body names as /uploads/ID/, at most UPLOAD_LINKS_MAX, without repeats. */
static size_t linked_ids(const char *body, int64_t *ids)
{
	size_t n = 0;
	for (const char *p = body; n < UPLOAD_LINKS_MAX && (p = strstr(p, "/uploads/")); ) {
		p += 9;
		size_t d = strspn(p, "0123456789");
		if (d == 0 || d > 15 || p[d] != '/')
			continue;
		int64_t id = strtoll(p, NULL, 10);
		size_t k = 0;
		while (k < n && ids[k] != id)
			k++;
		if (k == n && id > 0)
			ids[n++] = id;
	}
	return n;
}

static int has_id(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

int upload_link_post(struct agora_ctx *c, int64_t post_id, const char *body)
{
	int64_t named[UPLOAD_LINKS_MAX], *had;
	size_t n = linked_ids(body ? body : "", named), nhad;
	int rc = store_post_uploads(c->db, c->arena, post_id, &had, &nhad);
	for (size_t i = 0; rc == STORE_OK && i < nhad; i++)
		if (!has_id(named, n, had[i]))
			rc = store_post_upload_drop(c->db, post_id, had[i]);
	for (size_t i = 0; rc == STORE_OK && i < n; i++)
		if (!has_id(had, nhad, named[i]))
			rc = store_post_upload_add(c->db, post_id, named[i], ag_viewer(c));
	return rc;
}

void upload_forget(struct agora_ctx *c, const char *sha)
{
	if (sha && store_sha_used(c->db, sha) == STORE_NOTFOUND)
		blob_remove(c->files_dir, sha);
}
