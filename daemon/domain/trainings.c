#include "trainings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "forum.h"
#include "notify.h"
#include "site.h"
#include "store_board.h"
#include "store_training.h"
#include "store_user.h"
#include "utf8.h"

/* ---- the site's calendar ------------------------------------------------------------------ */

/* The UTC offset of a time zone, in seconds. China has kept one offset without daylight saving
 * since 1991, so the zones a Chinese site names are fixed offsets; "UTC", "+HH:MM" and
 * "-HH:MM" are taken too. Anything else is Asia/Shanghai's. */
static long zone_offset(const char *zone)
{
	static const struct { const char *name; long off; } zones[] = {
		{"Asia/Shanghai", 8 * 3600}, {"Asia/Chongqing", 8 * 3600}, {"Asia/Harbin", 8 * 3600},
		{"Asia/Hong_Kong", 8 * 3600}, {"Asia/Macau", 8 * 3600},  {"Asia/Taipei", 8 * 3600},
		{"PRC", 8 * 3600},            {"Asia/Urumqi", 6 * 3600},  {"UTC", 0}, {"Etc/UTC", 0}, {"GMT", 0},
	};
	int h, m;
	char sign;
	for (size_t i = 0; zone && i < sizeof zones / sizeof zones[0]; i++)
		if (!strcmp(zone, zones[i].name))
			return zones[i].off;
	if (zone && sscanf(zone, "%c%2d:%2d", &sign, &h, &m) == 3 && (sign == '+' || sign == '-') && h <= 14 && m < 60)
		return (sign == '-' ? -1 : 1) * (h * 3600L + m * 60L);
	return 8 * 3600;
}

long training_zone_offset(struct agora_ctx *c)
{
	return zone_offset(store_setting_get(c->db, c->arena, "time_zone"));
}

void training_local_time(struct agora_ctx *c, int64_t t, char out[17])
{
	time_t local = (time_t)(t + training_zone_offset(c));
	struct tm tm;
	gmtime_r(&local, &tm);
	char s[64];
	snprintf(s, sizeof s, "%04d-%02d-%02d %02d:%02d", (tm.tm_year + 1900) % 10000, tm.tm_mon + 1, tm.tm_mday,
		 tm.tm_hour, tm.tm_min);
	memcpy(out, s, 16);
	out[16] = '\0';
}

void training_local_date(struct agora_ctx *c, int64_t t, char out[11])
{
	char s[17];
	training_local_time(c, t, s);
	memcpy(out, s, 10);
	out[10] = '\0';
}

int64_t training_day_start(struct agora_ctx *c, const char *day)
{
	struct tm tm = {0};
	if (sscanf(day, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm) - zone_offset(store_setting_get(c->db, c->arena, "time_zone"));
}

void training_today(struct agora_ctx *c, char out[11])
{
	training_local_date(c, c->now, out);
}

/* ---- rotation ------------------------------------------------------------------------------- */

void training_rotation_rule(struct agora_ctx *c, struct rotation_rule *out)
{
	char *today = arena_alloc(c->arena, 11);
	training_today(c, today);
	*out = (struct rotation_rule){site_rotation_years(c), training_zone_offset(c), today};
}

const char *training_state(struct agora_ctx *c, const struct training *x)
{
	char today[11];
	training_today(c, today);
	if (strcmp(today, x->starts_on) < 0)
		return "upcoming";
	return strcmp(today, x->ends_on) > 0 ? "past" : "current";
}

int training_date_valid(const char *s)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d;
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	if (m < 1 || m > 12 || d < 1)
		return 0;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= days[m - 1] + (m == 2 && leap);
}

/* ---- texts and input ---------------------------------------------------------------------- */

enum ag_status training_text(struct agora_ctx *c, const char *title, const char *description, const char **html)
{
	size_t n = title ? strlen(title) : 0;
	unsigned links;
	if (!n || utf8_length(title, n) > 200 || strspn(title, " \t") == n || !utf8_line_ok(title, n))
		return ag_fail(c, AG_EINVAL, "invalid_title");
	*html = "";
	if (!description || strspn(description, " \t\r\n") == strlen(description))
		return AG_OK;
	return forum_render(c, description, html, &links);
}

