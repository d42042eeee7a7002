/* resets: a forgotten password. A member asks by name or address and gets a one-time link by
 * e-mail (valid RESET_LIFETIME); an admin makes one for a member without an address (valid
 * RESET_LINK_LIFETIME) and hands it over. Tokens are stored as digests, used once, and a
 * reset ends every session of the account, live-update streams included. Asking reveals
 * nothing: the answer is the same whether or not the login names anyone. */
#ifndef AGORA_RESETS_H
#define AGORA_RESETS_H

#include "ctx.h"

enum {
	RESET_LIFETIME = 3600,
	RESET_LINK_LIFETIME = 86400,
	RESET_MAILS_PER_HOUR = 3, /* more asks in an hour send nothing more (and still say 202) */
};

/* Queues a reset mail when login (a username or a confirmed address) names a member with a
 * confirmed address; AG_OK in every case but a database failure. */
enum ag_status reset_request(struct agora_ctx *c, const char *login);
/* Admins make reset links. */
struct ag_right reset_may_make_link(const struct agora_ctx *c);
/* A one-time link's token for member name (in c->arena). */
enum ag_status reset_make_link(struct agora_ctx *c, const char *name, const char **token);
/* First half of a reset: the token would be accepted and the password is acceptable
 * (AG_EINVAL invalid_token, password_too_short, ...). Writes nothing. */
enum ag_status reset_confirm_begin(struct agora_ctx *c, const char *token, const char *password);
/* Second half, given the new password's hash (made off the event loop): uses the token, sets
 * the password, ends every session of the account. */
enum ag_status reset_confirm_finish(struct agora_ctx *c, const char *token, const char *pw_hash);

#endif
