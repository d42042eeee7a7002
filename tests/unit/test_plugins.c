/* Unit tests for the shipped moderation plugins (wordfilter, linklimit, floodguard).
 *
 * The plugins are shared objects, so the tests load the built .so files with dlopen, as
 * agorad does, from $AGORA_PLUGIN_DIR (else from the plugins/ folder beside this test's
 * executable, where the CMake build puts them), write their configs into a mkdtemp folder
 * and drive them through a fake struct agora_host whose clock the tests set.
 */
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
/* Relative, so the file builds without -Iplugins/include too. */
#include "../../plugins/include/agora/plugin.h"

#define DAY ((int64_t)86400)

/* ---- a fake host with a settable clock --------------------------------------------------- */

struct fake_host_data {
	int64_t now;
	char last_log[512];
};

static struct fake_host_data fake;

static void fake_log(const struct agora_host *host, enum agora_log_level level, const char *message)
{
	struct fake_host_data *d = host->host_data;

	(void)level;
	snprintf(d->last_log, sizeof d->last_log, "%s", message);
}

static int64_t fake_now(const struct agora_host *host)
{
	return ((const struct fake_host_data *)host->host_data)->now;
}

static const struct agora_host host = {AGORA_PLUGIN_ABI, fake_log, fake_now, &fake};

/* ---- loading plugins --------------------------------------------------------------------- */

static char plugin_dir[PATH_MAX];
static char tmpdir[64];
static void *handle;                   /* the loaded .so */
static const struct agora_plugin *plug; /* its table */
static void *state;                    /* its state, once init succeeded */
static int started;

/* Finds the folder of the built plugins: $AGORA_PLUGIN_DIR, else EXE_DIR/plugins. */
static void find_plugin_dir(void)
{
	const char *env = getenv("AGORA_PLUGIN_DIR");
	ssize_t n;
	char *slash;

	if (env && *env) {
		snprintf(plugin_dir, sizeof plugin_dir, "%s", env);
		return;
	}
	n = readlink("/proc/self/exe", plugin_dir, sizeof plugin_dir - sizeof "/plugins");
	if (n > 0)
		plugin_dir[n] = '\0';
	if (n <= 0 || !(slash = strrchr(plugin_dir, '/'))) {
		snprintf(plugin_dir, sizeof plugin_dir, "plugins");
		return;
	}
	strcpy(slash, "/plugins");
}

/* dlopens DIR/NAME.so and returns its agora_plugin() table; fails the test when it cannot. */
static const struct agora_plugin *load(const char *name)
{
	char path[PATH_MAX + 64];
	const struct agora_plugin *(*entry)(void);

	snprintf(path, sizeof path, "%s/%s.so", plugin_dir, name);
	handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	ck_assert_msg(handle != NULL, "dlopen %s: %s (set AGORA_PLUGIN_DIR to the built plugins)", path, dlerror());
	*(void **)&entry = dlsym(handle, "agora_plugin");
	ck_assert_msg(entry != NULL, "%s does not export agora_plugin", path);
	plug = entry();
	ck_assert_ptr_nonnull(plug);
	return plug;
}

/* The path of NAME.conf in the test's folder (the file may not exist). */
static const char *conf_path(const char *name)
{
	static char path[128];

	snprintf(path, sizeof path, "%s/%s.conf", tmpdir, name);
	return path;
}

