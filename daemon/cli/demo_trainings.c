/* The demo's trainings: two earlier classes on the trainees' learning records, a spring
 * rotation class for township secretaries that ended eight weeks ago, with its lessons attended and rated and two follow-up waves answered (a baseline
 * and one at the end, so the effect page shows a change), and a class on rural e-commerce that opens
 * for enrolment in two weeks. Made through the domain like any request, relative to the
 * clock, so the demo looks the same whatever the day. */
#include "demo_trainings.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "followups.h"
#include "job_kinds.h"
#include "jobs.h"
#include "lessons.h"
#include "questionnaires.h"
#include "trainings.h"

enum { DAY = 86400, CN_OFFSET = 8 * 3600 };

/* The day days from now in the site's default time zone, as YYYY-MM-DD. */
static const char *demo_day(struct arena *a, int days)
{
	time_t t = (time_t)(clock_now() + (int64_t)days * DAY + CN_OFFSET);
	struct tm tm;
	char out[11];
	gmtime_r(&t, &tm);
	strftime(out, sizeof out, "%Y-%m-%d", &tm);
	return arena_strdup(a, out);
}

/* 09:00 (China time) of the day days from now, as an RFC 3339 UTC time. */
static const char *demo_morning(struct arena *a, int days, int hour)
{
	int64_t now = clock_now() + CN_OFFSET;
	int64_t t = now - now % DAY + (int64_t)days * DAY + (int64_t)hour * 3600 - CN_OFFSET;
	char out[32];
	time_rfc3339(t, out);
	return arena_strdup(a, out);
}

struct demo_lesson {
	const char *title, *description, *lecturer;
	int day, hour, minutes;
};

static const struct demo_lesson past_lessons[] = {
	{"乡村振兴战略与基层实践", "政策解读与各地案例。", "lecturer", -60, 9, 120},
	{"基层矛盾纠纷调解方法", "一线调解经验分享，由乡镇干部讲授。", "moderator", -59, 9, 90},
	{"应急管理与防汛预案演练", "结合今年汛期的预案与演练。", "lecturer", -58, 14, 120},
};

static const struct demo_lesson next_lessons[] = {
	{"农村电商基础：开店与选品", "从零开始开网店。", "lecturer", 14, 9, 120},
	{"直播带货与品牌建设", "本地企业家讲授实战经验。", "moderator", 15, 9, 90},
};

/* Adds the lessons to the training slug as its organiser c; ids receive their ids. */
static int demo_lessons(struct agora_ctx *c, const char *slug, const struct demo_lesson *l, size_t n, int64_t *ids)
{
	for (size_t i = 0; i < n; i++) {
		struct lesson_input in = {.title = l[i].title, .description = l[i].description,
					  .starts_at = demo_morning(c->arena, l[i].day, l[i].hour), .has_starts_at = 1,
					  .lecturer = l[i].lecturer, .minutes = l[i].minutes, .has_minutes = 1};
		struct lesson out;
		if (lesson_create(c, slug, &in, &out) != AG_CREATED)
			return -1;
		ids[i] = out.id;
	}
	return 0;
}

/* Who attended which past lesson (a row per trainee: zhangwei, liuyang, chenjing), and the
 * score each gave (0: no rating). */
static const char *const past_trainees[] = {"zhangwei", "liuyang", "chenjing"};
static const int past_scores[3][3] = {{5, 4, 5}, {4, 0, 4}, {0, 0, 3}};
static const char *const past_comments[] = {"案例很实用，回去就能用。", "希望多讲一些山区乡镇的做法。", NULL};

