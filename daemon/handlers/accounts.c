/* Accounts: registration, sessions, profiles. Password hashing goes to the slow-work pool. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "answers.h"
#include "email.h"
#include "resets.h"
#include "i18n.h"
#include "moderation.h"
#include "records.h"
#include "auth.h"
#include "redirect.h"
#include "handlers.h"
#include "views.h"

#define SESSION_COOKIE_FMT "agora_session=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Lax"

static void account_input_read(struct req *r, struct account_input *in)
{
	memset(in, 0, sizeof *in);
	in->username = in_str(r, "username");
	in->password = in_str(r, "password");
	in->current_password = in_str(r, "current_password");
	in->display_name = in_str(r, "display_name");
	in->region = in_str(r, "region");
	in->position = in_str(r, "position");
	in->industry = in_str(r, "industry");
	in->invite_code = in_str(r, "invite_code");
	in->role = in_str(r, "role");
	in->email = in_str(r, "email");
	in->bio = in_str(r, "bio");
	in->expertise = in_expertise(r, &in->nexpertise, &in->has_expertise);
	if (is_page(r) && in->password && !*in->password)
		in->password = NULL; /* an empty password box on the profile form changes nothing */
}

/* Opens the session's cookie and answers with the token, the CSRF token and the user. */
static void session_reply(struct req *r, const char *token, const struct user *u, int status)
{
	char csrf[AUTH_TOKEN_LEN + 1];
	auth_csrf_for(token, csrf);
	req_cookie(r, arena_printf(r->arena, SESSION_COOKIE_FMT, token, SESSION_LIFETIME));
	json_t *m = json_pack("{s:s, s:s, s:o}", "token", token, "csrf_token", csrf, "user", view_user(u));
	req_done(r, status, m, "/");
}

static void register_model(struct req *r, json_t *m);

/* The form pages answer errors on the form itself, with what was typed (not passwords). */
static void form_fail(struct req *r, enum ag_status st, const char *tmpl)
{
	req_fail(r, st);
	if (!is_page(r))
		return;
	r->tmpl = tmpl;
	const char *next = in_str(r, "next");
	json_object_set_new(r->model, "username", json_string(in_str(r, "username") ? in_str(r, "username") : ""));
	if (!strcmp(tmpl, "register"))
		register_model(r, r->model);
	else /* the form keeps only a return path it may honour */
		json_object_set_new(r->model, "next", json_string(redirect_path_ok(next) ? next : ""));
}

/* ---- registration ---------------------------------------------------------------------- */

struct hash_job {
	struct account_input in;
	struct user u;
	const char *verify_hash; /* for sign-in and password change */
	int64_t attempt;         /* the password check reserved against the throttle */
	int matched;
	int failed;
	char new_hash[AUTH_HASH_MAX];
};

static void hash_work(void *arg)
{
	struct hash_job *j = arg;
	if (j->verify_hash) {
		j->matched = auth_password_verify(j->verify_hash, j->in.current_password ? j->in.current_password
											 : j->in.password);
		/* sign-in upgrades an outdated hash; a password change makes a new one anyway */
		if (!j->matched || (!j->in.current_password && !auth_password_needs_rehash(j->verify_hash)))
			return;
	}
	j->failed = auth_password_hash(j->in.password, j->new_hash) != 0;
}

static void register_done(struct req *r, void *arg)
{
	struct hash_job *j = arg;
	char token[64];
	if (j->failed) {
		req_fail(r, ag_fail(&r->ctx, AG_EINTERNAL, "internal"));
		return;
	}
	enum ag_status st = account_register_finish(&r->ctx, &j->in, &j->u, j->new_hash);
	if (st != AG_CREATED) {
		form_fail(r, st, "register");
		return;
	}
	if (!is_page(r)) {
		req_done(r, 201, json_pack("{s:o}", "user", view_user(&j->u)), NULL);
		return;
	}
	/* a new member who registered through the page is signed in at once */
	st = account_login_finish(&r->ctx, j->u.username, 1, 0, NULL, token, &j->u);
	if (st != AG_CREATED) {
		req_fail(r, st);
		return;
	}
	req_flash(r, "flash.registered");
	session_reply(r, token, &j->u, 201);
}

