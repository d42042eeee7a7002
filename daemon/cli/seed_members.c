#include "seed_members.h"

#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "store_mail.h"
#include "store_site.h"
#include "store_user.h"

enum { SEED_BATCH = 2000 }; /* members per transaction */

struct taxonomy {
	struct term *t[3];
	size_t n[3];
};

static int load_terms(struct store *db, struct arena *a, struct taxonomy *x)
{
	for (int k = TERM_INDUSTRY; k <= TERM_REGION; k++)
		if (store_terms(db, a, (enum term_kind)k, &x->t[k], &x->n[k]) != STORE_OK || x->n[k] == 0)
			return -1;
	return 0;
}

/* Member i, spread over the taxonomy by three different strides so the combinations vary. */
static int add_one(struct store *db, const struct taxonomy *x, long i, const char *hash)
{
	char name[32], mail[64];
	snprintf(name, sizeof name, "seedm%ld", i);
	snprintf(mail, sizeof mail, "seedm%ld@example.org", i);
	struct user u = {.username = name, .display_name = name, .role = ROLE_MEMBER,
			 .industry = x->t[TERM_INDUSTRY][(size_t)i % x->n[TERM_INDUSTRY]],
			 .position = x->t[TERM_POSITION][(size_t)(i / 7) % x->n[TERM_POSITION]],
			 .region = x->t[TERM_REGION][(size_t)(i / 3) % x->n[TERM_REGION]]};
	struct mail_prefs p = {.email_notifications = i % 10 ? "daily" : "immediate", .digest = "weekly"};
	int rc = store_user_insert(db, &u, hash);
	if (rc == STORE_CONFLICT)
		return STORE_OK; /* there from an earlier run */
	if (rc == STORE_OK)
		rc = store_mail_confirm(db, u.id, mail);
	if (rc == STORE_OK)
		rc = store_mail_set_prefs(db, u.id, &p);
	return rc;
}

int seed_members(struct store *db, long n)
{
	char hash[AUTH_HASH_MAX];
	struct arena *a = arena_new();
	struct taxonomy x;
	int64_t have = 0;
	int rc = load_terms(db, a, &x) == 0 && auth_password_hash(SEED_MEMBER_PASSWORD, hash) == 0 ? STORE_OK : -1;
	if (rc == STORE_OK)
		rc = store_user_count(db, &have);
	for (long i = have; rc == STORE_OK && i < have + n; i += SEED_BATCH) {
		rc = store_begin(db);
		for (long j = i; rc == STORE_OK && j < i + SEED_BATCH && j < have + n; j++)
			rc = add_one(db, &x, j, hash);
		rc = rc == STORE_OK ? store_commit(db) : (store_rollback(db), rc);
	}
	arena_free(a);
	return rc == STORE_OK ? 0 : -1;
}
