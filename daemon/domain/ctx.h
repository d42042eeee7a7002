/* ctx: what every domain function is given (the database, the acting user, the clock) and the
 * statuses they all return. No HTTP in the domain layer: handlers map statuses to replies. */
#ifndef AGORA_CTX_H
#define AGORA_CTX_H

#include <stdint.h>

#include "model.h"
#include "store.h"
#include "store_site.h"
#include "util.h"

enum ag_status {
	AG_OK = 0,
	AG_CREATED,
	AG_PENDING,    /* accepted but held for review */
	AG_EINVAL,     /* bad input */
	AG_EUNAUTH,    /* not signed in, or wrong credentials */
	AG_EFORBIDDEN, /* signed in but not allowed */
	AG_ENOTFOUND,  /* missing, or not visible to the caller */
	AG_ECONFLICT,
	AG_ETOOLARGE,
	AG_EREFUSED,   /* refused by moderation */
	AG_ERATE,      /* too many requests; retry_after says when to come back */
	AG_EBUSY,      /* the database stayed locked; try again */
	AG_EUNSUPPORTED, /* a kind of content we do not take (an upload's type) */
	AG_EINTERNAL,
};

struct plugin_host;

/* A page of a list, with what the list answers beside its items. */
struct listing {
	struct page page;
	int64_t total;
};

/* What may have changed who can see what, for those who hold on to an earlier answer (the
 * live-update streams): the rule is checked afresh for everything opened under it. */
enum ag_rights_change {
	AG_RIGHTS_THREAD,      /* the thread (by id) moved to another board */
	AG_RIGHTS_ASSOCIATION, /* someone left or was removed from the association (by slug) */
	AG_RIGHTS_READER,      /* the reader (by id) signed out */
	AG_RIGHTS_TRAINING,    /* someone left or was removed from the training (by id), or a
	                        * lecturer lost a lesson of it */
	AG_RIGHTS_BOARD,       /* the board (by id) began or stopped hiding answers */
};

/* Listeners to what the domain did, called after the change is committed. The layers above
 * register them (the live-update hub); the domain never knows who listens. */
struct ag_events {
	/* A post became visible to readers: a new post published, or a held one approved. */
	void (*post_published)(const struct post *p);
	void (*rights_changed)(enum ag_rights_change what, int64_t id, const char *slug);
};

/* Built-in rates of writing per member (0: no limit); moderators and admins are exempt.
 * Counted from the rows the writes leave (posts, material versions), so no counter is kept. */
struct ag_rates {
	int posts_per_minute, posts_per_hour, uploads_per_hour;
};
/* The defaults of agorad serve (--rate-limits): far above a person writing by hand, far
 * below a script filling the disk. */
enum { AG_RATE_POSTS_MINUTE = 10, AG_RATE_POSTS_HOUR = 60, AG_RATE_UPLOADS_HOUR = 20 };

struct agora_ctx {
	struct store *db;
	const struct ag_rates *rates;      /* NULL: no limits (the command-line tools) */
	const struct plugin_host *plugins; /* may be NULL: no plugins */
	const char *files_dir;             /* where uploaded files live */
	int64_t max_upload;                /* bytes of one uploaded file, at most */
	struct arena *arena;   /* request-scoped memory for everything the domain returns */
	const struct user *actor; /* NULL when nobody is signed in */
	int64_t now;           /* Unix seconds */
	const char *client_addr;
	int64_t registrations_per_hour; /* from one client address; 0: no limit */
	const struct ag_events *events; /* may be NULL: nobody listens */
	/* 1 when e-mail is sent (--smtp and --base-url): only then is anything queued in the
	 * outbox; without it nothing else changes. */
	int mail;
	/* Filled by the function that fails: a snake_case code (also the message catalog key
	 * "error.CODE"), an optional detail for the message, and for AG_ERATE the wait. */
	const char *error_code;
	const char *error_detail;
	int64_t retry_after;
	/* Filled by a submission that plugins refused: each reason's text, and the catalog key
	 * (and its one argument) of those whose plugin gave one (agora_reason_set). */
	const struct ag_reason *reasons;
	size_t nreasons;
	/* Filled by a submission that plugins held: why, one line per plugin. */
	const char *const *held_reasons;
	size_t nheld_reasons;
};

struct ag_reason {
	const char *text; /* the plugin's own words: the fallback */
	const char *key;  /* a catalog key, or NULL */
	const char *arg;  /* what the key's "{}" becomes, or NULL */
};

/* Records why an operation failed and returns st, so callers can `return ag_fail(...)`. */
enum ag_status ag_fail(struct agora_ctx *c, enum ag_status st, const char *code);
/* Maps a store status to a domain status: busy, a full or read-only disk and other I/O errors
 * → AG_EBUSY (503, codes busy, storage_full, storage_read_only, storage_error), anything else →
 * AG_EINTERNAL. */
enum ag_status ag_store_fail(struct agora_ctx *c, int store_rc);
/* AG_OK when a store call succeeded, else what its failure means (ag_store_fail). */
enum ag_status ag_stored(struct agora_ctx *c, int store_rc);
/* Ends a write transaction begun with store_begin: commits when rc is STORE_OK and returns ok;
 * otherwise rolls back and returns the failure. */
enum ag_status ag_commit(struct agora_ctx *c, int rc, enum ag_status ok);

/* Tell the listeners of c->events, if any. */
void ag_emit_published(struct agora_ctx *c, const struct post *p);
void ag_emit_rights_changed(struct agora_ctx *c, enum ag_rights_change what, int64_t id, const char *slug);

/* A store status as a domain status, with missing for what was not found. */
enum ag_status ag_found(struct agora_ctx *c, int store_rc, const char *missing);
/* The acting user's id, 0 for a visitor. */
int64_t ag_viewer(const struct agora_ctx *c);

/* A right: whether the actor may do something, and when not, the status and code of the
 * refusal. Predicates (`*_may_*`) compute one without touching the context, so that pages
 * ask the same question the write asks before it changes anything. */
struct ag_right {
	enum ag_status st; /* AG_OK: allowed */
	const char *code;
	int64_t until; /* a refusal that lasts until then (Unix seconds), said in its message; 0 */
};
#define AG_ALLOWED ((struct ag_right){AG_OK, NULL, 0})
/* A refusal with status st and code. */
struct ag_right ag_refused(enum ag_status st, const char *code);
int ag_allowed(struct ag_right r);
/* AG_OK for an allowed right; else the refusal, recorded in the context as ag_fail does. */
enum ag_status ag_check(struct agora_ctx *c, struct ag_right r);

/* The verdict on a rate over the last window seconds: AG_OK when store_rc is STORE_NOTFOUND
 * (fewer rows than the limit in the window), else AG_ERATE rate_limited with retry_after
 * from the time `at` of the limit-th newest row (when it leaves the window). */
enum ag_status ag_rate_verdict(struct agora_ctx *c, int store_rc, int64_t at, int64_t window);

/* Write access: signed in and not banned. */
struct ag_right ag_may_write(const struct agora_ctx *c);
enum ag_status ag_require_writer(struct agora_ctx *c);
/* AG_OK when somebody is signed in (reading what is only theirs), else AG_EUNAUTH. */
enum ag_status ag_require_reader(struct agora_ctx *c);
int ag_is_admin(const struct agora_ctx *c);
/* A taxonomy term named by a client: NULL or "" gives an empty term, an unknown slug is
 * AG_EINVAL with code unknown_industry, unknown_position or unknown_region. */
enum ag_status ag_term(struct agora_ctx *c, enum term_kind kind, const char *slug, struct term *t);

#endif
