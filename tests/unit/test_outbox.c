/* Unit tests of e-mail's domain half on a real SQLite store: the outbox queue (nothing without
 * mail), claims under a lease, the back-off and its end, a refusal, letters dropped when their
 * address changed, signed unsubscribe tokens, and the digest's periods. */
#include <string.h>
#include <time.h>

#include "check_main.h"
#include "unit_store.h"
#include "accounts.h"
#include "digests.h"
#include "email.h"
#include "jobs.h"
#include "letters.h"
#include "outbox.h"
#include "store_mail.h"
#include "store_user.h"

static struct agora_ctx at(int64_t now, int mail)
{
	return (struct agora_ctx){.db = db, .arena = arena, .now = now, .mail = mail};
}

static struct user member(const char *name, const char *email)
{
	struct agora_ctx c = at(1000, 1);
	struct user u = {.username = name, .role = ROLE_MEMBER};
	ck_assert_int_eq(account_create(&c, &u, "correct horse battery"), AG_CREATED);
	ck_assert_int_eq(store_user_by_name(db, arena, name, &u), STORE_OK);
	if (email)
		ck_assert_int_eq(store_mail_confirm(db, u.id, email), STORE_OK);
	return u;
}

static int64_t waiting(void)
{
	int64_t w = 0, f = 0;
	ck_assert_int_eq(store_outbox_counts(db, &w, &f), STORE_OK);
	return w;
}

static int64_t failed(void)
{
	int64_t w = 0, f = 0;
	ck_assert_int_eq(store_outbox_counts(db, &w, &f), STORE_OK);
	return f;
}

START_TEST(nothing_is_queued_without_mail)
{
	struct user u = member("quiet", "quiet@example.org");
	struct agora_ctx c = at(2000, 0);
	struct outbox_mail m;
	ck_assert_int_eq(outbox_queue(&c, u.id, "reset", "quiet@example.org", json_pack("{s:s}", "token", "t")),
			 STORE_OK);
	ck_assert_int_eq(outbox_claim(&c, "a", &m), AG_ENOTFOUND);
	ck_assert_int_eq(waiting(), 0);
}
END_TEST

START_TEST(sent_once_and_forgotten)
{
	struct user u = member("sent", "sent@example.org");
	struct agora_ctx c = at(2000, 1);
	struct outbox_mail m;
	int64_t next = -1;
	ck_assert_int_eq(outbox_queue(&c, u.id, "reset", "sent@example.org", json_pack("{s:s}", "token", "T0K")),
			 STORE_OK);
	ck_assert_int_eq(waiting(), 1);
	ck_assert_int_eq(outbox_claim(&c, "a", &m), AG_OK);
	ck_assert_str_eq(m.kind, "reset");
	ck_assert_int_eq(m.attempts, 1);
	ck_assert_ptr_nonnull(strstr(m.data, "T0K"));
	ck_assert_int_eq(outbox_claim(&c, "b", &m), AG_ENOTFOUND); /* claimed: nobody else sends it */
	ck_assert_int_eq(outbox_record(&c, &m, "a", OUTBOX_SENT, NULL, &next), AG_OK);
	ck_assert_int_eq(next, 0);
	ck_assert_int_eq(waiting(), 0);
	c.now += OUTBOX_LEASE * 2;
	ck_assert_int_eq(outbox_claim(&c, "b", &m), AG_ENOTFOUND);
}
END_TEST

START_TEST(retried_with_back_off_then_failed)
{
	struct user u = member("down", "down@example.org");
	struct agora_ctx c = at(10000, 1);
	struct outbox_mail m;
	int64_t next = 0;
	ck_assert_int_eq(outbox_queue(&c, u.id, "reset", "down@example.org", NULL), STORE_OK);
	for (int attempt = 1; attempt < OUTBOX_MAX_ATTEMPTS; attempt++) {
		ck_assert_int_eq(outbox_claim(&c, "a", &m), AG_OK);
		ck_assert_int_eq(m.attempts, attempt);
		ck_assert_int_eq(outbox_record(&c, &m, "a", OUTBOX_RETRY, "connection refused", &next), AG_OK);
		ck_assert_int_eq(next, c.now + job_backoff(attempt));
		c.now = next - 1;
		ck_assert_int_eq(outbox_claim(&c, "a", &m), AG_ENOTFOUND); /* not before its time */
		c.now = next;
	}
	ck_assert_int_eq(outbox_claim(&c, "a", &m), AG_OK);
	ck_assert_int_eq(outbox_record(&c, &m, "a", OUTBOX_RETRY, "still down", &next), AG_OK);
	ck_assert_int_eq(next, 0); /* the attempts are spent */
	ck_assert_int_eq(failed(), 1);
	ck_assert_int_eq(waiting(), 0);
}
END_TEST

START_TEST(a_refusal_fails_at_once_and_a_lapsed_lease_passes_on)
{
	struct user u = member("lease", "lease@example.org");
	struct agora_ctx c = at(5000, 1);
	struct outbox_mail m, again;
	int64_t next = 0;
	ck_assert_int_eq(outbox_queue(&c, u.id, "reset", "lease@example.org", NULL), STORE_OK);
	ck_assert_int_eq(outbox_claim(&c, "a", &m), AG_OK);
	c.now += OUTBOX_LEASE; /* a died */
	ck_assert_int_eq(outbox_claim(&c, "b", &again), AG_OK);
	ck_assert_int_eq(again.id, m.id);
	ck_assert_int_eq(again.attempts, 2);
	ck_assert_int_eq(outbox_record(&c, &m, "a", OUTBOX_SENT, NULL, &next), AG_ECONFLICT);
	ck_assert_int_eq(outbox_record(&c, &again, "b", OUTBOX_REJECTED, "550 no such user", &next), AG_OK);
	ck_assert_int_eq(failed(), 1);
}
END_TEST

