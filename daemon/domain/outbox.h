/* outbox: e-mail is written in the transaction that causes it and sent later by the sender
 * thread (http/mailer.c), so a message exists exactly when its cause does and none is lost to
 * a restart. Nothing is queued unless c->mail is set (--smtp and --base-url given).
 *
 * The sender claims one message at a time under a lease (several agorad processes never send
 * the same one), asks letters.h what it says to its recipient now, hands it to the relay and
 * records the outcome: sent (and its text forgotten: it may hold a one-time link), due again
 * after a back-off while the relay is down or answers 4xx, failed for good on a 5xx or once
 * OUTBOX_MAX_ATTEMPTS are spent. A sender that dies between the relay's "250" and the record
 * sends that message once more when its lease passes: delivery is at least once, the window
 * one SMTP reply wide, and the repeat carries the same Message-ID. */
#ifndef AGORA_OUTBOX_H
#define AGORA_OUTBOX_H

#include <jansson.h>

#include "ctx.h"
#include "store_mail.h"

enum {
	OUTBOX_LEASE = 300,       /* seconds a claim lasts: beyond the relay's timeout */
	OUTBOX_MAX_ATTEMPTS = 16, /* with the jobs' back-off (1, 2, 4 ... 60 min): about 11 hours */
};

/* The newest notification's id, before a cause creates its notifications. */
int outbox_note_mark(struct agora_ctx *c, int64_t *mark);
/* Queues an e-mail for every notification made after mark to a member who wants them at
 * once. Inside the caller's transaction; a store status. */
int outbox_queue_notes(struct agora_ctx *c, int64_t mark);
/* Queues one message of kind to address `to` for user_id, saying data (a JSON object,
 * taken). Inside the caller's transaction; a store status. */
int outbox_queue(struct agora_ctx *c, int64_t user_id, const char *kind, const char *to, json_t *data);

/* Claims the next message due for sender `by` (its own transaction): AG_OK with *m, or
 * AG_ENOTFOUND when none is due. */
enum ag_status outbox_claim(struct agora_ctx *c, const char *by, struct outbox_mail *m);

enum outbox_result {
	OUTBOX_SENT,     /* the relay accepted it */
	OUTBOX_RETRY,    /* the relay could not be reached, or answered 4xx */
	OUTBOX_REJECTED, /* the relay answered 5xx: never again */
	OUTBOX_DROPPED,  /* nothing to say any more (no address, nothing visible) */
};
/* Records what became of the claimed message m; why describes a failure (never a secret).
 * For OUTBOX_RETRY, *next_at is when it is tried again, 0 when it failed for good. AG_OK, or
 * AG_ECONFLICT when the lease had passed and another sender took it. */
enum ag_status outbox_record(struct agora_ctx *c, const struct outbox_mail *m, const char *by,
			     enum outbox_result r, const char *why, int64_t *next_at);

#endif
