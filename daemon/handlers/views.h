/* views: the JSON shapes of API.md, built from the store's records. The same objects feed
 * the page templates, so the web pages and the API cannot disagree. Each returns a new
 * reference. */
#ifndef AGORA_VIEWS_H
#define AGORA_VIEWS_H

#include <jansson.h>

#include "model.h"

/* A time as an RFC 3339 string; 0 becomes null. */
json_t *view_time(int64_t t);
/* Sets key to view_time(t) and key_text to the time as pages show it. */
void view_set_time(json_t *o, const char *key, int64_t t);
/* The generated avatar of a member: {"initials": "张", "tone": 0..7} (avatar.h). */
json_t *view_avatar(const char *username, const char *display_name);
json_t *view_user(const struct user *u);
json_t *view_term(const struct term *t);
json_t *view_board(const struct board *b);
json_t *view_thread(const struct thread *t);
json_t *view_post(const struct post *p);
json_t *view_revision(const struct revision *r);

/* Defines `json_t *name(const type *items, size_t n)`, the array of view(&items[i]) (a new
 * reference); linkage is static or nothing. One loop for every list of records. */
#define VIEW_ARRAY(linkage, name, type, view)                           \
	linkage json_t *name(const type *items, size_t n)               \
	{                                                               \
		json_t *a = json_array();                               \
		for (size_t i = 0; i < n; i++)                          \
			json_array_append_new(a, view(&items[i]));      \
		return a;                                               \
	}

json_t *view_users(const struct user *u, size_t n);
json_t *view_boards(const struct board *b, size_t n);
json_t *view_threads(const struct thread *t, size_t n);
json_t *view_revisions(const struct revision *r, size_t n);

#endif
