/* wordfilter — rejects or holds posts that contain listed words.
 *
 * Configuration (DIR/wordfilter.conf; without it every post is allowed):
 *
 *     reject WORD    refuse a post containing WORD (422; the reason does not repeat the word)
 *     hold WORD      keep a post containing WORD for review (the reason names the word)
 *
 * WORD is the rest of the line and may hold spaces. Matching finds a word anywhere in the
 * title of a new thread and in the body (Markdown source), so Chinese words match inside
 * Chinese text; it ignores the case of ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic and
 * full-width Latin letters, and treats any run of white space as one space. Reject beats
 * hold. All the words are compiled at init into one Aho-Corasick automaton, so a check reads
 * the text once whatever the number of words. Read-only after init: no lock needed.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <agora/plugin.h>
#include <agora/plugin_config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One state of the automaton; state 0 is the root. Children form a list through `sibling`
 * (used while building) and are found through the goto hash (used while matching). */
struct wf_node {
	uint32_t fail;    /* the longest proper suffix of this state that is also a state */
	uint32_t child;   /* first child, 0 for none (the root is nobody's child) */
	uint32_t sibling; /* next child of the same parent, 0 for none */
	uint32_t word;    /* index in words[] of the word behind `verdict` */
	uint8_t byte;     /* the byte on the edge from the parent */
	uint8_t verdict;  /* strongest verdict of a word ending here or at a suffix */
};

struct wordfilter {
	struct wf_node *nodes;
	uint32_t nnodes, capnodes;
	uint64_t *keys;  /* goto hash: ((state << 8) | byte) + 1, 0 marks a free slot */
	uint32_t *vals;  /* the child state for keys[i] */
	size_t hashcap;  /* a power of two, at least twice the number of edges */
	char **words;    /* the words as written in the config, for the hold reason */
	size_t nwords, capwords;
	/* The finished automaton as a table, so matching costs one lookup a byte: bytes that
	 * occur in no word share class 0 (they always lead back to the root). */
	uint8_t cls[256];
	uint32_t nclasses;
	/* nnodes × nclasses entries: (next state's row offset << 2) | its verdict, so a byte
	 * costs one load and the verdict comes with it */
	uint32_t *delta;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort(); /* agorad's one out-of-memory policy */
	return p;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		abort();
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xrealloc(NULL, n), s, n);
}

/* ---- case folding ---------------------------------------------------------------------- */

/* Decodes one well-formed UTF-8 sequence at s (len > 0 bytes left) into *cp; returns its
 * length, or 0 when the bytes are not well-formed (the caller then copies one byte). */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n, i;
	uint32_t c = s[0], min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF)
		n = 2, c &= 0x1F, min = 0x80;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3, c &= 0x0F, min = 0x800;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4, c &= 0x07, min = 0x10000;
	else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

