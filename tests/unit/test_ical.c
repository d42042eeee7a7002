/* Unit tests for ical: every calendar is parsed back with libical's own parser and each field
 * compared; the raw text is checked for UTC times, escaping and folding at 75 octets. */
#include "check_main.h"

#include <check.h>
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ical.h"
#include "utf8.h"

#define T0 1764059400 /* 2025-11-25T08:30:00Z */
#define STAMP 1763000000
#define LONG_ZH "乡村振兴战略与基层治理能力提升专题培训班第一讲：如何做好新时代群众工作的方法与案例分析"

static const struct ical_calendar cal = {.name = "基层治理培训班", .lecturer_label = "讲师：", .stamp = STAMP};

static icalcomponent *parse(const char *text)
{
	ck_assert_ptr_nonnull(text);
	icalcomponent *c = icalparser_parse_string(text);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(icalcomponent_isa(c), ICAL_VCALENDAR_COMPONENT);
	return c;
}

/* The value of c's first property of kind k, as libical reads it back (NULL: none). */
static const char *value(icalcomponent *c, icalproperty_kind k)
{
	icalproperty *p = icalcomponent_get_first_property(c, k);
	return p == NULL ? NULL : icalvalue_as_ical_string(icalproperty_get_value(p));
}

/* The first X- property named name, unescaped as libical reads it. */
static const char *x_value(icalcomponent *c, const char *name)
{
	for (icalproperty *p = icalcomponent_get_first_property(c, ICAL_X_PROPERTY); p != NULL;
	     p = icalcomponent_get_next_property(c, ICAL_X_PROPERTY))
		if (strcmp(icalproperty_get_x_name(p), name) == 0)
			return icalproperty_get_x(p);
	return NULL;
}

static void check_utc(struct icaltimetype t, long long expect)
{
	ck_assert(icaltime_is_utc(t));
	ck_assert_int_eq((long long)icaltime_as_timet(t), expect);
}

/* Every physical line: CRLF-terminated, at most 75 octets, UTF-8 on its own. */
static void check_lines(const char *text)
{
	const char *p = text;
	while (*p != '\0') {
		const char *end = strstr(p, "\r\n");
		ck_assert_ptr_nonnull(end);
		size_t len = (size_t)(end - p);
		ck_assert_msg(len <= 75, "line of %zu octets: %.*s", len, (int)len, p);
		ck_assert_msg(utf8_valid(p, len), "line cut inside UTF-8: %.*s", (int)len, p);
		ck_assert_ptr_null(memchr(p, '\n', len));
		p = end + 2;
	}
}

START_TEST(calendar_head_fields)
{
	char *text = ical_calendar(&cal, NULL, 0);
	check_lines(text);
	icalcomponent *c = parse(text);
	ck_assert_str_eq(icalproperty_get_prodid(icalcomponent_get_first_property(c, ICAL_PRODID_PROPERTY)),
			 "-//Agora//Trainings//EN");
	ck_assert_str_eq(value(c, ICAL_VERSION_PROPERTY), "2.0");
	ck_assert_str_eq(value(c, ICAL_CALSCALE_PROPERTY), "GREGORIAN");
	ck_assert_int_eq(icalcomponent_get_method(c), ICAL_METHOD_PUBLISH);
	ck_assert_str_eq(icalproperty_get_name(icalcomponent_get_first_property(c, ICAL_NAME_PROPERTY)),
			 "基层治理培训班");
	ck_assert_str_eq(x_value(c, "X-WR-CALNAME"), "基层治理培训班");
	ck_assert_str_eq(x_value(c, "X-PUBLISHED-TTL"), "PT1H");
	ck_assert_ptr_nonnull(strstr(text, "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n"));
	/* An empty calendar is still a calendar: no event, nothing else missing. */
	ck_assert_int_eq(icalcomponent_count_components(c, ICAL_ANY_COMPONENT), 0);
	ck_assert_int_eq(strncmp(text, "BEGIN:VCALENDAR\r\n", 17), 0);
	ck_assert_ptr_nonnull(strstr(text, "END:VCALENDAR\r\n"));
	icalcomponent_free(c);
	free(text);
}
END_TEST

static const struct ical_lesson full = {
	.uid = "lesson-42@forum.example",
	.starts_at = T0,
	.minutes = 90,
	.summary = LONG_ZH,
	.lecturer = "张伟",
	.description = "第一部分, 政策; 解读\r\n第二部分\\案例",
	.location = "党校 3 号楼, 201 室",
	.url = "https://forum.example/lessons/42",
	.sequence = 3,
	.updated = T0 - 86400,
};