static const char *write_conf(const char *name, const char *text)
{
	const char *path = conf_path(name);
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

/* Loads NAME and inits it with conf as its config (NULL: no config file); init must work. */
static void start(const char *name, const char *conf)
{
	char err[256] = "";
	const char *path = conf ? write_conf(name, conf) : conf_path(name);

	load(name);
	ck_assert_msg(plug->init(path, &host, &state, err, sizeof err) == 0, "init failed: %s", err);
	started = 1;
}

/* Loads NAME and inits it with conf, which must fail; the message lands in err. */
static void start_fails(const char *name, const char *conf, char *err, size_t errlen)
{
	const char *path = write_conf(name, conf);

	err[0] = '\0';
	load(name);
	ck_assert_int_eq(plug->init(path, &host, &state, err, errlen), -1);
	ck_assert_msg(err[0] != '\0', "init failed without a message");
}

/* Asserts that err is exactly "PATH-OF-NAME.conf:LINE: message" with message containing
 * `expect`. */
static void assert_conf_error(const char *name, const char *err, int line, const char *expect)
{
	char prefix[160];

	snprintf(prefix, sizeof prefix, "%s:%d: ", conf_path(name), line);
	ck_assert_msg(!strncmp(err, prefix, strlen(prefix)), "\"%s\" does not start with \"%s\"", err, prefix);
	ck_assert_msg(strstr(err + strlen(prefix), expect) != NULL, "\"%s\" does not say \"%s\"", err, expect);
	ck_assert_ptr_null(strchr(err, '\n'));
}

static void setup(void)
{
	find_plugin_dir();
	snprintf(tmpdir, sizeof tmpdir, "/tmp/agora-plugins-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	memset(&fake, 0, sizeof fake);
	fake.now = 1700000000;
	handle = NULL;
	plug = NULL;
	state = NULL;
	started = 0;
}

static void teardown(void)
{
	static const char *const names[] = {"wordfilter", "linklimit", "floodguard"};
	size_t i;

	if (started)
		plug->fini(state);
	if (handle)
		dlclose(handle);
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		unlink(conf_path(names[i]));
	rmdir(tmpdir);
}

/* ---- submissions --------------------------------------------------------------------------- */

/* A new thread by a month-old member, without links. */
static struct agora_submission post(const char *author, const char *title, const char *body)
{
	struct agora_submission s = {
		.author = author,
		.author_role = "member",
		.account_age = 30 * DAY,
		.author_posts = 12,
		.author_region = "zhejiang",
		.board = "general",
		.thread_id = 0,
		.title = title,
		.body = body,
		.body_len = strlen(body),
		.links = 0,
		.client_addr = "192.0.2.7",
		.is_edit = 0,
	};
	return s;
}

/* A reply in thread 42 (whose title is the thread's). */
static struct agora_submission reply(const char *author, const char *body)
{
	struct agora_submission s = post(author, "Spring planting schedule", body);

	s.thread_id = 42;
	return s;
}

/* Runs check_post on a result cleared as the host clears it. */
static struct agora_result check(const struct agora_submission *s)
{
	struct agora_result r;

	memset(&r, 0, sizeof r);
	r.verdict = AGORA_ALLOW;
	plug->check_post(state, s, &r);
	return r;
}

static enum agora_verdict verdict_of(const char *body)
{
	struct agora_submission s = reply("zhangwei", body);

	return check(&s).verdict;
}

/* A body and the verdict a reply with it must get. */
struct body_case {
	const char *body;
	enum agora_verdict verdict;
};

static void assert_verdicts(const struct body_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		enum agora_verdict v = verdict_of(c[i].body);
		ck_assert_msg(v == c[i].verdict, "\"%s\": verdict %d, expected %d", c[i].body, v, c[i].verdict);
	}
}

/* A config that init must refuse, and the error it must give: line and a part of the text. */
struct bad_conf {
	const char *conf;
	int line;
	const char *expect;
};

/* Inits NAME with each config in turn; each must fail as its case says. */
static void assert_bad_confs(const char *name, const struct bad_conf *c, size_t n)
{
	char err[256];

	for (size_t i = 0; i < n; i++) {
		start_fails(name, c[i].conf, err, sizeof err);
		assert_conf_error(name, err, c[i].line, c[i].expect);
		dlclose(handle);
		handle = NULL;
	}
}

/* ---- every plugin --------------------------------------------------------------------------- */

static const char *const shipped[] = {"wordfilter", "linklimit", "floodguard"};

START_TEST(abi_version_and_name)
{
	load(shipped[_i]);
	ck_assert_uint_eq(plug->abi_version, AGORA_PLUGIN_ABI);
	ck_assert_str_eq(plug->name, shipped[_i]);
	/* function pointers compared with NULL: ck_assert_ptr_* would turn them into void * */
	ck_assert(plug->init != NULL);
	ck_assert(plug->check_post != NULL);
	ck_assert(plug->fini != NULL);
}
END_TEST

START_TEST(comments_blank_lines_and_whitespace_are_ignored)
{
	static const char *const confs[] = {
		"# banned words\n\n   \t\n  reject   spam  \r\n",
		"# new accounts\n\n\t max_links_new_user\t 4 \r\n",
		"  # flood\n\n max_posts_per_minute   7\t\n",
	};

	start(shipped[_i], confs[_i]);
}
END_TEST

START_TEST(unreadable_config_fails)
{
	char err[256];
	const char *path = tmpdir; /* a folder, not a file */

	load(shipped[_i]);
	ck_assert_int_eq(plug->init(path, &host, &state, err, sizeof err), -1);
	ck_assert_msg(!strncmp(err, path, strlen(path)), "%s", err);
}
END_TEST

/* ---- wordfilter ------------------------------------------------------------------------------- */

START_TEST(wordfilter_reject_beats_hold)
{
	struct agora_submission s = reply("zhangwei", "the casino sends spam");
	struct agora_result r;

	start("wordfilter", "hold casino\nreject spam\n");
	r = check(&s);
	ck_assert_int_eq(r.verdict, AGORA_REJECT);
	ck_assert_str_eq(r.reason, "contains a blocked word");
	ck_assert_int_eq(r.retry_after, 0);

	s = reply("zhangwei", "a casino trip");
	r = check(&s);
	ck_assert_int_eq(r.verdict, AGORA_HOLD);
	ck_assert_str_eq(r.reason, "contains a word that needs review: casino");

	/* the hold word first in the text, the reject word later */
	ck_assert_int_eq(verdict_of("casino casino casino spam"), AGORA_REJECT);
}
END_TEST

START_TEST(wordfilter_same_word_reject_and_hold)
{
	start("wordfilter", "hold spam\nreject spam\n");
	ck_assert_int_eq(verdict_of("spam"), AGORA_REJECT);
}
END_TEST

START_TEST(wordfilter_ignores_case)
{
	static const struct body_case cases[] = {
		{"buy VIAGRA now", AGORA_REJECT},
		{"buy viagra", AGORA_REJECT},
		{"ViAgRa!", AGORA_REJECT},
		{"à l'école privée", AGORA_HOLD},
		{"L'ÉCOLE PRIVÉE", AGORA_HOLD},
		{"в МОСКВА", AGORA_HOLD},
		{"ＦＲＥＥ", AGORA_HOLD},
		{"ecole privee", AGORA_ALLOW}, /* accents are not dropped */
	};

	start("wordfilter", "reject Viagra\nhold ÉCOLE privée\nhold Москва\nhold ｆｒｅｅ\n");
	assert_verdicts(cases, UNIT_COUNT(cases));
}
END_TEST

START_TEST(wordfilter_chinese_inside_chinese_text)
{
	static const struct body_case cases[] = {
		{"专业代开发票，联系微信", AGORA_REJECT},
		{"赌博", AGORA_HOLD},
		{"赌博。", AGORA_HOLD},
	};
	struct agora_submission s = reply("zhangwei", "这里有赌博网站");
	struct agora_result r;

	start("wordfilter", "hold 赌博\nreject 代开发票\n");
	r = check(&s);
	ck_assert_int_eq(r.verdict, AGORA_HOLD);
	ck_assert_str_eq(r.reason, "contains a word that needs review: 赌博");
	assert_verdicts(cases, UNIT_COUNT(cases));
}
END_TEST

START_TEST(wordfilter_no_false_positive)
{
	static const struct body_case cases[] = {
		{"赌", AGORA_ALLOW},
		{"博赌", AGORA_ALLOW},
		{"赌 博", AGORA_ALLOW},
		{"博物馆里的赌具", AGORA_ALLOW},
		{"spa m, sp am, spa", AGORA_ALLOW},
		{"freemoney", AGORA_ALLOW},
		{"今年春耕的安排如下：先整地，再播种。", AGORA_ALLOW},
		{"", AGORA_ALLOW},
	};

	start("wordfilter", "hold 赌博\nreject spam\nhold free money\n");
	assert_verdicts(cases, UNIT_COUNT(cases));
}
END_TEST

START_TEST(wordfilter_words_with_spaces)
{
	static const struct body_case cases[] = {
		{"get FREE money", AGORA_HOLD},
		{"get free   money", AGORA_HOLD},
		{"get free\nmoney", AGORA_HOLD},
	};

	start("wordfilter", "hold free money\n");
	assert_verdicts(cases, UNIT_COUNT(cases));
}
END_TEST

START_TEST(wordfilter_title_of_new_threads_only)
{
	struct agora_submission s = post("zhangwei", "Casino night", "a clean body");

	start("wordfilter", "hold casino\nreject 赌博\n");
	ck_assert_int_eq(check(&s).verdict, AGORA_HOLD);
	/* a reply carries its thread's title, which was checked with the thread */
	s.thread_id = 42;
	ck_assert_int_eq(check(&s).verdict, AGORA_ALLOW);
	/* no word matches across the title and the body */
	s = post("zhangwei", "关于赌", "博物馆");
	ck_assert_int_eq(check(&s).verdict, AGORA_ALLOW);
}
END_TEST

START_TEST(wordfilter_checks_edits)
{
	struct agora_submission s = reply("zhangwei", "now with spam");

	s.is_edit = 1;
	start("wordfilter", "reject spam\n");
	ck_assert_int_eq(check(&s).verdict, AGORA_REJECT);
}
END_TEST

START_TEST(wordfilter_body_len_is_respected)
{
	struct agora_submission s = reply("zhangwei", "clean text spam");

	s.body_len = strlen("clean text");
	start("wordfilter", "reject spam\n");
	ck_assert_int_eq(check(&s).verdict, AGORA_ALLOW);
}
END_TEST

START_TEST(wordfilter_overlapping_words)
{
	static const struct body_case cases[] = {
		{"ushers", AGORA_REJECT},
		{"ushe", AGORA_HOLD},
		{"this", AGORA_HOLD},
		{"abcx", AGORA_REJECT},
		{"hehehe", AGORA_ALLOW},
	};

	/* Aho-Corasick's classic set, and a word that ends inside a longer one */
	start("wordfilter", "hold she\nreject hers\nhold his\nhold abcd\nreject bc\n");
	assert_verdicts(cases, UNIT_COUNT(cases));
}
END_TEST

START_TEST(wordfilter_hundreds_of_words)
{
	char *conf = malloc(600 * 32), *p = conf, body[64];
	struct agora_submission s;
	struct agora_result r;
	int i;

	for (i = 0; i < 500; i++)
		p += sprintf(p, "hold word%03d\nhold 词语%d号\n", i, i);
	strcpy(p, "reject badword\n");
	start("wordfilter", conf);
	free(conf);
	s = reply("zhangwei", "xx WORD499 yy");
	r = check(&s);
	ck_assert_int_eq(r.verdict, AGORA_HOLD);
	ck_assert_str_eq(r.reason, "contains a word that needs review: word499");
	s = reply("zhangwei", "请看词语12号");
	r = check(&s);
	ck_assert_str_eq(r.reason, "contains a word that needs review: 词语12号");
	for (i = 0; i < 500; i += 37) {
		snprintf(body, sizeof body, "一些词语%d号文字 and word%03d.", i, i);
		ck_assert_int_eq(verdict_of(body), AGORA_HOLD);
	}
	ck_assert_int_eq(verdict_of("word badword"), AGORA_REJECT);
	ck_assert_int_eq(verdict_of("wor d 词语号"), AGORA_ALLOW);
}
END_TEST

START_TEST(wordfilter_long_word_reason_cut_at_a_character)
{
	char conf[400] = "hold ", body[400] = "前言";
	struct agora_submission s;
	struct agora_result r;
	size_t len, i;

	for (i = 0; i < 100; i++)
		strcat(conf, "赌");
	strcat(body, conf + 5);
	strcat(conf, "\n");
	start("wordfilter", conf);
	s = reply("zhangwei", body);
	r = check(&s);
	ck_assert_int_eq(r.verdict, AGORA_HOLD);
	len = strlen(r.reason);
	ck_assert_uint_lt(len, sizeof r.reason);
	ck_assert_uint_eq((len - strlen("contains a word that needs review: ")) % 3, 0);
}
END_TEST

START_TEST(wordfilter_empty_or_missing_config_allows_everything)
{
	struct agora_submission s = post("zhangwei", "spam", "赌博 spam casino");

	if (_i == 0)
		start("wordfilter", NULL);
	else
		start("wordfilter", "# no words yet\n\n");
	ck_assert_int_eq(check(&s).verdict, AGORA_ALLOW);
	ck_assert_str_eq(check(&s).reason, "");
}
END_TEST

START_TEST(wordfilter_bad_lines)
{
	static const struct bad_conf cases[] = {
		{"reject spam\nban casino\n", 2, "unknown directive \"ban\""},
		{"# words\nhold\n", 2, "expected a word after hold"},
		{"reject   \t\n", 1, "expected a word after reject"},
		{"rejectspam\n", 1, "unknown directive"},
		{"hold \xE8\xB5\n", 1, "not valid UTF-8"},
	};

	assert_bad_confs("wordfilter", cases, UNIT_COUNT(cases));
}
END_TEST

/* ---- linklimit ---------------------------------------------------------------------------------- */

/* A reply by a member whose account is `days` old, with `links` links. */
static struct agora_submission linked(const char *role, int64_t days, unsigned links)
{
	struct agora_submission s = reply("liuyang", "see [this](https://example.org)");

	s.author_role = role;
	s.account_age = days * DAY;
	s.links = links;
	return s;
}

/* The author's role, account age in days and links of a reply, and the verdict it must get. */
struct linked_case {
	const char *role;
	int64_t days;
	unsigned links;
	enum agora_verdict verdict;
};

static void assert_linked_verdicts(const struct linked_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct agora_submission s = linked(c[i].role, c[i].days, c[i].links);
		enum agora_verdict v = check(&s).verdict;
		ck_assert_msg(v == c[i].verdict, "%s, %lld days, %u links: verdict %d, expected %d", c[i].role,
			      (long long)c[i].days, c[i].links, v, c[i].verdict);
	}
}

