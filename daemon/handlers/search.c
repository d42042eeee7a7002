/* Search: GET /api/v1/search and the /search page. Both take q, board and author; the page
 * without a query shows the empty form. */
#include <string.h>

#include "escape.h"
#include "forum.h"
#include "handlers.h"
#include "search.h"
#include "views.h"

static json_t *view_search_item(const struct search_item *it)
{
	const struct search_hit *h = &it->hit;
	json_t *o = json_object();
	json_object_set_new(o, "post_id", json_integer(h->post_id));
	json_object_set_new(o, "thread_id", json_integer(h->thread_id));
	json_object_set_new(o, "title", json_string(h->title));
	json_object_set_new(o, "board", json_string(h->board_slug));
	json_object_set_new(o, "board_title", json_string(h->board_title));
	json_object_set_new(o, "first_post", json_boolean(h->is_first));
	json_object_set_new(o, "solved", json_boolean(h->accepted_post_id));
	json_object_set_new(o, "accepted", json_boolean(h->accepted_post_id == h->post_id));
	json_object_set_new(o, "snippet_html", json_string(it->snippet_html));
	json_object_set_new(o, "author", view_user(&h->author));
	view_set_time(o, "created_at", h->created_at);
	return o;
}

VIEW_ARRAY(static, search_items_array, struct search_item, view_search_item)

static const char *const kind_names[] = {[SEARCH_MATERIAL] = "material", [SEARCH_QUESTIONNAIRE] = "questionnaire",
					 [SEARCH_TRAINING] = "training"};

/* A material, questionnaire or training found: what it is, what it is called, where it is. */
static json_t *view_search_other(const struct search_other *it)
{
	const struct search_thing *t = &it->thing;
	json_t *o = json_object();
	json_object_set_new(o, "kind", json_string(kind_names[t->kind]));
	if (t->kind == SEARCH_TRAINING) {
		json_object_set_new(o, "slug", json_string(t->slug));
		json_object_set_new(o, "url", json_sprintf("/trainings/%s", t->slug));
	} else {
		json_object_set_new(o, "id", json_integer(t->id));
		json_object_set_new(o, "url", json_sprintf(t->kind == SEARCH_MATERIAL ? "/materials/%lld" : "/q/%lld",
							    (long long)t->id));
	}
	json_object_set_new(o, "title", json_string(t->title));
	json_object_set_new(o, "snippet_html", json_string(it->snippet_html));
	return o;
}

VIEW_ARRAY(static, search_others_array, struct search_other, view_search_other)

/* The page shows what was found by kind, in the order 讨论 / 资料 / 问卷 / 培训: one group
 * per kind found on this page, named by a flag the template turns into its heading. */
static json_t *others_groups(const struct search_other *o, size_t n)
{
	json_t *groups = json_array();
	for (int64_t k = SEARCH_MATERIAL; k <= SEARCH_TRAINING; k++) {
		json_t *items = json_array();
		for (size_t i = 0; i < n; i++)
			if (o[i].thing.kind == k)
				json_array_append_new(items, view_search_other(&o[i]));
		if (!json_array_size(items)) {
			json_decref(items);
			continue;
		}
		json_array_append_new(groups, json_pack("{s:s, s:b, s:o}", "kind", kind_names[k], kind_names[k], 1,
							 "items", items));
	}
	return groups;
}

/* The query string the pager's links carry, so page 2 is page 2 of the same search. */
static json_t *pager_query(const struct search_request *in, const char *per_page)
{
	struct buf b = BUF_INIT;
	const char *keys[] = {"q", "board", "author", "per_page"};
	const char *vals[] = {in->q, in->board, in->author, per_page};
	for (size_t i = 0; i < 4; i++) {
		if (!vals[i] || !*vals[i])
			continue;
		buf_printf(&b, "&%s=", keys[i]);
		url_encode(&b, vals[i], strlen(vals[i]));
	}
	json_t *s = json_string(b.data ? b.data : "");
	buf_free(&b);
	return s;
}

/* The page's form: what was asked, and the boards the viewer may pick from. */
static void add_form(struct req *r, json_t *model, const struct search_request *in)
{
	json_object_set_new(model, "boards", board_choices(r, in->board));
	json_object_set_new(model, "q", json_string(in->q ? in->q : ""));
	json_object_set_new(model, "author_name", json_string(in->author ? in->author : ""));
	json_object_set_new(model, "pager_query", pager_query(in, req_query(r, "per_page")));
}

static int blank(const char *s)
{
	return !s || !s[strspn(s, " \t\r\n")];
}

/* A search runs on the pool's search threads: a slow query must not hold up the pages the
 * worker serves meanwhile. */
struct search_job {
	struct search_request in;
	struct listing l;
	struct search_item *items;
	size_t n;
	int capped;
	struct listing ol; /* materials, questionnaires and trainings, paged as the posts are */
	struct search_other *others;
	size_t nothers;
	int others_capped;
	enum ag_status st;
	json_t *model;
};

static void search_work(struct agora_ctx *c, void *arg)
{
	struct search_job *j = arg;
	j->st = search_posts(c, &j->in, &j->l, &j->items, &j->n, &j->capped);
	if (j->st == AG_OK)
		j->st = search_others(c, &j->in, &j->ol, &j->others, &j->nothers, &j->others_capped);
}

/* total stays the posts' (API.md); pages covers whichever list is longer, so that paging
 * reaches the last of either. */
static void search_paging(json_t *model, const struct search_job *j)
{
	model_paging(model, j->l.page, j->l.total > j->ol.total ? j->l.total : j->ol.total);
	json_object_set_new(model, "total", json_integer(j->l.total));
	json_object_set_new(model, "others_total", json_integer(j->ol.total));
	json_object_set_new(model, "others_capped", json_boolean(j->others_capped));
}

static void search_done(struct req *r, void *arg)
{
	struct search_job *j = arg;
	json_t *model = j->model;
	if (j->st != AG_OK) {
		json_decref(model);
		req_fail(r, j->st);
		return;
	}
	json_object_set_new(model, "results", search_items_array(j->items, j->n));
	json_object_set_new(model, "searched", json_true());
	json_object_set_new(model, "total_capped", json_boolean(j->capped));
	json_object_set_new(model, "others", search_others_array(j->others, j->nothers));
	search_paging(model, j);
	if (is_page(r)) { /* results grouped by kind */
		json_object_set_new(model, "groups", others_groups(j->others, j->nothers));
		json_object_set_new(model, "found_posts", json_boolean(j->n || !j->nothers));
	}
	req_reply(r, 200, model);
}

void h_search(struct req *r)
{
	struct search_job *j = arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	j->in = (struct search_request){req_query(r, "q"), req_query(r, "board"), req_query(r, "author")};
	j->l = (struct listing){.page = req_page(r, 50)};
	j->ol = j->l;
	j->model = json_object();
	if (is_page(r))
		add_form(r, j->model, &j->in);
	if (is_page(r) && blank(j->in.q)) { /* the form alone */
		req_reply(r, 200, j->model);
		return;
	}
	req_defer_read(r, search_work, search_done, j);
	if (!r->deferred) /* refused (429, 503): the model was not used */
		json_decref(j->model);
}
