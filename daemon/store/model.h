/* model: the records the store returns and the domain works on. Strings in them belong to
 * the arena of the request (or command) that loaded them. */
#ifndef AGORA_MODEL_H
#define AGORA_MODEL_H

#include <stdint.h>

enum role { ROLE_MEMBER = 0, ROLE_LECTURER, ROLE_MODERATOR, ROLE_ADMIN };

/* A taxonomy term: an industry, position or region. */
struct term {
	int64_t id;
	const char *slug;
	const char *name;
};

struct user {
	int64_t id;
	const char *username;
	const char *display_name;
	enum role role;
	struct term region, position, industry; /* slug NULL when unset */
	int64_t created_at;
	int64_t post_count;
	int64_t banned_until; /* 0: not banned; INT64_MAX: until lifted */
	const char *ban_reason;
	const char *pw_hash; /* only filled by store_user_credentials */
};

struct association {
	int64_t id;
	const char *slug;
	const char *name;
	const char *description;
	struct term industry, position;
	const char *join_policy; /* "open" or "approval" */
	const char *visibility;  /* "public" or "members" */
	int64_t member_count;
	int64_t created_at;
};

/* A member's standing in an association. */
enum membership { MEMBERSHIP_NONE = 0, MEMBERSHIP_PENDING, MEMBERSHIP_MEMBER, MEMBERSHIP_OFFICER };

struct board {
	int64_t id;
	const char *slug;
	const char *title;
	const char *description;
	struct term industry, position;
	const char *association; /* slug or NULL */
	int64_t association_id;  /* 0 for none */
	const char *training;    /* the slug of the training whose board it is, or NULL */
	int64_t training_id;     /* 0 for none */
	int64_t thread_count, post_count, last_post_at;
	const char *kind;  /* "discussion" or "qa" (its threads are questions) */
	int answer_first;  /* qa: a member sees the others' answers once they answered */
};

struct thread {
	int64_t id;
	int64_t board_id;
	const char *board_slug;
	const char *board_title;
	const char *title;
	struct user author;
	int64_t created_at, last_post_at;
	int64_t reply_count;
	int pinned, locked;
	int64_t root_post_id;
	int64_t accepted_post_id; /* 0: none */
	int64_t featured_at;      /* 0: not featured */
	int64_t helpful_count;    /* helpful marks on all its posts */
};

enum post_state { POST_PUBLISHED = 0, POST_PENDING, POST_REJECTED, POST_DELETED };

struct post {
	int64_t id;
	int64_t thread_id;
	int64_t parent_id; /* 0 for a thread's first post */
	int depth;
	struct user author;
	const char *parent_author; /* display name of the parent's author, for "in reply to" */
	const char *body;
	const char *body_html;
	int64_t created_at, edited_at; /* edited_at 0 when never edited */
	enum post_state state;
	const char *pending_html; /* an edit held for review, or NULL */
	int64_t helpful_count;
	int helpful; /* the reader marked it helpful (set by the domain) */
};

struct revision {
	int rev;
	const char *editor;
	int64_t created_at;
	const char *body;
	const char *editor_name;
};

struct questionnaire {
	int64_t id;
	const char *title;
	int64_t board_id, association_id; /* one of them is set */
	const char *board, *association;  /* slugs */
	int anonymous;
	int64_t closes_at; /* 0: never */
	const char *questions; /* JSON text, validated at creation */
	int64_t creator_id;
	const char *creator;
	int64_t created_at;
	int64_t response_count;
	const char *creator_name; /* the creator's display name */
};

/* One response as results and exports see it; respondent NULL when anonymous. */
struct response {
	const char *respondent;
	const char *answers; /* JSON text */
	int64_t about_id;    /* a rater's answer: the trainee it is about; 0 otherwise */
};

/* A follow-up (wave) of a training: its template, when it opens and whom it asks. */
struct followup {
	int64_t id, training_id, template_id;
	int64_t questionnaire_id; /* the wave's own questionnaire; 0 until it opens */
	int64_t opens_after_days;
	const char *respondents;  /* "trainees" or "raters" */
	int64_t remind_after_days;
	int64_t created_by, created_at;
	int64_t invited, answered;
};

/* A material with its latest version's file. */
struct material {
	int64_t id;
	const char *title;
	const char *description, *description_html;
	int64_t board_id, association_id;
	const char *board, *association; /* slugs */
	struct user uploader;
	int64_t created_at;
	int64_t downloads; /* all versions */
	/* the version this record describes (the latest unless asked otherwise) */
	int version;
	const char *sha256, *filename, *content_type, *note;
	int64_t size;
	int64_t version_created_at, version_downloads;
	const char *place_name; /* the board's title or the association's name */
};

/* One line of the public moderation log. */
struct mod_entry {
	int64_t id;
	const char *actor;
	const char *action;
	const char *target_type; /* "post", "thread", "user" or "association" */
	int64_t target_id;
	const char *reason;
	int64_t created_at;
	int64_t seen; /* 0 when the viewer may not see the target (a members-only board) */
	const char *actor_name;  /* the actor's display name */
	const char *target_name; /* a thread's title, a member's or association's name; NULL if gone */
	const char *target_key;  /* a user's username, an association's or board's slug */
	const char *detail_name; /* the board or member the reason names, or NULL */
};

/* A post that needs a moderator's eyes, and the board it is on. */
struct queue_item {
	int64_t post_id;
	const char *board;
	const char *board_title, *thread_title;
};

/* Why a post is in the review queue: a member's report (kind "report", with its reporter) or
 * a hold ("held": a plugin's or the site's reason). */
struct flag_reason {
	const char *kind, *reason;
	const char *reporter, *reporter_name; /* username and display name; NULL for a hold */
};

/* A training (培训班). Dates are YYYY-MM-DD in the site's time zone. */
struct training {
	int64_t id;
	const char *slug, *title, *description, *description_html;
	const char *starts_on, *ends_on;
	double hours;
	const char *enrolment; /* "open", "approval" or "assigned" */
	int64_t capacity;      /* 0: no limit */
	int completion_attendance; /* percent of lessons attended for automatic completion */
	int64_t board_id;
	const char *board;     /* the board's slug */
	int64_t created_by, created_at;
	int64_t trainee_count; /* enrolled and completed */
	int64_t lesson_count;
};

/* One term of a training's audience: kind is an enum term_kind. */
struct audience_term {
	int kind;
	int64_t id;
	const char *slug;
};

/* A lesson of a training. */
struct lesson {
	int64_t id;
	int64_t training_id;
	const char *training; /* slug */
	const char *title, *description, *description_html;
	int64_t starts_at;
	int minutes;
	struct user lecturer;
	const char *checkin_code;
	int64_t created_at;
	int64_t rating_count;
	double rating_average;
	int sequence;       /* grows with each change of the time (calendars' SEQUENCE) */
	int64_t updated_at; /* the last change, 0: none since it was created */
};

/* A trainee of a training, with their attendance. */
struct trainee {
	struct user user;
	const char *state; /* "pending", "enrolled" or "completed" */
	int64_t attended, lessons;
	int64_t completed_at; /* 0: not completed */
	const char *completed_by; /* username, NULL when automatic or not completed */
};

const char *role_name(enum role r);
int role_parse(const char *s, enum role *out); /* 0, or -1 for an unknown name */
const char *post_state_name(enum post_state s);
/* 1 for a slug: 1–64 of a-z, 0-9 and "-". */
int slug_valid(const char *s);

#endif
