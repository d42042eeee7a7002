/* ical: lessons as an RFC 5545 calendar, written by libical (ical.h). */
#include "ical.h"

#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "util.h"

/* How often subscribed calendars should fetch the file again, in hours. */
enum { ICAL_REFRESH_HOURS = 1 };

/* Appends s cleaned for a content value: bytes that are not UTF-8 become U+FFFD, CR LF and
 * lone CR become LF (one_line: a space), other C0 controls but tab and DEL are dropped. */
static void clean_append(struct buf *b, const char *s, int one_line)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s);
	while (left > 0) {
		size_t k = utf8_seq(p, left);
		if (k == 0) {
			buf_puts(b, "\xef\xbf\xbd");
			k = 1;
		} else if (*p == '\r' || *p == '\n') {
			buf_putc(b, one_line ? ' ' : '\n');
			if (*p == '\r' && left > 1 && p[1] == '\n')
				k = 2;
		} else if ((*p >= 0x20 && *p != 0x7f) || *p == '\t') {
			buf_append(b, p, k);
		}
		p += k;
		left -= k;
	}
}

/* s cleaned (clean_append), malloc'd, or NULL when s is NULL or nothing is left of it. */
static char *clean(const char *s, int one_line)
{
	if (s == NULL)
		return NULL;
	struct buf b = BUF_INIT;
	clean_append(&b, s, one_line);
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

static struct icaltimetype utc_time(int64_t t)
{
	return icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
}

/* Adds the property made by make(text) when text is not NULL; frees text. */
static void add_text(icalcomponent *c, icalproperty *(*make)(const char *), char *text)
{
	if (text != NULL)
		icalcomponent_add_property(c, make(text));
	free(text);
}

/* What phone calendars show of an event beyond its title, time and place: the lecturer,
 * the description, the lesson's page (Google Calendar drops URL on import, so it is here too). */
static char *description(const struct ical_calendar *cal, const struct ical_lesson *l)
{
	struct buf b = BUF_INIT;
	if (l->lecturer != NULL && l->lecturer[0] != '\0') {
		clean_append(&b, cal->lecturer_label != NULL ? cal->lecturer_label : "Lecturer: ", 1);
		clean_append(&b, l->lecturer, 1);
	}
	const char *parts[] = {l->description, l->url};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		if (parts[i] == NULL || parts[i][0] == '\0')
			continue;
		if (b.len > 0)
			buf_puts(&b, "\n\n");
		clean_append(&b, parts[i], i == 1);
	}
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

static icalcomponent *lesson_event(const struct ical_calendar *cal, const struct ical_lesson *l)
{
	icalcomponent *ev = icalcomponent_new_vevent();
	add_text(ev, icalproperty_new_uid, clean(l->uid, 1));
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(utc_time(cal->stamp)));
	icalcomponent_add_property(ev, icalproperty_new_dtstart(utc_time(l->starts_at)));
	icalcomponent_add_property(ev, icalproperty_new_dtend(utc_time(l->starts_at + 60 * (int64_t)l->minutes)));
	icalcomponent_add_property(ev, icalproperty_new_sequence(l->sequence));
	if (l->updated > 0)
		icalcomponent_add_property(ev, icalproperty_new_lastmodified(utc_time(l->updated)));
	add_text(ev, icalproperty_new_summary, clean(l->summary, 1));
	add_text(ev, icalproperty_new_description, description(cal, l));
	add_text(ev, icalproperty_new_location, clean(l->location, 1));
	add_text(ev, icalproperty_new_url, clean(l->url, 1));
	icalcomponent_add_property(ev, icalproperty_new_status(l->cancelled ? ICAL_STATUS_CANCELLED
									     : ICAL_STATUS_CONFIRMED));
	icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_OPAQUE));
	return ev;
}

/* The name twice: NAME (RFC 7986, escaped as text) and X-WR-CALNAME, which Apple, Google and
 * Outlook read. libical 3.0 escapes \ and line breaks in X- values, not , or ; (harmless in a
 * one-valued property). Then the refresh hints for subscribed calendars. */
static void calendar_head(icalcomponent *vcal, const struct ical_calendar *cal)
{
	icalcomponent_add_property(vcal, icalproperty_new_prodid("-//Agora//Trainings//EN"));
	icalcomponent_add_property(vcal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(vcal, icalproperty_new_calscale("GREGORIAN"));
	icalcomponent_add_property(vcal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
	char *name = clean(cal->name, 1);
	if (name != NULL) {
		icalcomponent_add_property(vcal, icalproperty_new_name(name));
		icalproperty *x = icalproperty_new_x(name);
		icalproperty_set_x_name(x, "X-WR-CALNAME");
		icalcomponent_add_property(vcal, x);
		free(name);
	}
	struct icaldurationtype every = icaldurationtype_null_duration();
	every.hours = ICAL_REFRESH_HOURS;
	icalproperty *refresh = icalproperty_new_refreshinterval(every);
	icalproperty_add_parameter(refresh, icalparameter_new_value(ICAL_VALUE_DURATION));
	icalcomponent_add_property(vcal, refresh);
	char *every_text = icaldurationtype_as_ical_string_r(every);
	icalproperty *ttl = icalproperty_new_x(every_text);
	icalmemory_free_buffer(every_text);
	icalproperty_set_x_name(ttl, "X-PUBLISHED-TTL");
	icalcomponent_add_property(vcal, ttl);
}

static int lesson_ok(const struct ical_lesson *l)
{
	return l->uid != NULL && l->uid[0] != '\0' && l->summary != NULL && l->minutes > 0;
}

char *ical_calendar(const struct ical_calendar *cal, const struct ical_lesson *lessons, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!lesson_ok(&lessons[i]))
			return NULL;
	icalcomponent *vcal = icalcomponent_new_vcalendar();
	calendar_head(vcal, cal);
	for (size_t i = 0; i < n; i++)
		icalcomponent_add_component(vcal, lesson_event(cal, &lessons[i]));
	char *text = icalcomponent_as_ical_string_r(vcal);
	icalcomponent_free(vcal);
	if (text == NULL)
		return NULL;
	/* Ours, from malloc: libical's buffers belong to its own allocator. */
	char *out = xstrdup(text);
	icalmemory_free_buffer(text);
	return out;
}
