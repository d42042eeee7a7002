/* ical: a training's lessons as an RFC 5545 calendar (GET /trainings/SLUG/calendar.ics),
 * written by libical. Every time is UTC ("…Z"); text is cleaned first (bytes that are not
 * UTF-8 become U+FFFD, control characters are dropped, CR LF becomes LF, single-line fields
 * lose their line breaks), then libical escapes it (\\ \, \; \n) and folds lines at 75 octets,
 * never inside a UTF-8 sequence. Free of libevent and SQLite. */
#ifndef AGORA_ICAL_H
#define AGORA_ICAL_H

#include <stddef.h>
#include <stdint.h>

/* One lesson, one VEVENT. Only uid and summary are required (and minutes > 0). */
struct ical_lesson {
	const char *uid;         /* stable and globally unique: "lesson-42@forum.example" */
	int64_t starts_at;       /* Unix seconds (DTSTART) */
	int minutes;             /* length: DTEND = DTSTART + minutes */
	const char *summary;     /* the lesson's title; one line */
	const char *lecturer;    /* display name, first line of DESCRIPTION; NULL: none */
	const char *description; /* plain text (not HTML), may hold line breaks; NULL: none */
	const char *location;    /* one line; NULL: none */
	const char *url;         /* the lesson's page (URL, and last line of DESCRIPTION); NULL */
	int sequence;            /* revision: must grow whenever the time or place changes */
	int64_t updated;         /* Unix seconds of the last change (LAST-MODIFIED); 0: none */
	int cancelled;           /* 1: STATUS:CANCELLED (calendars strike it out) */
};

/* The calendar around the lessons. */
struct ical_calendar {
	const char *name;           /* the training's title: NAME and X-WR-CALNAME */
	const char *lecturer_label; /* put before the lecturer's name, e.g. "讲师：" (i18n);
	                             * NULL: "Lecturer: " */
	int64_t stamp;              /* DTSTAMP of every event: now, from the caller's clock */
};

/* The VCALENDAR text (CRLF line ends) with one VEVENT per lesson, in order; n may be 0.
 * Returns text the caller owns and frees with free(), or NULL when a lesson lacks its uid
 * or summary or has minutes < 1 (or libical fails). */
char *ical_calendar(const struct ical_calendar *cal, const struct ical_lesson *lessons, size_t n);

#endif
