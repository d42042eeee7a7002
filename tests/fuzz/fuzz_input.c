/* libFuzzer target for input: every API and form body passes input_decode, then the handlers'
 * readers (input_str, input_int, input_bool). Byte 0 chooses a form (odd) or JSON (even); the
 * rest is the body. Asserts what handlers rely on: a decoded body is an object whose strings
 * are all valid NUL-free UTF-8 (form fields strings or arrays of strings), a refused one
 * leaves nothing, invalid UTF-8 is always refused as such, the readers flag exactly the
 * wrong-typed fields, and a decoded body survives a round trip through json_dumps. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "utf8.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_strings(const json_t *v)
{
	const char *key;
	json_t *item;
	size_t i;
	if (json_is_string(v))
		assert(utf8_valid(json_string_value(v), json_string_length(v)));
	else if (json_is_object(v))
		json_object_foreach((json_t *)v, key, item) {
			assert(utf8_valid(key, strlen(key)));
			check_strings(item);
		}
	else if (json_is_array(v))
		json_array_foreach(v, i, item)
			check_strings(item);
}

static void check_form_fields(const json_t *o)
{
	const char *key;
	json_t *v, *item;
	size_t i;
	json_object_foreach((json_t *)o, key, v) {
		assert(json_is_string(v) || json_is_array(v));
		if (json_is_array(v)) {
			assert(json_array_size(v) >= 2);
			json_array_foreach(v, i, item)
				assert(json_is_string(item));
		}
	}
}

/* Each reader, on each field, both ways: bad is set exactly for a wrong type, and what is
 * returned is what the field holds. */
static void check_readers(const json_t *o, int from_form)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)o, key, v) {
		int bad = 0, present = -1;
		const char *s = input_str(o, key, &bad);
		assert(bad == !(json_is_null(v) || json_is_string(v)));
		assert(!s || s == json_string_value(v));
		bad = 0;
		int64_t n = input_int(o, key, from_form, &present, &bad);
		if (json_is_integer(v))
			assert(!bad && present && n == json_integer_value(v));
		else if (!bad && !json_is_null(v))
			assert(from_form && json_is_string(v) && n >= 0 && strlen(json_string_value(v)) <= 18);
		bad = 0;
		int b = input_bool(o, key, from_form, &bad);
		assert(b == 0 || b == 1);
		assert(bad == !(json_is_null(v) || json_is_boolean(v) || (from_form && json_is_string(v))));
	}
}

static void check_round_trip(const json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT);
	assert(s);
	json_t *back = json_loads(s, JSON_REJECT_DUPLICATES, NULL);
	assert(back && json_equal(back, (json_t *)o));
	json_decref(back);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) { /* as agorad does at start */
		util_json_init();
		ready = 1;
	}
	if (size == 0)
		return 0;
	int form = data[0] & 1;
	size_t len = size - 1;
	char *body = xmalloc(len ? len : 1); /* exact size: a read past the end is an ASan report */
	memcpy(body, data + 1, len);
	json_t *o = (json_t *)1;
	enum input_status st = input_decode(body, len, form, &o);
	assert(utf8_valid(body, len) || st == INPUT_INVALID_UTF8);
	if (st != INPUT_OK) {
		assert(o == NULL);
	} else {
		assert(json_is_object(o));
		check_strings(o);
		if (form)
			check_form_fields(o);
		check_readers(o, form);
		check_readers(o, !form);
		check_round_trip(o);
		json_decref(o);
	}
	free(body);
	return 0;
}