START_TEST(a_letter_to_a_replaced_address_is_dropped)
{
	struct user u = member("moved", NULL);
	struct agora_ctx c = at(3000, 1);
	struct outbox_mail first, second;
	struct letter l;
	int sent = 0;
	ck_assert_int_eq(store_begin(db), STORE_OK);
	ck_assert_int_eq(email_change(&c, &u, "old@example.org", &sent), AG_OK);
	ck_assert_int_eq(sent, 1);
	ck_assert_int_eq(email_change(&c, &u, "new@example.org", &sent), AG_OK);
	ck_assert_int_eq(store_commit(db), STORE_OK);
	ck_assert_int_eq(outbox_claim(&c, "a", &first), AG_OK);
	ck_assert_int_eq(outbox_claim(&c, "a", &second), AG_OK);
	ck_assert_str_eq(first.to_addr, "old@example.org");
	ck_assert_int_eq(letter_read(&c, &first, &l), AG_ENOTFOUND);
	ck_assert_int_eq(letter_read(&c, &second, &l), AG_OK);
	ck_assert_str_eq(l.kind, "confirm");
	ck_assert_str_eq(l.lang, "en");
	ck_assert_ptr_null(l.unsubscribe); /* requested mail is not a list */
	const char *token = json_string_value(json_object_get(l.data, "token"));
	ck_assert_ptr_nonnull(token);
	ck_assert_int_eq(email_confirm(&c, token), AG_OK);
	ck_assert_int_eq(email_confirm(&c, token), AG_EINVAL); /* once */
	letter_free(&l);
}
END_TEST

START_TEST(unsubscribe_tokens_are_signed)
{
	struct user u = member("unsub", "unsub@example.org");
	struct agora_ctx c = at(4000, 1);
	struct unsubscribe out;
	const char *t = email_unsubscribe_token(&c, u.id, "digest");
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(email_unsubscribe(&c, t, 0, &out), AG_OK);
	ck_assert_str_eq(out.what, "digest");
	ck_assert_int_eq(out.off, 0);
	ck_assert_int_eq(email_unsubscribe(&c, t, 1, &out), AG_OK);
	struct mail_prefs p;
	ck_assert_int_eq(store_mail_prefs(db, arena, u.id, &p), STORE_OK);
	ck_assert_str_eq(p.digest, "off");
	ck_assert_str_eq(p.email_notifications, "daily"); /* only the kind named */
	char forged[256];
	snprintf(forged, sizeof forged, "%s", t);
	forged[strlen(forged) - 1] ^= 1;
	ck_assert_int_eq(email_unsubscribe(&c, forged, 1, &out), AG_EINVAL);
	const char *dot = strchr(t, '.');
	snprintf(forged, sizeof forged, "%lld%s", (long long)u.id + 1, dot); /* another member, same MAC */
	ck_assert_int_eq(email_unsubscribe(&c, forged, 1, &out), AG_EINVAL);
	snprintf(forged, sizeof forged, "%lld.notifications%s", (long long)u.id, strchr(dot + 1, '.'));
	ck_assert_int_eq(email_unsubscribe(&c, forged, 1, &out), AG_EINVAL);
	ck_assert_int_eq(email_unsubscribe(&c, "", 1, &out), AG_EINVAL);
	ck_assert_int_eq(email_unsubscribe(&c, "1.digest.", 1, &out), AG_EINVAL);
	ck_assert_int_eq(email_unsubscribe(&c, NULL, 1, &out), AG_EINVAL);
}
END_TEST

/* 2026-11-30 is a Monday; the site's zone is +08:00. */
static int64_t shanghai(int mday, int hour, int min)
{
	struct tm tm = {.tm_year = 126, .tm_mon = 10, .tm_mday = mday, .tm_hour = hour, .tm_min = min};
	return (int64_t)timegm(&tm) - 8 * 3600;
}

START_TEST(digest_periods_begin_at_seven_local_on_mondays)
{
	char key[16];
	int64_t start;
	digest_period(shanghai(30, 6, 59), 8 * 3600, 1, key, &start);
	ck_assert_str_eq(key, "W2026-11-23");
	digest_period(shanghai(30, 7, 0), 8 * 3600, 1, key, &start);
	ck_assert_str_eq(key, "W2026-11-30");
	ck_assert_int_eq(start, shanghai(30, 7, 0));
	digest_period(shanghai(29, 23, 0) + 7 * 86400, 8 * 3600, 1, key, &start); /* the next Sunday night */
	ck_assert_str_eq(key, "W2026-11-30");
	digest_period(shanghai(30, 6, 59), 8 * 3600, 0, key, &start);
	ck_assert_str_eq(key, "D2026-11-29");
	ck_assert_int_eq(start, shanghai(29, 7, 0));
	digest_period(shanghai(30, 7, 1), 0, 0, key, &start); /* UTC: 23:01 the day before */
	ck_assert_str_eq(key, "D2026-11-29");
}
END_TEST

static const struct unit_tcase outbox_cases[] = {
	{.name = "outbox", .setup = unit_store_setup, .teardown = unit_store_teardown,
	 .tests = UNIT_TESTS(&nothing_is_queued_without_mail, &sent_once_and_forgotten,
			     &retried_with_back_off_then_failed, &a_refusal_fails_at_once_and_a_lapsed_lease_passes_on,
			     &a_letter_to_a_replaced_address_is_dropped, &unsubscribe_tokens_are_signed)},
	{.name = "periods", .tests = UNIT_TESTS(&digest_periods_begin_at_seven_local_on_mondays)},
};

UNIT_SUITE(outbox, outbox_cases)

const struct unit_tests unit_tests = {.suites = {outbox_suite}};
