/* What several handlers build alike: who is signed in (every page's header), the choices of
 * the forms that name a term or a board, and the address of a post. */
#include <string.h>

#include "atom.h"
#include "forum.h"
#include "handlers.h"
#include "moderation.h"
#include "site.h"
#include "views.h"

static json_t *view_me(struct req *r)
{
	return json_pack("{s:s, s:s, s:b, s:b, s:o, s:o}", "username", r->actor.username, "display_name",
			 r->actor.display_name, "is_admin", r->actor.role == ROLE_ADMIN, "is_moderator",
			 mod_is_moderator(&r->ctx), "unread_notifications", follow_unread_count(r), "avatar",
			 view_avatar(r->actor.username, r->actor.display_name));
}

void handlers_page_globals(struct req *r, json_t *model)
{
	if (r->ctx.actor)
		json_object_set_new(model, "me", view_me(r));
	/* the template render() in http/answer.c picks */
	const char *tmpl = r->status >= 400 && !r->tmpl ? "error" : r->tmpl ? r->tmpl : r->route ? r->route->tmpl : NULL;
	handlers_crumbs(r, model, tmpl);
}

json_t *term_choices(struct req *r, enum term_kind kind, const char *selected)
{
	struct term *t;
	size_t n;
	json_t *a = json_array();
	if (site_terms(&r->ctx, kind, &t, &n) != AG_OK)
		return a;
	for (size_t i = 0; i < n; i++) {
		json_t *o = view_term(&t[i]);
		if (selected)
			json_object_set_new(o, "selected", json_boolean(!strcmp(selected, t[i].slug)));
		json_array_append_new(a, o);
	}
	return a;
}

json_t *board_choices(struct req *r, const char *selected)
{
	struct board *b;
	size_t n;
	json_t *a = json_array();
	if (forum_boards(&r->ctx, NULL, NULL, NULL, &b, &n) != AG_OK)
		return a;
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "slug", b[i].slug, "title", b[i].title,
						   "selected", selected && !strcmp(selected, b[i].slug)));
	return a;
}

int page_budget_take(size_t *budget, size_t len)
{
	if (len > *budget)
		return 0;
	*budget -= len;
	return 1;
}

const char *post_url(struct req *r, int64_t post_id)
{
	return arena_printf(r->arena, "/p/%lld", (long long)post_id);
}

const char *handlers_site_base(struct req *r, const char **host)
{
	const char *base = req_base_url(r);
	if (base) { /* the public address an operator gave wins over what a request claims */
		if (host) {
			const char *p = strstr(base, "://") + 3;
			*host = arena_strndup(r->arena, p, strcspn(p, "/"));
		}
		return base;
	}
	const char *h = req_header(r, "Host");
	if (!atom_host_valid(h))
		h = req_local_addr(r);
	char *low = arena_strdup(r->arena, h);
	for (char *p = low; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if (host)
		*host = low;
	return arena_printf(r->arena, "%s://%s", r->secure ? "https" : "http", low); /* a trusted proxy's word */
}

const char *const *in_strings(struct req *r, json_t *obj, const char *key, size_t *n, int *present)
{
	json_t *v = json_object_get(obj ? obj : r->input, key), *e;
	size_t i;
	*n = 0;
	*present = v != NULL;
	if (!v)
		return NULL;
	if (!json_is_array(v)) {
		r->bad_input = 1;
		return NULL;
	}
	const char **out = arena_alloc(r->arena, (json_array_size(v) + 1) * sizeof *out);
	json_array_foreach(v, i, e) {
		if (!json_is_string(e)) {
			r->bad_input = 1;
			return NULL;
		}
		out[(*n)++] = json_string_value(e);
	}
	return out;
}

int in_toggle(struct req *r, const char *yes, const char *no, int *on)
{
	if (!is_page(r)) {
		*on = r->method == M_PUT;
		return 1;
	}
	const char *action = in_str(r, "action");
	*on = action && !strcmp(action, yes);
	return action && (*on || !strcmp(action, no));
}