void h_user_create(struct req *r)
{
	struct hash_job *j = arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	account_input_read(r, &j->in);
	if (r->bad_input)
		return;
	enum ag_status st = account_register_begin(&r->ctx, &j->in, &j->u);
	if (st != AG_OK) {
		form_fail(r, st, "register");
		return;
	}
	req_defer(r, hash_work, register_done, NULL, j);
}

/* ---- sessions ----------------------------------------------------------------------------- */

static void login_done(struct req *r, void *arg)
{
	struct hash_job *j = arg;
	char token[64];
	int rehashed = j->matched && !j->failed && j->new_hash[0];
	enum ag_status st = account_login_finish(&r->ctx, j->in.username, j->matched, j->attempt,
						 rehashed ? j->new_hash : NULL, token, &j->u);
	if (st != AG_CREATED) {
		form_fail(r, st, "login");
		return;
	}
	req_flash(r, "flash.signed_in");
	session_reply(r, token, &j->u, 201);
	email_note_language(&r->ctx, j->u.id, i18n_lang(r->lang)); /* for e-mail to them; a hint only */
	const char *next = in_str(r, "next");
	if (is_page(r) && next && *next)
		req_redirect(r, redirect_path_or_home(next)); /* never to another site */
}

void h_session_create(struct req *r)
{
	struct hash_job *j = arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	j->in.username = in_str(r, "username");
	j->in.password = in_str(r, "password");
	if (r->bad_input)
		return;
	if (!j->in.username || !j->in.password) {
		form_fail(r, ag_fail(&r->ctx, AG_EINVAL, "missing_credentials"), "login");
		return;
	}
	enum ag_status st = account_login_begin(&r->ctx, j->in.username, &j->verify_hash, &j->attempt);
	if (st != AG_OK) {
		form_fail(r, st, "login");
		return;
	}
	req_defer(r, hash_work, login_done, NULL, j);
}