static int one_of3(const char *v, const char *a, const char *b, const char *d)
{
	return v && (!strcmp(v, a) || !strcmp(v, b) || !strcmp(v, d));
}

/* Applies the given fields of in to x (a new training or the stored one) and checks the whole. */
static enum ag_status training_apply(struct agora_ctx *c, const struct training_input *in, struct training *x)
{
	if (in->title)
		x->title = in->title;
	if (in->description)
		x->description = in->description;
	x->starts_on = in->starts_on ? in->starts_on : x->starts_on;
	x->ends_on = in->ends_on ? in->ends_on : x->ends_on;
	x->enrolment = in->enrolment ? in->enrolment : x->enrolment;
	if (in->has_hours)
		x->hours = in->hours;
	if (in->has_capacity)
		x->capacity = in->capacity;
	if (in->has_completion)
		x->completion_attendance = (int)(in->completion_attendance < 0 || in->completion_attendance > 100
						 ? -1 : in->completion_attendance);
	enum ag_status st = training_text(c, x->title, x->description, &x->description_html);
	if (st != AG_OK)
		return st;
	if (!training_date_valid(x->starts_on) || !training_date_valid(x->ends_on))
		return ag_fail(c, AG_EINVAL, "invalid_date");
	if (strcmp(x->starts_on, x->ends_on) > 0)
		return ag_fail(c, AG_EINVAL, "dates_out_of_order");
	if (!(x->hours > 0) || x->hours > 10000)
		return ag_fail(c, AG_EINVAL, "invalid_hours");
	if (!one_of3(x->enrolment, "open", "approval", "assigned"))
		return ag_fail(c, AG_EINVAL, "invalid_enrolment");
	if (x->capacity < 0)
		return ag_fail(c, AG_EINVAL, "invalid_capacity");
	if (x->completion_attendance < 0)
		return ag_fail(c, AG_EINVAL, "invalid_completion_attendance");
	return AG_OK;
}

/* The audience's slugs as terms (unknown_industry, unknown_position, unknown_region). */
static enum ag_status audience_terms(struct agora_ctx *c, const struct training_input *in,
				     struct audience_term **out, size_t *n)
{
	size_t total = in->naudience[0] + in->naudience[1] + in->naudience[2], k = 0;
	*out = arena_alloc(c->arena, (total ? total : 1) * sizeof **out);
	for (int kind = 0; kind < 3; kind++)
		for (size_t i = 0; i < in->naudience[kind]; i++) {
			struct term t;
			enum ag_status st = ag_term(c, (enum term_kind)kind, in->audience[kind][i], &t);
			if (st != AG_OK)
				return st;
			if (!t.id)
				return ag_fail(c, AG_EINVAL, (const char *[]){"unknown_industry", "unknown_position",
									     "unknown_region"}[kind]);
			(*out)[k++] = (struct audience_term){kind, t.id, t.slug};
		}
	*n = k;
	return AG_OK;
}

/* ---- rights ------------------------------------------------------------------------------- */

enum ag_status training_me(struct agora_ctx *c, const struct training *x, struct training_me *out)
{
	struct training_part p = {0};
	memset(out, 0, sizeof *out);
	if (!c->actor)
		return AG_OK;
	int rc = store_training_part(c->db, c->arena, x->id, c->actor->id, &p);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	out->organiser = p.organiser, out->lecturer = p.lecturer, out->state = p.state;
	out->trainee = p.state && strcmp(p.state, "pending") != 0;
	out->role = p.organiser ? "organiser" : p.state ? "trainee" : p.lecturer ? "lecturer" : NULL;
	return AG_OK;
}

struct ag_right training_may_create(const struct agora_ctx *c)
{
	struct ag_right r = ag_may_write(c);
	if (ag_allowed(r) && c->actor->role != ROLE_ADMIN && c->actor->role != ROLE_LECTURER)
		return ag_refused(AG_EFORBIDDEN, "lecturers_and_admins_only");
	return r;
}