START_TEST(linklimit_holds_new_account_with_many_links)
{
	struct agora_submission s = linked("member", 1, 3);
	struct agora_result r;

	start("linklimit", NULL);
	r = check(&s);
	ck_assert_int_eq(r.verdict, AGORA_HOLD);
	ck_assert_str_eq(r.reason, "new accounts may post at most 2 links before review");
	s = linked("lecturer", 0, 50);
	ck_assert_int_eq(check(&s).verdict, AGORA_HOLD);
}
END_TEST

START_TEST(linklimit_allows_old_accounts_few_links_and_staff)
{
	static const struct linked_case cases[] = {
		{"member", 10, 3, AGORA_ALLOW},
		{"member", 1, 2, AGORA_ALLOW},
		{"moderator", 1, 10, AGORA_ALLOW},
		{"admin", 0, 10, AGORA_ALLOW},
		{"member", 3, 3, AGORA_ALLOW}, /* exactly D days old: no longer new */
	};
	struct agora_submission s;

	start("linklimit", NULL);
	assert_linked_verdicts(cases, UNIT_COUNT(cases));
	s = linked("member", 3, 3);
	s.account_age -= 1;
	ck_assert_int_eq(check(&s).verdict, AGORA_HOLD);
}
END_TEST

START_TEST(linklimit_configured)
{
	struct agora_submission s;
	struct agora_result r;

	static const struct linked_case cases[] = {
		{"member", 5, 0, AGORA_ALLOW},
		{"member", 8, 5, AGORA_ALLOW},
	};

	start("linklimit", "# stricter\nmax_links_new_user 0\nnew_user_days 7\n");
	s = linked("member", 5, 1);
	r = check(&s);
	ck_assert_int_eq(r.verdict, AGORA_HOLD);
	ck_assert_str_eq(r.reason, "new accounts may not post links before review");
	assert_linked_verdicts(cases, UNIT_COUNT(cases));
}
END_TEST

