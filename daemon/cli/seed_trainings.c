#include "seed_trainings.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "clock.h"
#include "seed_members.h"
#include "store_board.h"
#include "store_followup.h"
#include "store_questionnaire.h"
#include "store_training.h"
#include "store_user.h"

enum { DAY = 86400, ZONE = 8 * 3600, SPAN_DAYS = 6 * 365 + 120, BATCH = 10 };

/* A small fixed generator, so that two seeds of the same size hold the same data. */
static unsigned long next(unsigned long *s)
{
	*s = *s * 6364136223846793005UL + 1442695040888963407UL;
	return *s >> 33;
}

static const char *day_of(struct arena *a, int64_t t)
{
	time_t local = (time_t)(t + ZONE);
	struct tm tm;
	char out[16];
	gmtime_r(&local, &tm);
	strftime(out, sizeof out, "%Y-%m-%d", &tm);
	return arena_strdup(a, out);
}

struct seed {
	struct store *db;
	struct arena *a;
	int64_t now, members, lecturer, board;
	unsigned long rnd;
};

/* The lecturer of every seeded lesson, made once. */
static int seed_lecturer(struct seed *s)
{
	struct user u = {.username = "seedlecturer", .display_name = "Seed lecturer", .role = ROLE_LECTURER};
	char hash[AUTH_HASH_MAX];
	if (store_user_by_name(s->db, s->a, u.username, &u) == STORE_OK)
		return (s->lecturer = u.id, STORE_OK);
	if (auth_password_hash(SEED_MEMBER_PASSWORD, hash) != 0)
		return STORE_ERROR;
	int rc = store_user_insert(s->db, &u, hash);
	s->lecturer = u.id;
	return rc;
}

/* Trainee j of the training: a seeded member drawn at random (seedmN, N < members). */
static int64_t draw_member(struct seed *s)
{
	struct user u;
	char name[32];
	snprintf(name, sizeof name, "seedm%lu", next(&s->rnd) % (unsigned long)s->members);
	return store_user_by_name(s->db, s->a, name, &u) == STORE_OK ? u.id : 0;
}

/* A wave a month after the end, which about 60 % of the trainees answered. */
static int seed_wave(struct seed *s, const struct training *x, const int64_t *ids, size_t n)
{
	struct questionnaire q = {.title = "培训效果跟踪", .board_id = s->board, .questions =
		"[{\"kind\":\"rating\",\"prompt\":\"培训对工作有帮助吗？\"}]", .creator_id = s->lecturer, .created_at = s->now};
	struct followup f = {.training_id = x->id, .opens_after_days = 30, .respondents = "trainees",
			     .remind_after_days = 7, .created_by = s->lecturer, .created_at = s->now};
	int rc = store_q_insert(s->db, &q);
	if (rc == STORE_OK && (f.template_id = q.id) && (rc = store_followup_insert(s->db, &f)) == STORE_OK)
		rc = store_followup_set_questionnaire(s->db, f.id, q.id);
	f.questionnaire_id = q.id;
	if (rc == STORE_OK)
		rc = store_followup_invite(s->db, &f);
	for (size_t i = 0; rc == STORE_OK && i < n; i++)
		if (ids[i] && next(&s->rnd) % 10 < 6)
			rc = store_followup_respond(s->db, &f, ids[i], 0, ids[i], "[4]", s->now);
	return rc;
}

/* Trainee id of a training that has ended: attends about 90 % of the lessons, rates half of
 * them, and is completed when present at 80 % or more, as the rules would complete them. */
static int seed_past_trainee(struct seed *s, const struct training *x, const struct lesson *l, size_t nl, int64_t id)
{
	size_t present = 0;
	int rc = STORE_OK;
	for (size_t i = 0; rc == STORE_OK && i < nl; i++) {
		if (next(&s->rnd) % 10 == 0)
			continue;
		present++;
		rc = store_attend(s->db, l[i].id, id, "organiser", l[i].starts_at);
		if (rc == STORE_OK && next(&s->rnd) % 2)
			rc = store_rate(s->db, l[i].id, id, 3 + (int)(next(&s->rnd) % 3), "", l[i].starts_at + 3600);
	}
	if (rc == STORE_OK && 100 * present >= 80 * nl)
		rc = store_trainee_set_state(s->db, x->id, id, "completed", s->now, 0);
	return rc;
}