struct ag_right training_may_organise(struct agora_ctx *c, const struct training *x)
{
	struct training_me me;
	struct ag_right r = ag_may_write(c);
	if (!ag_allowed(r) || ag_is_admin(c))
		return r;
	if (training_me(c, x, &me) != AG_OK || !me.organiser)
		return ag_refused(AG_EFORBIDDEN, "organisers_only");
	return r;
}

struct ag_right training_may_see_lessons(struct agora_ctx *c, const struct training *x)
{
	struct training_me me;
	if (ag_is_admin(c))
		return AG_ALLOWED;
	if (training_me(c, x, &me) != AG_OK || !(me.organiser || me.lecturer || me.trainee))
		return ag_refused(AG_ENOTFOUND, "lesson_not_found");
	return AG_ALLOWED;
}

static int training_full(struct agora_ctx *c, const struct training *x)
{
	int64_t n = 0;
	return x->capacity > 0 && store_trainee_count(c->db, x->id, &n) == STORE_OK && n >= x->capacity;
}

struct ag_right training_may_enrol(struct agora_ctx *c, const struct training *x)
{
	struct training_me me;
	struct ag_right r = ag_may_write(c);
	if (!ag_allowed(r))
		return r;
	if (training_me(c, x, &me) != AG_OK || me.state)
		return ag_refused(AG_ECONFLICT, "already_enrolled");
	if (!strcmp(x->enrolment, "assigned"))
		return ag_refused(AG_EFORBIDDEN, "enrolment_assigned");
	if (!strcmp(training_state(c, x), "past"))
		return ag_refused(AG_EFORBIDDEN, "training_ended");
	if (store_audience_matches(c->db, x->id, c->actor->id) != STORE_OK)
		return ag_refused(AG_EFORBIDDEN, "outside_audience");
	if (training_full(c, x))
		return ag_refused(AG_ECONFLICT, "training_full");
	return r;
}

struct ag_right training_may_leave(struct agora_ctx *c, const struct training *x)
{
	struct training_me me;
	struct ag_right r = ag_may_write(c);
	if (!ag_allowed(r))
		return r;
	if (training_me(c, x, &me) != AG_OK || !me.state)
		return ag_refused(AG_ENOTFOUND, "not_a_trainee");
	if (strcmp(training_state(c, x), "upcoming") != 0)
		return ag_refused(AG_EFORBIDDEN, "training_started");
	return r;
}

/* ---- trainings ---------------------------------------------------------------------------- */

enum ag_status training_by_id(struct agora_ctx *c, int64_t id, struct training *out)
{
	return ag_found(c, store_training_by_id(c->db, c->arena, id, out), "training_not_found");
}

enum ag_status training_get(struct agora_ctx *c, const char *slug, struct training *out)
{
	enum ag_status st = training_complete_due(c);
	if (st != AG_OK)
		return st;
	return ag_found(c, store_training_by_slug(c->db, c->arena, slug, out), "training_not_found");
}

/* The training's own board, named after it, in the caller's transaction. */
static int training_board(struct agora_ctx *c, struct training *x)
{
	struct board b = {0};
	b.slug = arena_printf(c->arena, "training-%s", x->slug);
	b.title = x->title;
	b.description = "";
	b.training_id = x->id;
	int rc = store_board_insert(c->db, &b, c->now);
	if (rc == STORE_OK)
		rc = store_training_set_board(c->db, x->id, b.id);
	return rc;
}

/* Inserts the training, its board, audience and first organiser in one transaction. */
static enum ag_status training_insert(struct agora_ctx *c, struct training *x, const struct audience_term *aud,
				      size_t naud)
{
	int rc = store_begin(c->db);
	if (rc == STORE_OK)
		rc = store_training_insert(c->db, x);
	if (rc == STORE_OK)
		rc = training_board(c, x);
	if (rc == STORE_CONFLICT) {
		store_rollback(c->db);
		return ag_fail(c, AG_ECONFLICT, "slug_taken");
	}
	if (rc == STORE_OK)
		rc = store_audience_set(c->db, x->id, aud, naud);
	if (rc == STORE_OK)
		rc = store_participant_add(c->db, x->id, c->actor->id, "organiser", NULL, c->now);
	return ag_commit(c, rc, AG_CREATED);
}