START_TEST(linklimit_one_link_reason_and_days_zero)
{
	struct agora_submission s = linked("member", 0, 2);

	start("linklimit", "max_links_new_user 1\n");
	ck_assert_str_eq(check(&s).reason, "new accounts may post at most 1 link before review");
	plug->fini(state);
	started = 0;
	dlclose(handle);
	start("linklimit", "new_user_days 0\n");
	s = linked("member", 0, 100);
	ck_assert_int_eq(check(&s).verdict, AGORA_ALLOW);
}
END_TEST

START_TEST(linklimit_bad_lines)
{
	char err[256];
	char expect[256];

	static const struct bad_conf cases[] = {
		{"max_links_new_user 3\nnew_user_days -1\n", 2, "new_user_days must not be negative"},
		{"max_links 3\n", 1, "unknown directive \"max_links\""},
		{"max_links_new_user 3x\n", 1, "expected a number after max_links_new_user"},
		{"new_user_days 3 4\n", 1, "expected a number after new_user_days"},
		{"new_user_days 99999999999999999999999\n", 1, "new_user_days must be at most"},
	};

	start_fails("linklimit", "# new accounts\n\nmax_links_new_user\n", err, sizeof err);
	snprintf(expect, sizeof expect, "%s:3: expected a number after max_links_new_user", conf_path("linklimit"));
	ck_assert_str_eq(err, expect);
	dlclose(handle);
	handle = NULL;
	assert_bad_confs("linklimit", cases, UNIT_COUNT(cases));
}
END_TEST

