/* Announcements: who may send to whom, the audience as its row says it, the fan-out job. */
#include "announcements.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "associations.h"
#include "forum.h"
#include "jobs.h"
#include "notify.h"
#include "trainings.h"
#include "utf8.h"

/* The batch size: tests shrink it (AGORA_FANOUT_BATCH) to see several runs. */
static int64_t batch_size(void)
{
	const char *env = getenv("AGORA_FANOUT_BATCH");
	int64_t n = 0;
	return env && parse_i64(env, 1, 100000, &n) == 0 ? n : ANNOUNCE_BATCH;
}

struct ag_right announcement_may_send_any(struct agora_ctx *c)
{
	struct audience_choice *ch;
	size_t n = 0;
	struct ag_right r = ag_may_write(c);
	if (!ag_allowed(r) || ag_is_admin(c))
		return r;
	if (store_announcement_audiences(c->db, c->arena, c->actor->id, &ch, &n) != STORE_OK || n == 0)
		return ag_refused(AG_EFORBIDDEN, "no_audience");
	return AG_ALLOWED;
}

/* A slug list of the audience as JSON, each slug checked against the taxonomy. */
static enum ag_status terms_json(struct agora_ctx *c, enum term_kind kind, const char *const *slugs, size_t n,
				 json_t *out, const char *key)
{
	json_t *a = json_array();
	json_object_set_new(out, key, a);
	if (n > ANNOUNCE_SLUGS_MAX)
		return ag_fail(c, AG_ETOOLARGE, "too_many_slugs");
	for (size_t i = 0; i < n; i++) {
		struct term t;
		enum ag_status st = ag_term(c, kind, slugs[i], &t);
		if (st != AG_OK)
			return st;
		json_array_append_new(a, json_string(t.slug ? t.slug : ""));
	}
	return AG_OK;
}

/* Who the announcement goes to, and whether the actor may send to them. */
static enum ag_status audience(struct agora_ctx *c, const struct announcement_input *in, json_t *aud,
			       int64_t *training_id, int64_t *association_id)
{
	int terms = in->nindustries || in->npositions || in->nregions;
	if ((in->training && in->association) || ((in->training || in->association) && terms))
		return ag_fail(c, AG_EINVAL, "one_audience");
	if (in->training) {
		struct training x;
		enum ag_status st = training_get(c, in->training, &x);
		*training_id = x.id;
		return st != AG_OK ? st : ag_check(c, training_may_organise(c, &x));
	}
	if (in->association) {
		struct association x;
		enum ag_status st = assoc_get(c, in->association, &x);
		*association_id = x.id;
		return st != AG_OK ? st : ag_check(c, assoc_may_manage(c, &x));
	}
	if (!ag_is_admin(c))
		return ag_fail(c, AG_EFORBIDDEN, "admin_only");
	enum ag_status st = terms_json(c, TERM_INDUSTRY, in->industries, in->nindustries, aud, "industries");
	if (st == AG_OK)
		st = terms_json(c, TERM_POSITION, in->positions, in->npositions, aud, "positions");
	if (st == AG_OK)
		st = terms_json(c, TERM_REGION, in->regions, in->nregions, aud, "regions");
	return st;
}

static enum ag_status text_check(struct agora_ctx *c, const struct announcement_input *in, const char **html)
{
	size_t n = in->title ? strlen(in->title) : 0;
	if (!in->title || !utf8_line_ok(in->title, n) || utf8_length(in->title, n) < 1 ||
	    utf8_length(in->title, n) > ANNOUNCE_TITLE_MAX || strpbrk(in->title, "\r\n"))
		return ag_fail(c, AG_EINVAL, "invalid_title");
	unsigned links = 0;
	return forum_render(c, in->body ? in->body : "", html, &links);
}

enum ag_status announcement_create(struct agora_ctx *c, const struct announcement_input *in,
				   struct announcement *out)
{
	int64_t training_id = 0, association_id = 0;
	enum ag_status st = ag_require_writer(c);
	json_t *aud = json_object();
	memset(out, 0, sizeof *out);
	if (st == AG_OK)
		st = text_check(c, in, &out->body_html);
	if (st == AG_OK)
		st = audience(c, in, aud, &training_id, &association_id);
	char *audience_text = json_dumps(aud, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(aud);
	out->author = *c->actor;
	out->title = in->title;
	out->body = in->body;
	out->audience = arena_strdup(c->arena, audience_text);
	out->training_id = training_id;
	out->association_id = association_id;
	free(audience_text);
	if (st != AG_OK)
		return st;
	int64_t id = 0;
	int rc = store_begin(c->db);
	if (rc == STORE_OK)
		rc = store_announcement_add(c->db, out, c->now, &id);
	if (rc == STORE_OK && job_schedule(c, ANNOUNCE_JOB, job_key(c, id), c->now) != AG_OK)
		rc = STORE_ERROR;
	if ((st = ag_commit(c, rc, AG_CREATED)) != AG_CREATED)
		return st;
	return ag_stored(c, store_announcement_get(c->db, c->arena, id, out)) == AG_OK ? AG_CREATED : AG_EINTERNAL;
}

enum ag_status announcement_get(struct agora_ctx *c, int64_t id, struct announcement *out)
{
	enum ag_status st = ag_require_reader(c);
	if (st != AG_OK)
		return st;
	int rc = store_announcement_get(c->db, c->arena, id, out);
	if (rc != STORE_OK)
		return ag_found(c, rc, "announcement_not_found");
	if (out->author.id == c->actor->id || ag_is_admin(c))
		return AG_OK;
	rc = store_announcement_received(c->db, id, c->actor->id);
	return ag_found(c, rc, "announcement_not_found");
}

enum ag_status announcement_list(struct agora_ctx *c, struct listing *l, struct announcement **out, size_t *n)
{
	enum ag_status st = ag_require_reader(c);
	if (st != AG_OK)
		return st;
	return ag_stored(c, store_announcements_received(c->db, c->arena, c->actor->id, l->page, out, n, &l->total));
}

enum ag_status announcement_audiences(struct agora_ctx *c, struct audience_choice **out, size_t *n)
{
	*n = 0;
	enum ag_status st = ag_require_reader(c);
	return st != AG_OK ? st : ag_stored(c, store_announcement_audiences(c->db, c->arena, c->actor->id, out, n));
}

enum ag_status announcement_fanout_job(struct agora_ctx *c, const struct job *j, int64_t *again_at)
{
	int64_t id = 0;
	int done = 0;
	if (parse_i64(j->key, 1, INT64_MAX, &id) != 0)
		return ag_fail(c, AG_EINVAL, "bad_key");
	int rc = notify_announcement(c, id, batch_size(), &done);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	*again_at = done ? 0 : c->now;
	return AG_OK;
}