START_TEST(event_fields_read_back)
{
	char *text = ical_calendar(&cal, &full, 1);
	check_lines(text);
	icalcomponent *c = parse(text);
	ck_assert_int_eq(icalcomponent_count_components(c, ICAL_VEVENT_COMPONENT), 1);
	icalcomponent *e = icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT);
	ck_assert_str_eq(icalcomponent_get_uid(e), "lesson-42@forum.example");
	check_utc(icalcomponent_get_dtstamp(e), STAMP);
	check_utc(icalcomponent_get_dtstart(e), T0);
	check_utc(icalcomponent_get_dtend(e), T0 + 90 * 60);
	ck_assert_int_eq(icalcomponent_get_sequence(e), 3);
	icalproperty *lm = icalcomponent_get_first_property(e, ICAL_LASTMODIFIED_PROPERTY);
	ck_assert_ptr_nonnull(lm);
	check_utc(icalproperty_get_lastmodified(lm), T0 - 86400);
	ck_assert_str_eq(icalcomponent_get_summary(e), LONG_ZH);
	ck_assert_str_eq(icalcomponent_get_description(e),
			 "讲师：张伟\n\n第一部分, 政策; 解读\n第二部分\\案例\n\nhttps://forum.example/lessons/42");
	ck_assert_str_eq(icalcomponent_get_location(e), "党校 3 号楼, 201 室");
	ck_assert_str_eq(icalproperty_get_url(icalcomponent_get_first_property(e, ICAL_URL_PROPERTY)),
			 "https://forum.example/lessons/42");
	ck_assert_int_eq(icalcomponent_get_status(e), ICAL_STATUS_CONFIRMED);
	/* Times in UTC, text escaped as RFC 5545 says. */
	const char *raw[] = {"DTSTART:20251125T083000Z\r\n", "DTEND:20251125T100000Z\r\n",
			     "SEQUENCE:3\r\n", "LOCATION:党校 3 号楼\\, 201 室\r\n"};
	UNIT_CHECK_HAS(text, raw);
	icalcomponent_free(c);
	free(text);
}
END_TEST

/* The escaped form of full.description, unfolded: "\," "\;" "\\" "\n" as RFC 5545 §3.3.11. */
static char *unfold(const char *text)
{
	char *out = malloc(strlen(text) + 1), *o = out;
	for (const char *p = text; *p != '\0'; p++) {
		if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ')
			p += 2;
		else
			*o++ = *p;
	}
	*o = '\0';
	return out;
}

START_TEST(text_is_escaped_and_folded)
{
	char *text = ical_calendar(&cal, &full, 1);
	char *flat = unfold(text);
	const char *escaped[] = {"DESCRIPTION:讲师：张伟\\n\\n第一部分\\, 政策\\; 解读\\n第二部分\\\\案例\\n\\n",
				 "SUMMARY:" LONG_ZH "\r\n"};
	UNIT_CHECK_HAS(flat, escaped);
	/* The long Chinese summary did need folding, and every piece is whole UTF-8. */
	ck_assert_ptr_null(strstr(text, "SUMMARY:" LONG_ZH));
	check_lines(text);
	free(flat);
	free(text);
}
END_TEST

START_TEST(folding_never_splits_utf8)
{
	/* Widths 1 to 4 octets, shifted by 0 to 3 ASCII letters, with no spaces to break at. */
	const char *chars[] = {"x", "é", "讲", "😀"};
	for (size_t w = 0; w < UNIT_COUNT(chars); w++)
		for (size_t shift = 0; shift < 4; shift++) {
			char summary[600] = "";
			memcpy(summary, "abc", shift);
			summary[shift] = '\0';
			for (int i = 0; i < 120; i++)
				strcat(summary, chars[w]);
			struct ical_lesson l = {.uid = "u", .starts_at = T0, .minutes = 1, .summary = summary};
			char *text = ical_calendar(&cal, &l, 1);
			check_lines(text);
			icalcomponent *c = parse(text);
			icalcomponent *e = icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT);
			ck_assert_str_eq(icalcomponent_get_summary(e), summary);
			icalcomponent_free(c);
			free(text);
		}
}
END_TEST