/* Writes the UTF-8 form of cp to out; returns its length. */
static size_t utf8_encode(uint32_t c, unsigned char *out)
{
	if (c < 0x80) {
		out[0] = (unsigned char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (unsigned char)(0xC0 | (c >> 6));
		out[1] = (unsigned char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (unsigned char)(0xE0 | (c >> 12));
		out[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
		out[2] = (unsigned char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (unsigned char)(0xF0 | (c >> 18));
	out[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
	out[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
	out[3] = (unsigned char)(0x80 | (c & 0x3F));
	return 4;
}

/* The simple lower case of the letters whose case is plain to fold: ASCII, Latin-1,
 * Latin Extended-A, Greek, Cyrillic and full-width Latin. Every mapping keeps the UTF-8
 * length, so folded text is never longer than the original. */
static uint32_t fold_letter(uint32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z' ? c + 32 : c;
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 32;
	if (c >= 0x100 && c <= 0x17F) {
		if (c == 0x130 || c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17F)
			return c; /* dotted/dotless i, kra, 'n, long s: no simple pair */
		if (c == 0x178)
			return 0xFF; /* Ÿ */
		if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
			return (c & 1) ? c + 1 : c; /* capitals on odd code points */
		return (c & 1) ? c : c + 1;         /* capitals on even code points */
	}
	if ((c >= 0x391 && c <= 0x3AB && c != 0x3A2) || (c >= 0x410 && c <= 0x42F))
		return c + 32; /* Greek, Cyrillic */
	if (c == 0x3C2)
		return 0x3C3; /* final sigma */
	if (c >= 0x400 && c <= 0x40F)
		return c + 80;
	if (c >= 0xFF21 && c <= 0xFF3A)
		return c + 32; /* full-width Ａ-Ｚ */
	return c;
}

static int is_space(uint32_t c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xA0 || c == 0x3000;
}

/* Writes to out the folded copy of s[0..len): letters lower-cased by fold_letter, each run of
 * white space (ASCII, no-break, ideographic) made one ' '. Malformed bytes are copied as
 * they are. Writes at most len bytes; returns the number written. */
static size_t fold_text(const char *s, size_t len, char *out)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char *o = (unsigned char *)out;
	size_t i = 0, w = 0, n;
	uint32_t c;
	int in_space = 0;

	while (i < len) {
		if (p[i] < 0x80) { /* most text is ASCII: fold it without decoding */
			unsigned char b = p[i++];
			if (b == ' ' || (b >= '\t' && b <= '\r')) {
				if (!in_space)
					o[w++] = ' ';
				in_space = 1;
				continue;
			}
			o[w++] = b >= 'A' && b <= 'Z' ? (unsigned char)(b + 32) : b;
			in_space = 0;
			continue;
		}
		n = utf8_decode(p + i, len - i, &c);
		if (n == 0) {
			o[w++] = p[i++];
			in_space = 0;
			continue;
		}
		i += n;
		if (is_space(c)) {
			if (!in_space)
				o[w++] = ' ';
			in_space = 1;
			continue;
		}
		in_space = 0;
		w += utf8_encode(fold_letter(c), o + w);
	}
	return w;
}

/* ---- the automaton --------------------------------------------------------------------- */

static size_t hash_slot(const struct wordfilter *wf, uint64_t key)
{
	uint64_t h = key * 0x9E3779B97F4A7C15ull;
	return (size_t)(h >> 32) & (wf->hashcap - 1);
}

/* The child of state `from` along byte c, or 0 when there is none. */
static uint32_t wf_goto(const struct wordfilter *wf, uint32_t from, unsigned char c)
{
	uint64_t key = (((uint64_t)from << 8) | c) + 1;
	size_t i;

	for (i = hash_slot(wf, key); wf->keys[i]; i = (i + 1) & (wf->hashcap - 1))
		if (wf->keys[i] == key)
			return wf->vals[i];
	return 0;
}

static void hash_put(struct wordfilter *wf, uint64_t key, uint32_t val)
{
	size_t i = hash_slot(wf, key);

	while (wf->keys[i])
		i = (i + 1) & (wf->hashcap - 1);
	wf->keys[i] = key;
	wf->vals[i] = val;
}

/* Keeps the goto hash at most half full, for `edges` edges. */
static void hash_reserve(struct wordfilter *wf, size_t edges)
{
	uint64_t *oldkeys = wf->keys;
	uint32_t *oldvals = wf->vals;
	size_t oldcap = wf->hashcap, i;

	if (edges * 2 <= oldcap)
		return;
	wf->hashcap = oldcap ? oldcap * 2 : 256;
	wf->keys = xcalloc(wf->hashcap, sizeof *wf->keys);
	wf->vals = xrealloc(NULL, wf->hashcap * sizeof *wf->vals);
	for (i = 0; i < oldcap; i++)
		if (oldkeys[i])
			hash_put(wf, oldkeys[i], oldvals[i]);
	free(oldkeys);
	free(oldvals);
}

/* Adds a state under `parent` along byte c and returns it. */
static uint32_t wf_new_state(struct wordfilter *wf, uint32_t parent, unsigned char c)
{
	uint32_t s = wf->nnodes;

	if (wf->nnodes == wf->capnodes) {
		wf->capnodes = wf->capnodes ? wf->capnodes * 2 : 64;
		wf->nodes = xrealloc(wf->nodes, wf->capnodes * sizeof *wf->nodes);
	}
	wf->nnodes++;
	memset(&wf->nodes[s], 0, sizeof wf->nodes[s]);
	wf->nodes[s].byte = c;
	wf->nodes[s].sibling = wf->nodes[parent].child;
	wf->nodes[parent].child = s;
	hash_reserve(wf, wf->nnodes);
	hash_put(wf, (((uint64_t)parent << 8) | c) + 1, s);
	return s;
}

/* Adds the folded word to the trie with its verdict; reject wins over hold for the same
 * word, and the first word listed wins between equals. */
static void wf_add(struct wordfilter *wf, const char *folded, size_t len, enum agora_verdict v, uint32_t word)
{
	uint32_t s = 0, next;
	size_t i;

	for (i = 0; i < len; i++) {
		next = wf_goto(wf, s, (unsigned char)folded[i]);
		s = next ? next : wf_new_state(wf, s, (unsigned char)folded[i]);
	}
	if (v > wf->nodes[s].verdict) {
		wf->nodes[s].verdict = (uint8_t)v;
		wf->nodes[s].word = word;
	}
}

/* Sets every state's failure link, breadth first, and gives each state the strongest verdict
 * found along its suffixes, so matching only looks at the state it is in. */
static void wf_link(struct wordfilter *wf)
{
	uint32_t *queue = xrealloc(NULL, wf->nnodes * sizeof *queue);
	uint32_t head = 0, tail = 0, u, v, f;

	queue[tail++] = 0;
	while (head < tail) {
		u = queue[head++];
		for (v = wf->nodes[u].child; v; v = wf->nodes[v].sibling) {
			struct wf_node *n = &wf->nodes[v];

			if (u == 0) {
				n->fail = 0;
			} else {
				for (f = wf->nodes[u].fail; f && !wf_goto(wf, f, n->byte);)
					f = wf->nodes[f].fail;
				n->fail = wf_goto(wf, f, n->byte);
			}
			if (wf->nodes[n->fail].verdict > n->verdict) {
				n->verdict = wf->nodes[n->fail].verdict;
				n->word = wf->nodes[n->fail].word;
			}
			queue[tail++] = v;
		}
	}
	free(queue);
}

/* Fills the transition table from the goto hash and failure links, breadth first so that a
 * state's failure target (always shallower) is complete before the state itself. */
static void wf_table(struct wordfilter *wf)
{
	uint32_t *queue = xrealloc(NULL, wf->nnodes * sizeof *queue), head = 0, tail = 0, u, v, k;
	unsigned byte_of[256];
	int c;

	for (u = 1; u < wf->nnodes; u++)
		wf->cls[wf->nodes[u].byte] = 1;
	wf->nclasses = 1;
	for (c = 0; c < 256; c++)
		if (wf->cls[c]) {
			byte_of[wf->nclasses] = (unsigned)c;
			wf->cls[c] = (uint8_t)wf->nclasses++;
		}
	wf->delta = xcalloc((size_t)wf->nnodes * wf->nclasses, sizeof *wf->delta);
	queue[tail++] = 0;
	while (head < tail) {
		u = queue[head++];
		for (k = 1; k < wf->nclasses; k++) {
			uint32_t next = wf_goto(wf, u, (unsigned char)byte_of[k]), e;
			if (next)
				e = (next * wf->nclasses) << 2 | wf->nodes[next].verdict;
			else
				e = u ? wf->delta[(size_t)wf->nodes[u].fail * wf->nclasses + k] : 0;
			wf->delta[(size_t)u * wf->nclasses + k] = e;
		}
		for (v = wf->nodes[u].child; v; v = wf->nodes[v].sibling)
			queue[tail++] = v;
	}
	free(queue);
}

/* Runs the automaton over text[0..len); returns the strongest verdict met and sets *word. */
static enum agora_verdict wf_scan(const struct wordfilter *wf, const char *text, size_t len, uint32_t *word)
{
	enum agora_verdict best = AGORA_ALLOW;
	uint32_t row = 0, e;
	size_t i;

	for (i = 0; i < len; i++) {
		e = wf->delta[row + wf->cls[(unsigned char)text[i]]];
		row = e >> 2;
		if ((e & 3) > (uint32_t)best) {
			best = (enum agora_verdict)(e & 3);
			*word = wf->nodes[row / wf->nclasses].word;
			if (best == AGORA_REJECT)
				break;
		}
	}
	return best;
}

/* ---- configuration --------------------------------------------------------------------- */

static int utf8_valid(const char *s)
{
	size_t len = strlen(s), i = 0, n;
	uint32_t c;

	while (i < len) {
		n = utf8_decode((const unsigned char *)s + i, len - i, &c);
		if (n == 0)
			return 0;
		i += n;
	}
	return 1;
}

/* Handles one directive (agora_config_read): the word is the whole trimmed argument.
 * Returns 0, or -1 with a message in msg. */
static int wf_directive(void *self, const char *key, char *word, char *msg, size_t msglen)
{
	struct wordfilter *wf = self;
	enum agora_verdict v;
	char *folded;
	size_t flen;

	if (!strcmp(key, "reject"))
		v = AGORA_REJECT;
	else if (!strcmp(key, "hold"))
		v = AGORA_HOLD;
	else {
		snprintf(msg, msglen, "unknown directive \"%.40s\" (expected reject or hold)", key);
		return -1;
	}
	if (!*word) {
		snprintf(msg, msglen, "expected a word after %s", key);
		return -1;
	}
	if (!utf8_valid(word)) {
		snprintf(msg, msglen, "the word after %s is not valid UTF-8", key);
		return -1;
	}
	folded = xrealloc(NULL, strlen(word) + 1);
	flen = fold_text(word, strlen(word), folded);
	while (flen > 0 && folded[flen - 1] == ' ')
		flen--; /* a no-break or ideographic space at the end */
	if (flen == 0 || folded[0] == ' ') {
		free(folded);
		snprintf(msg, msglen, "expected a word after %s", key);
		return -1;
	}
	if (wf->nwords == wf->capwords) {
		wf->capwords = wf->capwords ? wf->capwords * 2 : 16;
		wf->words = xrealloc(wf->words, wf->capwords * sizeof *wf->words);
	}
	wf->words[wf->nwords] = xstrdup(word);
	wf_add(wf, folded, flen, v, (uint32_t)wf->nwords);
	wf->nwords++;
	free(folded);
	return 0;
}

/* ---- the plugin ------------------------------------------------------------------------ */

static void wf_fini(void *state)
{
	struct wordfilter *wf = state;
	size_t i;

	if (!wf)
		return;
	for (i = 0; i < wf->nwords; i++)
		free(wf->words[i]);
	free(wf->words);
	free(wf->nodes);
	free(wf->keys);
	free(wf->vals);
	free(wf->delta);
	free(wf);
}

/* The state is NULL when the list is empty: check_post then allows at once. */
static int wf_init(const char *config_path, const struct agora_host *host, void **state, char *err, size_t errlen)
{
	struct wordfilter *wf = xcalloc(1, sizeof *wf);

	(void)host;
	wf->nodes = xcalloc(1, sizeof *wf->nodes); /* the root, state 0 */
	wf->nnodes = wf->capnodes = 1;
	hash_reserve(wf, 1);
	if (agora_config_read(config_path, wf_directive, wf, err, errlen) < 0) {
		wf_fini(wf);
		return -1;
	}
	if (wf->nwords == 0) {
		wf_fini(wf);
		*state = NULL;
		return 0;
	}
	wf_link(wf);
	wf_table(wf);
	*state = wf;
	return 0;
}

/* Copies prefix then word into out->reason, cutting the word at a character boundary when
 * the whole would not fit. */
static void set_reason(struct agora_result *out, const char *prefix, const char *word)
{
	size_t plen = strlen(prefix), room = sizeof out->reason - 1 - plen, n = strlen(word);

	if (n > room) {
		n = room;
		while (n > 0 && ((unsigned char)word[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(out->reason, prefix, plen);
	memcpy(out->reason + plen, word, n);
	out->reason[plen + n] = '\0';
}

/* Folds the new thread's title (replies and edits carry the thread's title, which was
 * checked when the thread was created) and the body into one buffer, a NUL between them so
 * no word matches across the two, and scans it once. */
static void wf_check_post(void *state, const struct agora_submission *s, struct agora_result *out)
{
	const struct wordfilter *wf = state;
	const char *title = s->thread_id == 0 && s->title ? s->title : "";
	size_t tlen = strlen(title), len;
	const char *body = s->body ? s->body : "";
	size_t blen = s->body ? s->body_len : 0;
	char *text;
	uint32_t word = 0;
	enum agora_verdict v;

	if (!wf)
		return;
	text = xrealloc(NULL, tlen + 1 + blen);
	len = fold_text(title, tlen, text);
	text[len++] = '\0';
	len += fold_text(body, blen, text + len);
	v = wf_scan(wf, text, len, &word);
	free(text);
	if (v == AGORA_REJECT) {
		out->verdict = AGORA_REJECT;
		agora_reason_set(out, "contains a blocked word", "plugin.wordfilter.blocked", NULL);
	} else if (v == AGORA_HOLD) {
		out->verdict = AGORA_HOLD;
		set_reason(out, "contains a word that needs review: ", wf->words[word]);
	}
}

static const struct agora_plugin wordfilter_plugin = {
	.abi_version = AGORA_PLUGIN_ABI,
	.name = "wordfilter",
	.init = wf_init,
	.check_post = wf_check_post,
	.fini = wf_fini,
};

AGORA_PLUGIN_EXPORT const struct agora_plugin *agora_plugin(void)
{
	return &wordfilter_plugin;
}
