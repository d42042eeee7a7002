#include "views.h"

#include <stdio.h>
#include <time.h>

#include "avatar.h"
#include "util.h"

/* Deep branches stop indenting here and say whom they answer instead. */
enum { INDENT_MAX = 6 };

json_t *view_time(int64_t t)
{
	char s[32];
	if (!t)
		return json_null();
	time_rfc3339(t, s);
	return json_string(s);
}

/* Sets key to the RFC 3339 time and key_text to a shorter form for pages
 * ("2026-11-25 08:30 UTC"; a script on the page shows it in the reader's zone). */
void view_set_time(json_t *o, const char *key, int64_t t)
{
	char text[40], name[48];
	json_object_set_new(o, key, view_time(t));
	if (!t)
		return;
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &tm);
	snprintf(name, sizeof name, "%s_text", key);
	json_object_set_new(o, name, json_string(text));
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *view_avatar(const char *username, const char *display_name)
{
	char initials[AVATAR_INITIALS_MAX];
	avatar_initials(display_name, username, initials, sizeof initials);
	return json_pack("{s:s, s:i}", "initials", initials, "tone", avatar_tone(username));
}

json_t *view_user(const struct user *u)
{
	json_t *o = json_object();
	json_object_set_new(o, "username", str_or_null(u->username));
	json_object_set_new(o, "display_name", str_or_null(u->display_name));
	json_object_set_new(o, "role", json_string(role_name(u->role)));
	json_object_set_new(o, "region", str_or_null(u->region.slug));
	json_object_set_new(o, "position", str_or_null(u->position.slug));
	json_object_set_new(o, "industry", str_or_null(u->industry.slug));
	json_object_set_new(o, "region_name", str_or_null(u->region.name));
	json_object_set_new(o, "position_name", str_or_null(u->position.name));
	json_object_set_new(o, "industry_name", str_or_null(u->industry.name));
	view_set_time(o, "created_at", u->created_at);
	json_object_set_new(o, "avatar", view_avatar(u->username, u->display_name));
	return o;
}

json_t *view_term(const struct term *t)
{
	return json_pack("{s:s?, s:s?}", "slug", t->slug, "name", t->name);
}

json_t *view_board(const struct board *b)
{
	json_t *o = json_object();
	json_object_set_new(o, "slug", json_string(b->slug));
	json_object_set_new(o, "title", json_string(b->title));
	json_object_set_new(o, "description", json_string(b->description ? b->description : ""));
	json_object_set_new(o, "industry", str_or_null(b->industry.slug));
	json_object_set_new(o, "position", str_or_null(b->position.slug));
	json_object_set_new(o, "industry_name", str_or_null(b->industry.name));
	json_object_set_new(o, "position_name", str_or_null(b->position.name));
	json_object_set_new(o, "association", str_or_null(b->association));
	json_object_set_new(o, "training", str_or_null(b->training));
	json_object_set_new(o, "kind", json_string(b->kind ? b->kind : "discussion"));
	json_object_set_new(o, "answer_first", json_boolean(b->answer_first));
	json_object_set_new(o, "thread_count", json_integer(b->thread_count));
	json_object_set_new(o, "post_count", json_integer(b->post_count));
	view_set_time(o, "last_post_at", b->last_post_at);
	return o;
}

json_t *view_thread(const struct thread *t)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(t->id));
	json_object_set_new(o, "board", json_string(t->board_slug));
	json_object_set_new(o, "board_title", json_string(t->board_title));
	json_object_set_new(o, "title", json_string(t->title));
	json_object_set_new(o, "author", view_user(&t->author));
	view_set_time(o, "created_at", t->created_at);
	view_set_time(o, "last_post_at", t->last_post_at);
	json_object_set_new(o, "reply_count", json_integer(t->reply_count));
	json_object_set_new(o, "pinned", json_boolean(t->pinned));
	json_object_set_new(o, "locked", json_boolean(t->locked));
	json_object_set_new(o, "accepted_post_id", t->accepted_post_id ? json_integer(t->accepted_post_id) : json_null());
	json_object_set_new(o, "featured", json_boolean(t->featured_at));
	view_set_time(o, "featured_at", t->featured_at);
	json_object_set_new(o, "helpful_count", json_integer(t->helpful_count));
	return o;
}

json_t *view_post(const struct post *p)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(p->id));
	json_object_set_new(o, "thread_id", json_integer(p->thread_id));
	json_object_set_new(o, "parent_id", p->parent_id ? json_integer(p->parent_id) : json_null());
	json_object_set_new(o, "depth", json_integer(p->depth));
	json_object_set_new(o, "author", view_user(&p->author));
	json_object_set_new(o, "body_html", json_string(p->state == POST_DELETED ? "" : p->body_html));
	view_set_time(o, "created_at", p->created_at);
	view_set_time(o, "edited_at", p->edited_at);
	json_object_set_new(o, "state", json_string(post_state_name(p->state)));
	json_object_set_new(o, "indent", json_integer(p->depth > INDENT_MAX ? INDENT_MAX : p->depth));
	json_object_set_new(o, "helpful_count", json_integer(p->helpful_count));
	json_object_set_new(o, "helpful", json_boolean(p->helpful));
	if (p->depth > INDENT_MAX && p->parent_author)
		json_object_set_new(o, "in_reply_to", json_string(p->parent_author));
	if (p->state == POST_DELETED)
		json_object_set_new(o, "deleted", json_true());
	if (p->state == POST_PENDING)
		json_object_set_new(o, "pending", json_true());
	if (p->state == POST_REJECTED)
		json_object_set_new(o, "rejected", json_true());
	return o;
}

json_t *view_revision(const struct revision *r)
{
	json_t *o = json_pack("{s:i, s:s?, s:s?, s:s?}", "rev", r->rev, "editor", r->editor, "body", r->body,
			      "editor_name", r->editor_name ? r->editor_name : r->editor);
	view_set_time(o, "created_at", r->created_at);
	return o;
}

VIEW_ARRAY(, view_users, struct user, view_user)
VIEW_ARRAY(, view_boards, struct board, view_board)
VIEW_ARRAY(, view_threads, struct thread, view_thread)
VIEW_ARRAY(, view_revisions, struct revision, view_revision)
