/* The composer's helpers: a preview of the text as it would be posted, and members to
 * @mention. JSON only: the pages call them from agora.js. */
#include <string.h>

#include "composer.h"
#include "handlers.h"
#include "views.h"

void h_preview(struct req *r)
{
	const char *body = in_str(r, "body"), *html = NULL;
	if (r->bad_input)
		return;
	enum ag_status st = composer_preview(&r->ctx, body, &html);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_reply(r, 200, json_pack("{s:s}", "html", html));
}

/* What a profile page shows of a member anyway, and no more: the names. */
void h_users_prefix(struct req *r)
{
	struct user *u = NULL;
	size_t n = 0;
	enum ag_status st = composer_mentions(&r->ctx, req_query(r, "prefix"), &u, &n);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s, s:s}", "username", u[i].username, "display_name",
						      u[i].display_name));
	req_reply(r, 200, json_pack("{s:o}", "users", list));
}

void h_post_quote(struct req *r)
{
	const char *md = NULL;
	enum ag_status st = composer_quote(&r->ctx, param_id(r, 0), &md);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_reply(r, 200, json_pack("{s:s}", "markdown", md));
}

/* 1 when the request is a Preview button's (POST to a composer's /preview address), not a
 * refused post shown again in its composer (compose_again.c runs the same page handlers). */
static int asks_preview(const struct req *r)
{
	const char *p = r->route ? r->route->pattern : "";
	size_t n = strlen(p);
	return r->method == M_POST && n >= 8 && strcmp(p + n - 8, "/preview") == 0;
}

/* A composer page asked for again by its form's Preview button (POST to its /preview
 * address, the way without JS): the page as it was, its text kept in the form and, above it,
 * the text rendered as the post would be. */
void composer_page_preview(struct req *r, json_t *m, enum composer_form form)
{
	if (!asks_preview(r))
		return;
	const char *body = in_str(r, "body"), *title = in_str(r, "title"), *html = NULL;
	body = body ? body : "";
	int ok = composer_preview(&r->ctx, body, &html) == AG_OK;
	json_object_set_new(m, "preview", json_pack("{s:s, s:b}", "body_html", ok ? html : "", "failed", !ok));
	if (form == COMPOSER_REPLY)
		json_object_set_new(m, "reply_text", json_string(body));
	else if (form == COMPOSER_THREAD)
		json_object_set_new(m, "new_thread", json_pack("{s:s, s:s}", "title", title ? title : "", "body", body));
	else if (json_object_get(m, "post"))
		json_object_set_new(json_object_get(m, "post"), "body", json_string(body));
}