enum ag_status training_create(struct agora_ctx *c, const struct training_input *in, struct training *out)
{
	struct audience_term *aud;
	size_t naud;
	enum ag_status st = ag_check(c, training_may_create(c));
	if (st != AG_OK)
		return st;
	if (!in->slug || !slug_valid(in->slug))
		return ag_fail(c, AG_EINVAL, "invalid_slug");
	memset(out, 0, sizeof *out);
	*out = (struct training){.slug = in->slug, .description = "", .enrolment = "open",
				 .completion_attendance = 80, .created_by = c->actor->id, .created_at = c->now};
	if (!in->has_hours)
		return ag_fail(c, AG_EINVAL, "invalid_hours");
	if ((st = training_apply(c, in, out)) != AG_OK || (st = audience_terms(c, in, &aud, &naud)) != AG_OK)
		return st;
	if ((st = training_insert(c, out, aud, naud)) != AG_CREATED)
		return st;
	st = training_get(c, in->slug, out);
	return st == AG_OK ? AG_CREATED : st;
}

/* A change of dates may not leave a lesson outside them. */
static enum ag_status lessons_inside(struct agora_ctx *c, const struct training *x)
{
	struct lesson *l;
	size_t n;
	char day[11];
	int rc = store_lessons(c->db, c->arena, x->id, &l, &n);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	for (size_t i = 0; i < n; i++) {
		training_local_date(c, l[i].starts_at, day);
		if (strcmp(day, x->starts_on) < 0 || strcmp(day, x->ends_on) > 0)
			return ag_fail(c, AG_EINVAL, "lesson_outside_training");
	}
	return AG_OK;
}

enum ag_status training_update(struct agora_ctx *c, const char *slug, const struct training_input *in,
			       struct training *out)
{
	return training_update_with(c, slug, in, out, NULL);
}

enum ag_status training_update_with(struct agora_ctx *c, const char *slug, const struct training_input *in,
				    struct training *out, training_changed_fn changed)
{
	struct audience_term *aud = NULL;
	size_t naud = 0;
	enum ag_status st = ag_require_writer(c);
	if (st != AG_OK || (st = training_get(c, slug, out)) != AG_OK ||
	    (st = ag_check(c, training_may_organise(c, out))) != AG_OK)
		return st;
	if ((st = training_apply(c, in, out)) != AG_OK || (st = lessons_inside(c, out)) != AG_OK)
		return st;
	if (in->has_audience && (st = audience_terms(c, in, &aud, &naud)) != AG_OK)
		return st;
	int rc = store_begin(c->db);
	if (rc == STORE_OK)
		rc = store_training_update(c->db, out);
	if (rc == STORE_OK && in->has_audience)
		rc = store_audience_set(c->db, out->id, aud, naud);
	if (rc == STORE_OK && changed && (st = changed(c, out)) != AG_OK) {
		store_rollback(c->db);
		return st;
	}
	if ((st = ag_commit(c, rc, AG_OK)) != AG_OK)
		return st;
	return training_get(c, slug, out);
}

/* Which of upcoming, current, past a `when` names; 0 when it names something else. */
static int when_parse(const char *when, struct training_filter *f)
{
	if (!when || !*when) {
		f->upcoming = f->current = f->past = 1;
		return 1;
	}
	const char *p = when;
	while (*p) {
		size_t n = strcspn(p, ",");
		if (n == 8 && !strncmp(p, "upcoming", n))
			f->upcoming = 1;
		else if (n == 7 && !strncmp(p, "current", n))
			f->current = 1;
		else if (n == 4 && !strncmp(p, "past", n))
			f->past = 1;
		else
			return 0;
		p += n + (p[n] == ',');
	}
	return 1;
}

