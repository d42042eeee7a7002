/* The digest's content: the store reads each source bounded, the domain names the reasons,
 * applies the enrolment rule to trainings and fills what room is left in rank order. */
#include "digest.h"

#include <string.h>

#include "store_digest.h"
#include "trainings.h"

/* The ranking, strongest first. A thread moderators featured in the period is the site's best
 * practice (经验交流), chosen for everyone and rare, so it leads. A thread the member follows is a conversation they took part
 * in or asked for by name; an association is a community they chose to join (and its
 * members-only boards reach them nowhere else); a training they are in is a small group for
 * a short time, so its talk is timely; a followed board is chosen too but broad, so only its
 * new threads count; position, industry and region are only what their profile says, from
 * the narrowest (the same job) to the widest (the same province, any topic); within a tie, the
 * threads whose posts members marked helpful rise. Then what is
 * offered rather than said: a training open to them (it has a deadline: its start, its
 * places), and last the library's new materials, the least personal. The threads' order is
 * enum digest_tie (store_digest.h); trainings and materials follow them. */
static const char *const tie_why[] = {
	[DIGEST_TIE_FEATURED] = "featured",
	[DIGEST_TIE_FOLLOWED_THREAD] = "followed_thread", [DIGEST_TIE_ASSOCIATION] = "association",
	[DIGEST_TIE_TRAINING] = "training",               [DIGEST_TIE_FOLLOWED_BOARD] = "followed_board",
	[DIGEST_TIE_POSITION] = "position",               [DIGEST_TIE_INDUSTRY] = "industry",
	[DIGEST_TIE_REGION] = "region",
};
_Static_assert(sizeof tie_why / sizeof *tie_why == DIGEST_TIE_REGION + 1, "a reason for every tie");

/* How far each source looks (the cost of one member's digest): the 50 most recently active
 * threads of each tie, the site's 200 most recently active for region, the 200 newest
 * trainings and materials. A period busier than that loses only its oldest activity. */
enum { DIGEST_WINDOW = 50, DIGEST_SITE_WINDOW = 200, DIGEST_NEWEST = 200 };

struct digest_list {
	struct digest_item *items;
	size_t n, max;
};

static void digest_threads_add(struct agora_ctx *c, struct digest_list *l, const struct digest_thread *t,
			       size_t n)
{
	for (size_t i = 0; i < n && l->n < l->max; i++) {
		if (t[i].tie < DIGEST_TIE_FEATURED || t[i].tie > DIGEST_TIE_REGION)
			continue; /* a tie the store has and this table not: no reason to give */
		l->items[l->n++] = (struct digest_item){
			.kind = "thread", .id = t[i].id, .title = t[i].title, .why = tie_why[t[i].tie],
			.path = arena_printf(c->arena, "/t/%lld", (long long)t[i].id), .where = t[i].where,
			.at = t[i].at, .new_posts = t[i].new_posts};
	}
}

/* Trainings made in the period that the member may enrol in: the store narrows them by the
 * audience, the rule of enrolment decides (capacity, a ban, an end passed). */
static enum ag_status digest_trainings(struct agora_ctx *c, const struct digest_reader *r, struct digest_list *l)
{
	char today[11];
	int64_t *ids;
	size_t n;
	training_today(c, today);
	int rc = store_digest_trainings(c->db, c->arena, r, today, (int64_t)(l->max - l->n), &ids, &n);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	for (size_t i = 0; i < n && l->n < l->max; i++) {
		struct training x;
		enum ag_status st = training_by_id(c, ids[i], &x);
		if (st != AG_OK)
			return st;
		if (!ag_allowed(training_may_enrol(c, &x)))
			continue;
		l->items[l->n++] = (struct digest_item){
			.kind = "training", .id = x.id, .title = x.title, .why = "training_open",
			.path = arena_printf(c->arena, "/trainings/%s", x.slug), .at = x.created_at};
	}
	return AG_OK;
}

static enum ag_status digest_materials(struct agora_ctx *c, const struct digest_reader *r, struct digest_list *l)
{
	struct digest_material *m;
	size_t n;
	int rc = store_digest_materials(c->db, c->arena, r, (int64_t)(l->max - l->n), &m, &n);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	for (size_t i = 0; i < n && l->n < l->max; i++)
		l->items[l->n++] = (struct digest_item){
			.kind = "material", .id = m[i].id, .title = m[i].title, .why = "material",
			.path = arena_printf(c->arena, "/materials/%lld", (long long)m[i].id), .where = m[i].where,
			.at = m[i].at};
	return AG_OK;
}

enum ag_status digest_collect(struct agora_ctx *c, int64_t since, size_t max, struct digest_item **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	enum ag_status st = ag_require_reader(c);
	if (st != AG_OK)
		return st;
	struct digest_list l = {.max = max < DIGEST_ITEMS_MAX ? max : DIGEST_ITEMS_MAX};
	if (l.max == 0 || since >= c->now)
		return AG_OK;
	l.items = arena_alloc(c->arena, l.max * sizeof *l.items);
	const struct user *u = c->actor;
	struct digest_reader r = {u->id, u->position.id, u->industry.id, u->region.id, since, c->now,
				  DIGEST_WINDOW, DIGEST_SITE_WINDOW, DIGEST_NEWEST, DIGEST_NEW_POSTS_MAX};
	struct digest_thread *t;
	size_t nt;
	int rc = store_digest_threads(c->db, c->arena, &r, (int64_t)l.max, &t, &nt);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	digest_threads_add(c, &l, t, nt);
	if (l.n < l.max && (st = digest_trainings(c, &r, &l)) != AG_OK)
		return st;
	if (l.n < l.max && (st = digest_materials(c, &r, &l)) != AG_OK)
		return st;
	*out = l.items;
	*n = l.n;
	return AG_OK;
}
