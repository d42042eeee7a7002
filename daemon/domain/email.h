/* email: members' addresses, what e-mail they want, and the links that work without signing in
 * (confirming an address, unsubscribing). An address is used only once its owner opened the
 * confirmation link sent to it, and is shown only to its owner and to admins. */
#ifndef AGORA_EMAIL_H
#define AGORA_EMAIL_H

#include "ctx.h"
#include "store_mail.h"

enum {
	EMAIL_CONFIRM_LIFETIME = 48 * 3600,
	EMAIL_CONFIRMS_PER_DAY = 5, /* confirmation mails one member may cause in a day */
	EMAIL_MAX_BYTES = 254,
};

/* Whether the actor may see u's address and preferences: u themself or an admin. */
struct ag_right email_may_see(const struct agora_ctx *c, const struct user *u);
/* u's address and preferences, for those email_may_see allows. */
enum ag_status email_prefs(struct agora_ctx *c, const struct user *u, struct mail_prefs *p);
/* AG_OK when addr may be a member's address ("" removes it), else AG_EINVAL invalid_email. */
enum ag_status email_check(struct agora_ctx *c, const char *addr);
/* Inside the caller's transaction: u's new address waits for confirmation, and the mail with
 * its link is queued (at most EMAIL_CONFIRMS_PER_DAY a day; beyond, AG_ERATE); *sent (may be
 * NULL) says whether one was. The address in use, or the one waiting, changes nothing; ""
 * forgets both. The address in use does not change until the link is opened. */
enum ag_status email_change(struct agora_ctx *c, const struct user *u, const char *addr, int *sent);
/* The confirmation link was opened: its address becomes the member's (AG_ECONFLICT
 * email_taken when another member confirmed it first; AG_EINVAL invalid_token when the
 * token is unknown, used or expired). Needs no sign-in. */
enum ag_status email_confirm(struct agora_ctx *c, const char *token);

/* A change of preferences; NULL fields are left as they are. */
struct prefs_input {
	const char *email_notifications; /* immediate, daily, off */
	const char *digest;              /* weekly, daily, off */
	const char *language;            /* en, zh-CN, or "" for the browser's */
};
enum ag_status email_prefs_update(struct agora_ctx *c, const struct prefs_input *in, struct mail_prefs *out);
/* The settings page in one transaction: the address box (email_change; *address_changed
 * says whether a confirmation was sent) and the preferences. */
enum ag_status email_settings_save(struct agora_ctx *c, const char *addr, const struct prefs_input *in,
				   struct mail_prefs *out, int *address_changed);
/* The language of e-mail to a member: their choice, else their browser's at sign-in, else en. */
const char *email_language(const struct mail_prefs *p);
/* Remembers the language the member's browser asked for at sign-in (for e-mail). */
int email_note_language(struct agora_ctx *c, int64_t user_id, const char *lang);

/* The token of the link that stops e-mail of one kind for a member ("notifications" or
 * "digest"): signed with the site's secret, so it needs no row and never expires. NULL when
 * the secret could not be read. In c->arena. */
const char *email_unsubscribe_token(struct agora_ctx *c, int64_t user_id, const char *what);
/* What an unsubscribe token names: the member, the kind, and whether it is off already. */
struct unsubscribe {
	struct user user;
	const char *what;
	int off;
};
/* Reads a token (AG_EINVAL invalid_token when forged or malformed), and with stop set
 * turns that kind of e-mail off. Needs no sign-in: the token is the right. */
enum ag_status email_unsubscribe(struct agora_ctx *c, const char *token, int stop, struct unsubscribe *out);

#endif
