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
	enum ag_status st;
	json_t *model;
};

static void search_work(struct agora_ctx *c, void *arg)
{
	struct search_job *j = arg;
	j->st = search_posts(c, &j->in, &j->l, &j->items, &j->n, &j->capped);
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
	model_paging(model, j->l.page, j->l.total);
	req_reply(r, 200, model);
}

void h_search(struct req *r)
{
	struct search_job *j = arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	j->in = (struct search_request){req_query(r, "q"), req_query(r, "board"), req_query(r, "author")};
	j->l = (struct listing){.page = req_page(r, 50)};
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
