/* smtp: hands one message to an SMTP server with libcurl, and says whether to try again.
 * Blocking (up to the configured timeout): call it from a thread of its own, never from an
 * event loop. It never logs and never writes to stdout or stderr. Free of libevent and SQLite. */
#ifndef AGORA_SMTP_H
#define AGORA_SMTP_H

#include <stddef.h>

struct smtp_config {
	const char *url;      /* smtp://host:port (STARTTLS when the server offers it: CURLUSESSL_TRY) or smtps://host:port (implicit TLS); may carry user:password@ */
	const char *user, *password; /* may be NULL (then from the URL, or no authentication) */
	const char *from;     /* envelope sender address */
	long timeout;         /* seconds for the whole exchange; 0: 30 */
};

enum smtp_result {
	SMTP_SENT,
	SMTP_RETRY,   /* connection failed, timeout, 4xx; also 5xx before MAIL FROM (see smtp_send) */
	SMTP_REJECTED /* 5xx to this message: do not try again */
};

/* Sends msg (len bytes, as made by mime_compose) to one recipient, rcpt, from cfg->from.
 * SMTP_REJECTED when the server answers 5xx to the message itself: to RCPT TO, to DATA or
 * after the data, or 552 (too big) to MAIL FROM; also, without connecting, when rcpt is not
 * mime_address_ok. SMTP_RETRY for everything else that fails: no connection, a timeout, TLS,
 * 4xx anywhere, and 5xx before the message (the greeting, EHLO, STARTTLS, AUTH, MAIL FROM of
 * our one envelope sender), which says our configuration or standing is wrong, not this
 * message, so the message is kept while the operator fixes it; so is a cfg->url that is not
 * smtp:// or smtps://, or a cfg->from that is not mime_address_ok.
 * why (whysize bytes, may be 0) gets a one-line, NUL-terminated description of a failure: the
 * command, the server's reply code and text ("RCPT TO: 550 5.1.1 no such user"), or curl's
 * error; never the password nor the URL's userinfo. "" when sent. */
enum smtp_result smtp_send(const struct smtp_config *cfg, const char *rcpt, const char *msg, size_t len, char *why,
			   size_t whysize);

/* curl_global_init once per process; call before starting threads (smtp_send calls it too,
 * for single-threaded tools). */
void smtp_global_init(void);

#endif
