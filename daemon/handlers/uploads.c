/* Uploads in posts: a member's file taken apart from a multipart body off the event loop
 * (its type read by libmagic, an image's EXIF cut out and its size read there too), then
 * recorded by the domain; and the bytes served to whoever the domain lets see them. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blobs.h"
#include "handlers.h"
#include "imagemeta.h"
#include "mimesniff.h"
#include "multipart.h"
#include "uploads.h"

enum { UP_IO = 1, UP_TWO_FILES = 2, UP_TOO_LARGE = 3 };

/* One upload on a pool thread: the part named "file" into the blob store, and while it may
 * still be an image, into memory too (images are rewritten without their EXIF). */
struct up_job {
	struct req *r;
	char *boundary;
	const char *files_dir;
	struct multipart *mp;
	struct blob_writer *blob;
	int in_file, files, status;
	char *filename;
	struct buf mem;   /* the whole file while it is at most UPLOAD_IMAGE_MAX bytes */
	int mem_over;
	unsigned char head[UPLOAD_SNIFF];
	size_t head_len;
	int64_t size, max;
	char magic[128];
	const struct upload_kind *kind;
	int width, height;
	char sha[BLOB_HEX + 1];
};

static int up_stop(struct up_job *j, int why)
{
	j->status = why;
	return 1;
}

static int up_begin(void *arg, const struct multipart_part *p)
{
	struct up_job *j = arg;
	j->in_file = p->filename && *p->filename && !strcmp(p->name, "file");
	if (!j->in_file)
		return 0; /* other fields are not ours: their bytes are skipped */
	if (j->files++)
		return up_stop(j, UP_TWO_FILES);
	j->filename = xstrdup(p->filename);
	j->blob = blob_begin(j->files_dir);
	return j->blob ? 0 : up_stop(j, UP_IO);
}

static int up_data(void *arg, const char *data, size_t len)
{
	struct up_job *j = arg;
	if (!j->in_file)
		return 0;
	if (j->size + (int64_t)len > j->max)
		return up_stop(j, UP_TOO_LARGE);
	size_t room = sizeof j->head - j->head_len, take = len < room ? len : room;
	memcpy(j->head + j->head_len, data, take);
	j->head_len += take;
	j->size += (int64_t)len;
	if (!j->mem_over && j->size <= UPLOAD_IMAGE_MAX)
		buf_append(&j->mem, data, len);
	else if (!j->mem_over) {
		j->mem_over = 1;
		buf_free(&j->mem);
	}
	return blob_write(j->blob, data, len) == 0 ? 0 : up_stop(j, UP_IO);
}

static int up_end(void *arg)
{
	((struct up_job *)arg)->in_file = 0;
	return 0;
}

static int up_feed(void *arg, const char *data, size_t len)
{
	struct up_job *j = arg;
	return multipart_feed(j->mp, data, len) == MP_OK ? 0 : 1;
}

/* An image is stored as rewritten without its metadata, in place of the bytes as sent. */
static int store_image(struct up_job *j)
{
	size_t n = img_strip((unsigned char *)j->mem.data, j->mem.len);
	if (n == 0 || img_size((unsigned char *)j->mem.data, n, &j->width, &j->height) != 0) {
		j->kind = NULL; /* not a well-formed image after all: refused */
		return 0;
	}
	blob_abort(j->blob);
	j->blob = blob_begin(j->files_dir);
	if (!j->blob || blob_write(j->blob, j->mem.data, n) != 0)
		return -1;
	j->size = (int64_t)n;
	return 0;
}

/* Runs on a pool thread: parse, sniff, strip, hash. */
static void up_work(void *arg)
{
	struct up_job *j = arg;
	struct multipart_callbacks cb = {up_begin, up_data, up_end};
	if (!(j->mp = multipart_new(j->boundary, &cb, j))) {
		j->status = MP_MALFORMED;
		return;
	}
	req_body_each(j->r, up_feed, j);
	if (j->status == MP_OK)
		j->status = multipart_finish(j->mp);
	if (j->status != MP_OK || !j->blob)
		return;
	mime_sniff(j->head, j->head_len, j->magic, sizeof j->magic);
	j->kind = upload_kind_of(j->magic, j->head, j->head_len, (int64_t)j->head_len == j->size);
	if (j->kind && j->kind->image && !j->mem_over && store_image(j) != 0) {
		j->status = UP_IO;
		return;
	}
	if (blob_commit(j->blob, j->sha) != 0)
		j->status = UP_IO;
	j->blob = NULL;
}

