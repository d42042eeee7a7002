/* The materials library: uploads (multipart, parsed and written to the blob store off the
 * event loop), listings, a material's page with its versions, downloads, and /lecturers. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blobs.h"
#include "filetype.h"
#include "forum.h"
#include "handlers.h"
#include "materials.h"
#include "multipart.h"
#include "utf8.h"
#include "views.h"

enum { FIELD_MAX = 64 * 1024, UPLOAD_IO = 1, UPLOAD_TWO_FILES = 2 };

/* One upload being taken apart on a pool thread: small fields into a JSON object, the
 * part named "file" into the blob store. Touched by one thread at a time. */
struct upload_job {
	struct req *r;
	char *boundary;
	const char *files_dir;
	json_t *fields;
	struct buf field;      /* the field part being read */
	char *field_name;
	struct blob_writer *blob; /* the file part being written */
	int files;
	char *filename, *content_type;
	char sha[BLOB_HEX + 1];
	unsigned char head[FT_HEAD]; /* the file's first bytes, for its type */
	size_t head_len;
	int64_t size, max;
	int status;            /* MP_OK, an enum mp_status, UPLOAD_IO or UPLOAD_TWO_FILES */
	struct multipart *mp;
};

/* Stops the parse for a reason of ours (kept in the job: the parser only says "aborted"). */
static int stop(struct upload_job *j, int why)
{
	j->status = why;
	return 1;
}

static int part_begin(void *arg, const struct multipart_part *p)
{
	struct upload_job *j = arg;
	if (p->filename && *p->filename && !strcmp(p->name, "file")) {
		if (j->files++)
			return stop(j, UPLOAD_TWO_FILES);
		j->filename = xstrdup(p->filename);
		j->content_type = p->content_type ? xstrdup(p->content_type) : NULL;
		j->blob = blob_begin(j->files_dir);
		return j->blob ? 0 : stop(j, UPLOAD_IO);
	}
	free(j->field_name);
	j->field_name = xstrdup(p->name);
	buf_reset(&j->field);
	return 0;
}

static int part_data(void *arg, const char *data, size_t len)
{
	struct upload_job *j = arg;
	if (j->blob && !j->field_name) {
		if (blob_size(j->blob) + (int64_t)len > j->max)
			return stop(j, MP_TOO_BIG);
		size_t room = sizeof j->head - j->head_len;
		memcpy(j->head + j->head_len, data, len < room ? len : room);
		j->head_len += len < room ? len : room;
		return blob_write(j->blob, data, len) == 0 ? 0 : stop(j, UPLOAD_IO);
	}
	if (j->field.len + len > FIELD_MAX)
		return stop(j, MP_TOO_BIG);
	buf_append(&j->field, data, len);
	return 0;
}

/* A finished field must be text; the file part just ends. */
static int part_end(void *arg)
{
	struct upload_job *j = arg;
	if (!j->field_name)
		return 0;
	const char *v = j->field.data ? j->field.data : "";
	if (!utf8_valid(v, j->field.len))
		return stop(j, MP_MALFORMED);
	json_object_set_new(j->fields, j->field_name, json_stringn(v, j->field.len));
	free(j->field_name);
	j->field_name = NULL;
	return 0;
}

static int feed(void *arg, const char *data, size_t len)
{
	struct upload_job *j = arg;
	enum mp_status st = multipart_feed(j->mp, data, len);
	return st == MP_OK ? 0 : 1;
}

/* Runs on a pool thread: parse the body, write the file, hash it. */
static void upload_work(void *arg)
{
	struct upload_job *j = arg;
	struct multipart_callbacks cb = {part_begin, part_data, part_end};
	j->mp = multipart_new(j->boundary, &cb, j);
	if (!j->mp) {
		j->status = MP_MALFORMED;
		return;
	}
	req_body_each(j->r, feed, j);
	if (j->status == MP_OK)
		j->status = multipart_finish(j->mp);
	if (j->status == MP_OK && j->blob) {
		j->size = blob_size(j->blob);
		j->status = blob_commit(j->blob, j->sha) == 0 ? MP_OK : 1;
		j->blob = NULL;
	}
}

