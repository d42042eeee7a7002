/* digests: the periodic e-mails, written by two recurring jobs at a fixed local hour
 * (DIGEST_HOUR in the site's time zone): the digest (digest.h says what it holds) daily or on
 * Mondays, and the daily summary of unread notifications for members who chose
 * email_notifications "daily". Each member gets each at most once per period, exactly once
 * across restarts and processes: the message is queued and the member's period marked done in
 * the job's one transaction; members are taken DIGEST_BATCH at a time so the write lock is never
 * held long, and no message is made when nothing new concerns the member. A period agorad was
 * down for is skipped rather than sent late (DIGEST_GRACE). */
#ifndef AGORA_DIGESTS_H
#define AGORA_DIGESTS_H

#include "ctx.h"

enum {
	DIGEST_HOUR = 7,    /* local time of the day's mail */
	DIGEST_BATCH = 100, /* members per run of a job */
	DIGEST_GRACE = 12 * 3600, /* a period's mail is made only this long after it begins */
};

#define DIGEST_JOB "mail.digest"
#define SUMMARY_JOB "mail.summary"

struct job;
/* The recurring jobs (job_kinds.c); inside the runner's transaction. */
enum ag_status digest_job(struct agora_ctx *c, const struct job *j, int64_t *again_at);
enum ag_status summary_job(struct agora_ctx *c, const struct job *j, int64_t *again_at);

/* The period a moment falls in, as its key ("D2026-12-02" daily, "W2026-11-30" weekly: the
 * date it began) and its start; periods begin at DIGEST_HOUR local, weeks on Mondays. */
void digest_period(int64_t now, long zone_offset, int weekly, char key[16], int64_t *start);

#endif
