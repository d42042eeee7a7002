#include "tools.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounts.h"
#include "associations.h"
#include "blobs.h"
#include "materials.h"
#include "questionnaires.h"
#include "forum.h"

#define DEMO_PASSWORD "agora-demo-2026"

struct demo_user {
	const char *name, *display, *region, *position, *industry;
	enum role role;
};

static const struct demo_user demo_users[] = {
	{"admin", "站点管理员", "beijing", NULL, NULL, ROLE_ADMIN},
	{"moderator", "王版主", "zhejiang", "bureau-director", "agriculture", ROLE_MODERATOR},
	{"lecturer", "李老师", "sichuan", "party-school-lecturer", "education", ROLE_LECTURER},
	{"zhangwei", "张伟", "henan", "township-secretary", "agriculture", ROLE_MEMBER},
	{"liuyang", "刘洋", "guizhou", "first-secretary", "agriculture", ROLE_MEMBER},
	{"chenjing", "陈静", "guangdong", "community-worker", "civil-affairs", ROLE_MEMBER},
};

static const struct board_input demo_boards[] = {
	{"spring-farming", "春耕生产交流", "春耕备耕、农资保障与技术服务经验交流。", "agriculture", NULL, NULL},
	{"township-governance", "乡镇治理", "乡镇党委书记谈基层治理。", NULL, "township-secretary", NULL},
	{"rural-schools", "乡村学校", "Rural schools: staffing, boarding, teaching quality.", "education", NULL, NULL},
	{"grid-work", "网格化管理", "网格员的日常工作与方法。", "civil-affairs", "grid-worker", NULL},
	{"site-feedback", "站务反馈", "Questions and suggestions about this site.", NULL, NULL, NULL},
};

struct demo_post {
	int author;  /* index into demo_users */
	int parent;  /* index into this thread's posts, -1 for the first post */
	const char *body;
};

static const struct demo_post spring_thread[] = {
	{3, -1, "今年**春耕**提前了一周。大家乡镇的农资储备怎么样？\n\n- 化肥到位率\n- 种子检测\n- 农机检修"},
	{4, 0, "我们村化肥到位率已经 90%，种子全部送检。@zhangwei 你们的农机检修是怎么组织的？"},
	{3, 1, "农机检修我们请了县农机站的师傅下乡，按网格排班，详见 [县农机站通知](https://example.org/notice)。"},
	{1, 2, "这个做法很好，建议整理成经验材料，我可以放到版块精华里。"},
	{5, 0, "社区这边也在配合做返乡人员登记，方便对接用工。"},
	{4, 4, "登记表可以共享一下吗？"},
};

static struct agora_ctx demo_ctx(struct store *db, struct arena *a, const struct user *actor);

/* A public association with open joining, and a members-only one that needs approval, each
 * with a board; the lecturer leads both. */
static int demo_associations(struct store *db, struct arena *a, const struct user *users)
{
	static const struct assoc_input assocs[] = {
		{"rural-teachers", "乡村教育研习社", "乡村学校的教师和校长交流教学与管理。", "education", NULL, "open", "public"},
		{"secretaries-circle", "乡镇书记沙龙", "仅限成员：乡镇党委书记之间的坦诚交流。", NULL, "township-secretary",
		 "approval", "members"},
	};
	static const struct board_input boards[] = {
		{"teaching-notes", "教学心得", "研习社成员分享课堂与管理经验。", "education", NULL, "rural-teachers"},
		{"circle-lounge", "沙龙会客室", "成员之间的内部讨论。", NULL, "township-secretary", "secretaries-circle"},
	};
	struct agora_ctx c = demo_ctx(db, a, &users[2]);
	struct association x;
	struct board b;
	for (size_t i = 0; i < 2; i++)
		if (assoc_create(&c, &assocs[i], &x) != AG_CREATED || forum_board_create(&c, &boards[i], &b) != AG_CREATED)
			return -1;
	c.actor = &users[3]; /* zhangwei, a township secretary, joins both */
	if (assoc_join(&c, "rural-teachers") != AG_CREATED || assoc_join(&c, "secretaries-circle") != AG_PENDING)
		return -1;
	c.actor = &users[2];
	return assoc_member_action(&c, "secretaries-circle", "zhangwei", "approve") == AG_OK ? 0 : -1;
}

