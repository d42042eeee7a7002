/* libFuzzer target for mime: a member's display name, a thread's title in a subject and the
 * addresses they gave reach mime_compose. Asserts what SMTP and the readers rely on: CRLF
 * line ends only, no line over 998, and a header block of exactly our headers (nothing the
 * input could add, such as a Bcc), whatever the fields hold. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mime.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { FIELDS = 7 };

static const char *const our_headers[] = {
	"Date: ", "From: ", "To: ", "Subject: ", "Message-ID: ", "MIME-Version: ", "Content-Language: ",
	"List-Unsubscribe: ", "List-Unsubscribe-Post: ", "Auto-Submitted: ", "Content-Type: ",
	"Content-Transfer-Encoding: ",
};

/* Every line ends in CRLF and holds at most 998 characters; the header block's lines are our
 * headers, each once, or their continuations. */
static void check_message(const char *m, size_t len)
{
	int seen[sizeof our_headers / sizeof our_headers[0]] = {0};
	int in_headers = 1;
	assert(strlen(m) == len && len >= 2 && m[len - 2] == '\r' && m[len - 1] == '\n');
	for (const char *line = m; *line;) {
		const char *cr = strchr(line, '\r');
		assert(cr && cr[1] == '\n' && !memchr(line, '\n', (size_t)(cr - line)));
		assert(cr - line <= 998);
		if (cr == line)
			in_headers = 0;
		else if (in_headers && *line != ' ') {
			size_t i = 0;
			while (i < sizeof our_headers / sizeof our_headers[0] &&
			       strncmp(line, our_headers[i], strlen(our_headers[i])) != 0)
				i++;
			assert(i < sizeof our_headers / sizeof our_headers[0] && !seen[i]++);
		}
		line = cr + 2;
	}
}

/* A header value folds only by CRLF SP. */
static void check_word(const char *v)
{
	char *w = mime_header_word(v);
	for (const char *p = w; (p = strpbrk(p, "\r\n")); p += 3)
		assert(p[0] == '\r' && p[1] == '\n' && p[2] == ' ');
	free(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The input is the fields separated by NUL bytes; missing ones are empty. */
	char *copy = xmalloc(size + 1), *f[FIELDS] = {0};
	memcpy(copy, data, size);
	copy[size] = '\0';
	char *p = copy, *end = copy + size;
	for (int i = 0; i < FIELDS; i++) {
		f[i] = p < end ? p : end; /* end is the final NUL: an empty field */
		p = f[i] + strlen(f[i]) + 1;
	}
	struct mime_mail m = {.from_name = f[0], .from_addr = "noreply@agora.example", .to_name = f[1],
			      .to_addr = f[2], .subject = f[3], .text = f[4], .html = *f[5] ? f[5] : NULL,
			      .message_id = "fuzz.1@agora.example", .date = 1764059400, .lang = "zh-CN",
			      .unsubscribe_url = *f[6] ? f[6] : NULL};
	size_t len = 0;
	char *msg = mime_compose(&m, &len);
	if (msg)
		check_message(msg, len);
	free(msg);
	check_word(f[3]);
	if (mime_address_ok(f[2]))
		assert(!strpbrk(f[2], " \t\r\n\"<>,()") && strlen(f[2]) <= 254);
	free(copy);
	return 0;
}
