/* Breadcrumbs: the trail above every page (Home › ... › this page), built from the page's own
 * view model so that each step is named by its title, never by its slug. Pages only: the
 * API's JSON never carries them. Parents are read through the domain, so a trail shows only
 * what the reader may see. */
#include <string.h>

#include "associations.h"
#include "forum.h"
#include "handlers.h"
#include "i18n.h"
#include "trainings.h"

struct trail {
	struct req *r;
	json_t *m;
	json_t *items;
};

/* One step; href NULL marks the page itself (the last step). */
static void crumb(struct trail *t, const char *href, const char *label)
{
	if (!label || !*label)
		return;
	json_t *o = json_pack("{s:s}", "label", label);
	if (href)
		json_object_set_new(o, "href", json_string(href));
	else
		json_object_set_new(o, "current", json_true());
	json_array_append_new(t->items, o);
}

static void crumb_key(struct trail *t, const char *href, const char *key)
{
	crumb(t, href, i18n_msg(t->r->lang, key));
}

/* A string of the model at a dotted path ("thread.board"), or NULL. */
static const char *model_str(struct trail *t, const char *path)
{
	json_t *v = t->m;
	char part[64];
	while (v && *path) {
		size_t n = strcspn(path, ".");
		if (n >= sizeof part)
			return NULL;
		memcpy(part, path, n);
		part[n] = '\0';
		v = json_object_get(v, part);
		path += n + (path[n] == '.');
	}
	return json_string_value(v);
}

static int64_t model_int(struct trail *t, const char *obj, const char *key)
{
	return json_integer_value(json_object_get(json_object_get(t->m, obj), key));
}

static void association_step(struct trail *t, const char *slug, int current)
{
	struct association x;
	crumb_key(t, "/associations", "nav.associations");
	if (slug && assoc_get(&t->r->ctx, slug, &x) == AG_OK)
		crumb(t, current ? NULL : arena_printf(t->r->arena, "/a/%s", x.slug), x.name);
}

static void training_step(struct trail *t, const char *slug, int current)
{
	struct training x;
	crumb_key(t, "/trainings", "nav.trainings");
	if (slug && training_get(&t->r->ctx, slug, &x) == AG_OK)
		crumb(t, current ? NULL : arena_printf(t->r->arena, "/trainings/%s", x.slug), x.title);
}

/* What a board stands under: its association, its training, else its industry or position
 * (the home page's group of that name). */
static void board_parent(struct trail *t, const struct board *b)
{
	struct arena *a = t->r->arena;
	if (b->association)
		association_step(t, b->association, 0);
	else if (b->training)
		training_step(t, b->training, 0);
	else if (b->industry.slug)
		crumb(t, arena_printf(a, "/#industry-%s", b->industry.slug), b->industry.name);
	else if (b->position.slug)
		crumb(t, arena_printf(a, "/#position-%s", b->position.slug), b->position.name);
}

static void board_step(struct trail *t, const char *slug, int current)
{
	struct board b;
	if (!slug || access_board(&t->r->ctx, slug, &b) != AG_OK)
		return;
	board_parent(t, &b);
	crumb(t, current ? NULL : arena_printf(t->r->arena, "/b/%s", b.slug), b.title);
}

/* A thread's board and the thread, linked: the parents of a page about one of its posts. */
static void thread_step(struct trail *t, int64_t thread_id)
{
	struct thread th;
	if (thread_id <= 0 || access_thread(&t->r->ctx, thread_id, &th) != AG_OK)
		return;
	board_step(t, th.board_slug, 0);
	crumb(t, arena_printf(t->r->arena, "/t/%lld", (long long)th.id), th.title);
}

/* A questionnaire's place: its board or its association. */
static void questionnaire_parent(struct trail *t)
{
	const char *board = model_str(t, "questionnaire.board"), *assoc = model_str(t, "questionnaire.association");
	if (board)
		board_step(t, board, 0);
	else if (assoc)
		association_step(t, assoc, 0);
}

static void trail_board(struct trail *t)
{
	board_step(t, model_str(t, "board.slug"), 1);
}

static void trail_thread(struct trail *t)
{
	board_step(t, model_str(t, "thread.board"), 0);
	crumb(t, NULL, model_str(t, "thread.title"));
}

static void trail_post_edit(struct trail *t)
{
	thread_step(t, model_int(t, "post", "thread_id"));
	crumb_key(t, NULL, "edit.title");
}

static void trail_post_delete(struct trail *t)
{
	thread_step(t, model_int(t, "post", "thread_id"));
	crumb_key(t, NULL, "thread.confirm_delete");
}

static void trail_revisions(struct trail *t)
{
	thread_step(t, model_int(t, "post", "thread_id"));
	crumb_key(t, NULL, "revisions.title");
}

static void trail_training(struct trail *t)
{
	training_step(t, model_str(t, "training.slug"), 1);
}