START_TEST(moved_lesson_updates)
{
	struct ical_lesson l = {.uid = "lesson-7@x", .starts_at = T0, .minutes = 45, .summary = "调研方法"};
	char *before = ical_calendar(&cal, &l, 1);
	l.starts_at += 7200;
	l.sequence = 1;
	l.updated = T0 - 60;
	l.cancelled = 1;
	char *after = ical_calendar(&cal, &l, 1);
	const char *b[] = {"SEQUENCE:0\r\n", "STATUS:CONFIRMED\r\n", "DTSTART:20251125T083000Z\r\n"};
	const char *b_not[] = {"LAST-MODIFIED", "DESCRIPTION", "LOCATION", "URL"};
	const char *a[] = {"SEQUENCE:1\r\n", "STATUS:CANCELLED\r\n", "DTSTART:20251125T103000Z\r\n",
			   "LAST-MODIFIED:20251125T082900Z\r\n", "UID:lesson-7@x\r\n"};
	UNIT_CHECK_HAS(before, b);
	UNIT_CHECK_LACKS(before, b_not);
	UNIT_CHECK_HAS(after, a);
	free(before);
	free(after);
}
END_TEST

START_TEST(text_is_cleaned)
{
	struct ical_lesson l = {.uid = "u1", .starts_at = T0, .minutes = 30,
				.summary = "第一\r\n讲\x01\x7f 坏\xff字节\xe8\xae",
				.description = "a\rb\nc\r\nd\te\x1b",
				.location = "一楼\n大厅",
				.url = "https://x.example/a\r\nX-INJECTED:1"};
	struct ical_calendar named = {.name = "名称\n第二行", .stamp = STAMP};
	char *text = ical_calendar(&named, &l, 1);
	check_lines(text);
	ck_assert_ptr_null(strstr(text, "\r\nX-INJECTED"));
	icalcomponent *c = parse(text);
	icalcomponent *e = icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT);
	ck_assert_str_eq(icalcomponent_get_summary(e), "第一 讲 坏\xef\xbf\xbd字节\xef\xbf\xbd\xef\xbf\xbd");
	ck_assert_str_eq(icalcomponent_get_description(e), "a\nb\nc\nd\te\n\nhttps://x.example/a X-INJECTED:1");
	ck_assert_str_eq(icalcomponent_get_location(e), "一楼 大厅");
	ck_assert_str_eq(x_value(c, "X-WR-CALNAME"), "名称 第二行");
	icalcomponent_free(c);
	free(text);
}
END_TEST

START_TEST(refuses_incomplete_lessons)
{
	struct ical_lesson ok = {.uid = "u", .starts_at = T0, .minutes = 30, .summary = "s"};
	struct ical_lesson bad[] = {ok, ok, ok, ok};
	bad[0].uid = NULL;
	bad[1].uid = "";
	bad[2].summary = NULL;
	bad[3].minutes = 0;
	for (size_t i = 0; i < UNIT_COUNT(bad); i++) {
		struct ical_lesson two[] = {ok, bad[i]};
		ck_assert_ptr_null(ical_calendar(&cal, two, 2));
	}
}
END_TEST

START_TEST(many_events_in_order)
{
	enum { N = 400 };
	struct ical_lesson *l = calloc(N, sizeof *l);
	char (*uids)[32] = calloc(N, sizeof *uids);
	for (int i = 0; i < N; i++) {
		snprintf(uids[i], sizeof uids[i], "lesson-%d@forum.example", i);
		l[i] = (struct ical_lesson){.uid = uids[i], .starts_at = T0 + 3600LL * i, .minutes = 50,
					    .summary = LONG_ZH, .lecturer = "李娜", .sequence = i};
	}
	char *text = ical_calendar(&cal, l, N);
	check_lines(text);
	icalcomponent *c = parse(text);
	ck_assert_int_eq(icalcomponent_count_components(c, ICAL_VEVENT_COMPONENT), N);
	int i = 0;
	for (icalcomponent *e = icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT); e != NULL;
	     e = icalcomponent_get_next_component(c, ICAL_VEVENT_COMPONENT), i++) {
		ck_assert_str_eq(icalcomponent_get_uid(e), uids[i]);
		check_utc(icalcomponent_get_dtstart(e), T0 + 3600LL * i);
		ck_assert_int_eq(icalcomponent_get_sequence(e), i);
	}
	ck_assert_int_eq(i, N);
	icalcomponent_free(c);
	free(text);
	free(uids);
	free(l);
}
END_TEST

static const struct unit_tcase ical_cases[] = {
	{.name = "calendar",
	 .tests = UNIT_TESTS(&calendar_head_fields, &event_fields_read_back, &text_is_escaped_and_folded,
			     &folding_never_splits_utf8, &moved_lesson_updates, &text_is_cleaned,
			     &refuses_incomplete_lessons, &many_events_in_order)},
};

UNIT_SUITE(ical, ical_cases)

const struct unit_tests unit_tests = {.suites = {ical_suite}};