/* ---- floodguard --------------------------------------------------------------------------------- */

static struct agora_result submit(const char *author)
{
	struct agora_submission s = reply(author, "一条回复");

	return check(&s);
}

/* An author's reply, sent after the host clock moved `after` seconds, and its verdict. */
struct submit_case {
	const char *author;
	int after;
	enum agora_verdict verdict;
};

static void assert_submits(const struct submit_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		enum agora_verdict v;

		fake.now += c[i].after;
		v = submit(c[i].author).verdict;
		ck_assert_msg(v == c[i].verdict, "reply %zu by %s: verdict %d, expected %d", i, c[i].author, v,
			      c[i].verdict);
	}
}

START_TEST(floodguard_allows_n_then_rejects)
{
	struct agora_result r;

	static const struct submit_case first[] = {
		{"chenjing", 0, AGORA_ALLOW},
		{"chenjing", 10, AGORA_ALLOW},
		{"chenjing", 10, AGORA_ALLOW},
	};

	start("floodguard", "max_posts_per_minute 3\n");
	assert_submits(first, UNIT_COUNT(first));
	fake.now += 10;
	r = submit("chenjing");
	ck_assert_int_eq(r.verdict, AGORA_REJECT);
	ck_assert_int_eq(r.retry_after, 30); /* the first leaves the window 60 s after it came */
	ck_assert_str_eq(r.reason, "posting too fast; try again in 30 s");

	fake.now += 30; /* 60 s after the first: it has left */
	ck_assert_int_eq(submit("chenjing").verdict, AGORA_ALLOW);
	fake.now += 1;
	r = submit("chenjing");
	ck_assert_int_eq(r.verdict, AGORA_REJECT);
	ck_assert_int_eq(r.retry_after, 9);
}
END_TEST