static void trail_effect(struct trail *t)
{
	training_step(t, model_str(t, "training.slug"), 0);
	crumb_key(t, NULL, "fu.effect");
}

static void trail_material(struct trail *t)
{
	crumb_key(t, "/materials", "nav.materials");
	crumb(t, NULL, model_str(t, "material.title"));
}

static void trail_association(struct trail *t)
{
	crumb_key(t, "/associations", "nav.associations");
	crumb(t, NULL, model_str(t, "association.name"));
}

static void trail_questionnaire(struct trail *t)
{
	questionnaire_parent(t);
	crumb(t, NULL, model_str(t, "questionnaire.title"));
}

static void trail_results(struct trail *t)
{
	questionnaire_parent(t);
	crumb(t, arena_printf(t->r->arena, "/q/%lld", (long long)model_int(t, "questionnaire", "id")),
	      model_str(t, "questionnaire.title"));
	crumb_key(t, NULL, "q.results");
}

static void trail_announcement(struct trail *t)
{
	crumb_key(t, "/announcements", "ann.title");
	crumb(t, NULL, model_str(t, "announcement.title"));
}

static void trail_user(struct trail *t)
{
	crumb(t, NULL, model_str(t, "user.display_name"));
}

static void trail_record(struct trail *t)
{
	const char *name = model_str(t, "user.username");
	if (name)
		crumb(t, arena_printf(t->r->arena, "/u/%s", name), model_str(t, "user.display_name"));
	crumb_key(t, NULL, "rec.crumb");
}

/* Pages whose trail is built from their model. */
static const struct {
	const char *tmpl;
	void (*build)(struct trail *t);
} built[] = {
	{"board", trail_board},
	{"thread", trail_thread},
	{"post_edit", trail_post_edit},
	{"post_delete", trail_post_delete},
	{"revisions", trail_revisions},
	{"training", trail_training},
	{"effect", trail_effect},
	{"material", trail_material},
	{"association", trail_association},
	{"questionnaire", trail_questionnaire},
	{"results", trail_results},
	{"announcement", trail_announcement},
	{"user", trail_user},
	{"record", trail_record},
};

/* Pages whose trail is fixed: an optional parent, then the page's own name. */
static const struct {
	const char *tmpl;
	const char *parent_href, *parent_key, *key;
} fixed[] = {
	{"trainings", NULL, NULL, "nav.trainings"},
	{"materials", NULL, NULL, "nav.materials"},
	{"associations", NULL, NULL, "nav.associations"},
	{"announcements", NULL, NULL, "ann.title"},
	{"notifications", NULL, NULL, "notify.title"},
	{"settings", NULL, NULL, "settings.title"},
	{"bookmarks", NULL, NULL, "keep.bookmarks"},
	{"search", NULL, NULL, "search.title"},
	{"mod", NULL, NULL, "mod.title"},
	{"mod_log", NULL, NULL, "mod.log_title"},
	{"admin", NULL, NULL, "admin.title"},
	{"lecturers", NULL, NULL, "mat.lecturers"},
	{"lecturer_apply", "/lecturers", "mat.lecturers", "lect.apply_title"},
	{"lecturer_apps", "/admin", "admin.title", "lect.admin_title"},
	{"reports", NULL, NULL, "rep.title"},
	{"rotation", "/reports", "rep.title", "rec.rotation_title"},
	{"login", NULL, NULL, "login.title"},
	{"register", NULL, NULL, "register.title"},
	{"reset", NULL, NULL, "reset.title"},
	{"reset_confirm", NULL, NULL, "reset.new_title"},
	{"reset_link", NULL, NULL, "reset.link_title"},
	{"email_confirm", NULL, NULL, "confirm.title"},
	{"unsubscribe", NULL, NULL, "unsub.title"},
	{"upload", NULL, NULL, "upload.title"},
	{"error", NULL, NULL, "error.title"},
};

static int trail_fill(struct trail *t, const char *tmpl)
{
	for (size_t i = 0; i < sizeof built / sizeof built[0]; i++)
		if (!strcmp(tmpl, built[i].tmpl)) {
			built[i].build(t);
			return 1;
		}
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		if (!strcmp(tmpl, fixed[i].tmpl)) {
			if (fixed[i].parent_key)
				crumb_key(t, fixed[i].parent_href, fixed[i].parent_key);
			crumb_key(t, NULL, fixed[i].key);
			return 1;
		}
	return 0;
}

void handlers_crumbs(struct req *r, json_t *model, const char *tmpl)
{
	struct trail t = {r, model, json_array()};
	const char *code = r->ctx.error_code; /* a parent not found is no error of the page's */
	int filled = tmpl && trail_fill(&t, tmpl);
	r->ctx.error_code = code;
	if (!filled) {
		json_decref(t.items);
		return;
	}
	json_object_set_new(model, "crumbs", json_pack("{s:o}", "items", t.items));
}
