/* A post refused on a page (by a plugin, or for failing a rule: empty, too long, too fast, a
 * locked thread) goes back to the composer it came from, with the text the member typed, the
 * reason in the reader's language and the field marked, instead of an error page whose way
 * out is the home page. The API answers its error object as before. */
#include <string.h>

#include "access.h"
#include "handlers.h"
#include "views.h"

/* Which field the refusal is about: the title's codes mark the title, the rest the body. */
static const char *field_of(const char *code)
{
	return code && (!strcmp(code, "invalid_title") || !strcmp(code, "title_too_long")) ? "title" : "body";
}

static handler_fn page_of(enum compose_kind kind)
{
	switch (kind) {
	case COMPOSE_THREAD: return h_board_get;
	case COMPOSE_REPLY: return h_thread_get;
	default: return h_post_edit_page;
	}
}

/* Puts the typed text where the page's composer shows it. */
static void refill(struct req *r, json_t *m, const struct composed *in)
{
	struct post parent;
	const char *body = in->body ? in->body : "";
	switch (in->kind) {
	case COMPOSE_THREAD:
		json_object_set_new(m, "new_thread", json_pack("{s:s, s:s}", "title", in->title ? in->title : "",
							       "body", body));
		break;
	case COMPOSE_REPLY:
		json_object_set_new(m, "reply_text", json_string(body));
		if (in->parent > 0 && access_post(&r->ctx, in->parent, &parent) == AG_OK &&
		    parent.thread_id == param_id(r, 0))
			json_object_set_new(m, "reply_to", view_post(&parent));
		break;
	default:
		json_object_set_new(json_object_get(m, "post"), "body", json_string(body));
	}
}

/* The error page, with the text to copy, when no composer can be shown again. */
static void error_page(struct req *r, int status, json_t *failed, const struct composed *in)
{
	req_reply(r, status, failed);
	if (in->body)
		json_object_set_new(r->model, "draft", json_string(in->body));
	if (in->title)
		json_object_set_new(r->model, "draft_title", json_string(in->title));
}

void compose_again(struct req *r, enum ag_status st, const struct composed *in)
{
	req_fail(r, st);
	if (!is_page(r))
		return;
	/* the form was read; what it says was refused (a too-long field included: the body as a
	 * whole passed the transport's limit) */
	int status = r->status == 400 || r->status == 413 ? 422 : r->status;
	const char *code = r->ctx.error_code;
	json_t *failed = json_incref(r->model);
	r->status = 0;
	page_of(in->kind)(r);
	if (r->status != 200 || r->deferred) {
		error_page(r, status, failed, in);
		return;
	}
	json_t *m = r->model, *err = json_object_get(failed, "error");
	json_object_set_new(m, "composer_error", json_pack("{s:O, s:s}", "message", json_object_get(err, "message"),
							   "field", field_of(code)));
	json_object_set_new(m, strcmp(field_of(code), "title") ? "body_invalid" : "title_invalid", json_true());
	json_object_set(m, "error", err);
	refill(r, m, in);
	json_decref(failed);
	r->status = status;
	r->tmpl = r->route->tmpl;
}
