/* E-mail: addresses and preferences, password resets, confirmation and unsubscribe links. */
#include <stdio.h>
#include <string.h>

#include "accounts.h"
#include "auth.h"
#include "escape.h"
#include "email.h"
#include "handlers.h"
#include "i18n.h"
#include "resets.h"
#include "views.h"

/* ---- preferences ----------------------------------------------------------------------- */

static json_t *view_prefs(const struct mail_prefs *p)
{
	return json_pack("{s:s, s:s, s:s?}", "email_notifications", p->email_notifications, "digest", p->digest,
			 "language", p->language);
}

void view_add_email(struct req *r, json_t *user, const struct user *u)
{
	struct mail_prefs p;
	if (!ag_allowed(email_may_see(&r->ctx, u)) || store_mail_prefs(r->ctx.db, r->arena, u->id, &p) != STORE_OK)
		return;
	json_object_set_new(user, "email", p.email ? json_string(p.email) : json_null());
	json_object_set_new(user, "email_pending", p.email_pending ? json_string(p.email_pending) : json_null());
}

/* What a preferences change asks for; a JSON null language (or "" from a form) is the browser's. */
static void prefs_input_read(struct req *r, struct prefs_input *in)
{
	in->email_notifications = in_str(r, "email_notifications");
	in->digest = in_str(r, "digest");
	in->language = json_is_null(json_object_get(r->input, "language")) ? "" : in_str(r, "language");
}

void h_prefs_get(struct req *r)
{
	struct mail_prefs p;
	enum ag_status st = email_prefs(&r->ctx, &r->actor, &p);
	if (st != AG_OK)
		req_fail(r, st);
	else
		req_reply(r, 200, json_pack("{s:o}", "preferences", view_prefs(&p)));
}

void h_prefs_patch(struct req *r)
{
	struct prefs_input in;
	struct mail_prefs p;
	prefs_input_read(r, &in);
	if (r->bad_input)
		return;
	enum ag_status st = email_prefs_update(&r->ctx, &in, &p);
	if (st != AG_OK)
		req_fail(r, st);
	else
		req_reply(r, 200, json_pack("{s:o}", "preferences", view_prefs(&p)));
}

/* The choices of a select, the current one selected, labelled from the catalog (PREFIX_VALUE;
 * the empty value is "browser"). */
static json_t *choices(struct req *r, const char *prefix, const char *const *values, const char *current)
{
	json_t *a = json_array();
	for (; *values; values++) {
		char key[64];
		snprintf(key, sizeof key, "settings.%s_%s", prefix, *values[0] ? *values : "browser");
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value", *values, "label", i18n_msg(r->lang, key),
						   "selected", !strcmp(*values, current ? current : "")));
	}
	return a;
}

static void settings_model(struct req *r, json_t *m, const struct mail_prefs *p)
{
	static const char *const notes[] = {"immediate", "daily", "off", NULL};
	static const char *const digests[] = {"weekly", "daily", "off", NULL};
	static const char *const langs[] = {"", "en", "zh-CN", NULL};
	json_object_set_new(m, "email", p->email ? json_string(p->email) : json_null());
	json_object_set_new(m, "email_pending", p->email_pending ? json_string(p->email_pending) : json_null());
	json_object_set_new(m, "notification_choices", choices(r, "notif", notes, p->email_notifications));
	json_object_set_new(m, "digest_choices", choices(r, "digest", digests, p->digest));
	json_object_set_new(m, "language_choices", choices(r, "lang", langs, p->language));
	json_object_set_new(m, "mail_on", json_boolean(r->ctx.mail));
	json_object_set_new(m, "saved", json_boolean(req_query(r, "saved") != NULL));
	json_object_set_new(m, "sent", json_boolean(req_query(r, "sent") != NULL));
	json_t *me = json_object(); /* the bio and expertise form, posted to /u/NAME */
	view_add_profile_text(r, me, r->actor.id);
	json_object_set_new(m, "profile", me);
}

void h_settings_page(struct req *r)
{
	struct mail_prefs p;
	enum ag_status st = email_prefs(&r->ctx, &r->actor, &p);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	json_t *m = json_object();
	settings_model(r, m, &p);
	req_reply(r, 200, m);
}

/* The settings form: preferences, and a new address when the box holds another one. */
void h_settings_save(struct req *r)
{
	struct prefs_input in;
	struct mail_prefs p;
	prefs_input_read(r, &in);
	const char *addr = in_str(r, "email");
	if (r->bad_input)
		return;
	int changed = 0;
	enum ag_status st = email_settings_save(&r->ctx, addr, &in, &p, &changed);
	if (st != AG_OK) {
		req_fail(r, st);
		r->tmpl = "settings";
		settings_model(r, r->model, &p);
		json_object_set_new(r->model, "email_typed", json_string(addr ? addr : ""));
		return;
	}
	req_flash(r, changed ? "flash.confirmation_sent" : "flash.settings_saved");
	req_redirect(r, changed ? "/settings?sent=1" : "/settings?saved=1");
}

