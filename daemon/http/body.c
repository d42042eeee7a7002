/* Request bodies: JSON for the API, url-encoded forms for pages, multipart uploads left for
 * the handler to read; refused when too big, of another type or not UTF-8. */
#include "http.h"

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/util.h>
#include <string.h>

#include "http_impl.h"
#include "utf8.h"

enum { JSON_BODY_MAX = 1024 * 1024 };

static int content_type_is(const char *ct, const char *want)
{
	size_t n = strlen(want);
	return ct && !evutil_ascii_strncasecmp(ct, want, n) &&
	       (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* Form fields as a JSON object of strings; a field given several times (checkboxes) becomes
 * an array of its values. */
static json_t *form_object(const struct kvlist *l)
{
	json_t *o = json_object();
	for (size_t i = 0; i < l->n; i++) {
		json_t *v = json_stringn(l->items[i].val, l->items[i].val_len), *had = json_object_get(o, l->items[i].key);
		if (!had)
			json_object_set_new(o, l->items[i].key, v);
		else if (json_is_array(had))
			json_array_append_new(had, v);
		else
			json_object_set_new(o, l->items[i].key, json_pack("[O, o]", had, v));
	}
	return o;
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
	if (!utf8_valid(data, len))
		return req_error(r, 400, "invalid_utf8"), -1;
	if (r->from_form) {
		struct kvlist l = KVLIST_INIT;
		if (form_parse(data, len, &l) != FORM_OK)
			return req_error(r, 400, "invalid_form"), -1;
		r->input = form_object(&l);
		kvlist_free(&l);
		return 0;
	}
	json_error_t err;
	r->input = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
	if (!r->input || !json_is_object(r->input))
		return req_error(r, 400, "invalid_json"), -1;
	return 0;
}
