#include "lessons.h"

#include <string.h>

#include "auth.h"
#include "materials.h"
#include "notify.h"
#include "store_training.h"
#include "store_user.h"
#include "utf8.h"

/* ---- rights ------------------------------------------------------------------------------- */

struct ag_right lesson_may_see_code(struct agora_ctx *c, const struct training *x, const struct lesson *l)
{
	struct training_me me;
	if (c->actor && c->actor->id == l->lecturer.id)
		return AG_ALLOWED;
	if (training_me(c, x, &me) != AG_OK || !me.organiser)
		return ag_refused(AG_EFORBIDDEN, "organisers_only");
	return AG_ALLOWED;
}

struct ag_right lesson_may_see_rating(struct agora_ctx *c, const struct training *x, const struct lesson *l)
{
	return ag_is_admin(c) ? AG_ALLOWED : lesson_may_see_code(c, x, l);
}

/* Writers who are enrolled or completed trainees of the training. */
static struct ag_right trainee_writer(struct agora_ctx *c, const struct training *x)
{
	struct training_me me;
	struct ag_right r = ag_may_write(c);
	if (ag_allowed(r) && (training_me(c, x, &me) != AG_OK || !me.trainee))
		return ag_refused(AG_EFORBIDDEN, "trainees_only");
	return r;
}

struct ag_right lesson_may_check_in(struct agora_ctx *c, const struct training *x, const struct lesson *l)
{
	struct ag_right r = trainee_writer(c, x);
	if (ag_allowed(r) && (c->now < l->starts_at - LESSON_CHECKIN_EARLY || c->now > l->starts_at + l->minutes * 60))
		return ag_refused(AG_EFORBIDDEN, "code_expired");
	return r;
}

int lesson_attended(struct agora_ctx *c, const struct lesson *l)
{
	return c->actor && store_attended(c->db, l->id, c->actor->id) == STORE_OK;
}

struct ag_right lesson_may_rate(struct agora_ctx *c, const struct training *x, const struct lesson *l)
{
	struct ag_right r = trainee_writer(c, x);
	if (!ag_allowed(r))
		return r;
	if (c->now < l->starts_at)
		return ag_refused(AG_EFORBIDDEN, "lesson_not_started");
	if (!lesson_attended(c, l))
		return ag_refused(AG_EFORBIDDEN, "not_attended");
	if (store_rated(c->db, l->id, c->actor->id) == STORE_OK)
		return ag_refused(AG_ECONFLICT, "already_rated");
	return r;
}

/* ---- reading ------------------------------------------------------------------------------ */

enum ag_status lesson_get(struct agora_ctx *c, int64_t id, struct lesson *out, struct training *x)
{
	enum ag_status st = ag_found(c, store_lesson_get(c->db, c->arena, id, out), "lesson_not_found");
	if (st == AG_OK)
		st = training_by_id(c, out->training_id, x);
	if (st == AG_OK)
		st = ag_check(c, training_may_see_lessons(c, x));
	return st;
}

enum ag_status training_lessons(struct agora_ctx *c, const struct training *x, struct lesson **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!ag_allowed(training_may_see_lessons(c, x)))
		return AG_OK;
	return ag_stored(c, store_lessons(c->db, c->arena, x->id, out, n));
}

/* The materials of ids that the caller may see (others are left out). */
static enum ag_status materials_of(struct agora_ctx *c, const int64_t *ids, size_t n, struct material **out,
				   size_t *nout)
{
	*out = arena_alloc(c->arena, (n ? n : 1) * sizeof **out);
	*nout = 0;
	for (size_t i = 0; i < n; i++)
		if (material_get(c, ids[i], 0, &(*out)[*nout]) == AG_OK)
			++*nout;
	c->error_code = NULL;
	return AG_OK;
}

enum ag_status lesson_materials(struct agora_ctx *c, const struct lesson *l, struct material **out, size_t *n)
{
	int64_t *ids;
	size_t nids;
	int rc = store_lesson_material_ids(c->db, c->arena, l->id, &ids, &nids);
	return rc == STORE_OK ? materials_of(c, ids, nids, out, n) : ag_store_fail(c, rc);
}

enum ag_status training_materials(struct agora_ctx *c, const struct training *x, struct material **out,
				  size_t *n)
{
	int64_t *ids;
	size_t nids;
	*out = NULL;
	*n = 0;
	if (!ag_allowed(training_may_see_lessons(c, x)))
		return AG_OK;
	int rc = store_training_material_ids(c->db, c->arena, x->id, &ids, &nids);
	return rc == STORE_OK ? materials_of(c, ids, nids, out, n) : ag_store_fail(c, rc);
}