START_TEST(floodguard_defaults_and_window)
{
	struct agora_result r;
	int i;

	start("floodguard", NULL); /* no config: 5 a minute */
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(submit("chenjing").verdict, AGORA_ALLOW);
	r = submit("chenjing");
	ck_assert_int_eq(r.verdict, AGORA_REJECT);
	ck_assert_int_ge(r.retry_after, 1);
	ck_assert_int_le(r.retry_after, 60);
	ck_assert_ptr_nonnull(strstr(r.reason, "posting too fast; try again in "));
	fake.now += 61;
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(submit("chenjing").verdict, AGORA_ALLOW);
	ck_assert_int_eq(submit("chenjing").verdict, AGORA_REJECT);
}
END_TEST

START_TEST(floodguard_refusals_are_not_counted)
{
	start("floodguard", "max_posts_per_minute 1\n");
	ck_assert_int_eq(submit("chenjing").verdict, AGORA_ALLOW);
	fake.now += 30;
	ck_assert_int_eq(submit("chenjing").verdict, AGORA_REJECT);
	fake.now += 29;
	ck_assert_int_eq(submit("chenjing").retry_after, 1);
	fake.now += 1;
	ck_assert_int_eq(submit("chenjing").verdict, AGORA_ALLOW);
}
END_TEST