static int demo_past_attendance(struct agora_ctx *c, const struct user *trainees, const int64_t *lessons)
{
	for (size_t l = 0; l < 3; l++) {
		const char *present[3];
		size_t n = 0;
		struct lesson out;
		for (size_t t = 0; t < 3; t++)
			if (past_scores[t][l] || (t == 1 && l == 1))
				present[n++] = past_trainees[t];
		if (lesson_attendance(c, lessons[l], present, n, 1, NULL, &out) != AG_OK)
			return -1;
	}
	for (size_t t = 0; t < 3; t++) {
		struct agora_ctx tc = *c;
		tc.actor = &trainees[t];
		for (size_t l = 0; l < 3; l++)
			if (past_scores[t][l] && lesson_rate(&tc, lessons[l], past_scores[t][l], past_comments[t]) != AG_OK)
				return -1;
	}
	return 0;
}

/* The template of the follow-ups: the same two questions before and after. */
static const char demo_followup_questions[] =
	"[{\"kind\":\"rating\",\"prompt\":\"你调解基层矛盾纠纷的信心有多大？\"},"
	"{\"kind\":\"single\",\"prompt\":\"你所在乡镇的防汛预案是否经过演练？\","
	"\"options\":[\"没有\",\"正在准备\",\"已经演练\"]}]";
/* Each trainee's answers in the baseline wave (row 0) and the wave at the end (row 1). */
static const char *const demo_answers[2][3] = {
	{"[3, 0]", "[2, 1]", "[3, 0]"},
	{"[5, 2]", "[4, 2]", "[4, 1]"},
};

/* Opens the waves now, as the scheduler would at start-up: their days are past. */
static int demo_run_jobs(struct agora_ctx *c)
{
	struct job_runner r = {job_kinds, job_nkinds, "demo", 0};
	struct job_report rep;
	enum job_outcome o;
	while ((o = job_run_next(c, &r, &rep)) == JOB_DONE)
		;
	return o == JOB_NONE ? 0 : -1;
}

/* A baseline a week before the start and a wave on the last day, both answered. Named, not
 * anonymous: three trainees' anonymous answers would be withheld (fewer than Q_RESULTS_MIN),
 * and the demo is there to show the effect. */
static int demo_waves(struct agora_ctx *c, const char *slug, const struct user *trainees)
{
	static const int64_t days[2] = {-7, 0};
	json_t *questions = json_loads(demo_followup_questions, 0, NULL);
	struct q_input qi = {"履职能力自评", arena_printf(c->arena, "training-%s", slug), NULL, 0, NULL, questions};
	struct questionnaire q;
	struct training x;
	struct followup f[2];
	int rc = q_create(c, &qi, &q) == AG_CREATED ? 0 : -1;
	json_decref(questions);
	for (int w = 0; rc == 0 && w < 2; w++) {
		struct followup_input in = {.questionnaire = q.id, .has_questionnaire = 1, .opens_after_days = days[w],
					    .has_opens_after_days = 1, .respondents = "trainees"};
		rc = followup_create(c, slug, &in, &x, &f[w]) == AG_CREATED ? 0 : -1;
	}
	if (rc != 0 || demo_run_jobs(c) != 0)
		return -1;
	struct followup *waves;
	size_t n;
	if (followup_list(c, slug, &x, &waves, &n) != AG_OK || n != 2)
		return -1;
	for (size_t w = 0; w < 2; w++)
		for (size_t t = 0; t < 3 && rc == 0; t++) {
			struct agora_ctx tc = *c;
			tc.actor = &trainees[t];
			json_t *a = json_loads(demo_answers[w][t], 0, NULL);
			rc = q_respond(&tc, waves[w].questionnaire_id, a) == AG_CREATED ? 0 : -1;
			json_decref(a);
		}
	return rc;
}