static int seed_lessons(struct seed *s, const struct training *x, int64_t start, int days, struct lesson *l, size_t nl)
{
	int rc = STORE_OK;
	for (size_t i = 0; rc == STORE_OK && i < nl; i++) {
		l[i] = (struct lesson){.training_id = x->id, .title = "专题课", .description = "", .description_html = "",
				       .starts_at = start + (int64_t)(i % (size_t)days) * DAY + 3600 + (int64_t)(i / (size_t)days) * 7200,
				       .minutes = 90, .lecturer = {.id = s->lecturer}, .checkin_code = "000000",
				       .created_at = s->now};
		rc = store_lesson_insert(s->db, &l[i]);
	}
	return rc;
}

static int seed_one(struct seed *s, long i, long n)
{
	int days = 1 + (int)(next(&s->rnd) % 5);
	int64_t start = s->now - (int64_t)(6 * 365) * DAY + (int64_t)(SPAN_DAYS * i / n) * DAY;
	start -= (start + ZONE) % DAY; /* local midnight */
	struct training x = {.slug = arena_printf(s->a, "seedt%ld", i), .title = arena_printf(s->a, "基层干部轮训班 %ld", i),
			     .description = "", .description_html = "", .starts_on = day_of(s->a, start),
			     .ends_on = day_of(s->a, start + (int64_t)(days - 1) * DAY), .hours = 8.0 * days,
			     .enrolment = "assigned", .completion_attendance = 80, .created_by = s->lecturer,
			     .created_at = s->now};
	size_t nl = 3 + next(&s->rnd) % 6, nt = 10 + next(&s->rnd) % 71;
	struct lesson *l = arena_alloc(s->a, nl * sizeof *l);
	int64_t *ids = arena_alloc(s->a, nt * sizeof *ids);
	int rc = store_training_insert(s->db, &x);
	if (rc == STORE_CONFLICT)
		return STORE_OK; /* there from an earlier run */
	if (rc == STORE_OK)
		rc = seed_lessons(s, &x, start, days, l, nl);
	int ended = start + (int64_t)days * DAY <= s->now;
	for (size_t j = 0; rc == STORE_OK && j < nt; j++) {
		ids[j] = draw_member(s);
		rc = ids[j] ? store_participant_add(s->db, x.id, ids[j], "trainee", "enrolled", start) : STORE_OK;
		if (rc == STORE_CONFLICT) /* drawn twice */
			rc = STORE_OK, ids[j] = 0;
		else if (rc == STORE_OK && ids[j] && ended)
			rc = seed_past_trainee(s, &x, l, nl, ids[j]);
	}
	if (rc == STORE_OK && ended && i % 3 == 0)
		rc = seed_wave(s, &x, ids, nt);
	return rc;
}

int seed_trainings(struct store *db, long n)
{
	struct board b;
	struct seed s = {db, arena_new(), clock_now(), 0, 0, 0, 1};
	int rc = store_user_count(db, &s.members);
	if (rc == STORE_OK && s.members < SEED_TRAININGS_MIN_MEMBERS)
		rc = STORE_ERROR;
	if (rc == STORE_OK && (rc = store_board_by_slug(db, s.a, "bench", &b)) == STORE_OK)
		s.board = b.id;
	if (rc == STORE_OK)
		rc = seed_lecturer(&s);
	for (long i = 0; rc == STORE_OK && i < n; i += BATCH) {
		rc = store_begin(db);
		for (long j = i; rc == STORE_OK && j < i + BATCH && j < n; j++)
			rc = seed_one(&s, j, n);
		rc = rc == STORE_OK ? store_commit(db) : (store_rollback(db), rc);
	}
	arena_free(s.a);
	return rc == STORE_OK ? 0 : -1;
}
