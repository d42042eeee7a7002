/* Unit tests of scheduled work (domain/jobs.c) on a real SQLite store: scheduling inside the
 * caller's transaction, the runner's order, retries with back-off, leases, handlers outside a
 * transaction and unknown kinds. The clock is whatever c.now says. */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "unit_store.h"
#include "jobs.h"
#include "store_site.h"

static int ran; /* runs of the handlers below */

static void setup(void)
{
	unit_store_setup();
	ran = 0;
}

static struct agora_ctx at(int64_t now)
{
	return (struct agora_ctx){.db = db, .arena = arena, .now = now};
}

/* Writes the key it ran for into the settings, so a rollback shows. */
static enum ag_status note(struct agora_ctx *c, const struct job *j, int64_t *again_at)
{
	(void)again_at;
	ran++;
	return ag_stored(c, store_setting_set(c->db, j->key, "ran"));
}

static enum ag_status note_then_fail(struct agora_ctx *c, const struct job *j, int64_t *again_at)
{
	note(c, j, again_at);
	c->error_detail = "the test says no";
	return ag_fail(c, AG_EINTERNAL, "refused");
}

/* Outside any transaction: it may begin one of its own. */
static enum ag_status own_transaction(struct agora_ctx *c, const struct job *j, int64_t *again_at)
{
	ck_assert_int_eq(store_begin(c->db), STORE_OK);
	enum ag_status st = note(c, j, again_at);
	ck_assert_int_eq(store_commit(c->db), STORE_OK);
	return st;
}

static const struct job_kind kinds[] = {
	{.kind = "t.note", .run = note},
	{.kind = "t.fail", .run = note_then_fail, .max_attempts = 3},
	{.kind = "t.outside", .run = own_transaction, .outside = 1},
};
static const struct job_runner runner = {kinds, UNIT_COUNT(kinds), "unit:1", 10};

static int noted(const char *key)
{
	return store_setting_get(db, arena, key) != NULL;
}

static enum job_outcome run_at(int64_t now, struct job_report *rep)
{
	struct agora_ctx c = at(now);
	return job_run_next(&c, &runner, rep);
}

START_TEST(scheduled_with_what_caused_it_and_once)
{
	struct agora_ctx c = at(10);
	struct job_report rep;
	ck_assert_int_eq(store_begin(db), STORE_OK);
	ck_assert_int_eq(job_schedule(&c, "t.note", "a", 20), AG_OK);
	store_rollback(db); /* what caused it did not happen: neither does the job */
	ck_assert_int_eq(run_at(100, &rep), JOB_NONE);
	ck_assert_int_eq(store_begin(db), STORE_OK);
	ck_assert_int_eq(job_schedule(&c, "t.note", "a", 20), AG_OK);
	ck_assert_int_eq(store_commit(db), STORE_OK);
	ck_assert_int_eq(job_schedule(&c, "t.note", "a", 90), AG_OK); /* the same job: unchanged */
	ck_assert_int_eq(run_at(19, &rep), JOB_NONE);
	ck_assert_int_eq(run_at(20, &rep), JOB_DONE);
	ck_assert_str_eq(rep.job.key, "a");
	ck_assert_int_eq(run_at(100, &rep), JOB_NONE);
	ck_assert_int_eq(job_schedule(&c, "t.note", "a", 30), AG_OK); /* done: not again */
	ck_assert_int_eq(run_at(100, &rep), JOB_NONE);
	ck_assert_int_eq(ran, 1);
}
END_TEST

START_TEST(moved_cancelled_and_run_oldest_first)
{
	struct agora_ctx c = at(10);
	struct job_report rep;
	ck_assert_int_eq(job_schedule(&c, "t.note", job_key(&c, 2), 50), AG_OK);
	ck_assert_int_eq(job_schedule(&c, "t.note", job_key(&c, 1), 40), AG_OK);
	ck_assert_int_eq(job_schedule(&c, "t.note", "gone", 30), AG_OK);
	ck_assert_int_eq(job_cancel(&c, "t.note", "gone"), AG_OK);
	ck_assert_int_eq(job_move(&c, "t.note", "2", 35), AG_OK);
	ck_assert_int_eq(run_at(100, &rep), JOB_DONE);
	ck_assert_str_eq(rep.job.key, "2");
	ck_assert_int_eq(run_at(100, &rep), JOB_DONE);
	ck_assert_str_eq(rep.job.key, "1");
	ck_assert_int_eq(run_at(100, &rep), JOB_NONE);
	ck_assert(!noted("gone"));
}
END_TEST