static struct agora_ctx demo_ctx(struct store *db, struct arena *a, const struct user *actor)
{
	return (struct agora_ctx){.db = db, .arena = a, .actor = actor, .now = (int64_t)time(NULL)};
}

static int demo_accounts(struct store *db, struct arena *a, struct user *users)
{
	for (size_t i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++) {
		const struct demo_user *d = &demo_users[i];
		struct agora_ctx c = demo_ctx(db, a, NULL);
		struct user *u = &users[i];
		memset(u, 0, sizeof *u);
		u->username = d->name;
		u->display_name = d->display;
		u->role = d->role;
		store_term_find(db, a, TERM_REGION, d->region, &u->region);
		if (d->position)
			store_term_find(db, a, TERM_POSITION, d->position, &u->position);
		if (d->industry)
			store_term_find(db, a, TERM_INDUSTRY, d->industry, &u->industry);
		if (account_create(&c, u, DEMO_PASSWORD) != AG_CREATED)
			return -1;
	}
	return 0;
}

static int demo_thread(struct store *db, struct arena *a, const struct user *users, const char *board,
		       const char *title, const struct demo_post *posts, size_t n)
{
	int64_t ids[16];
	struct thread t;
	struct post p;
	struct agora_ctx c = demo_ctx(db, a, &users[posts[0].author]);
	if (forum_thread_create(&c, board, title, posts[0].body, &t, &p) != AG_CREATED)
		return -1;
	ids[0] = p.id;
	for (size_t i = 1; i < n && i < 16; i++) {
		c = demo_ctx(db, a, &users[posts[i].author]);
		if (forum_reply(&c, t.id, ids[posts[i].parent], posts[i].body, &p) != AG_CREATED)
			return -1;
		ids[i] = p.id;
	}
	return 0;
}

static const char demo_handout[] =
	"春耕技术要点（培训讲义）\n\n"
	"一、备耕：检修农机，落实种子、化肥、农药储备。\n"
	"二、播种：适时播种，注意墒情与天气。\n"
	"三、田管：查苗补苗，科学施肥，防治病虫害。\n";

/* The lecturer shares a handout on the spring farming board and asks for feedback. */
static int demo_learning(struct store *db, struct arena *a, const char *files_dir, const struct user *lecturer)
{
	struct agora_ctx c = demo_ctx(db, a, lecturer);
	struct material m;
	struct questionnaire q;
	char sha[BLOB_HEX + 1];
	c.files_dir = files_dir;
	struct blob_writer *w = blob_begin(files_dir);
	if (!w || blob_write(w, demo_handout, sizeof demo_handout - 1) != 0 || blob_commit(w, sha) != 0)
		return -1;
	struct upload up = {sha, "春耕技术要点.txt", "text/plain; charset=utf-8", (int64_t)(sizeof demo_handout - 1)};
	struct material_input mi = {"春耕技术要点讲义", "县农技站春耕培训的讲义，欢迎补充本地经验。", "spring-farming", NULL, NULL};
	if (material_create(&c, &mi, &up, &m) != AG_CREATED)
		return -1;
	json_t *questions = json_loads(
		"[{\"kind\":\"rating\",\"prompt\":\"这次春耕培训对你的工作帮助有多大？\"},"
		"{\"kind\":\"single\",\"prompt\":\"培训时长是否合适？\",\"options\":[\"太短\",\"合适\",\"太长\"]},"
		"{\"kind\":\"multi\",\"prompt\":\"下次希望讲哪些内容？\",\"options\":[\"农机\",\"植保\",\"电商销售\"]},"
		"{\"kind\":\"text\",\"prompt\":\"其他建议\"}]", 0, NULL);
	struct q_input qi = {"春耕培训反馈问卷", "spring-farming", NULL, 1, NULL, questions};
	int rc = q_create(&c, &qi, &q) == AG_CREATED ? 0 : -1;
	json_decref(questions);
	return rc;
}

