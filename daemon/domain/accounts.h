/* accounts: registration, sign-in and sessions, profiles and roles.
 * Password hashing is slow on purpose, so the operations that need it come in two halves:
 * a _begin that checks everything the database can tell, and a _finish that is given the
 * result of the hashing (done by the caller off the event loop). */
#ifndef AGORA_ACCOUNTS_H
#define AGORA_ACCOUNTS_H

#include "ctx.h"

enum {
	LOGIN_WINDOW = 15 * 60,     /* seconds of failures that count */
	LOGIN_ADDR_FREE = 20,       /* failures from one address before it is slowed down */
	LOGIN_ADDR_MAX_DELAY = 8,   /* seconds between attempts from a slowed address, at most */
	LOGIN_ADDR_MAX = 100,       /* failures from one address that stop it for the window */
	LOGIN_NAME_FREE = 5,        /* failures at one account from one address before slowing */
	LOGIN_NAME_MAX_DELAY = 15 * 60,
	LOGIN_NAME_MAX_BYTES = 64,  /* longer sign-in names are refused before any lookup */
	REGISTRATION_WINDOW = 3600, /* registrations per address are counted over an hour */
	REGISTRATIONS_PER_HOUR = 10, /* the default of --registrations-per-hour */
	SESSION_LIFETIME = 30 * 86400,
	PASSWORD_MIN_CHARS = 10,
	PASSWORD_MAX_BYTES = 1024,
	LOGIN_FAILURE_KEEP = 86400, /* seconds a failed login is kept (only LOGIN_WINDOW counts) */
	ACCOUNT_CLEANUP_EVERY = 3600,
	OUTBOX_KEEP = 30 * 86400, /* seconds a message that ended stays in the outbox, to look at */
};

struct job;

/* What a registration or a profile edit asks for; NULL fields are not given. */
struct account_input {
	const char *username;
	const char *password;
	const char *current_password;
	const char *display_name;
	const char *region, *position, *industry; /* slugs; "" clears */
	const char *invite_code;
	const char *role;
	const char *email; /* self: a new address ("" removes it), confirmed by its link */
	const char *bio;   /* self: Markdown ("" clears it) */
	const char *const *expertise; /* self: nexpertise short texts, when has_expertise */
	size_t nexpertise;
	int has_expertise;
	/* filled by account_update_begin from bio and expertise */
	const char *bio_html, *expertise_joined;
};

/* Validates a registration and that the site allows it (an invite code must be usable) and
 * counts it against the client address's c->registrations_per_hour (AG_ERATE
 * too_many_registrations); fills *u ready for insertion. */
enum ag_status account_register_begin(struct agora_ctx *c, const struct account_input *in, struct user *u);
/* Inserts the account (AG_ECONFLICT when the name was taken meanwhile) and uses the invite. */
enum ag_status account_register_finish(struct agora_ctx *c, const struct account_input *in,
				       struct user *u, const char *pw_hash);
/* Creates an account directly (command line, demo): no site policy, the role given. */
enum ag_status account_create(struct agora_ctx *c, struct user *u, const char *password);

/* Sign-in, first half: refuses with AG_ERATE (c->retry_after set) while the client's address
 * is throttled, for its failures at any name or at this one (the throttle of
 * LOGIN_ADDR_* and LOGIN_NAME_*); otherwise reserves the attempt as a failure (*attempt) and
 * *hash is the stored hash, or a dummy one for unknown names so both take as long. */
enum ag_status account_login_begin(struct agora_ctx *c, const char *name, const char **hash, int64_t *attempt);
/* Second half: a mismatch keeps the reserved failure; a match forgets it and the address's
 * earlier failures at the name, and opens a session. new_hash, when not NULL, replaces the
 * stored hash (rehash after a parameter change). token receives the new session token. */
enum ag_status account_login_finish(struct agora_ctx *c, const char *name, int matched, int64_t attempt,
				    const char *new_hash, char token[64], struct user *u);
/* Ends the session of this token. */
enum ag_status account_logout(struct agora_ctx *c, const char *token);
/* The user a session token belongs to; AG_EUNAUTH when unknown or expired. */
enum ag_status account_session(struct agora_ctx *c, const char *token, struct user *u);
/* The recurring job "accounts.cleanup" (job_kinds.c): deletes expired sessions, failed
 * logins older than LOGIN_FAILURE_KEEP, expired link tokens and ended outbox messages older
 * than OUTBOX_KEEP, and runs again ACCOUNT_CLEANUP_EVERY later. Runs
 * inside the runner's transaction. */
enum ag_status account_cleanup_job(struct agora_ctx *c, const struct job *j, int64_t *again_at);

enum ag_status account_get(struct agora_ctx *c, const char *name, struct user *u);
/* Admins set anyone's role. */
struct ag_right account_may_set_role(const struct agora_ctx *c);
/* Profile edit (self) or role change (admin), first half: checks rights and every field and
 * fills *u with the new values. When a password change is asked for, *cur_hash is the
 * stored hash to verify current_password against (else NULL), and the check is reserved
 * like a sign-in attempt (*attempt; AG_ERATE while throttled). A bio is rendered and the
 * expertise checked (lecturers.h) into in's bio_html and expertise_joined. */
enum ag_status account_update_begin(struct agora_ctx *c, const char *name, struct account_input *in,
				    struct user *u, const char **cur_hash, int64_t *attempt);
/* Second half: writes all of it in one transaction. With a new password, current_ok says
 * whether current_password matched, and every other session but keep_token's ends. A new
 * password or role also ends the account's live streams (AG_RIGHTS_READER). */
enum ag_status account_update_finish(struct agora_ctx *c, const struct account_input *in, struct user *u,
				     int current_ok, int64_t attempt, const char *new_hash, const char *keep_token);

/* AG_OK for a password we accept (PASSWORD_MIN_CHARS characters of valid UTF-8, at most
 * PASSWORD_MAX_BYTES), else AG_EINVAL password_too_short or password_too_long. */
enum ag_status account_password_check(struct agora_ctx *c, const char *pw);

/* Registration mode: "open", "invite" or "closed". */
const char *account_registration_mode(struct agora_ctx *c);

#endif