START_TEST(floodguard_users_are_independent)
{
	static const struct submit_case cases[] = {
		{"chenjing", 0, AGORA_ALLOW}, {"chenjing", 0, AGORA_ALLOW}, {"chenjing", 0, AGORA_REJECT},
		{"liuyang", 0, AGORA_ALLOW},  {"liuyang", 0, AGORA_ALLOW},  {"liuyang", 0, AGORA_REJECT},
		{"zhangwei", 0, AGORA_ALLOW},
	};

	start("floodguard", "max_posts_per_minute 2\n");
	assert_submits(cases, UNIT_COUNT(cases));
}
END_TEST

START_TEST(floodguard_edits_and_staff_are_free)
{
	struct agora_submission s = reply("chenjing", "fixed a typo");
	int i;

	start("floodguard", "max_posts_per_minute 2\n");
	s.is_edit = 1;
	for (i = 0; i < 10; i++)
		ck_assert_int_eq(check(&s).verdict, AGORA_ALLOW);
	ck_assert_int_eq(submit("chenjing").verdict, AGORA_ALLOW); /* edits were not counted */
	ck_assert_int_eq(submit("chenjing").verdict, AGORA_ALLOW);
	ck_assert_int_eq(check(&s).verdict, AGORA_ALLOW); /* nor limited */
	ck_assert_int_eq(submit("chenjing").verdict, AGORA_REJECT);

	s = reply("moderator", "welcome");
	s.author_role = "moderator";
	for (i = 0; i < 20; i++)
		ck_assert_int_eq(check(&s).verdict, AGORA_ALLOW);
	s.author_role = "admin";
	for (i = 0; i < 20; i++)
		ck_assert_int_eq(check(&s).verdict, AGORA_ALLOW);
}
END_TEST

START_TEST(floodguard_forgets_idle_authors)
{
	char name[32];
	int i;

	start("floodguard", "max_posts_per_minute 1\n");
	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof name, "member%d", i);
		ck_assert_int_eq(submit(name).verdict, AGORA_ALLOW);
	}
	fake.now += 120; /* the next check sweeps them all away */
	ck_assert_int_eq(submit("member0").verdict, AGORA_ALLOW);
	ck_assert_int_eq(submit("member0").verdict, AGORA_REJECT);
	ck_assert_int_eq(submit("member4999").verdict, AGORA_ALLOW);
	fake.now -= 3600; /* a clock set back: still sane */
	ck_assert_int_eq(submit("member0").verdict, AGORA_REJECT);
	ck_assert_int_le(submit("member0").retry_after, 60);
	ck_assert_int_eq(submit("member1").verdict, AGORA_ALLOW);
}
END_TEST

#define THREADS 8
#define AUTHORS 2000
#define PER_MINUTE 2

static pthread_barrier_t barrier;

/* Submits once for each of AUTHORS authors, all threads in the same order so they collide
 * on the same author at the same time; returns how many were allowed. */
static void *flood_worker(void *arg)
{
	long allowed = 0;
	char name[32];
	int i;

	(void)arg;
	pthread_barrier_wait(&barrier);
	for (i = 0; i < AUTHORS; i++) {
		snprintf(name, sizeof name, "member%d", i);
		if (submit(name).verdict == AGORA_ALLOW)
			allowed++;
	}
	return (void *)allowed;
}

