/* The shared harness of the plugin tests (plugin_harness.h): the fake host, loading and
 * initing a plugin, its configs, the fixture, submissions and the assert helpers. */
#include "plugin_harness.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- a fake host with a settable clock --------------------------------------------------- */

struct fake_host_data fake;

static void fake_log(const struct agora_host *h, enum agora_log_level level, const char *message)
{
	struct fake_host_data *d = h->host_data;

	(void)level;
	snprintf(d->last_log, sizeof d->last_log, "%s", message);
}

static int64_t fake_now(const struct agora_host *h)
{
	return ((const struct fake_host_data *)h->host_data)->now;
}

const struct agora_host host = {AGORA_PLUGIN_ABI, fake_log, fake_now, &fake};

/* ---- loading plugins --------------------------------------------------------------------- */

static char plugin_dir[PATH_MAX];
char tmpdir[64];
void *handle;
const struct agora_plugin *plug;
void *state;
int started;

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
const struct agora_plugin *load(const char *name)
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
const char *conf_path(const char *name)
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
void start(const char *name, const char *conf)
{
	char err[256] = "";
	const char *path = conf ? write_conf(name, conf) : conf_path(name);

	load(name);
	ck_assert_msg(plug->init(path, &host, &state, err, sizeof err) == 0, "init failed: %s", err);
	started = 1;
}

/* Loads NAME and inits it with conf, which must fail; the message lands in err. */
void start_fails(const char *name, const char *conf, char *err, size_t errlen)
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

/* Before each test: finds the plugins, makes the test's folder, resets the clock. */
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

/* After each test: finis and unloads the plugin, removes the configs and the folder. */
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

/* A test case whose fixture is setup and teardown. */
TCase *plugin_tcase(const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, setup, teardown);
	return tc;
}

/* ---- submissions --------------------------------------------------------------------------- */

/* A new thread by a month-old member, without links. */
struct agora_submission post(const char *author, const char *title, const char *body)
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
struct agora_submission reply(const char *author, const char *body)
{
	struct agora_submission s = post(author, "Spring planting schedule", body);

	s.thread_id = 42;
	return s;
}

/* Runs check_post on a result cleared as the host clears it. */
struct agora_result check(const struct agora_submission *s)
{
	struct agora_result r;

	memset(&r, 0, sizeof r);
	r.verdict = AGORA_ALLOW;
	plug->check_post(state, s, &r);
	return r;
}

/* The verdict on a reply by zhangwei with this body. */
enum agora_verdict verdict_of(const char *body)
{
	struct agora_submission s = reply("zhangwei", body);

	return check(&s).verdict;
}

/* Asserts the verdict of every case. */
void assert_verdicts(const struct body_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		enum agora_verdict v = verdict_of(c[i].body);
		ck_assert_msg(v == c[i].verdict, "\"%s\": verdict %d, expected %d", c[i].body, v, c[i].verdict);
	}
}

/* Inits NAME with each config in turn; each must fail as its case says. */
void assert_bad_confs(const char *name, const struct bad_conf *c, size_t n)
{
	char err[256];

	for (size_t i = 0; i < n; i++) {
		start_fails(name, c[i].conf, err, sizeof err);
		assert_conf_error(name, err, c[i].line, c[i].expect);
		dlclose(handle);
		handle = NULL;
	}
}