static void upload_job_free(struct upload_job *j)
{
	blob_abort(j->blob);
	multipart_free(j->mp);
	json_decref(j->fields);
	buf_free(&j->field);
	free(j->field_name);
	free(j->filename);
	free(j->content_type);
	free(j->boundary);
	free(j);
}

static void drop_upload(void *arg)
{
	upload_job_free(arg);
}

/* The upload's outcome as an answer, when it failed. 0 when it worked. */
static int upload_failed(struct req *r, struct upload_job *j)
{
	if (j->status == MP_OK)
		return 0;
	if (j->status == UPLOAD_TWO_FILES)
		req_error(r, 400, "two_files");
	else if (j->status == MP_TOO_BIG)
		req_error(r, 413, "body_too_large");
	else if (j->status == UPLOAD_IO)
		req_error(r, 503, "storage_unavailable");
	else
		req_error(r, 400, "invalid_multipart");
	return 1;
}

/* Starts an upload: checks rights and the body's type, then parses it off the loop and calls
 * done with the fields in r->input and the file (if any) in the job. */
static void upload_start(struct req *r, void (*done)(struct req *, void *))
{
	enum ag_status st = ag_check(&r->ctx, material_may_upload(&r->ctx));
	if (st == AG_OK)
		st = material_upload_rate(&r->ctx);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	char *boundary = multipart_boundary(req_content_type(r));
	if (!boundary) {
		req_error(r, 400, "invalid_multipart");
		return;
	}
	struct upload_job *j = xcalloc(1, sizeof *j);
	j->r = r;
	j->boundary = boundary;
	j->files_dir = r->ctx.files_dir;
	j->max = r->ctx.max_upload;
	j->fields = json_object();
	req_defer(r, upload_work, done, drop_upload, j);
}

/* Takes the parsed fields as the request's input and the stored file as an upload. */
static int upload_take(struct req *r, struct upload_job *j, struct upload *up)
{
	if (upload_failed(r, j))
		return -1;
	json_decref(r->input);
	r->input = json_incref(j->fields);
	r->from_form = 1;
	*up = (struct upload){j->files ? j->sha : NULL, j->filename, j->content_type, j->size, j->head, j->head_len};
	return 0;
}

json_t *view_material(const struct material *m)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(m->id));
	json_object_set_new(o, "title", json_string(m->title));
	json_object_set_new(o, "description_html", json_string(m->description_html ? m->description_html : ""));
	json_object_set_new(o, "board", m->board ? json_string(m->board) : json_null());
	json_object_set_new(o, "association", m->association ? json_string(m->association) : json_null());
	if (m->place_name) /* the board's title or the association's name, for pages */
		json_object_set_new(o, "place_name", json_string(m->place_name));
	json_object_set_new(o, "filename", json_string(m->filename));
	json_object_set_new(o, "content_type", json_string(m->content_type));
	json_object_set_new(o, "size", json_integer(m->size));
	json_object_set_new(o, "sha256", json_string(m->sha256));
	json_object_set_new(o, "version", json_integer(m->version));
	json_object_set_new(o, "note", json_string(m->note ? m->note : ""));
	json_object_set_new(o, "uploader", view_user(&m->uploader));
	view_set_time(o, "created_at", m->created_at);
	view_set_time(o, "version_created_at", m->version_created_at);
	json_object_set_new(o, "downloads", json_integer(m->downloads));
	json_object_set_new(o, "version_downloads", json_integer(m->version_downloads));
	return o;
}

VIEW_ARRAY(static, materials_array, struct material, view_material)