/* ---- confirming an address --------------------------------------------------------------- */

void h_email_confirm_page(struct req *r)
{
	const char *token = req_query(r, "token");
	req_reply(r, 200, json_pack("{s:s}", "token", token ? token : ""));
}

void h_email_confirm(struct req *r)
{
	const char *token = in_str(r, "token");
	if (r->bad_input)
		return;
	enum ag_status st = email_confirm(&r->ctx, token);
	if (st != AG_OK) {
		req_fail(r, st);
		if (is_page(r))
			r->tmpl = "email_confirm";
		return;
	}
	if (is_page(r))
		req_reply(r, 200, json_pack("{s:b}", "confirmed", 1));
	else
		req_done(r, 204, NULL, NULL);
}

/* ---- unsubscribing --------------------------------------------------------------------- */

/* GET shows what the link stops and a button; POST (the button, or a mail client's RFC 8058
 * one-click POST, which carries no cookie and no CSRF token: the signed token is the right). */
void h_unsubscribe(struct req *r)
{
	struct unsubscribe u;
	const char *token = req_query(r, "token");
	enum ag_status st = email_unsubscribe(&r->ctx, token, r->method == M_POST, &u);
	if (st != AG_OK) {
		req_fail(r, st);
		r->tmpl = "unsubscribe";
		return;
	}
	json_t *m = json_pack("{s:s, s:s, s:b, s:b, s:s}", "token", token, "what", u.what, "off", u.off, "done",
			      r->method == M_POST, "display_name", u.user.display_name);
	json_object_set_new(m, strcmp(u.what, "digest") == 0 ? "what_digest" : "what_notifications", json_true());
	req_reply(r, 200, m);
}

/* ---- password resets -------------------------------------------------------------------- */

void h_reset_page(struct req *r)
{
	req_reply(r, 200, json_object());
}

/* 202 whatever the login: the answer never tells whether it names anyone. */
void h_reset_request(struct req *r)
{
	const char *login = in_str(r, "login");
	if (r->bad_input)
		return;
	enum ag_status st = reset_request(&r->ctx, login);
	if (st != AG_OK) {
		req_fail(r, st);
		if (is_page(r))
			r->tmpl = "reset";
		return;
	}
	req_reply(r, 202, is_page(r) ? json_pack("{s:b}", "sent", 1) : json_object());
}

void h_reset_confirm_page(struct req *r)
{
	const char *token = req_query(r, "token");
	req_reply(r, 200, json_pack("{s:s}", "token", token ? token : ""));
}

struct reset_job {
	const char *token, *password;
	char hash[AUTH_HASH_MAX];
	int failed;
};

static void reset_hash(void *arg)
{
	struct reset_job *j = arg;
	j->failed = auth_password_hash(j->password, j->hash) != 0;
}

static void reset_fail(struct req *r, enum ag_status st, const char *token)
{
	req_fail(r, st);
	if (!is_page(r))
		return;
	r->tmpl = "reset_confirm";
	json_object_set_new(r->model, "token", json_string(token ? token : ""));
}

static void reset_done(struct req *r, void *arg)
{
	struct reset_job *j = arg;
	enum ag_status st = j->failed ? ag_fail(&r->ctx, AG_EINTERNAL, "internal")
				      : reset_confirm_finish(&r->ctx, j->token, j->hash);
	if (st != AG_OK)
		reset_fail(r, st, j->token);
	else
		req_done(r, 204, NULL, "/login?reset=1");
}

void h_reset_confirm(struct req *r)
{
	struct reset_job *j = arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	j->token = in_str(r, "token");
	j->password = in_str(r, "password");
	if (r->bad_input)
		return;
	if (!j->password) {
		reset_fail(r, ag_fail(&r->ctx, AG_EINVAL, "missing_password"), j->token);
		return;
	}
	enum ag_status st = reset_confirm_begin(&r->ctx, j->token, j->password);
	if (st != AG_OK) {
		reset_fail(r, st, j->token);
		return;
	}
	req_defer(r, reset_hash, reset_done, NULL, j);
}

/* An admin's one-time link for a member without e-mail, shown once to hand over. */
void h_reset_link(struct req *r)
{
	const char *token;
	enum ag_status st = reset_make_link(&r->ctx, r->params[0], &token);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	struct buf u = BUF_INIT;
	buf_printf(&u, "%s/reset/confirm?token=", handlers_site_base(r, NULL));
	url_encode(&u, token, strlen(token));
	json_t *m = json_pack("{s:s%, s:s}", "url", u.data, u.len, "username", r->params[0]);
	buf_free(&u);
	struct user who; /* the page names the member as people know them */
	if (account_get(&r->ctx, r->params[0], &who) == AG_OK && who.display_name)
		json_object_set_new(m, "display_name", json_string(who.display_name));
	if (is_page(r))
		r->tmpl = "reset_link";
	req_reply(r, 201, m);
}
