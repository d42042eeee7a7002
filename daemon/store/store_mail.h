/* store_mail: what e-mail needs from the database — members' addresses and preferences, the
 * one-time tokens of confirmation and password-reset links, and the outbox. Every function is
 * one statement, so each may run alone or inside the caller's transaction: a message is queued
 * in the same transaction as what caused it. */
#ifndef AGORA_STORE_MAIL_H
#define AGORA_STORE_MAIL_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* A member's address and what they want to receive. Strings in the arena. */
struct mail_prefs {
	const char *email;               /* confirmed address, or NULL */
	const char *email_pending;       /* waiting for its confirmation link, or NULL */
	const char *email_notifications; /* "immediate", "daily" or "off" */
	const char *digest;              /* "weekly", "daily" or "off" */
	const char *language;            /* "en", "zh-CN", or NULL: the browser's */
	const char *browser_language;    /* negotiated at the last sign-in, or NULL */
};
int store_mail_prefs(struct store *db, struct arena *a, int64_t user_id, struct mail_prefs *out);
/* Sets email_notifications, digest and language (NULL clears language) from p. */
int store_mail_set_prefs(struct store *db, int64_t user_id, const struct mail_prefs *p);
/* The address waiting for confirmation (NULL: none). */
int store_mail_set_pending(struct store *db, int64_t user_id, const char *email);
/* Forgets both addresses. */
int store_mail_clear(struct store *db, int64_t user_id);
/* Makes email the confirmed address (the pending one is cleared when it is the same):
 * STORE_CONFLICT when another member has confirmed it. */
int store_mail_confirm(struct store *db, int64_t user_id, const char *email);
int store_mail_browser_language(struct store *db, int64_t user_id, const char *lang);
/* Sets the preference kind ("email_notifications" or "digest") to "off". */
int store_mail_unsubscribe(struct store *db, int64_t user_id, const char *kind);
int store_user_by_id(struct store *db, struct arena *a, int64_t id, struct user *out);
/* The member whose confirmed address is email (any case). */
int store_user_by_email(struct store *db, struct arena *a, const char *email, struct user *out);

/* A one-time token of a link, found by the digest of its text. */
struct mail_token {
	int64_t user_id;
	const char *email; /* the address a confirm token is for */
};
int store_token_add(struct store *db, const char *digest, const char *kind, int64_t user_id, const char *email,
		    int64_t now, int64_t expires_at);
/* Uses the token of this kind with this digest, when unused and not expired: marks it used
 * and fills *out. STORE_NOTFOUND otherwise. */
int store_token_use(struct store *db, struct arena *a, const char *digest, const char *kind, int64_t now,
		    struct mail_token *out);
/* The same token, left unused: STORE_OK with *out while it would be accepted. */
int store_token_peek(struct store *db, struct arena *a, const char *digest, const char *kind, int64_t now,
		     struct mail_token *out);
/* How many tokens of kind were made for the user since then. */
int store_tokens_since(struct store *db, int64_t user_id, const char *kind, int64_t since, int64_t *n);
/* Uses up every unused token of kind of the user (a reset makes the others worthless). */
int store_tokens_void(struct store *db, int64_t user_id, const char *kind, int64_t now);
/* Forgets the tokens that expired before then. */
int store_tokens_expire(struct store *db, int64_t before);

/* A message of the outbox as the sender claims it. Strings in the arena. */
struct outbox_mail {
	int64_t id;
	int64_t user_id;
	const char *kind; /* notification, summary, digest, confirm, reset */
	int64_t ref_id;   /* notification: its id */
	const char *to_addr;
	const char *data; /* summary, digest, confirm, reset: what to say (JSON) */
	int attempts;     /* including the one just claimed */
	int64_t created_at;
};
int store_outbox_add(struct store *db, int64_t user_id, const char *kind, int64_t ref_id, const char *to_addr,
		     const char *data, int64_t now);
/* The newest notification's id (0: none): what was created after it is what a cause made. */
int store_note_last_id(struct store *db, int64_t *id);
/* Queues one message per notification with id > after whose recipient has a confirmed
 * address and wants notification e-mails immediately. */
int store_outbox_notes(struct store *db, int64_t after, int64_t now);
/* Claims the oldest message due at now (or whose sender's lease passed) for `by` until
 * now + lease: STORE_OK with *out, or STORE_NOTFOUND. Run it in a write transaction. */
int store_outbox_claim(struct store *db, struct arena *a, int64_t now, const char *by, int64_t lease,
		       struct outbox_mail *out);
/* The message was accepted by the relay: sent, and what it said (which may hold a one-time
 * link) forgotten. STORE_NOTFOUND when it is no longer `by`'s. */
int store_outbox_sent(struct store *db, int64_t now, int64_t id, const char *by);
/* Due again at next_at, with the error that delayed it. */
int store_outbox_retry(struct store *db, int64_t now, int64_t id, const char *by, int64_t next_at,
		       const char *error);
/* Ended for good in state: "failed" (the relay refused it, or the attempts ran out) or
 * "dropped" (nobody to send it to any more); what it said is forgotten. */
int store_outbox_end(struct store *db, int64_t now, int64_t id, const char *by, const char *state,
		     const char *error);
/* Forgets the messages that ended (sent, dropped, failed) and were queued before then. */
int store_outbox_purge(struct store *db, int64_t before);
/* How many messages wait (queued or being sent) and how many failed, for /metrics. */
int store_outbox_counts(struct store *db, int64_t *waiting, int64_t *failed);

/* Members with a confirmed address who take a periodic mail (kind "digest" or "summary",
 * preference pref) and have not had it for period yet, by id, at most limit. */
struct mail_member {
	struct user user;
	const char *email;
	int64_t last_at; /* when the previous one was made (0: never) */
};
int store_mail_members_due(struct store *db, struct arena *a, const char *kind, const char *pref,
			   const char *period, int64_t limit, struct mail_member **out, size_t *n);
/* The member had the periodic mail of kind for period, made at then. */
int store_mail_period_done(struct store *db, int64_t user_id, const char *kind, const char *period, int64_t at);

#endif
