/* input: what a client sent in a request body, as a JSON object of fields, and the typed
 * readers of those fields. The transport (http/body.c, http/request.c) calls these; they are
 * here, free of libevent, so that one function both serves requests and is fuzzed
 * (tests/fuzz/fuzz_input.c). */
#ifndef AGORA_INPUT_H
#define AGORA_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

enum input_status {
	INPUT_OK = 0,
	INPUT_INVALID_UTF8, /* the body is not well-formed UTF-8, or holds a NUL */
	INPUT_INVALID_FORM, /* a url-encoded form that form_parse refuses */
	INPUT_INVALID_JSON, /* not JSON, a duplicated key, or not an object */
};

/* Decodes a body: a page's url-encoded form when form is 1 (a field given several times
 * becomes an array of its values), else a JSON object (duplicate keys refused). On INPUT_OK
 * *out is a new object the caller owns, whose every string is valid NUL-free UTF-8; otherwise
 * *out is NULL. */
enum input_status input_decode(const char *data, size_t len, int form, json_t **out);

/* A number a client wrote as text: at most 18 decimal digits, from min up. 0 with *out, or -1. */
int input_number(const char *s, int64_t min, int64_t *out);

/* The readers of a field of in (absent and null are the same). Each sets *bad to 1 for a
 * present field of the wrong type and leaves it alone otherwise. from_form: the fields came
 * from a form, so they are strings ("12", "on") to be read as numbers and booleans. */
const char *input_str(const json_t *in, const char *key, int *bad);
/* An integer; *present (may be NULL) says whether one was given (an empty form field is not). */
int64_t input_int(const json_t *in, const char *key, int from_form, int *present, int *bad);
int input_bool(const json_t *in, const char *key, int from_form, int *bad);

#endif
