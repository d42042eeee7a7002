#include "input.h"

#include <string.h>

#include "form.h"
#include "utf8.h"
#include "util.h"

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

enum input_status input_decode(const char *data, size_t len, int form, json_t **out)
{
	json_error_t err;
	*out = NULL;
	if (!utf8_valid(data, len))
		return INPUT_INVALID_UTF8;
	if (form) {
		struct kvlist l = KVLIST_INIT;
		if (form_parse(data, len, &l) != FORM_OK)
			return INPUT_INVALID_FORM;
		*out = form_object(&l);
		kvlist_free(&l);
		return INPUT_OK;
	}
	/* jansson refuses \u0000 and lone surrogates in escapes, so its strings stay valid UTF-8 */
	json_t *v = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
	if (!json_is_object(v)) {
		json_decref(v);
		return INPUT_INVALID_JSON;
	}
	*out = v;
	return INPUT_OK;
}

int input_number(const char *s, int64_t min, int64_t *out)
{
	return s && strlen(s) <= 18 ? parse_i64(s, min, INT64_MAX, out) : -1;
}

/* The field key, or NULL when it is absent or null. */
static json_t *field(const json_t *in, const char *key)
{
	json_t *v = json_object_get(in, key);
	return json_is_null(v) ? NULL : v;
}

const char *input_str(const json_t *in, const char *key, int *bad)
{
	json_t *v = field(in, key);
	if (!v)
		return NULL;
	if (!json_is_string(v)) {
		*bad = 1;
		return NULL;
	}
	return json_string_value(v);
}

int64_t input_int(const json_t *in, const char *key, int from_form, int *present, int *bad)
{
	json_t *v = field(in, key);
	int64_t n = 0;
	if (present)
		*present = v != NULL;
	if (!v)
		return 0;
	if (json_is_integer(v))
		return json_integer_value(v);
	if (from_form && json_is_string(v) && input_number(json_string_value(v), 0, &n) == 0)
		return n;
	if (from_form && json_is_string(v) && !*json_string_value(v)) {
		if (present)
			*present = 0;
		return 0;
	}
	*bad = 1;
	return 0;
}

int input_bool(const json_t *in, const char *key, int from_form, int *bad)
{
	json_t *v = field(in, key);
	if (!v)
		return 0;
	if (json_is_boolean(v))
		return json_is_true(v);
	if (from_form && json_is_string(v)) {
		const char *s = json_string_value(v);
		return !strcmp(s, "1") || !strcmp(s, "on") || !strcmp(s, "true");
	}
	*bad = 1;
	return 0;
}
