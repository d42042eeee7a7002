#include "materials.h"

#include <ctype.h>
#include <string.h>

#include "associations.h"
#include "blobs.h"
#include "filetype.h"
#include "forum.h"
#include "store_assoc.h"
#include "store_material.h"
#include "utf8.h"

enum { FILENAME_MAX_CHARS = 200 };

struct ag_right material_may_upload(const struct agora_ctx *c)
{
	struct ag_right r = ag_may_write(c);
	if (ag_allowed(r) && c->actor->role < ROLE_LECTURER)
		return ag_refused(AG_EFORBIDDEN, "lecturers_only");
	return r;
}

struct ag_right material_may_add_version(const struct agora_ctx *c, const struct material *m)
{
	struct ag_right r = material_may_upload(c);
	if (ag_allowed(r) && m->uploader.id != c->actor->id && c->actor->role < ROLE_MODERATOR)
		return ag_refused(AG_EFORBIDDEN, "not_your_material");
	return r;
}

/* The name to show and to offer when saving: the last path component of what the client
 * sent, on one line, at most 200 characters; "file" when nothing usable is left. */
static const char *clean_filename(struct agora_ctx *c, const char *name)
{
	const char *base = name ? name : "";
	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	size_t n = strlen(base);
	if (!n || !utf8_line_ok(base, n) || !strcmp(base, ".") || !strcmp(base, ".."))
		return "file";
	if (utf8_length(base, n) <= FILENAME_MAX_CHARS)
		return arena_strdup(c->arena, base);
	size_t cut = 0, chars = 0;
	while (cut < n && chars < FILENAME_MAX_CHARS) {
		cut++;
		while (cut < n && ((unsigned char)base[cut] & 0xC0) == 0x80)
			cut++;
		chars++;
	}
	return arena_strndup(c->arena, base, cut);
}

/* The type downloads are served with: type/subtype in lower case without parameters; types a
 * browser would run as a page or script become application/octet-stream (downloads are
 * attachments with nosniff anyway; this is a second fence). */
static const char *clean_type(struct agora_ctx *c, const char *type)
{
	static const char *const active[] = {"text/html", "application/xhtml+xml", "image/svg+xml", "text/xml",
					     "application/xml", "text/javascript", "application/javascript"};
	char t[128];
	size_t n = 0;
	int slash = 0;
	for (const char *p = type ? type : ""; *p && *p != ';' && *p != ' ' && n < sizeof t - 1; p++) {
		char ch = (char)tolower((unsigned char)*p);
		if (!(isalnum((unsigned char)ch) || strchr("!#$&^_.+-/", ch)) || (ch == '/' && slash++))
			return "application/octet-stream";
		t[n++] = ch;
	}
	t[n] = '\0';
	if (!slash || t[0] == '/' || t[n - 1] == '/')
		return "application/octet-stream";
	for (size_t i = 0; i < sizeof active / sizeof active[0]; i++)
		if (!strcmp(t, active[i]))
			return "application/octet-stream";
	return arena_strdup(c->arena, t);
}

enum ag_status material_upload_rate(struct agora_ctx *c)
{
	int64_t at = 0;
	if (!c->actor || !c->rates || c->rates->uploads_per_hour <= 0 || c->actor->role >= ROLE_MODERATOR)
		return AG_OK;
	int rc = store_uploads_nth_since(c->db, c->actor->id, c->now - 3600, c->rates->uploads_per_hour, &at);
	return ag_rate_verdict(c, rc, at, 3600);
}

/* The file's kind comes from its bytes; the type served is the client's when it names that
 * kind, else the kind's own. 415 unsupported_type for every other kind of file. */
static enum ag_status file_fields(struct agora_ctx *c, struct material *m, const struct upload *up,
				  const char *note)
{
	enum ft_kind kind = ft_sniff(up->head, up->head_len, (int64_t)up->head_len == up->size);
	if (kind == FT_NONE)
		return ag_fail(c, AG_EUNSUPPORTED, "unsupported_type");
	m->sha256 = up->sha256;
	m->filename = clean_filename(c, up->filename);
	m->content_type = ft_type(kind, clean_type(c, up->content_type));
	m->size = up->size;
	m->note = note ? note : "";
	return AG_OK;
}

/* Where a material goes: a board the uploader can see, or an association they belong to. */
static enum ag_status material_target(struct agora_ctx *c, const struct material_input *in, struct material *m)
{
	struct association x;
	enum ag_status st = assoc_attach_target(c, in->board, in->association, &m->board_id, &x);
	m->association_id = x.id;
	if (st != AG_OK || !x.id || access_membership(c, x.id) >= MEMBERSHIP_MEMBER)
		return st;
	return ag_is_admin(c) && !strcmp(x.visibility, "public") ? AG_OK : ag_fail(c, AG_EFORBIDDEN, "members_only");
}

