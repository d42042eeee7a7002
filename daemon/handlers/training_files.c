/* A training's files for its participants: the lessons as an iCalendar (calendar.ics, for the
 * signed-in browser: no secret feed tokens yet) and the current version of every material of
 * its lessons in one ZIP with an index page (pack.zip), built on the pool into an unlinked
 * temporary file of files/tmp and streamed from there. Who may have them is the domain's rule
 * for seeing lessons (training_may_see_lessons): 404 to everyone else, as the lessons are. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blobs.h"
#include "handlers.h"
#include "i18n.h"
#include "ical.h"
#include "lessons.h"
#include "pack.h"

#define ICS_TYPE "text/calendar; charset=utf-8"
#define ZIP_TYPE "application/zip"

enum { BLOB_PATH_MAX = 4300 };

/* A catalog message with its "{}" replaced by value. */
static const char *msg_with(struct req *r, const char *key, const char *value)
{
	const char *msg = i18n_msg(r->lang, key), *hole = strstr(msg, "{}");
	if (!hole)
		return msg;
	return arena_printf(r->arena, "%.*s%s%s", (int)(hole - msg), msg, value, hole + 2);
}

/* The training of the path and its lessons, once the caller may see them; else the answer
 * (404 for those who may not) is given and the status returned. */
static enum ag_status participant_lessons(struct req *r, struct training *x, struct lesson **l, size_t *n)
{
	enum ag_status st = training_get(&r->ctx, r->params[0], x);
	if (st == AG_OK)
		st = ag_check(&r->ctx, training_may_see_lessons(&r->ctx, x));
	if (st == AG_OK)
		st = training_lessons(&r->ctx, x, l, n);
	if (st != AG_OK)
		req_fail(r, st);
	return st;
}

/* ---- calendar.ics ---------------------------------------------------------------------------- */

/* The lesson as a VEVENT: its UID names the lesson and the site's host (without the port, so
 * a subscription survives a move of port or scheme). */
static void ical_of(struct req *r, const struct lesson *l, const char *base, const char *host,
		    struct ical_lesson *e)
{
	*e = (struct ical_lesson){
		.uid = arena_printf(r->arena, "lesson-%lld@%.*s", (long long)l->id, (int)strcspn(host, ":"), host),
		.starts_at = l->starts_at,
		.minutes = l->minutes,
		.summary = l->title,
		.lecturer = l->lecturer.display_name,
		.description = l->description && *l->description ? l->description : NULL,
		.url = arena_printf(r->arena, "%s/trainings/%s", base, l->training),
		.sequence = l->sequence,
		.updated = l->updated_at,
	};
}

void h_training_calendar(struct req *r)
{
	struct training x;
	struct lesson *l;
	size_t n;
	const char *host;
	if (participant_lessons(r, &x, &l, &n) != AG_OK)
		return;
	const char *base = handlers_site_base(r, &host);
	struct ical_lesson *e = arena_alloc(r->arena, (n ? n : 1) * sizeof *e);
	for (size_t i = 0; i < n; i++)
		ical_of(r, &l[i], base, host, &e[i]);
	struct ical_calendar cal = {
		.name = x.title,
		.lecturer_label = i18n_msg(r->lang, "tfile.lecturer"),
		.stamp = r->ctx.now,
	};
	char *text = ical_calendar(&cal, e, n);
	if (!text) {
		req_error(r, 500, "internal");
		return;
	}
	req_send_bytes(r, ICS_TYPE, text, strlen(text), NULL);
	free(text);
}

/* ---- pack.zip -------------------------------------------------------------------------------- */

/* The work of one pack, in the request's arena (the request outlives the work): what to write,
 * and the descriptor of the written pack (-1: it failed). */
struct pack_job {
	char tmpdir[BLOB_PATH_MAX];
	struct pack_index ix;
	struct pack_entry *e;
	size_t n, cap;
	int fd;
	int64_t size;
	char err[PACK_ERR_MAX];
	struct buf missing; /* titles of materials whose file is not stored, ", "-separated */
};

/* Adds the current version of m under the lesson's section, or names it as missing when its
 * file is not in the store (the pack is made of the others rather than refused). */
