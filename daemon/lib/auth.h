/* auth: passwords (Argon2id), session tokens and CSRF tokens, on libsodium. Pure functions,
 * no database: the store keeps only what auth_password_hash and auth_token_digest return.
 * Call auth_init once before anything else. */
#ifndef AGORA_AUTH_H
#define AGORA_AUTH_H

#include <stddef.h>

enum {
	AUTH_HASH_MAX = 128,  /* >= crypto_pwhash_STRBYTES */
	AUTH_TOKEN_LEN = 43,  /* base64url of 32 bytes, no padding */
	AUTH_DIGEST_HEX = 64
};

/* sodium_init; -1 on failure. Safe to call more than once. */
int auth_init(void);
/* Argon2id via crypto_pwhash_str with OPSLIMIT_INTERACTIVE/MEMLIMIT_INTERACTIVE. 0, or -1
 * (out of memory). Slow on purpose: callers run it off the event loop. */
int auth_password_hash(const char *password, char out[AUTH_HASH_MAX]);
/* 1 when password matches hash, 0 otherwise (including a malformed or NULL hash). Slow. */
int auth_password_verify(const char *hash, const char *password);
/* 1 when the hash should be replaced at the next successful sign-in: its parameters or
 * algorithm differ from the current ones (or libsodium cannot read them); else 0. */
int auth_password_needs_rehash(const char *hash);
/* A hash of a random password, computed once (thread-safe) and kept: verified against for
 * unknown user names so timing does not reveal which accounts exist. Never freed. */
const char *auth_dummy_hash(void);
/* 32 random bytes as base64url without padding (43 chars + NUL). */
void auth_token_new(char out[AUTH_TOKEN_LEN + 1]);
/* bytes random bytes as 2*bytes hex digits and a NUL (out holds 2*bytes + 1): a request id. */
void auth_random_hex(char *out, size_t bytes);
/* n random decimal digits (uniformly drawn, libsodium) and a NUL: a check-in code. */
void auth_digits(char *out, int n);
/* The hex SHA-256 of a token: what the database stores instead of the token. */
void auth_token_digest(const char *token, char out[AUTH_DIGEST_HEX + 1]);
/* The CSRF token bound to a session token: base64url of a keyed BLAKE2b of the session token
 * under the fixed context key "agora-csrf-v1". Stateless; only someone who holds the session
 * cookie can compute it. */
void auth_csrf_for(const char *session_token, char out[AUTH_TOKEN_LEN + 1]);
/* A keyed BLAKE2b of msg under secret (any length; hashed into the key), base64url: a
 * signature that only the holder of secret can make, for links that need no stored state. */
void auth_mac(const char *secret, const char *msg, char out[AUTH_TOKEN_LEN + 1]);
/* Constant-time comparison of two NUL-terminated tokens; 1 when equal, 0 when not (or when
 * their lengths differ, or either is NULL). */
int auth_token_equal(const char *a, const char *b);

#endif
