#include "tools.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "associations.h"
#include "blobs.h"
#include "clock.h"
#include "demo_answers.h"
#include "demo_more.h"
#include "demo_lecturers.h"
#include "demo_trainings.h"
#include "demo_uploads.h"
#include "materials.h"
#include "moderation.h"
#include "questionnaires.h"
#include "forum.h"
#include "store_site.h"
#include "store_user.h"

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
	{"spring-farming", "春耕生产交流", "春耕备耕、农资保障与技术服务经验交流。", "agriculture", NULL, NULL, NULL, 0},
	{"township-governance", "乡镇治理", "乡镇党委书记谈基层治理。", NULL, "township-secretary", NULL, NULL, 0},
	{"rural-schools", "乡村学校", "Rural schools: staffing, boarding, teaching quality.", "education", NULL, NULL, NULL, 0},
	{"grid-work", "网格化管理", "网格员的日常工作与方法。", "civil-affairs", "grid-worker", NULL, NULL, 0},
	{"site-feedback", "站务反馈", "Questions and suggestions about this site.", NULL, NULL, NULL, NULL, 0},
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
		{"teaching-notes", "教学心得", "研习社成员分享课堂与管理经验。", "education", NULL, "rural-teachers", NULL, 0},
		{"circle-lounge", "沙龙会客室", "成员之间的内部讨论。", NULL, "township-secretary", "secretaries-circle", NULL, 0},
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
	return (struct agora_ctx){.db = db, .arena = a, .actor = actor, .now = clock_now()};
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

