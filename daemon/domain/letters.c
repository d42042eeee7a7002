/* Reading a queued message for its recipient, with the visibility rule of their pages. */
#include "letters.h"

#include <strings.h>
#include <string.h>

#include "email.h"

/* Mail a member asked for (a link) says nothing they could stop; the rest names its kind. */
static const char *unsubscribe_kind(const char *kind)
{
	if (!strcmp(kind, "digest"))
		return "digest";
	if (!strcmp(kind, "notification") || !strcmp(kind, "summary"))
		return "notifications";
	return NULL;
}

/* Whether the address the message was queued for is still the one to use. */
static int address_current(const struct letter *l, const struct mail_prefs *p)
{
	const char *want = strcmp(l->kind, "confirm") == 0 ? p->email_pending : p->email;
	return want && l->to_addr && strcasecmp(want, l->to_addr) == 0;
}

static enum ag_status read_content(struct agora_ctx *c, const struct outbox_mail *m, struct letter *l)
{
	int rc = STORE_OK;
	if (m->data && *m->data && !(l->data = json_loads(m->data, 0, NULL)))
		return AG_ENOTFOUND;
	if (!strcmp(m->kind, "notification"))
		rc = store_note_get(c->db, c->arena, l->to.id, m->ref_id, &l->note);
	else if (!strcmp(m->kind, "summary")) {
		int64_t since = json_integer_value(json_object_get(l->data, "since"));
		rc = store_notes_unread_since(c->db, c->arena, l->to.id, since, LETTER_SUMMARY_MAX, &l->notes,
					      &l->nnotes, &l->ntotal);
		if (rc == STORE_OK && l->nnotes == 0)
			rc = STORE_NOTFOUND; /* all read since: nothing to summarise */
	}
	return rc == STORE_NOTFOUND ? AG_ENOTFOUND : ag_stored(c, rc);
}

enum ag_status letter_read(struct agora_ctx *c, const struct outbox_mail *m, struct letter *l)
{
	struct mail_prefs p;
	memset(l, 0, sizeof *l);
	l->kind = m->kind;
	l->to_addr = m->to_addr;
	int rc = store_user_by_id(c->db, c->arena, m->user_id, &l->to);
	if (rc == STORE_OK)
		rc = store_mail_prefs(c->db, c->arena, m->user_id, &p);
	if (rc != STORE_OK)
		return rc == STORE_NOTFOUND ? AG_ENOTFOUND : ag_store_fail(c, rc);
	if (!address_current(l, &p))
		return AG_ENOTFOUND;
	c->actor = &l->to;
	l->lang = email_language(&p);
	const char *what = unsubscribe_kind(m->kind);
	if (what && !(l->unsubscribe = email_unsubscribe_token(c, l->to.id, what)))
		return ag_store_fail(c, STORE_ERROR);
	enum ag_status st = read_content(c, m, l);
	if (st != AG_OK)
		letter_free(l);
	return st;
}

void letter_free(struct letter *l)
{
	json_decref(l->data);
	l->data = NULL;
}
