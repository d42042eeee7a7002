/* letters: what a message of the outbox says to its recipient, read at the moment it is sent
 * (not when it was queued), so that nothing reaches a member that they may no longer see: a
 * notification of a post since hidden, or of a board they left, is dropped, and so is a
 * message to an address the member has since removed or replaced. */
#ifndef AGORA_LETTERS_H
#define AGORA_LETTERS_H

#include <jansson.h>

#include "ctx.h"
#include "store_follow.h"
#include "store_mail.h"

enum { LETTER_SUMMARY_MAX = 20 }; /* notifications listed in a daily summary; the rest counted */

struct letter {
	const char *kind; /* the outbox kind: notification, summary, digest, confirm, reset */
	struct user to;
	const char *to_addr;
	const char *lang;        /* en or zh-CN */
	const char *unsubscribe; /* the token of its unsubscribe link, NULL for requested mail */
	struct note note;        /* notification */
	struct note *notes;      /* summary: the newest unread, *nnotes of ntotal */
	size_t nnotes;
	int64_t ntotal;
	json_t *data; /* digest: {items:[...]}; confirm: {token, email}; reset: {token}. Borrowed
	               * from the letter: freed by letter_free. */
};

/* What m says now: AG_OK with *l, AG_ENOTFOUND when there is nothing to send any more (the
 * message is to be dropped), or a database failure. Sets c->actor to the recipient. */
enum ag_status letter_read(struct agora_ctx *c, const struct outbox_mail *m, struct letter *l);
void letter_free(struct letter *l);

#endif