static void create_done(struct req *r, void *arg)
{
	struct upload_job *j = arg;
	struct upload up;
	struct material m;
	if (upload_take(r, j, &up) == 0) {
		struct material_input in = {in_str(r, "title"), in_str(r, "description"), in_str(r, "board"),
					    in_str(r, "association"), in_str(r, "note")};
		enum ag_status st = material_create(&r->ctx, &in, up.sha256 ? &up : NULL, &m);
		if (st != AG_CREATED) {
			material_forget_upload(&r->ctx, up.sha256);
			req_fail(r, st);
		} else {
			req_flash(r, "flash.material_uploaded");
			req_done(r, 201, json_pack("{s:o}", "material", view_material(&m)),
				 arena_printf(r->arena, "/materials/%lld", (long long)m.id));
		}
	}
	upload_job_free(j);
}

void h_material_create(struct req *r)
{
	upload_start(r, create_done);
}

static void version_done(struct req *r, void *arg)
{
	struct upload_job *j = arg;
	struct upload up;
	struct material m;
	if (upload_take(r, j, &up) == 0) {
		int64_t id = param_id(r, 0);
		enum ag_status st = material_add_version(&r->ctx, id, up.sha256 ? &up : NULL, in_str(r, "note"), &m);
		if (st != AG_CREATED) {
			material_forget_upload(&r->ctx, up.sha256);
			req_fail(r, st);
		} else {
			req_flash(r, "flash.version_added");
			req_done(r, 201, json_pack("{s:o}", "material", view_material(&m)),
				 arena_printf(r->arena, "/materials/%lld", (long long)id));
		}
	}
	upload_job_free(j);
}

void h_material_version(struct req *r)
{
	upload_start(r, version_done);
}

void h_materials(struct req *r)
{
	struct material *m;
	size_t n;
	const char *board = req_query(r, "board"), *assoc = req_query(r, "association"), *q = req_query(r, "q");
	struct page pg = req_page(r, 50);
	int64_t total;
	enum ag_status st = material_list(&r->ctx, board, assoc, q, pg, &m, &n, &total);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	json_t *model = json_pack("{s:o}", "materials", materials_array(m, n));
	model_paging(model, pg, total);
	if (is_page(r)) {
		json_object_set_new(model, "q", json_string(q ? q : ""));
		json_object_set_new(model, "can_upload", json_boolean(ag_allowed(material_may_upload(&r->ctx))));
		json_object_set_new(model, "boards", board_choices(r, board));
	}
	req_reply(r, 200, model);
}

void h_material_get(struct req *r)
{
	struct material *v;
	size_t n;
	enum ag_status st = material_versions(&r->ctx, param_id(r, 0), &v, &n);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	json_t *m = json_pack("{s:o, s:o}", "material", view_material(&v[0]), "versions", materials_array(v, n));
	if (is_page(r))
		json_object_set_new(m, "can_add_version",
				    json_boolean(ag_allowed(material_may_add_version(&r->ctx, &v[0]))));
	req_reply(r, 200, m);
}

void h_material_download(struct req *r)
{
	struct material m;
	const char *vq = req_query(r, "version");
	long long version = 0;
	int64_t size;
	if (vq && (!*vq || strlen(vq) > 9 || strspn(vq, "0123456789") != strlen(vq) || (version = atoll(vq)) <= 0)) {
		req_error(r, 404, "material_not_found");
		return;
	}
	enum ag_status st = material_get(&r->ctx, param_id(r, 0), (int)version, &m);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	int fd = blob_open(r->ctx.files_dir, m.sha256, &size);
	if (fd < 0) {
		req_error(r, 503, "storage_unavailable");
		return;
	}
	/* HEAD only asks; a download is counted when the bytes go out */
	if (r->method != M_HEAD && (st = material_count_download(&r->ctx, &m)) != AG_OK) {
		close(fd);
		req_fail(r, st);
		return;
	}
	req_send_file(r, m.content_type, fd, size, m.filename);
}