static void pack_add(struct req *r, struct pack_job *j, const struct material *m, const char *section)
{
	char *path = arena_alloc(r->arena, BLOB_PATH_MAX);
	int64_t bytes;
	if (blob_locate(r->ctx.files_dir, m->sha256, path, BLOB_PATH_MAX, &bytes) != 0) {
		buf_printf(&j->missing, "%s%s", j->missing.len ? ", " : "", m->title);
		return;
	}
	if (j->n == j->cap) {
		struct pack_entry *grown = arena_alloc(r->arena, (j->cap = j->cap * 2 + 8) * sizeof *grown);
		if (j->n)
			memcpy(grown, j->e, j->n * sizeof *grown);
		j->e = grown;
	}
	j->e[j->n++] = (struct pack_entry){
		.name = m->filename, .title = m->title, .section = section, .path = path,
		.mtime = m->version_created_at,
	};
}

static int seen(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

/* Every material of the lessons, once (under the first lesson that has it), in lesson order. */
static enum ag_status pack_collect(struct req *r, struct pack_job *j, const struct lesson *l, size_t nl)
{
	int64_t *ids = NULL;
	size_t nids = 0;
	for (size_t i = 0; i < nl; i++) {
		struct material *m;
		size_t nm;
		enum ag_status st = lesson_materials(&r->ctx, &l[i], &m, &nm);
		if (st != AG_OK)
			return st;
		int64_t *more = arena_alloc(r->arena, (nids + nm + 1) * sizeof *more);
		if (nids)
			memcpy(more, ids, nids * sizeof *more);
		ids = more;
		for (size_t k = 0; k < nm; k++)
			if (!seen(ids, nids, m[k].id)) {
				ids[nids++] = m[k].id;
				pack_add(r, j, &m[k], l[i].title);
			}
	}
	return AG_OK;
}

/* The index page's words, in the reader's language. */
static void pack_labels(struct req *r, struct pack_job *j, const struct training *x)
{
	const char *intro = msg_with(r, "tfile.pack_intro", x->title);
	if (j->missing.len)
		intro = arena_printf(r->arena, "%s %s", intro, msg_with(r, "tfile.pack_missing", j->missing.data));
	j->ix = (struct pack_index){
		.title = x->title,
		.lang = i18n_lang(r->lang),
		.intro = intro,
		.col_title = i18n_msg(r->lang, "tfile.col_title"),
		.col_file = i18n_msg(r->lang, "tfile.col_file"),
		.col_size = i18n_msg(r->lang, "tfile.col_size"),
		.mtime = r->ctx.now,
	};
}

/* On the pool: reads every file and writes the pack. */
static void pack_work(void *arg)
{
	struct pack_job *j = arg;
	if (mkdir(j->tmpdir, 0750) != 0 && errno != EEXIST) {
		snprintf(j->err, sizeof j->err, "files/tmp: %s", strerror(errno));
		return;
	}
	j->fd = pack_write_temp(j->tmpdir, &j->ix, j->e, j->n, &j->size, j->err);
}

static void pack_drop(void *arg)
{
	struct pack_job *j = arg;
	if (j->fd >= 0)
		close(j->fd);
	j->fd = -1;
	buf_free(&j->missing);
}

/* Back on the worker: the pack goes out (the transport closes the descriptor; the file has
 * no name left to clean up), or 503 when it could not be written. */
static void pack_done(struct req *r, void *arg)
{
	struct pack_job *j = arg;
	int fd = j->fd;
	j->fd = -1;
	pack_drop(j);
	if (fd < 0) {
		fprintf(stderr, "agorad: pack of %s: %s\n", r->params[0], j->err[0] ? j->err : "not written");
		req_error(r, 503, "storage_unavailable");
		return;
	}
	req_send_file(r, ZIP_TYPE, fd, j->size, arena_printf(r->arena, "%s.zip", r->params[0]));
}

void h_training_pack(struct req *r)
{
	struct training x;
	struct lesson *l;
	size_t nl;
	if (participant_lessons(r, &x, &l, &nl) != AG_OK)
		return;
	struct pack_job *j = arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	j->fd = -1;
	snprintf(j->tmpdir, sizeof j->tmpdir, "%s/tmp", r->ctx.files_dir);
	enum ag_status st = pack_collect(r, j, l, nl);
	if (st != AG_OK) {
		buf_free(&j->missing);
		req_fail(r, st);
		return;
	}
	pack_labels(r, j, &x);
	req_defer(r, pack_work, pack_done, pack_drop, j);
}