/* The thread's id, or -1. */
static int64_t demo_thread(struct store *db, struct arena *a, const struct user *users, const char *board,
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
	return t.id;
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
	struct upload up = {sha, "春耕技术要点.txt", "text/plain; charset=utf-8", (int64_t)(sizeof demo_handout - 1),
			    (const unsigned char *)demo_handout, sizeof demo_handout - 1};
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
	c = demo_ctx(db, a, &users[2]);
	if (demo_trainings(&c, &users[3]) != 0)
		goto done;
	if (demo_lecturers(&c, users, sizeof demo_users / sizeof demo_users[0]) != 0)
		goto done;
	c = demo_ctx(db, a, &users[3]);
	c.files_dir = files_dir;
	if (demo_uploads(&c) != 0)
		goto done;
	store_setting_set(db, "registration", "open");
	int64_t spring = demo_thread(db, a, users, "spring-farming", "春耕备耕经验交流：农资、种子与农机",
				     spring_thread, sizeof spring_thread / sizeof spring_thread[0]);
	struct thread featured;
	c = demo_ctx(db, a, &users[1]); /* the board's moderator features it, as they said they would */
	if (spring < 0 || mod_thread_action(&c, spring, "feature", NULL, "经验交流", &featured) != AG_OK)
		goto done;
	c = demo_ctx(db, a, &users[0]);
	if (demo_answers(&c, users, sizeof demo_users / sizeof demo_users[0]) != 0 || demo_more(&c, "chenjing") != 0)
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

/* ---- synthetic text for agorad seed ------------------------------------------------ */

/* The words seeded posts are made of, most frequent first: word k is drawn with a weight of
 * 1/(k+1) (Zipf's law, as in real text), so the first few appear in nearly every post and
 * the last in a few percent. bench/search.sh queries words at known ranks. */
static const char *const seed_zh[] = {
	"工作", "群众", "乡村", "服务", "发展", "农民", "建设", "管理", "政策", "问题",
	"春耕", "村民", "经验", "会议", "培训", "网格", "医保", "防汛", "安全", "教育",
	"产业", "项目", "资金", "干部", "社区", "治理", "卫生", "环境", "合作社", "种植",
	"养殖", "道路", "学校", "老人", "儿童", "就业", "补贴", "检查", "落实", "宣传",
	"调研", "整改", "考核", "数据", "台账", "系统", "平台", "电商", "物流", "旅游",
	"水利", "灌溉", "化肥", "种子", "农机", "秸秆", "垃圾", "污水", "厕所", "改造",
	"乡村振兴", "基层治理", "疫情防控", "应急管理", "矛盾纠纷", "集体经济", "土地流转",
	"人居环境", "低保", "养老", "托育", "义诊", "家访", "走访", "排查", "隐患", "预案",
	"演练", "值班", "汛期", "抗旱", "防火", "森林", "河长", "湖长", "林长", "网格员",
	"驻村", "帮扶", "脱贫", "监测", "返贫", "产销", "对接", "品牌", "茶叶", "果园",
	"大棚", "蔬菜", "粮食", "水稻", "小麦", "玉米", "大豆", "油菜", "生猪", "牛羊",
	"饮水", "电网", "光伏", "沼气", "宽带", "快递", "夜校", "书屋", "广场舞", "村晚",
	"调解", "信访", "法律", "普法", "党建", "支部", "党员", "志愿者", "积分", "红黑榜",
	"村规民约", "移风易俗", "彩礼", "殡葬", "文明", "乡贤", "返乡", "创业", "贷款", "保险",
	"气象", "预警", "冰雹", "霜冻", "病虫害", "飞防", "无人机", "测土配方", "高标准农田", "轮作",
	"堰塞湖", "泥石流", "地灾", "搬迁", "安置", "宅基地", "确权", "承包", "租金", "分红",
};

static const char *const seed_en[] = {
	"the", "and", "village", "plan", "team", "data", "report", "training", "support", "meeting",
	"farmers", "budget", "health", "school", "water", "road", "market", "grid", "insurance", "flood",
	"spring", "planting", "county", "township", "service", "policy", "review", "survey", "checklist",
	"volunteers", "elderly", "children", "clinic", "broadband", "logistics", "cooperative", "harvest",
	"irrigation", "fertilizer", "seeds", "drones", "weather", "warning", "drill", "shelter", "mediation",
	"AI", "WeChat", "Excel", "dashboard", "workflow", "handbook", "pilot", "funding", "audit", "tourism",
	"livestock", "greenhouse", "solar", "biogas", "sanitation", "recycling", "compost", "orchard", "tea",
	"ecommerce", "livestream", "microloan", "pension", "childcare", "telemedicine", "vaccination",
	"landslide", "evacuation", "relocation", "cadastre", "zoning", "easement", "sorghum", "buckwheat",
};

/* Rare words: one of them in about one post in a hundred, so each is in a few hundred
 * posts of a million (the "rare word" case of the benchmark). */
static const char *const seed_rare[] = {
	"蝗灾", "沙尘暴", "雪灾", "冻雨", "旱涝", "滑坡体", "古村落", "非遗", "梯田", "竹编",
	"zeolite", "aquifer", "permafrost", "agroforestry", "hydroponics", "blockchain",
	"microgrid", "geothermal", "beekeeping", "mycology",
};

#define NWORDS(a) (sizeof(a) / sizeof(a)[0])

/* A small deterministic generator (xorshift64*), so every seed run writes the same text. */
static uint64_t seed_rand(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 2685821657736338717ULL;
}

/* Cumulative Zipf weights of a word list: word k weighs 1/(k+1). */
struct zipf {
	size_t n;
	double cum[256];
};

static void zipf_init(struct zipf *z, size_t n)
{
	double sum = 0;
	z->n = n < 256 ? n : 256;
	for (size_t k = 0; k < z->n; k++)
		z->cum[k] = sum += 1.0 / (double)(k + 1);
}

/* The index of a word drawn from z, by binary search of the cumulative weights. */
static size_t zipf_pick(uint64_t *state, const struct zipf *z)
{
	double u = (double)(seed_rand(state) >> 11) / 9007199254740992.0 * z->cum[z->n - 1];
	size_t lo = 0, hi = z->n - 1;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (z->cum[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct zipf zipf_zh, zipf_en;

/* A sentence of `words` words in Chinese (no spaces, ends with 。) or English. */
static void seed_sentence(struct buf *b, uint64_t *state, int words)
{
	int zh = seed_rand(state) % 10 < 7;
	for (int w = 0; w < words; w++) {
		if (zh) {
			buf_puts(b, seed_zh[zipf_pick(state, &zipf_zh)]);
			if (w + 1 < words && seed_rand(state) % 4 == 0)
				buf_puts(b, "，");
			continue;
		}
		buf_printf(b, "%s%s", w ? " " : "", seed_en[zipf_pick(state, &zipf_en)]);
	}
	buf_puts(b, zh ? "。" : ". ");
}

/* A post body: a paragraph, a short list with emphasis, code and a link (the same Markdown
 * features as before, so bench/thread.sh renders comparable pages), and now and then a
 * rare word. */
static void seed_text(struct buf *b, uint64_t *state, long n)
{
	for (int s = 0; s < 3; s++)
		seed_sentence(b, state, 6 + (int)(seed_rand(state) % 6));
	buf_puts(b, "\n\n- **");
	seed_sentence(b, state, 3);
	buf_printf(b, "** `post_%ld`\n- ", n);
	seed_sentence(b, state, 5);
	buf_printf(b, "\n- [handbook %ld](https://example.org/handbook/%ld) ", n % 97, n);
	if (seed_rand(state) % 100 == 0)
		buf_puts(b, seed_rare[seed_rand(state) % NWORDS(seed_rare)]);
	seed_sentence(b, state, 4);
	buf_putc(b, '\n');
}

static void seed_title(struct buf *b, uint64_t *state, long t)
{
	buf_printf(b, "Seeded thread %ld: ", t);
	seed_sentence(b, state, 2 + (int)(seed_rand(state) % 3));
}

static int seed_thread(struct agora_ctx *c, long t, long posts, int64_t *ids)
{
	struct buf title = BUF_INIT, body = BUF_INIT;
	struct thread th;
	struct post p;
	uint64_t state = 0x9E3779B97F4A7C15ULL ^ (uint64_t)(t + 1) * 0xBF58476D1CE4E5B9ULL;
	int rc = -1;
	seed_title(&title, &state, t);
	seed_text(&body, &state, t);
	if (forum_thread_create(c, "bench", title.data, body.data, &th, &p) != AG_CREATED)
		goto done;
	ids[0] = p.id;
	for (long i = 1; i < posts; i++) {
		buf_reset(&body);
		seed_text(&body, &state, i);
		if (forum_reply(c, th.id, seed_parent(ids, i), body.data, &p) != AG_CREATED)
			goto done;
		ids[i] = p.id;
	}
	rc = 0;
done:
	buf_free(&title);
	buf_free(&body);
	return rc;
}

int tools_seed(struct store *db, long threads, long posts)
{
	struct arena *a = arena_new();
	struct user admin = {.role = ROLE_ADMIN};
	struct agora_ctx c = demo_ctx(db, a, &admin);
	struct board_input bi = {"bench", "Benchmark board", "Synthetic threads from agorad seed.", NULL, NULL, NULL, NULL, 0};
	struct board b;
	int rc = -1;
	int64_t *ids = xcalloc((size_t)(posts > 0 ? posts : 1), sizeof *ids);
	zipf_init(&zipf_zh, NWORDS(seed_zh));
	zipf_init(&zipf_en, NWORDS(seed_en));
	if (store_user_by_name(db, a, "seed", &admin) != STORE_OK) {
		admin = (struct user){.username = "seed", .display_name = "Seed", .role = ROLE_ADMIN};
		if (account_create(&c, &admin, "seed-password-not-for-login") != AG_CREATED)
			goto done;
	}
	c.actor = &admin;
	if (access_board(&c, "bench", &b) != AG_OK && forum_board_create(&c, &bi, &b) != AG_CREATED)
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
