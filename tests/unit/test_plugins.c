/* Unit tests for the shipped moderation plugins: what every plugin must do (its ABI, its
 * config), and wordfilter. linklimit and floodguard are in test_plugin_limits.c; both run on
 * the harness of plugin_harness.h (the plugins dlopened as agorad does, a fake host).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "plugin_harness.h"

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

/* ---- the suite ---------------------------------------------------------------------------------- */

static Suite *plugins_suite(void)
{
	Suite *s = suite_create("plugins");
	TCase *all = plugin_tcase("all"), *wf = plugin_tcase("wordfilter");

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
	suite_add_tcase(s, all);
	suite_add_tcase(s, wf);
	return s;
}

const struct unit_tests unit_tests = {.suites = {plugins_suite}};
