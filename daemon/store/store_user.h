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

/* Failed logins, for throttling by account name and by client address. */
int store_login_failures(struct store *db, const char *name, const char *addr, int64_t since,
			 int64_t *count, int64_t *oldest);
int store_login_failure_add(struct store *db, const char *name, const char *addr, int64_t now);
int store_login_failures_clear(struct store *db, const char *name);
/* Housekeeping: deletes the sessions expired by now, and the failed logins recorded before
 * `before`. */
int store_sessions_expire(struct store *db, int64_t now);
int store_login_failures_expire(struct store *db, int64_t before);

/* Invite codes: store_invite_use marks an unused code used; STORE_NOTFOUND otherwise. */
int store_invite_create(struct store *db, const char *code, int64_t by, int64_t now);
int store_invite_use(struct store *db, const char *code, int64_t user_id);

#endif
