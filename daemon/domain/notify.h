/* notify: notifications. Created inside the write transaction that publishes a post or
 * records a moderator's decision, so a notification exists exactly when its cause does;
 * listed and marked read by their owner only. */
#ifndef AGORA_NOTIFY_H
#define AGORA_NOTIFY_H

#include <stddef.h>

#include "ctx.h"
#include "store_follow.h"

/* A post was just published (its author is the actor): mentioned users, the author of the
 * post replied to, then the followers of the thread (replies) or of the board (new threads),
 * each at most once per post, in that order of priority. Inside the caller's transaction;
 * returns a store status. */
int notify_published(struct agora_ctx *c, const struct post *p);
/* The author of post_id hears that the caller accepted it as the answer to their question.
 * Inside the caller's transaction; returns a store status. */
int notify_accepted(struct agora_ctx *c, int64_t post_id);
/* A moderator acted on someone's post: its author hears of the action and the reason.
 * Inside the caller's transaction; returns a store status. */
int notify_moderation(struct agora_ctx *c, int64_t post_id, const char *action, const char *reason);

/* An admin decided the application to teach of user_id (kind moderation, about no post;
 * detail "WHAT\tREASON", what lecturer_approved or lecturer_declined). Inside the caller's
 * transaction; returns a store status. */
int notify_lecturer(struct agora_ctx *c, int64_t user_id, const char *what, const char *reason);

/* Something happened in a training that its trainees hear of (kind training, detail what:
 * "enrolled", "approved", "lesson_moved"): one trainee (user_id), or every enrolled and
 * completed trainee (user_id 0); never the actor. The one place training notifications are
 * made, so that the e-mail outbox can hook in here. Inside the caller's transaction; returns a
 * store status. */
int notify_training(struct agora_ctx *c, int64_t training_id, int64_t user_id, const char *what);

/* A follow-up wave asks its respondents (kind followup, detail "WHAT\tQUESTIONNAIRE_ID"; what
 * "opened" or "reminder"): every invited user once, or (unanswered) those with an invitation
 * not answered yet. The one place follow-up notifications are made, so that the e-mail outbox
 * can hook in here. Inside the caller's transaction; returns a store status. */
int notify_followup(struct agora_ctx *c, const struct followup *f, const char *what, int unanswered);

/* The next batch (at most limit) of an announcement's recipients, each notified (kind
 * announcement, detail its id); *done when none is left. The one place announcement
 * notifications are made. Inside the caller's transaction; returns a store status. */
int notify_announcement(struct agora_ctx *c, int64_t announcement_id, int64_t limit, int *done);

/* The caller's notifications, newest first, with how many are unread. */
enum ag_status notify_list(struct agora_ctx *c, struct page pg, struct note **out, size_t *n, int64_t *total,
			   int64_t *unread);
/* Marks the caller's notifications read: those of ids (others' ids and ids that are not
 * positive are ignored), or all when ids is NULL. At most NOTIFY_READ_IDS_MAX ids (413
 * too_many_ids beyond): each is a write under the process-wide write lock. */
enum { NOTIFY_READ_IDS_MAX = 1000 };
enum ag_status notify_mark_read(struct agora_ctx *c, const int64_t *ids, size_t n);
/* How many of the caller's notifications are unread (0 for visitors or on error), counting no
 * further than NOTIFY_UNREAD_SHOWN + 1: every page's header asks, and must not cost more for a
 * member who let 100,000 pile up. */
enum { NOTIFY_UNREAD_SHOWN = 99 };
int64_t notify_unread_count(struct agora_ctx *c);

#endif