enum ag_status training_list(struct agora_ctx *c, const char *when, int for_me, struct listing *l,
			     struct training **out, size_t *n)
{
	char today[11];
	struct training_filter f = {0};
	enum ag_status st = training_complete_due(c);
	if (st != AG_OK)
		return st;
	if (!when_parse(when, &f))
		return ag_fail(c, AG_EINVAL, "invalid_when");
	if (for_me && (st = ag_require_reader(c)) != AG_OK)
		return st;
	training_today(c, today);
	f.today = today;
	f.for_user = for_me ? c->actor->id : 0;
	return ag_stored(c, store_trainings(c->db, c->arena, &f, l->page, out, n, &l->total));
}

enum ag_status training_audience(struct agora_ctx *c, const struct training *x, struct audience_term **out,
				 size_t *n)
{
	return ag_stored(c, store_audience(c->db, c->arena, x->id, out, n));
}

enum ag_status training_organisers(struct agora_ctx *c, const struct training *x, struct user **out, size_t *n)
{
	return ag_stored(c, store_organisers(c->db, c->arena, x->id, out, n));
}

/* A member named in a body: 400 unknown_user when there is none. */
static enum ag_status named_user(struct agora_ctx *c, const char *username, struct user *u)
{
	int rc = username ? store_user_by_name(c->db, c->arena, username, u) : STORE_NOTFOUND;
	return rc == STORE_NOTFOUND ? ag_fail(c, AG_EINVAL, "unknown_user") : ag_stored(c, rc);
}

enum ag_status training_add_organiser(struct agora_ctx *c, const char *slug, const char *username)
{
	struct training x;
	struct user u;
	enum ag_status st = ag_require_writer(c);
	if (st != AG_OK || (st = training_get(c, slug, &x)) != AG_OK ||
	    (st = ag_check(c, training_may_organise(c, &x))) != AG_OK || (st = named_user(c, username, &u)) != AG_OK)
		return st;
	int rc = store_participant_add(c->db, x.id, u.id, "organiser", NULL, c->now);
	return rc == STORE_CONFLICT ? ag_fail(c, AG_ECONFLICT, "already_organiser") : ag_stored(c, rc);
}

/* ---- trainees ----------------------------------------------------------------------------- */

/* Inside the write transaction: whether one more trainee fits (the count is exact here, since
 * every write transaction holds the process-wide lock). */
static int fits(struct agora_ctx *c, const struct training *x, int *rc)
{
	int64_t n = 0;
	*rc = store_trainee_count(c->db, x->id, &n);
	return x->capacity == 0 || n < x->capacity;
}

enum ag_status training_enrol(struct agora_ctx *c, const char *slug)
{
	struct training x;
	enum ag_status st = ag_require_writer(c);
	if (st != AG_OK || (st = training_get(c, slug, &x)) != AG_OK ||
	    (st = ag_check(c, training_may_enrol(c, &x))) != AG_OK)
		return st;
	int open = !strcmp(x.enrolment, "open");
	int rc = store_begin(c->db);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	if (!fits(c, &x, &rc) && rc == STORE_OK) {
		store_rollback(c->db);
		return ag_fail(c, AG_ECONFLICT, "training_full");
	}
	if (rc == STORE_OK)
		rc = store_participant_add(c->db, x.id, c->actor->id, "trainee", open ? "enrolled" : "pending", c->now);
	if (rc == STORE_CONFLICT) {
		store_rollback(c->db);
		return ag_fail(c, AG_ECONFLICT, "already_enrolled");
	}
	return ag_commit(c, rc, open ? AG_CREATED : AG_PENDING);
}

/* Organisers' enrolment of one member, in the transaction: skipped when already a trainee;
 * enrolled while places last, else pending. */
