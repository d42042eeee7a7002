/* store_announcement: announcements and the members who received them. An announcement names
 * its audience in its row (a training, an association, or taxonomy slugs as JSON), and the
 * audience is read in SQL, so counting it and fanning out use one definition. */
#ifndef AGORA_STORE_ANNOUNCEMENT_H
#define AGORA_STORE_ANNOUNCEMENT_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct announcement {
	int64_t id;
	struct user author;
	const char *title, *body, *body_html;
	const char *audience; /* JSON {industries, positions, regions}: slug lists, empty for all */
	const char *training, *training_title;       /* slug and title, or NULL */
	const char *association, *association_name; /* slug and name, or NULL */
	int64_t recipients; /* counted when it was made */
	int64_t reached;    /* notified so far */
	int64_t created_at, done_at;
	int64_t training_id, association_id; /* 0: none */
	int64_t cursor; /* the fan-out reached the members up to this id */
};

/* Adds the announcement (its audience, training_id and association_id; 0 for none) and fills
 * *id; its recipients are counted into the row at once. */
int store_announcement_add(struct store *db, const struct announcement *a, int64_t now, int64_t *id);
int store_announcement_get(struct store *db, struct arena *a, int64_t id, struct announcement *out);
/* Whether user_id received announcement id. */
int store_announcement_received(struct store *db, int64_t id, int64_t user_id);
/* The announcements user_id received, newest first. */
int store_announcements_received(struct store *db, struct arena *a, int64_t user_id, struct page pg,
				 struct announcement **out, size_t *n, int64_t *total);
/* An audience a member may address: kind "training" or "association", its slug and title. */
struct audience_choice {
	const char *kind, *slug, *title;
};
/* The trainings user_id organises and the associations they are an officer of. */
int store_announcement_audiences(struct store *db, struct arena *a, int64_t user_id, struct audience_choice **out,
				 size_t *n);
/* The next batch of at most limit recipients after the cursor: each recorded and notified;
 * *done when none is left. */
int store_announcement_fanout(struct store *db, int64_t id, int64_t limit, int64_t now, int *done);

#endif