static int demo_past(struct agora_ctx *c, const struct user *trainees)
{
	static const char *const positions[] = {"township-secretary", "first-secretary", "community-worker"};
	struct training_input in = {
		.slug = "spring-rotation", .title = "乡镇党委书记春季轮训班",
		.description = "面向乡镇党委书记和驻村第一书记的轮训：乡村振兴、矛盾调解与应急管理。",
		.starts_on = demo_day(c->arena, -60), .ends_on = demo_day(c->arena, -58), .enrolment = "assigned",
		.hours = 24, .has_hours = 1, .audience = {NULL, positions, NULL}, .naudience = {0, 3, 0},
		.has_audience = 1};
	struct training x;
	int64_t lessons[3], enrolled, pending;
	if (training_create(c, &in, &x) != AG_CREATED ||
	    training_assign(c, x.slug, past_trainees, 3, TRAINING_NAMED, &enrolled, &pending) != AG_CREATED ||
	    demo_lessons(c, x.slug, past_lessons, 3, lessons) != 0)
		return -1;
	if (demo_past_attendance(c, trainees, lessons) != 0)
		return -1;
	return demo_waves(c, x.slug, trainees);
}

static int demo_next(struct agora_ctx *c)
{
	static const char *const industries[] = {"agriculture"};
	struct training_input in = {
		.slug = "rural-ecommerce", .title = "农村电商带头人培训班",
		.description = "为农业一线干部讲授网店、直播与品牌建设，**欢迎报名**。",
		.starts_on = demo_day(c->arena, 14), .ends_on = demo_day(c->arena, 15), .enrolment = "open",
		.hours = 12, .has_hours = 1, .capacity = 30, .has_capacity = 1,
		.audience = {industries, NULL, NULL}, .naudience = {1, 0, 0}, .has_audience = 1};
	struct training x;
	int64_t lessons[2];
	if (training_create(c, &in, &x) != AG_CREATED || demo_lessons(c, x.slug, next_lessons, 2, lessons) != 0)
		return -1;
	return 0;
}

/* Earlier trainings for the learning records: zhangwei's induction three years ago (with the
 * spring class, two completed trainings on his record) and chenjing's class six years ago:
 * she did not complete the spring class, so her rotation is overdue. */
struct demo_earlier {
	const char *slug, *title, *trainee;
	int ends, hours;
	struct demo_lesson lesson;
};
static const struct demo_earlier earlier[] = {
	{"secretary-induction", "乡镇党委书记任职培训班", "zhangwei", -3 * 365, 32,
	 {"党建引领基层治理", "新任乡镇党委书记的第一课。", "lecturer", -3 * 365, 9, 180}},
	{"cadre-basics", "基层干部综合能力培训班", "chenjing", -6 * 365 - 30, 16,
	 {"群众工作方法", "如何做好群众工作。", "moderator", -6 * 365 - 30, 9, 120}},
};

static int demo_earlier_one(struct agora_ctx *c, const struct demo_earlier *e)
{
	static const char *const positions[] = {"township-secretary", "first-secretary", "community-worker"};
	struct training_input in = {
		.slug = e->slug, .title = e->title, .starts_on = demo_day(c->arena, e->ends - 1),
		.ends_on = demo_day(c->arena, e->ends), .enrolment = "assigned", .hours = e->hours, .has_hours = 1,
		.audience = {NULL, positions, NULL}, .naudience = {0, 3, 0}, .has_audience = 1};
	struct training x;
	struct lesson l;
	int64_t lesson, enrolled, pending;
	if (training_create(c, &in, &x) != AG_CREATED ||
	    training_assign(c, x.slug, &e->trainee, 1, TRAINING_NAMED, &enrolled, &pending) != AG_CREATED ||
	    demo_lessons(c, x.slug, &e->lesson, 1, &lesson) != 0 ||
	    lesson_attendance(c, lesson, &e->trainee, 1, 1, NULL, &l) != AG_OK)
		return -1;
	/* attended the whole of a training that has ended: completed as the rules say */
	return training_complete_due(c) == AG_OK ? 0 : -1;
}

int demo_trainings(struct agora_ctx *c, const struct user *trainees)
{
	for (size_t i = 0; i < sizeof earlier / sizeof *earlier; i++)
		if (demo_earlier_one(c, &earlier[i]) != 0)
			return -1;
	return demo_past(c, trainees) == 0 && demo_next(c) == 0 ? 0 : -1;
}
