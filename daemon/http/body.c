/* Request bodies: JSON for the API, url-encoded forms for pages, multipart uploads left for
 * the handler to read; refused when too big, of another type or not UTF-8. */
#include "http.h"

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/util.h>
#include <string.h>

#include "http_impl.h"
#include "input.h"

enum { JSON_BODY_MAX = 1024 * 1024 };

static int content_type_is(const char *ct, const char *want)
{
	size_t n = strlen(want);
	return ct && !evutil_ascii_strncasecmp(ct, want, n) &&
	       (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

int body_read(struct req *r, struct evhttp_request *ev)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(ev);
	size_t len = evbuffer_get_length(in);
	const char *ct = evhttp_find_header(evhttp_request_get_input_headers(ev), "Content-Type");
	r->from_form = is_page(r);
	if (len == 0) {
		r->input = json_object();
		return 0;
	}
	if (r->route->flags & R_UPLOAD) {
		r->input = json_object();
		if (!content_type_is(ct, "multipart/form-data"))
			return req_error(r, 415, "unsupported_media_type"), -1;
		return 0;
	}
	if (len > JSON_BODY_MAX)
		return req_error(r, 413, "body_too_large"), -1;
	if (!content_type_is(ct, r->from_form ? "application/x-www-form-urlencoded" : "application/json"))
		return req_error(r, 415, "unsupported_media_type"), -1;
	const char *data = (const char *)evbuffer_pullup(in, -1);
	switch (input_decode(data, len, r->from_form, &r->input)) {
	case INPUT_OK:
		break;
	case INPUT_INVALID_UTF8:
		return req_error(r, 400, "invalid_utf8"), -1;
	case INPUT_INVALID_FORM:
		return req_error(r, 400, "invalid_form"), -1;
	case INPUT_INVALID_JSON:
		return req_error(r, 400, "invalid_json"), -1;
	}
	return 0;
}
