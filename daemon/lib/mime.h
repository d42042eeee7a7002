/* mime: the e-mails agorad sends, as RFC 5322 / MIME text ready for SMTP. Everything a
 * header carries is checked here, so that no text of a member (a display name, a thread's
 * title in a subject) can add a header or a recipient. Free of libevent and SQLite. */
#ifndef AGORA_MIME_H
#define AGORA_MIME_H

#include <stddef.h>
#include <stdint.h>

struct mime_mail {
	const char *from_name, *from_addr; /* display name may be UTF-8 (Chinese) */
	const char *to_name, *to_addr;     /* to_name may be NULL */
	const char *subject;               /* UTF-8 */
	const char *text;                  /* UTF-8 plain-text body, required */
	const char *html;                  /* UTF-8 HTML body, or NULL for text only */
	const char *message_id;            /* "unique@domain", without the angle brackets */
	int64_t date;                      /* Unix seconds, for the Date header */
	const char *lang;                  /* Content-Language, e.g. "zh-CN"; may be NULL */
	const char *unsubscribe_url;       /* NULL: no List-Unsubscribe headers */
};

/* The whole message with CRLF line ends, malloc'd (the caller frees it), its length in *len:
 * Date (UTC), From, To, Subject, Message-ID, MIME-Version, Content-Language, List-Unsubscribe
 * with List-Unsubscribe-Post (RFC 8058), Auto-Submitted; then the text alone, or text and
 * HTML as multipart/alternative, each part UTF-8 in base64 (lines of 76, so no line of the
 * message is longer than 998 and none starts with a dot).
 * NULL, and *len untouched, when the mail cannot be sent safely: a header value carries CR, LF
 * (header injection) or is not UTF-8; an address (from, to) is not mime_address_ok; the
 * message id is not dot-atom@domain; lang is not a language tag (letters, digits, '-'); the
 * unsubscribe URL is not printable ASCII without spaces, '<', '>' or '"'; a body is not UTF-8;
 * text is NULL; date is not a representable time. */
char *mime_compose(const struct mime_mail *m, size_t *len);

/* value as a header may carry it, malloc'd. Printable ASCII (without "=?", which a reader
 * would take for an encoded word) is returned as it is, folded at spaces when long. Anything
 * else becomes RFC 2047 encoded words (UTF-8, B encoding) of at most 60 characters each (the
 * RFC allows 75; 60 keeps "Subject: " and a word within the 76 of a line), cut on UTF-8
 * character boundaries and folded by CRLF SP. value is taken as UTF-8 and never NULL. */
char *mime_header_word(const char *value);

/* 1 when s is an address we send to or from: addr-spec local@domain in ASCII; the local part
 * a dot-atom (letters, digits, !#$%&'*+-/=?^_`{|}~ and inner single dots: no spaces, control
 * characters, double quotes, angle brackets, commas) of at most 64 bytes; the domain at least
 * two labels of letters, digits and inner '-', at most 63 each, the last with a letter; 254
 * bytes in all. 0 otherwise, also for NULL. */
int mime_address_ok(const char *s);

#endif
