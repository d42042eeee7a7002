/* Follow-ups of trainings (API.md "Trainings" → "Follow-ups"): waves, raters, the effect API
 * and its page with charts. */
#include <string.h>

#include "followups.h"
#include "handlers.h"
#include "i18n.h"
#include "views.h"

json_t *view_followup(struct req *r, const struct training *x, const struct followup *f)
{
	char day[11];
	(void)r;
	followup_opens_on(x, f, day);
	json_t *o = json_pack("{s:I, s:o, s:I, s:s, s:s, s:I, s:I, s:I, s:I}", "id", (json_int_t)f->id, "questionnaire",
			      f->questionnaire_id ? json_integer(f->questionnaire_id) : json_null(), "template",
			      (json_int_t)f->template_id, "opens_on", day, "respondents", f->respondents,
			      "opens_after_days", (json_int_t)f->opens_after_days, "remind_after_days",
			      (json_int_t)f->remind_after_days, "invited", (json_int_t)f->invited, "answered",
			      (json_int_t)f->answered);
	json_object_set_new(o, "response_rate",
			    f->invited ? json_real((double)f->answered / (double)f->invited) : json_null());
	json_object_set_new(o, "opened", json_boolean(f->questionnaire_id != 0));
	return o;
}

json_t *followups_array(struct req *r, const struct training *x, const struct followup *f, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, view_followup(r, x, &f[i]));
	return a;
}

json_t *training_followups_view(struct req *r, const struct training *x)
{
	struct followup *f;
	size_t n;
	if (followup_of_training(&r->ctx, x, &f, &n) != AG_OK)
		return json_array();
	return followups_array(r, x, f, n);
}

void h_followup_create(struct req *r)
{
	struct followup_input in = {0};
	struct training x;
	struct followup f;
	in.questionnaire = in_int(r, "questionnaire", &in.has_questionnaire);
	in.opens_after_days = in_int(r, "opens_after_days", &in.has_opens_after_days);
	in.respondents = in_str(r, "respondents");
	in.remind_after_days = in_int(r, "remind_after_days", &in.has_remind_after_days);
	if (r->bad_input)
		return;
	enum ag_status st = followup_create(&r->ctx, r->params[0], &in, &x, &f);
	if (st != AG_CREATED) {
		req_fail(r, st);
		return;
	}
	req_reply(r, 201, json_pack("{s:o}", "followup", view_followup(r, &x, &f)));
}

void h_followups(struct req *r)
{
	struct training x;
	struct followup *f;
	size_t n;
	enum ag_status st = followup_list(&r->ctx, r->params[0], &x, &f, &n);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_reply(r, 200, json_pack("{s:o}", "followups", followups_array(r, &x, f, n)));
}

void h_raters_set(struct req *r)
{
	json_t *v = json_object_get(r->input, "usernames"), *e;
	size_t i, n = json_array_size(v);
	const char **names = arena_alloc(r->arena, (n + 1) * sizeof *names);
	if (v && !json_is_array(v))
		r->bad_input = 1;
	json_array_foreach(v, i, e) {
		if (!json_is_string(e))
			r->bad_input = 1;
		names[i] = json_string_value(e);
	}
	if (r->bad_input)
		return;
	enum ag_status st = followup_set_raters(&r->ctx, r->params[0], v ? names : NULL, n);
	if (st != AG_CREATED) {
		req_fail(r, st);
		return;
	}
	req_reply(r, 201, json_pack("{s:O}", "raters", v));
}

/* The page's charts: per wave of a question, a table of the spread of its answers, its bars
 * shares of the wave's responses, captioned with the wave and how many answered. */
static void effect_charts(struct req *r, json_t *questions)
{
	json_t *q, *w;
	size_t i, j;
	json_array_foreach(questions, i, q) {
		json_array_foreach(json_object_get(q, "waves"), j, w) {
			if (!json_object_get(w, "counts"))
				continue; /* withheld: no numbers to draw */
			const char *msg = i18n_msg(r->lang, "fu.wave"), *hole = strstr(msg, "{}");
			const char *day = json_string_value(json_object_get(w, "opens_on"));
			const char *caption = hole ? arena_printf(r->arena, "%.*s%s%s", (int)(hole - msg), msg, day, hole + 2) : day;
			long long total = (long long)json_integer_value(json_object_get(w, "responses"));
			json_object_set_new(w, "chart_html",
					    json_string(q_chart_html(r, json_object_get(w, "options"),
								     json_object_get(w, "counts"), total, caption, 1)));
		}
	}
}

void h_effect(struct req *r)
{
	struct training x;
	json_t *questions;
	enum ag_status st = followup_effect(&r->ctx, r->params[0], &x, &questions);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	json_t *m = json_pack("{s:o}", "questions", questions);
	if (is_page(r)) {
		effect_charts(r, questions);
		json_object_set_new(m, "training", json_pack("{s:s, s:s}", "slug", x.slug, "title", x.title));
	}
	req_reply(r, 200, m);
}