void h_session_delete(struct req *r)
{
	if (r->token)
		account_logout(&r->ctx, r->token);
	req_cookie(r, "agora_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
	req_flash(r, "flash.signed_out");
	req_done(r, 204, NULL, "/");
}

/* ---- users ---------------------------------------------------------------------------------- */

/* The choices of the registration and profile forms. */
static void add_term_choices(struct req *r, json_t *m, const struct user *u)
{
	json_object_set_new(m, "regions", term_choices(r, TERM_REGION, u ? u->region.slug : NULL));
	json_object_set_new(m, "positions", term_choices(r, TERM_POSITION, u ? u->position.slug : NULL));
	json_object_set_new(m, "industries", term_choices(r, TERM_INDUSTRY, u ? u->industry.slug : NULL));
}

void h_me(struct req *r)
{
	json_t *u = view_user(&r->actor);
	view_add_email(r, u, &r->actor);
	view_add_profile_text(r, u, r->actor.id);
	req_reply(r, 200, json_pack("{s:o}", "user", u));
}

void h_user_get(struct req *r)
{
	struct user u;
	enum ag_status st = account_get(&r->ctx, r->params[0], &u);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	json_t *user = view_user(&u);
	view_add_email(r, user, &u);
	view_add_profile_text(r, user, u.id);
	json_t *m = json_pack("{s:o, s:I}", "user", user, "post_count", (json_int_t)u.post_count);
	int64_t helpful = 0;
	if (answers_helpful_received(&r->ctx, u.id, &helpful) == AG_OK)
		json_object_set_new(m, "helpful_received", json_integer(helpful));
	profile_recent_view(r, m, &u);
	if (is_page(r)) {
		char key[32];
		snprintf(key, sizeof key, "role.%s", role_name(u.role));
		json_object_set_new(m, "role_label", json_string(i18n_msg(r->lang, key)));
	}
	if (is_page(r) && r->ctx.actor && r->actor.id == u.id) {
		json_object_set_new(m, "is_self", json_true());
		add_term_choices(r, m, &u);
	}
	if (is_page(r) && ag_allowed(mod_may_ban(&r->ctx, &u)))
		json_object_set_new(m, "can_ban", json_true());
	if (is_page(r) && ag_allowed(record_may_read(&r->ctx, &u, 0)))
		json_object_set_new(m, "can_see_record", json_true());
	if (is_page(r) && ag_allowed(reset_may_make_link(&r->ctx)))
		json_object_set_new(m, "can_reset_link", json_true());
	if (u.banned_until > r->ctx.now) {
		json_object_set_new(m, "banned", json_true());
		json_object_set_new(m, "banned_until", u.banned_until == INT64_MAX ? json_null() : view_time(u.banned_until));
	}
	if (is_page(r) && ag_allowed(account_may_set_role(&r->ctx))) {
		json_object_set_new(m, "can_set_role", json_true());
		json_t *roles = json_array();
		for (int i = ROLE_MEMBER; i <= ROLE_ADMIN; i++)
			json_array_append_new(roles, json_pack("{s:s, s:s, s:b}", "name", role_name((enum role)i), "label",
							       i18n_msg(r->lang, arena_printf(r->arena, "role.%s",
											      role_name((enum role)i))),
							       "selected", i == (int)u.role));
		json_object_set_new(m, "roles", roles);
	}
	req_reply(r, 200, m);
}

static void update_finish(struct req *r, struct hash_job *j)
{
	enum ag_status st = account_update_finish(&r->ctx, &j->in, &j->u, j->matched, j->attempt,
						  j->in.password ? j->new_hash : NULL, r->token);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	json_t *user = view_user(&j->u);
	view_add_email(r, user, &j->u);
	view_add_profile_text(r, user, j->u.id);
	req_flash(r, "flash.profile_saved");
	req_done(r, 200, json_pack("{s:o}", "user", user), arena_printf(r->arena, "/u/%s", j->u.username));
}

static void update_done(struct req *r, void *arg)
{
	struct hash_job *j = arg;
	if (j->failed) {
		req_fail(r, ag_fail(&r->ctx, AG_EINTERNAL, "internal"));
		return;
	}
	update_finish(r, j);
}

void h_user_patch(struct req *r)
{
	struct hash_job *j = arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	account_input_read(r, &j->in);
	if (r->bad_input)
		return;
	enum ag_status st = account_update_begin(&r->ctx, r->params[0], &j->in, &j->u, &j->verify_hash,
						 &j->attempt);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	if (!j->verify_hash) {
		update_finish(r, j);
		return;
	}
	req_defer(r, hash_work, update_done, NULL, j);
}

/* ---- pages ------------------------------------------------------------------------------------ */

void h_login_page(struct req *r)
{
	const char *next = req_query(r, "next");
	next = next && redirect_path_ok(next) ? next : "";
	req_reply(r, 200, json_pack("{s:s, s:b}", "next", next, "reset", req_query(r, "reset") != NULL));
}

/* The registration form's choices, with what the visitor picked kept selected. */
static void register_model(struct req *r, json_t *m)
{
	const char *mode = account_registration_mode(&r->ctx);
	struct user picked = {0};
	picked.region.slug = in_str(r, "region");
	picked.position.slug = in_str(r, "position");
	picked.industry.slug = in_str(r, "industry");
	add_term_choices(r, m, &picked);
	json_object_set_new(m, "invite_required", json_boolean(strcmp(mode, "invite") == 0));
	json_object_set_new(m, "closed", json_boolean(strcmp(mode, "closed") == 0));
}

void h_register_page(struct req *r)
{
	json_t *m = json_object();
	register_model(r, m);
	req_reply(r, 200, m);
}