/* ---- writing ------------------------------------------------------------------------------ */

/* Applies the given fields of in to l and checks the whole against the training x. */
static enum ag_status lesson_apply(struct agora_ctx *c, const struct training *x, const struct lesson_input *in,
				   struct lesson *l)
{
	long long t;
	char day[11];
	l->title = in->title ? in->title : l->title;
	l->description = in->description ? in->description : l->description;
	enum ag_status st = training_text(c, l->title, l->description, &l->description_html);
	if (st != AG_OK)
		return st;
	if (in->has_starts_at) {
		if (!in->starts_at || time_parse(in->starts_at, &t) != 0)
			return ag_fail(c, AG_EINVAL, "invalid_starts_at");
		l->starts_at = t;
	}
	training_local_date(c, l->starts_at, day);
	if (strcmp(day, x->starts_on) < 0 || strcmp(day, x->ends_on) > 0)
		return ag_fail(c, AG_EINVAL, "lesson_outside_training");
	if (in->has_minutes)
		l->minutes = in->minutes < 1 || in->minutes > 24 * 60 ? -1 : (int)in->minutes;
	if (l->minutes < 1)
		return ag_fail(c, AG_EINVAL, "invalid_minutes");
	if (in->lecturer || !l->lecturer.id) {
		int rc = in->lecturer ? store_user_by_name(c->db, c->arena, in->lecturer, &l->lecturer) : STORE_NOTFOUND;
		if (rc != STORE_OK)
			return rc == STORE_NOTFOUND ? ag_fail(c, AG_EINVAL, "unknown_lecturer") : ag_store_fail(c, rc);
	}
	for (size_t i = 0; in->has_materials && i < in->nmaterials; i++) {
		struct material m;
		if (material_get(c, in->materials[i], 0, &m) != AG_OK)
			return ag_fail(c, AG_EINVAL, "unknown_material");
	}
	return AG_OK;
}

/* The training of a lesson-changing call, once the caller may organise it. */
static enum ag_status organised(struct agora_ctx *c, int64_t training_id, const char *slug, struct training *x)
{
	enum ag_status st = ag_require_writer(c);
	if (st == AG_OK)
		st = slug ? training_get(c, slug, x) : training_by_id(c, training_id, x);
	if (st == AG_OK)
		st = ag_check(c, training_may_organise(c, x));
	return st;
}

enum ag_status lesson_create(struct agora_ctx *c, const char *training_slug, const struct lesson_input *in,
			     struct lesson *out)
{
	struct training x;
	char code[7];
	enum ag_status st = organised(c, 0, training_slug, &x);
	if (st != AG_OK)
		return st;
	memset(out, 0, sizeof *out);
	out->training_id = x.id;
	out->description = "";
	out->created_at = c->now;
	if (!in->has_starts_at || !in->has_minutes)
		return ag_fail(c, AG_EINVAL, !in->has_starts_at ? "invalid_starts_at" : "invalid_minutes");
	if ((st = lesson_apply(c, &x, in, out)) != AG_OK)
		return st;
	auth_digits(code, 6);
	out->checkin_code = code;
	int rc = store_begin(c->db);
	if (rc == STORE_OK)
		rc = store_lesson_insert(c->db, out);
	if (rc == STORE_OK && in->has_materials)
		rc = store_lesson_materials_set(c->db, out->id, in->materials, in->nmaterials);
	if ((st = ag_commit(c, rc, AG_CREATED)) != AG_CREATED)
		return st;
	st = ag_found(c, store_lesson_get(c->db, c->arena, out->id, out), "lesson_not_found");
	return st == AG_OK ? AG_CREATED : st;
}

enum ag_status lesson_update(struct agora_ctx *c, int64_t id, const struct lesson_input *in, struct lesson *out)
{
	struct training x;
	enum ag_status st = ag_found(c, store_lesson_get(c->db, c->arena, id, out), "lesson_not_found");
	if (st != AG_OK || (st = organised(c, out->training_id, NULL, &x)) != AG_OK)
		return st;
	int64_t was = out->starts_at, lecturer = out->lecturer.id;
	int was_minutes = out->minutes;
	if ((st = lesson_apply(c, &x, in, out)) != AG_OK)
		return st;
	/* a calendar that holds the lesson replaces it only when its sequence grows */
	if (out->starts_at != was || out->minutes != was_minutes)
		out->sequence++;
	out->updated_at = c->now;
	int rc = store_begin(c->db);
	if (rc == STORE_OK)
		rc = store_lesson_update(c->db, out);
	if (rc == STORE_OK && in->has_materials)
		rc = store_lesson_materials_set(c->db, out->id, in->materials, in->nmaterials);
	if (rc == STORE_OK && out->starts_at != was)
		rc = notify_training(c, x.id, 0, "lesson_moved");
	if ((st = ag_commit(c, rc, AG_OK)) != AG_OK)
		return st;
	if (out->lecturer.id != lecturer) /* the former lecturer may no longer see the board */
		ag_emit_rights_changed(c, AG_RIGHTS_TRAINING, x.id, NULL);
	return ag_found(c, store_lesson_get(c->db, c->arena, id, out), "lesson_not_found");
}