static enum ag_status material_text(struct agora_ctx *c, const struct material_input *in, struct material *m)
{
	unsigned links;
	size_t n = in->title ? strlen(in->title) : 0;
	if (!n || utf8_length(in->title, n) > 200 || !utf8_line_ok(in->title, n) || strspn(in->title, " ") == n)
		return ag_fail(c, AG_EINVAL, "invalid_title");
	m->title = in->title;
	m->description = in->description ? in->description : "";
	m->description_html = "";
	if (!*m->description)
		return AG_OK;
	return forum_render(c, m->description, &m->description_html, &links);
}

enum ag_status material_create(struct agora_ctx *c, const struct material_input *in, const struct upload *up,
			       struct material *out)
{
	enum ag_status st = ag_check(c, material_may_upload(c));
	if (st != AG_OK || (st = material_upload_rate(c)) != AG_OK)
		return st;
	memset(out, 0, sizeof *out);
	if ((st = material_target(c, in, out)) != AG_OK || (st = material_text(c, in, out)) != AG_OK)
		return st;
	if (!up || !up->sha256)
		return ag_fail(c, AG_EINVAL, "missing_file");
	out->uploader = *c->actor;
	out->created_at = c->now;
	if ((st = file_fields(c, out, up, in->note)) != AG_OK)
		return st;
	int rc = store_begin(c->db);
	if (rc == STORE_OK)
		rc = store_material_insert(c->db, out);
	if (rc == STORE_OK)
		rc = store_material_version_add(c->db, out, c->actor->id, c->now);
	if ((st = ag_commit(c, rc, AG_CREATED)) != AG_CREATED)
		return st;
	st = material_get(c, out->id, 0, out);
	return st == AG_OK ? AG_CREATED : st;
}

enum ag_status material_get(struct agora_ctx *c, int64_t id, int version, struct material *out)
{
	enum ag_status st = ag_found(c, store_material_get(c->db, c->arena, id, version, out), "material_not_found");
	if (st == AG_OK && !access_content_visible(c, out->board_id, out->association))
		return ag_fail(c, AG_ENOTFOUND, "material_not_found");
	return st;
}

/* New versions come from the first uploader, moderators and admins. */
enum ag_status material_add_version(struct agora_ctx *c, int64_t id, const struct upload *up, const char *note,
				    struct material *out)
{
	enum ag_status st = ag_check(c, material_may_upload(c));
	if (st != AG_OK || (st = material_get(c, id, 0, out)) != AG_OK ||
	    (st = ag_check(c, material_may_add_version(c, out))) != AG_OK || (st = material_upload_rate(c)) != AG_OK)
		return st;
	if (!up || !up->sha256)
		return ag_fail(c, AG_EINVAL, "missing_file");
	if (note && (strlen(note) > 2000 || !utf8_text_ok(note, strlen(note), 1)))
		return ag_fail(c, AG_EINVAL, "invalid_note");
	if ((st = file_fields(c, out, up, note)) != AG_OK)
		return st;
	int rc = store_begin(c->db);
	if (rc == STORE_OK)
		rc = store_material_version_add(c->db, out, c->actor->id, c->now);
	if ((st = ag_commit(c, rc, AG_CREATED)) != AG_CREATED)
		return st;
	st = material_get(c, id, 0, out);
	return st == AG_OK ? AG_CREATED : st;
}

enum ag_status material_versions(struct agora_ctx *c, int64_t id, struct material **out, size_t *n)
{
	struct material m;
	enum ag_status st = material_get(c, id, 0, &m);
	if (st != AG_OK)
		return st;
	return ag_found(c, store_material_versions(c->db, c->arena, id, out, n), "material_not_found");
}

enum ag_status material_list(struct agora_ctx *c, const char *board, const char *association, const char *text,
			     struct page pg, struct material **out, size_t *n, int64_t *total)
{
	struct material_filter f = {0, 0, text && *text ? text : NULL, ag_viewer(c)};
	enum ag_status st;
	if (board && *board) {
		struct board b;
		if ((st = access_board(c, board, &b)) != AG_OK)
			return st;
		f.board_id = b.id;
	}
	if (association && *association) {
		struct association x;
		if ((st = ag_found(c, store_assoc_by_slug(c->db, c->arena, association, &x), "association_not_found")) != AG_OK)
			return st;
		f.association_id = x.id;
	}
	return ag_found(c, store_materials(c->db, c->arena, &f, pg, out, n, total), "not_found");
}

enum ag_status material_count_download(struct agora_ctx *c, const struct material *m)
{
	int rc = store_material_downloaded(c->db, m->id, m->version, ag_viewer(c), c->now);
	return ag_stored(c, rc);
}

void material_forget_upload(struct agora_ctx *c, const char *sha)
{
	if (sha && store_sha_used(c->db, sha) == STORE_NOTFOUND)
		blob_remove(c->files_dir, sha);
}