START_TEST(floodguard_concurrent_checks_count_exactly)
{
	pthread_t t[THREADS];
	long total = 0;
	void *allowed;
	int i;

	start("floodguard", "max_posts_per_minute 2\n");
	ck_assert_int_eq(pthread_barrier_init(&barrier, NULL, THREADS), 0);
	for (i = 0; i < THREADS; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, flood_worker, NULL), 0);
	for (i = 0; i < THREADS; i++) {
		ck_assert_int_eq(pthread_join(t[i], &allowed), 0);
		total += (long)allowed;
	}
	pthread_barrier_destroy(&barrier);
	ck_assert_int_eq(total, AUTHORS * PER_MINUTE);
}
END_TEST

START_TEST(floodguard_bad_lines)
{
	static const struct bad_conf cases[] = {
		{"max_posts_per_minute 0\n", 1, "max_posts_per_minute must be between 1 and"},
		{"\n# limit\nmax_posts_per_minute -3\n", 3, "max_posts_per_minute must not be negative"},
		{"max_posts_per_minute\n", 1, "expected a number after max_posts_per_minute"},
		{"max_posts_per_minute five\n", 1, "expected a number after max_posts_per_minute"},
		{"max_posts_per_hour 5\n", 1, "unknown directive"},
	};

	assert_bad_confs("floodguard", cases, UNIT_COUNT(cases));
}
END_TEST

/* ---- the suite ---------------------------------------------------------------------------------- */

static TCase *tcase(const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, setup, teardown);
	return tc;
}

static Suite *plugins_suite(void)
{
	Suite *s = suite_create("plugins");
	TCase *all = tcase("all"), *wf = tcase("wordfilter"), *ll = tcase("linklimit"), *fg = tcase("floodguard");

	tcase_add_loop_test(all, abi_version_and_name, 0, 3);
	tcase_add_loop_test(all, comments_blank_lines_and_whitespace_are_ignored, 0, 3);
	tcase_add_loop_test(all, unreadable_config_fails, 0, 3);
	tcase_add_test(wf, wordfilter_reject_beats_hold);
	tcase_add_test(wf, wordfilter_same_word_reject_and_hold);
	tcase_add_test(wf, wordfilter_ignores_case);
	tcase_add_test(wf, wordfilter_chinese_inside_chinese_text);
	tcase_add_test(wf, wordfilter_no_false_positive);
	tcase_add_test(wf, wordfilter_words_with_spaces);
	tcase_add_test(wf, wordfilter_title_of_new_threads_only);
	tcase_add_test(wf, wordfilter_checks_edits);
	tcase_add_test(wf, wordfilter_body_len_is_respected);
	tcase_add_test(wf, wordfilter_overlapping_words);
	tcase_add_test(wf, wordfilter_hundreds_of_words);
	tcase_add_test(wf, wordfilter_long_word_reason_cut_at_a_character);
	tcase_add_loop_test(wf, wordfilter_empty_or_missing_config_allows_everything, 0, 2);
	tcase_add_test(wf, wordfilter_bad_lines);
	tcase_add_test(ll, linklimit_holds_new_account_with_many_links);
	tcase_add_test(ll, linklimit_allows_old_accounts_few_links_and_staff);
	tcase_add_test(ll, linklimit_configured);
	tcase_add_test(ll, linklimit_one_link_reason_and_days_zero);
	tcase_add_test(ll, linklimit_bad_lines);
	tcase_add_test(fg, floodguard_allows_n_then_rejects);
	tcase_add_test(fg, floodguard_defaults_and_window);
	tcase_add_test(fg, floodguard_refusals_are_not_counted);
	tcase_add_test(fg, floodguard_users_are_independent);
	tcase_add_test(fg, floodguard_edits_and_staff_are_free);
	tcase_add_test(fg, floodguard_forgets_idle_authors);
	tcase_add_test(fg, floodguard_concurrent_checks_count_exactly);
	tcase_add_test(fg, floodguard_bad_lines);
	suite_add_tcase(s, all);
	suite_add_tcase(s, wf);
	suite_add_tcase(s, ll);
	suite_add_tcase(s, fg);
	return s;
}

const struct unit_tests unit_tests = {.suites = {plugins_suite}};
