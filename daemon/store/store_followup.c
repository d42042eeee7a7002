/* The SQL of follow-ups, raters and invitations. */
#include "store_followup.h"

#include <string.h>

#include "store_impl.h"

/* FU_SELECT */
static const struct sql_field followup_fields[] = {
	SQL_FIELD(struct followup, id), SQL_FIELD(struct followup, training_id),
	SQL_FIELD(struct followup, template_id), SQL_FIELD(struct followup, questionnaire_id),
	SQL_FIELD(struct followup, opens_after_days), SQL_FIELD(struct followup, respondents),
	SQL_FIELD(struct followup, remind_after_days), SQL_FIELD(struct followup, created_by),
	SQL_FIELD(struct followup, created_at), SQL_FIELD(struct followup, invited),
	SQL_FIELD(struct followup, answered),
};
static const struct sql_row followup_row = SQL_ROW(struct followup, followup_fields);

int store_followup_insert(struct store *s, struct followup *f)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_FU_INSERT, SQL_INT(f->training_id), SQL_INT(f->template_id),
				    SQL_INT(f->opens_after_days), SQL_TEXT(f->respondents),
				    SQL_INT(f->remind_after_days), SQL_ID(f->created_by), SQL_INT(f->created_at));
	return sql_insert(s, st, &f->id);
}

int store_followup_get(struct store *s, struct arena *a, int64_t id, struct followup *out)
{
	return sql_one_row(SQL_BIND(s, ST_FU_GET, SQL_INT(id)), a, &followup_row, out);
}

int store_followups(struct store *s, struct arena *a, int64_t training_id, struct followup **out, size_t *n)
{
	return sql_collect(SQL_BIND(s, ST_FU_LIST, SQL_INT(training_id)), a, &followup_row, (void **)out, n);
}

int store_followup_by_questionnaire(struct store *s, struct arena *a, int64_t q_id, struct followup *out)
{
	return sql_one_row(SQL_BIND(s, ST_FU_BY_Q, SQL_INT(q_id)), a, &followup_row, out);
}

int store_followup_set_questionnaire(struct store *s, int64_t id, int64_t q_id)
{
	return sql_change(s, SQL_BIND(s, ST_FU_SET_Q, SQL_INT(id), SQL_INT(q_id)));
}

int store_followup_invite(struct store *s, const struct followup *f)
{
	enum stmt_id id = strcmp(f->respondents, "raters") ? ST_FU_INVITE_TRAINEES : ST_FU_INVITE_RATERS;
	return sql_exec(SQL_BIND(s, id, SQL_INT(f->id), SQL_INT(f->training_id)));
}

int store_followup_notify(struct store *s, const struct followup *f, const char *what, int unanswered, int64_t now)
{
	return sql_exec(SQL_BIND(s, ST_FU_NOTIFY, SQL_INT(f->id), SQL_INT(f->training_id), SQL_TEXT(what),
				 SQL_INT(now), SQL_INT(unanswered)));
}

int store_raters_set(struct store *s, int64_t training_id, int64_t trainee_id, const int64_t *ids, size_t n)
{
	int rc = sql_exec(SQL_BIND(s, ST_FU_RATERS_CLEAR, SQL_INT(training_id), SQL_INT(trainee_id)));
	for (size_t i = 0; rc == STORE_OK && i < n; i++)
		rc = sql_exec(SQL_BIND(s, ST_FU_RATER_ADD, SQL_INT(training_id), SQL_INT(trainee_id), SQL_INT(ids[i])));
	return rc;
}

int store_invitation(struct store *s, int64_t q_id, int64_t user_id, int64_t about_id, int *answered)
{
	int rc;
	int64_t v = sql_scalar(SQL_BIND(s, ST_FU_INVITATION, SQL_INT(q_id), SQL_INT(user_id), SQL_INT(about_id)), &rc);
	*answered = rc == STORE_OK && v;
	return rc;
}

int store_invited(struct store *s, int64_t q_id, int64_t user_id, int open_only)
{
	return sql_found(SQL_BIND(s, ST_FU_INVITED, SQL_INT(q_id), SQL_INT(user_id), SQL_INT(open_only)));
}

int store_followup_respond(struct store *s, const struct followup *f, int64_t user_id, int64_t about_id,
			   int64_t respondent_id, const char *answers, int64_t now)
{
	int rc = sql_change(s, SQL_BIND(s, ST_FU_ANSWER, SQL_INT(f->id), SQL_INT(user_id), SQL_INT(about_id)));
	if (rc == STORE_NOTFOUND)
		return STORE_CONFLICT;
	if (rc != STORE_OK)
		return rc;
	return sql_exec(SQL_BIND(s, ST_FU_RESPONSE, SQL_INT(f->questionnaire_id), SQL_ID(respondent_id),
				 SQL_TEXT(answers), SQL_INT(respondent_id ? now : 0), SQL_ID(about_id)));
}

static const struct sql_field about_fields[] = {
	SQL_FIELD(struct about_choice, username), SQL_FIELD(struct about_choice, answered),
};
static const struct sql_row about_row = SQL_ROW(struct about_choice, about_fields);

int store_about_choices(struct store *s, struct arena *a, int64_t q_id, int64_t user_id, struct about_choice **out,
			size_t *n)
{
	return sql_collect(SQL_BIND(s, ST_FU_ABOUT, SQL_INT(q_id), SQL_INT(user_id)), a, &about_row, (void **)out, n);
}