static int assign_one(struct agora_ctx *c, const struct training *x, int64_t user_id, int64_t *enrolled,
		      int64_t *pending)
{
	struct training_part p = {0};
	int rc = store_training_part(c->db, c->arena, x->id, user_id, &p);
	if (rc != STORE_OK || p.state)
		return rc;
	int in = fits(c, x, &rc);
	if (rc == STORE_OK)
		rc = store_participant_add(c->db, x->id, user_id, "trainee", in ? "enrolled" : "pending", c->now);
	if (rc == STORE_OK && in)
		rc = notify_training(c, x->id, user_id, "enrolled");
	if (rc == STORE_OK)
		++*(in ? enrolled : pending);
	return rc;
}

/* The ids of the named members (unknown_user for any unknown name) and of the audience. */
static enum ag_status assign_ids(struct agora_ctx *c, const struct training *x, const char *const *usernames,
				 size_t n, enum training_whom audience, int64_t **ids, size_t *nids)
{
	int64_t *aud = NULL;
	size_t naud = 0;
	struct user u;
	struct rotation_rule rule;
	if (audience == TRAINING_OVERDUE)
		training_rotation_rule(c, &rule);
	if (audience && store_audience_members(c->db, c->arena, x->id, audience == TRAINING_OVERDUE ? &rule : NULL,
					       &aud, &naud) != STORE_OK)
		return ag_fail(c, AG_EINTERNAL, "internal");
	*ids = arena_alloc(c->arena, (n + naud + 1) * sizeof **ids);
	for (size_t i = 0; i < n; i++) {
		enum ag_status st = named_user(c, usernames[i], &u);
		if (st != AG_OK)
			return st;
		(*ids)[i] = u.id;
	}
	if (naud)
		memcpy(*ids + n, aud, naud * sizeof *aud);
	*nids = n + naud;
	return AG_OK;
}

enum ag_status training_assign(struct agora_ctx *c, const char *slug, const char *const *usernames, size_t n,
			       enum training_whom audience, int64_t *enrolled, int64_t *pending)
{
	struct training x;
	int64_t *ids = NULL;
	size_t nids = 0;
	*enrolled = *pending = 0;
	enum ag_status st = ag_require_writer(c);
	if (st != AG_OK || (st = training_get(c, slug, &x)) != AG_OK ||
	    (st = ag_check(c, training_may_organise(c, &x))) != AG_OK)
		return st;
	if (!n && !audience)
		return ag_fail(c, AG_EINVAL, "usernames_or_audience");
	if ((st = assign_ids(c, &x, usernames, n, audience, &ids, &nids)) != AG_OK)
		return st;
	int rc = store_begin(c->db);
	for (size_t i = 0; rc == STORE_OK && i < nids; i++)
		rc = assign_one(c, &x, ids[i], enrolled, pending);
	return ag_commit(c, rc, AG_CREATED);
}

enum ag_status training_leave(struct agora_ctx *c, const char *slug)
{
	struct training x;
	enum ag_status st = ag_require_writer(c);
	if (st != AG_OK || (st = training_get(c, slug, &x)) != AG_OK ||
	    (st = ag_check(c, training_may_leave(c, &x))) != AG_OK)
		return st;
	if ((st = ag_stored(c, store_trainee_remove(c->db, x.id, c->actor->id))) == AG_OK)
		ag_emit_rights_changed(c, AG_RIGHTS_TRAINING, x.id, NULL);
	return st;
}

/* One organiser's action on a trainee in state `now`, in the transaction. */
static enum ag_status trainee_change(struct agora_ctx *c, const struct training *x, int64_t uid, const char *now,
				     const char *action)
{
	int rc = STORE_OK;
	if (!strcmp(action, "remove"))
		return ag_stored(c, store_trainee_remove(c->db, x->id, uid));
	if (!strcmp(action, "approve") && !strcmp(now, "pending")) {
		if (!fits(c, x, &rc) && rc == STORE_OK)
			return ag_fail(c, AG_ECONFLICT, "training_full");
		if (rc == STORE_OK)
			rc = store_trainee_set_state(c->db, x->id, uid, "enrolled", 0, 0);
		if (rc == STORE_OK)
			rc = notify_training(c, x->id, uid, "approved");
	} else if (!strcmp(action, "complete") && !strcmp(now, "enrolled")) {
		rc = store_trainee_set_state(c->db, x->id, uid, "completed", c->now, c->actor->id);
	} else if (!strcmp(action, "reopen") && !strcmp(now, "completed")) {
		rc = store_trainee_set_state(c->db, x->id, uid, "enrolled", 0, 0);
	} else {
		return ag_fail(c, AG_ECONFLICT, "not_applicable");
	}
	return ag_stored(c, rc);
}