START_TEST(failures_back_off_then_fail_and_roll_back)
{
	struct agora_ctx c = at(0);
	struct job_report rep;
	ck_assert_int_eq(job_schedule(&c, "t.fail", "f", 0), AG_OK);
	ck_assert_int_eq(run_at(1000, &rep), JOB_RETRY);
	ck_assert_int_eq(rep.retry_at, 1000 + JOB_BACKOFF);
	ck_assert_str_eq(rep.error, "refused: the test says no");
	ck_assert_int_eq(run_at(1000 + JOB_BACKOFF - 1, &rep), JOB_NONE);
	ck_assert_int_eq(run_at(2000, &rep), JOB_RETRY);
	ck_assert_int_eq(rep.retry_at, 2000 + 2 * JOB_BACKOFF);
	ck_assert_int_eq(run_at(3000, &rep), JOB_FAILED);
	ck_assert_int_eq(rep.job.attempts, 3);
	ck_assert_int_eq(run_at(999999, &rep), JOB_NONE);
	ck_assert_int_eq(ran, 3);
	ck_assert(!noted("f")); /* every attempt's write was rolled back */
}
END_TEST

START_TEST(a_lapsed_lease_passes_the_job_on)
{
	struct agora_ctx c = at(0);
	struct job_report rep;
	struct job dead;
	ck_assert_int_eq(job_schedule(&c, "t.note", "l", 0), AG_OK);
	ck_assert_int_eq(store_job_claim(db, arena, 100, "dead:1", 10, &dead), STORE_OK);
	ck_assert_int_eq(run_at(109, &rep), JOB_NONE); /* still the dead runner's */
	ck_assert_int_eq(run_at(110, &rep), JOB_DONE);
	ck_assert_int_eq(rep.job.attempts, 2);
	/* the first runner comes back: the job is no longer its own */
	ck_assert_int_eq(store_job_finish(db, 120, dead.id, "dead:1", 0), STORE_NOTFOUND);
	ck_assert_int_eq(ran, 1);
}
END_TEST

START_TEST(outside_kinds_and_unknown_kinds)
{
	struct agora_ctx c = at(0);
	struct job_report rep;
	int64_t due;
	ck_assert_int_eq(job_schedule(&c, "t.outside", "o", 0), AG_OK);
	ck_assert_int_eq(run_at(5, &rep), JOB_DONE);
	ck_assert(noted("o"));
	ck_assert_int_eq(job_schedule(&c, "t.nobody", "u", 0), AG_OK);
	ck_assert_int_eq(store_job_count_due(db, 5, &due), STORE_OK);
	ck_assert_int_eq(due, 1);
	ck_assert_int_eq(run_at(5, &rep), JOB_FAILED);
	ck_assert_ptr_nonnull(strstr(rep.error, "unknown job kind"));
	ck_assert_int_eq(store_job_count_due(db, 5, &due), STORE_OK);
	ck_assert_int_eq(due, 0);
}
END_TEST

START_TEST(recurring_kinds_are_ensured_and_re_armed)
{
	static const struct job_kind recurring[] = {{.kind = "t.fail", .run = note_then_fail, .max_attempts = 1,
						     .recurring = 1}};
	const struct job_runner r = {recurring, 1, "unit:2", 10};
	struct agora_ctx c = at(50);
	struct job_report rep;
	ck_assert_int_eq(job_ensure_recurring(&c, &r), AG_OK);
	ck_assert_int_eq(job_ensure_recurring(&c, &r), AG_OK);
	ck_assert_int_eq(job_run_next(&c, &r, &rep), JOB_FAILED);
	ck_assert_int_eq(job_run_next(&c, &r, &rep), JOB_NONE);
	ck_assert_int_eq(job_ensure_recurring(&c, &r), AG_OK); /* the next start: armed again */
	ck_assert_int_eq(job_run_next(&c, &r, &rep), JOB_FAILED);
	ck_assert_int_eq(ran, 2);
}
END_TEST

static Suite *jobs_suite(void)
{
	Suite *s = suite_create("jobs");
	TCase *tc = tcase_create("jobs");
	tcase_add_checked_fixture(tc, setup, unit_store_teardown);
	tcase_add_test(tc, scheduled_with_what_caused_it_and_once);
	tcase_add_test(tc, moved_cancelled_and_run_oldest_first);
	tcase_add_test(tc, failures_back_off_then_fail_and_roll_back);
	tcase_add_test(tc, a_lapsed_lease_passes_the_job_on);
	tcase_add_test(tc, outside_kinds_and_unknown_kinds);
	tcase_add_test(tc, recurring_kinds_are_ensured_and_re_armed);
	suite_add_tcase(s, tc);
	return s;
}

const struct unit_tests unit_tests = {.suites = {jobs_suite}};
