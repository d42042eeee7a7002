/* mailer: the sender of the outbox (domain/outbox.h), a thread of its own with its own
 * database connection, never the event loop. It takes one message at a time, reads what it
 * says now (letters.h), renders it from the templates in the recipient's language, hands it to
 * the SMTP relay and records the outcome — at most `rate` messages a minute, so that an
 * announcement to 100,000 members does not flood the relay. Started only when both --smtp and
 * --base-url are given. */
#ifndef AGORA_MAILER_H
#define AGORA_MAILER_H

#include <jansson.h>

struct agora_ctx;
struct generation_cell;
struct letter;

struct mail_config {
	const char *smtp_url;      /* smtp://HOST:PORT or smtps://…, may carry user:password@ */
	const char *smtp_user;     /* NULL: from the URL, or none */
	const char *smtp_password;
	const char *from;          /* the sender address: --mail-from, else agora@ the base URL's host */
	const char *base_url;      /* https://forum.example.org, without a trailing slash */
	int rate;                  /* messages per minute, at most (0: MAILER_RATE) */
};

enum { MAILER_RATE = 600 };

struct mailer;

/* What the sender renders messages with: the site's templates and catalogs of the current
 * generation, taken for each message, and the model of a letter (struct http_app.letter_model);
 * they must outlive it. */
struct mail_look {
	struct generation_cell *gens;
	json_t *(*model)(struct agora_ctx *c, const struct letter *l);
};

/* Starts the sender. base is copied for each message's context (it must outlive the sender).
 * NULL when it cannot start (said on stderr). */
struct mailer *mailer_start(const char *db_path, const struct mail_config *cfg, const struct mail_look *look,
			    const struct agora_ctx *base);
/* Stops it after the message in hand, and frees it. NULL is allowed. */
void mailer_stop(struct mailer *m);

#endif
