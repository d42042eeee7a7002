/* The model of an e-mail's templates: what a letter (domain/letters.h) says, as the pages
 * would show it. The mailer adds base_url, unsubscribe_url and settings_url. */
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "handlers.h"
#include "letters.h"
#include "views.h"

/* A site-relative link carrying a token, its value percent-encoded. */
static json_t *token_link(const char *path, const json_t *data)
{
	const char *token = json_string_value(json_object_get(data, "token"));
	struct buf b = BUF_INIT;
	buf_puts(&b, path);
	url_encode(&b, token ? token : "", token ? strlen(token) : 0);
	json_t *s = json_stringn(b.data, b.len);
	buf_free(&b);
	return s;
}

static json_t *summary_notes(const struct letter *l)
{
	json_t *a = json_array();
	for (size_t i = 0; i < l->nnotes; i++)
		json_array_append_new(a, view_note(&l->notes[i], 1));
	return a;
}

/* Digest items as the job wrote them, each with a flag for its reason (why_position...). */
static json_t *digest_items(const json_t *data)
{
	json_t *items = json_deep_copy(json_object_get(data, "items"));
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		char flag[48];
		const char *why = json_string_value(json_object_get(it, "why"));
		snprintf(flag, sizeof flag, "why_%s", why ? why : "");
		json_object_set_new(it, flag, json_true());
	}
	return items ? items : json_array();
}

json_t *letter_model(struct agora_ctx *c, const struct letter *l)
{
	(void)c;
	json_t *m = json_pack("{s:s, s:s}", "kind", l->kind, "username", l->to.username);
	if (!strcmp(l->kind, "notification"))
		json_object_set_new(m, "note", view_note(&l->note, 1));
	else if (!strcmp(l->kind, "summary")) {
		json_object_set_new(m, "notes", summary_notes(l));
		json_object_set_new(m, "total", json_integer(l->ntotal));
		if (l->ntotal > (int64_t)l->nnotes)
			json_object_set_new(m, "more", json_integer(l->ntotal - (int64_t)l->nnotes));
	} else if (!strcmp(l->kind, "digest"))
		json_object_set_new(m, "items", digest_items(l->data));
	else if (!strcmp(l->kind, "confirm")) {
		json_object_set_new(m, "link", token_link("/email/confirm?token=", l->data));
		json_object_set_new(m, "email", json_incref(json_object_get(l->data, "email")));
	} else if (!strcmp(l->kind, "reset"))
		json_object_set_new(m, "link", token_link("/reset/confirm?token=", l->data));
	return m;
}
