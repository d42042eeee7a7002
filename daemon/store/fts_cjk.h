/* fts_cjk: what the post_fts index needs on every SQLite connection, registered by
 * store_open before the schema is migrated: the FTS5 tokenizer "agora_cjk" and the SQL
 * function agora_text(html), the plain text of rendered post HTML. Part of the store layer.
 *
 * agora_cjk cuts text with textseg: a run of letters and digits becomes one case-folded word
 * (at most FTS_WORD_MAX bytes); a run of CJK characters becomes overlapping bigrams, as the
 * CJK analyzers of Lucene and Elasticsearch do, because most Chinese words are two
 * characters and nothing marks where words end. In documents every character of a run is
 * also a unigram: character i at position i, with the bigram of characters i and i+1
 * colocated (FTS5_TOKEN_COLOCATED) at the same position, so a one-character query is one
 * plain token. Queries get the bigrams only (plus the last character when another token
 * of the same phrase follows the run, to keep positions aligned), so consecutive bigrams
 * form a phrase that matches exactly the same character sequence in a document. */
#ifndef AGORA_FTS_CJK_H
#define AGORA_FTS_CJK_H

#include <sqlite3.h>

#define FTS_WORD_MAX 128

/* Registers the tokenizer, agora_text() and the ranking function agora_rank(post_fts,
 * title weight, body weight) on db. SQLITE_OK or an SQLite error code. */
int fts_cjk_register(sqlite3 *db);

#endif