int tools_demo(struct store *db, const char *files_dir)
{
	struct user users[sizeof demo_users / sizeof demo_users[0]];
	int64_t n = 0;
	int rc = -1;
	if (store_user_count(db, &n) != STORE_OK)
		return -1;
	if (n > 0)
		return 0;
	struct arena *a = arena_new();
	if (demo_accounts(db, a, users) != 0)
		goto done;
	for (size_t i = 0; i < sizeof demo_boards / sizeof demo_boards[0]; i++) {
		struct agora_ctx c = demo_ctx(db, a, &users[0]);
		struct board b;
		if (forum_board_create(&c, &demo_boards[i], &b) != AG_CREATED)
			goto done;
	}
	struct agora_ctx c = demo_ctx(db, a, &users[0]);
	forum_board_add_moderator(&c, "spring-farming", "moderator");
	if (demo_associations(db, a, users) != 0 || demo_learning(db, a, files_dir, &users[2]) != 0)
		goto done;
	store_setting_set(db, "registration", "open");
	if (demo_thread(db, a, users, "spring-farming", "春耕备耕经验交流：农资、种子与农机",
			spring_thread, sizeof spring_thread / sizeof spring_thread[0]) != 0)
		goto done;
	printf("demo site ready; sign in with any of these (password %s):\n", DEMO_PASSWORD);
	for (size_t i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++)
		printf("  %-10s %s\n", demo_users[i].name, role_name(demo_users[i].role));
	fflush(stdout);
	rc = 0;
done:
	arena_free(a);
	return rc;
}

/* Reply i answers the first post when i is small or a multiple of 5, else reply i/2: a
 * realistic tree, the same shape as the peer benchmark's thread. */
static int64_t seed_parent(const int64_t *ids, long i)
{
	return (i <= 2 || i % 5 == 0) ? ids[0] : ids[i / 2];
}

static const char seed_body[] =
	"Reply from a member in region %ld. I read the thread and this is my *short* take on point %ld, "
	"which matters for the people holding this position.\n\nThree things I noticed:\n\n"
	"- the **first** one concerns the `post_%ld` record\n- the second one is about moderation of reply %ld\n"
	"- the third is in [the handbook, page %ld](https://example.org/handbook/%ld)\n\n"
	"Thanks, and _see you_ at the next session; my notes are under `notes/%ld.md`. 春耕 交流 %ld\n";

static int seed_thread(struct agora_ctx *c, long t, long posts, int64_t *ids)
{
	char title[96], body[1024];
	struct thread th;
	struct post p;
	snprintf(title, sizeof title, "Seeded thread %ld: 春耕经验交流 spring farming", t);
	snprintf(body, sizeof body, seed_body, t % 34, t, t, t, t, t, t, t);
	if (forum_thread_create(c, "bench", title, body, &th, &p) != AG_CREATED)
		return -1;
	ids[0] = p.id;
	for (long i = 1; i < posts; i++) {
		snprintf(body, sizeof body, seed_body, i % 34 + 1, (i * 7) % 23 + 1, i, i / 2, i, i, i, i);
		if (forum_reply(c, th.id, seed_parent(ids, i), body, &p) != AG_CREATED)
			return -1;
		ids[i] = p.id;
	}
	return 0;
}

int tools_seed(struct store *db, long threads, long posts)
{
	struct arena *a = arena_new();
	struct user admin = {.role = ROLE_ADMIN};
	struct agora_ctx c = demo_ctx(db, a, &admin);
	struct board_input bi = {"bench", "Benchmark board", "Synthetic threads from agorad seed.", NULL, NULL, NULL};
	struct board b;
	int rc = -1;
	int64_t *ids = xcalloc((size_t)(posts > 0 ? posts : 1), sizeof *ids);
	if (store_user_by_name(db, a, "seed", &admin) != STORE_OK) {
		admin = (struct user){.username = "seed", .display_name = "Seed", .role = ROLE_ADMIN};
		if (account_create(&c, &admin, "seed-password-not-for-login") != AG_CREATED)
			goto done;
	}
	c.actor = &admin;
	if (forum_board(&c, "bench", &b) != AG_OK && forum_board_create(&c, &bi, &b) != AG_CREATED)
		goto done;
	for (long t = 0; t < threads; t++) {
		struct arena *per = arena_new();
		c.arena = per;
		int bad = seed_thread(&c, t, posts, ids);
		arena_free(per);
		c.arena = a;
		if (bad)
			goto done;
	}
	rc = 0;
done:
	free(ids);
	arena_free(a);
	return rc;
}
