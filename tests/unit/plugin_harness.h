/* plugin_harness: what the tests of the shipped moderation plugins share (test_plugins.c,
 * test_plugin_limits.c; plugin_harness.c).
 *
 * The plugins are shared objects, so the tests load the built .so files with dlopen, as
 * agorad does, from $AGORA_PLUGIN_DIR (else from the plugins/ folder beside the test's
 * executable, where the CMake build puts them), write their configs into a mkdtemp folder
 * and drive them through a fake struct agora_host whose clock the tests set. Every test runs
 * in a test case made by plugin_tcase, whose fixture makes that folder and unloads the plugin.
 */
#ifndef AGORA_PLUGIN_HARNESS_H
#define AGORA_PLUGIN_HARNESS_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

/* Relative, so the tests build without -Iplugins/include too. */
#include "../../plugins/include/agora/plugin.h"

#define DAY ((int64_t)86400)

/* ---- a fake host with a settable clock ---- */

struct fake_host_data {
	int64_t now;        /* what the host's now() returns: the clock the tests move */
	char last_log[512]; /* the last message the plugin logged */
};

/* The host's data, reset by the fixture (now: 1700000000). */
extern struct fake_host_data fake;

/* The host the plugins are inited with: it logs into fake.last_log and tells fake.now. */
extern const struct agora_host host;

/* ---- the plugin under test ---- */

/* The test's folder, where the configs go (made and removed by the fixture). */
extern char tmpdir[64];

/* The loaded .so, or NULL (the fixture dlcloses it). */
extern void *handle;

/* Its agora_plugin() table. */
extern const struct agora_plugin *plug;

/* Its state, once init succeeded. */
extern void *state;

/* 1 once init succeeded: the fixture then calls fini. */
extern int started;

/* A test case of the plugin tests, with the fixture above. */
TCase *plugin_tcase(const char *name);

/* dlopens DIR/NAME.so and returns its agora_plugin() table; fails the test when it cannot. */
const struct agora_plugin *load(const char *name);

/* The path of NAME.conf in the test's folder (the file may not exist). */
const char *conf_path(const char *name);

/* Loads NAME and inits it with conf as its config (NULL: no config file); init must work. */
void start(const char *name, const char *conf);

/* Loads NAME and inits it with conf, which must fail; the message lands in err. */
void start_fails(const char *name, const char *conf, char *err, size_t errlen);

/* ---- submissions ---- */

/* A new thread by a month-old member, without links. */
struct agora_submission post(const char *author, const char *title, const char *body);

/* A reply in thread 42 (whose title is the thread's). */
struct agora_submission reply(const char *author, const char *body);

/* Runs check_post on a result cleared as the host clears it. */
struct agora_result check(const struct agora_submission *s);

/* The verdict on a reply by zhangwei with this body. */
enum agora_verdict verdict_of(const char *body);

/* A body and the verdict a reply with it must get. */
struct body_case {
	const char *body;
	enum agora_verdict verdict;
};

/* Asserts the verdict of every case. */
void assert_verdicts(const struct body_case *c, size_t n);

/* A config that init must refuse, and the error it must give: line and a part of the text. */
struct bad_conf {
	const char *conf;
	int line;
	const char *expect;
};

/* Inits NAME with each config in turn; each must fail as its case says, with an error that
 * is exactly "PATH-OF-NAME.conf:LINE: message". */
void assert_bad_confs(const char *name, const struct bad_conf *c, size_t n);

#endif