static void up_job_free(struct up_job *j)
{
	blob_abort(j->blob);
	multipart_free(j->mp);
	buf_free(&j->mem);
	free(j->filename);
	free(j->boundary);
	free(j);
}

static void up_drop(void *arg)
{
	up_job_free(arg);
}

static int up_failed(struct req *r, struct up_job *j)
{
	if (j->status == MP_OK)
		return 0;
	if (j->status == UP_TWO_FILES)
		req_error(r, 400, "two_files");
	else if (j->status == UP_TOO_LARGE || j->status == MP_TOO_BIG)
		req_error(r, 413, "too_large");
	else if (j->status == UP_IO)
		req_error(r, 503, "storage_unavailable");
	else
		req_error(r, 400, "invalid_multipart");
	return 1;
}

static json_t *view_upload(struct req *r, const struct upload_file *f)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:I}", "id", (json_int_t)f->id, "url", upload_url(r->arena, f),
			      "filename", f->filename, "content_type", f->content_type, "size", (json_int_t)f->size);
	json_object_set_new(o, "width", f->width ? json_integer(f->width) : json_null());
	json_object_set_new(o, "height", f->height ? json_integer(f->height) : json_null());
	if (is_page(r)) /* what to paste into a post: an image is shown, a document linked */
		json_object_set_new(o, "markdown", json_string(arena_printf(r->arena, "%s[%s](%s)",
			f->width ? "!" : "", upload_safe_name(r->arena, f->filename), upload_url(r->arena, f))));
	return o;
}

static void up_done(struct req *r, void *arg)
{
	struct up_job *j = arg;
	struct upload_file f = {0}, out;
	if (!up_failed(r, j)) {
		f = (struct upload_file){.sha = j->files ? j->sha : NULL, .filename = j->filename, .size = j->size,
					 .width = j->width, .height = j->height};
		enum ag_status st = upload_create(&r->ctx, &f, j->kind, &out);
		if (st != AG_CREATED) {
			upload_forget(&r->ctx, f.sha);
			req_fail(r, st);
		} else
			req_reply(r, 201, json_pack("{s:o}", "upload", view_upload(r, &out)));
	}
	up_job_free(j);
}

void h_upload_create(struct req *r)
{
	enum ag_status st = ag_check(&r->ctx, upload_may_create(&r->ctx));
	if (st == AG_OK)
		st = upload_quota(&r->ctx, 0);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	char *boundary = multipart_boundary(req_content_type(r));
	if (!boundary) {
		req_error(r, 400, "invalid_multipart");
		return;
	}
	struct up_job *j = xcalloc(1, sizeof *j);
	j->r = r;
	j->boundary = boundary;
	j->files_dir = r->ctx.files_dir;
	j->max = r->ctx.max_upload < UPLOAD_DOC_MAX ? r->ctx.max_upload : UPLOAD_DOC_MAX;
	req_defer(r, up_work, up_done, up_drop, j);
}

/* The form of a page that has no JavaScript to upload with. */
void h_upload_form(struct req *r)
{
	req_reply(r, 200, json_pack("{s:b}", "can_upload", ag_allowed(upload_may_create(&r->ctx))));
}

void h_upload_get(struct req *r)
{
	struct upload_file f;
	int64_t size;
	enum ag_status st = upload_get(&r->ctx, param_id(r, 0), r->params[1], &f);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	int fd = blob_open(r->ctx.files_dir, f.sha, &size);
	if (fd < 0) {
		req_error(r, 503, "storage_unavailable");
		return;
	}
	req_send_file(r, f.content_type, fd, size, f.filename);
	r->inline_file = f.width > 0;
}
