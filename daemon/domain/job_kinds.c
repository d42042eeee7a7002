/* Every kind of scheduled work: a line per kind, kept in alphabetical order. A kind's name is
 * MODULE.WHAT; once jobs of a kind may be in a database, its name never changes. */
#include "job_kinds.h"

#include "accounts.h"
#include "announcements.h"
#include "digests.h"
#include "followups.h"
#include "trainings.h"

const struct job_kind job_kinds[] = {
	/* expired sessions and old failed logins, hourly */
	{.kind = "accounts.cleanup", .run = account_cleanup_job, .recurring = 1},
	/* an announcement reaches its audience, ANNOUNCE_BATCH recipients a run */
	{.kind = ANNOUNCE_JOB, .run = announcement_fanout_job},
	/* each member's digest, at DIGEST_HOUR local, daily or on Mondays as they chose */
	{.kind = DIGEST_JOB, .run = digest_job, .recurring = 1},
	/* the daily summary of unread notifications, for members who chose it */
	{.kind = SUMMARY_JOB, .run = summary_job, .recurring = 1},
	/* trainees who attended enough of a training that has ended, hourly */
	{.kind = "trainings.complete_due", .run = training_complete_job, .recurring = 1},
	/* a follow-up wave opens on its day: its questionnaire, invitations, notifications */
	{.kind = FOLLOWUP_OPEN_JOB, .run = followup_open_job},
	/* those a wave invited who have not answered, once, remind_after_days later */
	{.kind = FOLLOWUP_REMIND_JOB, .run = followup_remind_job},
};
const size_t job_nkinds = sizeof job_kinds / sizeof job_kinds[0];
