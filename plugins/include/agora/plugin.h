/* agora/plugin.h — the moderation plugin ABI of agorad.
 *
 * A plugin is a shared object that exports one function:
 *
 *     AGORA_PLUGIN_EXPORT const struct agora_plugin *agora_plugin(void);
 *
 * agorad loads every *.so of its --plugins folder in name order (dlopen with RTLD_NOW |
 * RTLD_LOCAL), calls agora_plugin() once, and refuses to start (exit 2, one line naming the
 * file, its version and ours) when abi_version differs from AGORA_PLUGIN_ABI. Plugins link
 * against nothing of agorad's: everything they may call is in struct agora_host.
 *
 * Lifetimes: every pointer the host passes to a callback (strings, structs) is valid only
 * during that call; copy what you keep. The struct agora_host pointer given to init stays
 * valid until fini returns. The struct agora_plugin a plugin returns must stay valid while
 * the object is loaded (a static const is the usual choice).
 *
 * Threads: init and fini run once, on the main thread, before any request and after the
 * last. check_post, check_registration, on_report and on_published are called from several
 * worker threads at once, so a plugin that keeps mutable state must lock it itself. Callbacks
 * run on an event loop: they must be quick and must never block on I/O.
 *
 * Strings are UTF-8 and NUL-terminated. Every callback may be NULL (init and fini too). When
 * init fails, fini is not called.
 *
 * Edits: for a submission with is_edit set, the author fields describe the member making the
 * edit (who may be a moderator), and title is the thread's title.
 *
 * name must be 1-64 of a-z, 0-9, "_" and "-": it names the config file.
 */
#ifndef AGORA_PLUGIN_H
#define AGORA_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AGORA_PLUGIN_ABI 1

/* Put this before the definition of agora_plugin() so that it is exported even when the
 * plugin is built with -fvisibility=hidden. */
#if defined(__GNUC__)
#define AGORA_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define AGORA_PLUGIN_EXPORT
#endif

enum agora_verdict {
	AGORA_ALLOW = 0,  /* publish */
	AGORA_HOLD = 1,   /* keep pending until a moderator decides (202) */
	AGORA_REJECT = 2, /* refuse (422 with the reason, or 429 when retry_after is set) */
};

enum agora_log_level { AGORA_LOG_ERROR = 0, AGORA_LOG_WARN = 1, AGORA_LOG_INFO = 2 };

/* What the host offers a plugin. */
struct agora_host {
	unsigned abi_version;
	/* Writes one line to agorad's log, prefixed with the plugin's name. */
	void (*log)(const struct agora_host *host, enum agora_log_level level, const char *message);
	/* The current time in Unix seconds (the host's clock, so tests can move it). */
	int64_t (*now)(const struct agora_host *host);
	void *host_data; /* the host's own; do not touch */
};

/* A post being submitted: a new thread's first post, a reply, or an edit. */
struct agora_submission {
	const char *author;        /* username */
	const char *author_role;   /* "member", "lecturer", "moderator" or "admin" */
	int64_t account_age;       /* seconds since the account was created */
	int64_t author_posts;      /* the author's published posts so far */
	const char *author_region; /* region slug, or NULL */
	const char *board;         /* board slug */
	int64_t thread_id;         /* 0 for a new thread */
	const char *title;         /* the new thread's title, or the thread's title for replies */
	const char *body;          /* the Markdown source */
	size_t body_len;
	unsigned links;            /* links and images in the body */
	const char *client_addr;   /* the client's IP address as text */
	int is_edit;               /* 1 when an existing post is being edited */
};

struct agora_registration {
	const char *username;
	const char *display_name;
	const char *region; /* slug or NULL */
	const char *client_addr;
};

struct agora_report {
	int64_t post_id;
	const char *post_author;
	const char *reporter;
	const char *reason;
	unsigned reports; /* distinct members who reported this post so far, this one included */
};

/* Sent after a post has been committed as published (also when a moderator approves it). */
struct agora_event {
	int64_t post_id;
	int64_t thread_id;
	const char *board;
	const char *author;
};

/* What a check answers. The host clears it to ALLOW with an empty reason before each call. */
struct agora_result {
	enum agora_verdict verdict;
	char reason[256];    /* shown to the author and to moderators; keep it short. Plain text,
			      * or text with a catalog key: see agora_reason_set */
	int64_t retry_after; /* with AGORA_REJECT: seconds until trying again makes sense (429) */
};

/* A reason with a message catalog key, so that the page can say it in the reader's language:
 * reason holds "text\0key\0arg\0". Hosts that know no keys read the text alone, which stays
 * the fallback (also for a key the catalogs lack); arg (may be NULL) fills the "{}" of the
 * catalog's message. key is 1-63 of a-z, 0-9, "." and "_", e.g. "plugin.linklimit.no_links"
 * (a longer key is dropped: the text alone is set). arg is cut to 63 bytes at a character's
 * start, and the text, if need be, so that the key and the argument fit. */
static inline void agora_reason_set(struct agora_result *out, const char *text, const char *key, const char *arg)
{
	size_t room = sizeof out->reason, t = 0, k = 0, a = 0;
	while (key && key[k] && k < 63)
		k++;
	while (arg && arg[a] && a < 63)
		a++;
	while (arg && a > 0 && arg[a] && ((unsigned char)arg[a] & 0xC0) == 0x80) /* cut arg between characters */
		a--;
	if (key && key[k])
		k = 0; /* a key too long is no key (a cut one would name another message): the text alone */
	while (text[t] && t + 1 + k + 1 + a + 1 < room)
		t++;
	while (t > 0 && ((unsigned char)text[t] & 0xC0) == 0x80) /* never half a character */
		t--;
	for (size_t i = 0; i < room; i++)
		out->reason[i] = '\0';
	for (size_t i = 0; i < t; i++)
		out->reason[i] = text[i];
	for (size_t i = 0; i < k; i++)
		out->reason[t + 1 + i] = key[i];
	for (size_t i = 0; k && i < a; i++)
		out->reason[t + 1 + k + 1 + i] = arg[i];
}

struct agora_plugin {
	unsigned abi_version; /* AGORA_PLUGIN_ABI */
	const char *name;
	/* config_path is DIR/NAME.conf, which may not exist. Returns the plugin's state (may be
	 * NULL for none) and 0; or -1 with a one-line message in err (for a config error, name
	 * the file and the line), and agorad refuses to start. */
	int (*init)(const char *config_path, const struct agora_host *host, void **state, char *err, size_t errlen);
	void (*check_post)(void *state, const struct agora_submission *s, struct agora_result *out);
	void (*check_registration)(void *state, const struct agora_registration *r, struct agora_result *out);
	void (*on_report)(void *state, const struct agora_report *r);
	void (*on_published)(void *state, const struct agora_event *e);
	void (*fini)(void *state);
};

AGORA_PLUGIN_EXPORT const struct agora_plugin *agora_plugin(void);

#ifdef __cplusplus
}
#endif

#endif
