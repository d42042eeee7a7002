/* store_user: users, their sessions, failed logins and invite codes. */
#ifndef AGORA_STORE_USER_H
#define AGORA_STORE_USER_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* Users. store_user_insert sets u->id; STORE_CONFLICT when the name is taken. */
int store_user_insert(struct store *db, struct user *u, const char *pw_hash);
int store_user_by_name(struct store *db, struct arena *a, const char *name, struct user *out);
/* Like store_user_by_name, but also fills out->pw_hash. */
int store_user_credentials(struct store *db, struct arena *a, const char *name, struct user *out);
int store_user_update_profile(struct store *db, const struct user *u);
int store_user_set_role(struct store *db, int64_t user_id, enum role role);
int store_user_set_password(struct store *db, int64_t user_id, const char *pw_hash);
int store_user_count(struct store *db, int64_t *n);

/* Sessions, stored by the digest of their token only. */
int store_session_create(struct store *db, int64_t user_id, const char *digest, int64_t now, int64_t expires);
int store_session_user(struct store *db, struct arena *a, const char *digest, int64_t now, struct user *out);
int store_session_delete(struct store *db, const char *digest);
/* Ends every session of a user except the one with keep_digest (may be NULL). */
int store_sessions_end_others(struct store *db, int64_t user_id, const char *keep_digest);

/* Failed sign-ins (and wrong current passwords), for throttling. What one address failed
 * within the window (since < at), and of that what it failed at the account name. */
struct login_stats {
	int64_t addr_failures, addr_oldest, addr_last;
	int64_t name_failures, name_last;
};
int store_login_stats(struct store *db, const char *name, const char *addr, int64_t since, struct login_stats *out);
/* Records a failure (before the password is checked: a reservation); *id names it. */
int store_login_failure_add(struct store *db, const char *name, const char *addr, int64_t now, int64_t *id);
/* A password matched: forgets the failure id and what addr failed at name before. */
int store_login_failures_clear(struct store *db, const char *name, const char *addr, int64_t id);
/* Registrations per client address: records an attempt at now unless the address made max
 * since `since` (STORE_NOTFOUND then; *oldest is the oldest of them). */
int store_registration_reserve(struct store *db, const char *addr, int64_t now, int64_t since, int64_t max,
			       int64_t *oldest);
int store_registrations_expire(struct store *db, int64_t before);
/* Housekeeping: deletes the sessions expired by now, and the failed logins recorded before
 * `before`. */
int store_sessions_expire(struct store *db, int64_t now);
int store_login_failures_expire(struct store *db, int64_t before);

/* Invite codes: store_invite_use marks an unused code used; STORE_NOTFOUND otherwise. */
int store_invite_create(struct store *db, const char *code, int64_t by, int64_t now);
int store_invite_use(struct store *db, const char *code, int64_t user_id);
/* STORE_OK when the code exists and is unused, else STORE_NOTFOUND. */
int store_invite_usable(struct store *db, const char *code);

#endif