static int action_known(const char *a)
{
	return a && (!strcmp(a, "approve") || !strcmp(a, "remove") || !strcmp(a, "complete") || !strcmp(a, "reopen"));
}

/* The trainee record of one member (state NULL when they are not one). */
static enum ag_status trainee_of(struct agora_ctx *c, const struct training *x, const struct user *u,
				 struct trainee *out)
{
	struct trainee *t;
	size_t n;
	int64_t total;
	int rc = store_trainees(c->db, c->arena, x->id, u->username, (struct page){0, 1}, &t, &n, &total);
	memset(out, 0, sizeof *out);
	out->user = *u;
	if (rc == STORE_OK && n)
		*out = t[0];
	return ag_stored(c, rc);
}

enum ag_status training_trainee_action(struct agora_ctx *c, const char *slug, const char *username,
				       const char *action, struct trainee *out)
{
	struct training x;
	struct user u;
	enum ag_status st = ag_require_writer(c);
	if (st != AG_OK || (st = training_get(c, slug, &x)) != AG_OK ||
	    (st = ag_check(c, training_may_organise(c, &x))) != AG_OK)
		return st;
	if (!action_known(action))
		return ag_fail(c, AG_EINVAL, "invalid_action");
	if ((st = ag_found(c, store_user_by_name(c->db, c->arena, username, &u), "user_not_found")) != AG_OK ||
	    (st = trainee_of(c, &x, &u, out)) != AG_OK)
		return st;
	if (!out->state)
		return ag_fail(c, AG_ENOTFOUND, "not_a_trainee");
	int rc = store_begin(c->db);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	if ((st = trainee_change(c, &x, u.id, out->state, action)) != AG_OK) {
		store_rollback(c->db);
		return st;
	}
	if ((st = ag_commit(c, STORE_OK, AG_OK)) != AG_OK)
		return st;
	if (!strcmp(action, "remove")) /* the board's open streams are checked afresh */
		ag_emit_rights_changed(c, AG_RIGHTS_TRAINING, x.id, NULL);
	return trainee_of(c, &x, &u, out);
}

enum ag_status training_trainees(struct agora_ctx *c, const char *slug, struct page pg, struct listing *l,
				 struct trainee **out, size_t *n)
{
	struct training x;
	enum ag_status st = ag_require_reader(c);
	if (st != AG_OK || (st = training_get(c, slug, &x)) != AG_OK)
		return st;
	if ((st = ag_check(c, training_may_organise(c, &x))) != AG_OK)
		return st;
	l->page = pg;
	return ag_stored(c, store_trainees(c->db, c->arena, x.id, NULL, pg, out, n, &l->total));
}

enum ag_status training_complete_job(struct agora_ctx *c, const struct job *j, int64_t *again_at)
{
	char today[11];
	(void)j;
	training_today(c, today);
	*again_at = c->now + TRAINING_COMPLETE_EVERY;
	return ag_stored(c, store_complete_due(c->db, today, c->now));
}

enum ag_status training_complete_due(struct agora_ctx *c)
{
	char today[11];
	training_today(c, today);
	int rc = store_due_exists(c->db, today);
	if (rc == STORE_NOTFOUND)
		return AG_OK;
	if (rc == STORE_OK)
		rc = store_begin(c->db);
	if (rc == STORE_OK)
		rc = store_complete_due(c->db, today, c->now);
	return ag_commit(c, rc, AG_OK);
}