enum ag_status lesson_delete(struct agora_ctx *c, int64_t id)
{
	struct training x;
	struct lesson l;
	enum ag_status st = ag_found(c, store_lesson_get(c->db, c->arena, id, &l), "lesson_not_found");
	if (st != AG_OK || (st = organised(c, l.training_id, NULL, &x)) != AG_OK)
		return st;
	if ((st = ag_stored(c, store_lesson_delete(c->db, id))) == AG_OK)
		ag_emit_rights_changed(c, AG_RIGHTS_TRAINING, x.id, NULL); /* its lecturer may lose the board */
	return st;
}

/* Organisers mark trainees present; every name must be an enrolled or completed trainee. */
static enum ag_status mark_present(struct agora_ctx *c, const struct training *x, const struct lesson *l,
				   const char *const *present, size_t n)
{
	int64_t *ids = arena_alloc(c->arena, (n ? n : 1) * sizeof *ids);
	for (size_t i = 0; i < n; i++) {
		struct user u;
		struct training_part p = {0};
		int rc = present[i] ? store_user_by_name(c->db, c->arena, present[i], &u) : STORE_NOTFOUND;
		if (rc != STORE_OK)
			return rc == STORE_NOTFOUND ? ag_fail(c, AG_EINVAL, "unknown_user") : ag_store_fail(c, rc);
		rc = store_training_part(c->db, c->arena, x->id, u.id, &p);
		if (rc != STORE_OK || !p.state || !strcmp(p.state, "pending"))
			return rc != STORE_OK ? ag_store_fail(c, rc) : ag_fail(c, AG_EINVAL, "not_a_trainee");
		ids[i] = u.id;
	}
	int rc = store_begin(c->db);
	for (size_t i = 0; rc == STORE_OK && i < n; i++)
		rc = store_attend(c->db, l->id, ids[i], "organiser", c->now);
	return ag_commit(c, rc, AG_OK);
}

enum ag_status lesson_attendance(struct agora_ctx *c, int64_t id, const char *const *present, size_t npresent,
				 int has_present, const char *code, struct lesson *out)
{
	struct training x;
	enum ag_status st = ag_require_writer(c);
	if (st != AG_OK || (st = lesson_get(c, id, out, &x)) != AG_OK)
		return st;
	if (has_present) {
		if ((st = ag_check(c, training_may_organise(c, &x))) == AG_OK)
			st = mark_present(c, &x, out, present, npresent);
		return st;
	}
	if ((st = ag_check(c, trainee_writer(c, &x))) != AG_OK)
		return st;
	if (!code || !auth_token_equal(code, out->checkin_code))
		return ag_fail(c, AG_EFORBIDDEN, "wrong_code");
	if ((st = ag_check(c, lesson_may_check_in(c, &x, out))) != AG_OK)
		return st;
	return ag_stored(c, store_attend(c->db, out->id, c->actor->id, "code", c->now));
}

enum ag_status lesson_rate(struct agora_ctx *c, int64_t id, int64_t score, const char *comment)
{
	struct training x;
	struct lesson l;
	enum ag_status st = ag_require_writer(c);
	if (st != AG_OK || (st = lesson_get(c, id, &l, &x)) != AG_OK || (st = ag_check(c, lesson_may_rate(c, &x, &l))) != AG_OK)
		return st;
	if (score < 1 || score > 5)
		return ag_fail(c, AG_EINVAL, "invalid_score");
	size_t n = comment ? strlen(comment) : 0;
	if (comment && (utf8_length(comment, n) > 2000 || !utf8_text_ok(comment, n, 1)))
		return ag_fail(c, AG_EINVAL, "invalid_comment");
	int rc = store_rate(c->db, l.id, c->actor->id, (int)score, comment, c->now);
	return rc == STORE_CONFLICT ? ag_fail(c, AG_ECONFLICT, "already_rated") : ag_stored(c, rc);
}
