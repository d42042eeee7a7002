/* i18n: message catalogs, one JSON file per language tag (web/i18n/en.json, zh-CN.json),
 * each a tree of objects whose leaves are strings, looked up by dotted key ("nav.home").
 * Read-only after loading, so safe to use from several threads. Free of libevent and
 * SQLite. */
#ifndef AGORA_I18N_H
#define AGORA_I18N_H

/* One catalog. */
struct i18n;
/* All catalogs of a folder. */
struct i18n_set;

/* Loads every *.json file in dir (language tag = file name without ".json"). Returns a set
 * the caller frees with i18n_set_free, or NULL with *err set to a malloc'd message:
 * "FILE:LINE: ..." for bad JSON, "FILE: ..." for a leaf that is not a string. */
struct i18n_set *i18n_load_dir(const char *dir, char **err);

/* The catalog for lang: the exact tag (case-insensitive), else one with the same primary
 * subtag ("zh-TW" finds "zh-CN"), else "en", else NULL. */
const struct i18n *i18n_get(const struct i18n_set *set, const char *lang);

/* The best catalog for an Accept-Language header value (q-values honoured; NULL allowed);
 * falls back to "en", else NULL. */
const struct i18n *i18n_negotiate(const struct i18n_set *set, const char *accept_language);

/* The catalog's language tag, as its file is named; "en" for NULL. */
const char *i18n_lang(const struct i18n *cat);

/* The message for a dotted key; falls back to the "en" catalog, then to the key itself.
 * Never NULL; the string lives as long as the set (or the key). cat may be NULL. */
const char *i18n_msg(const struct i18n *cat, const char *key);

void i18n_set_free(struct i18n_set *set);

#endif
