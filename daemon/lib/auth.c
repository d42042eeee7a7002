#include "auth.h"

#include <pthread.h>
#include <string.h>

#include <sodium.h>

enum { TOKEN_BYTES = 32 };

_Static_assert(AUTH_HASH_MAX >= crypto_pwhash_STRBYTES, "AUTH_HASH_MAX too small");
_Static_assert(AUTH_TOKEN_LEN + 1 ==
		       sodium_base64_ENCODED_LEN(TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
	       "AUTH_TOKEN_LEN does not match 32 bytes of base64url");
_Static_assert(AUTH_DIGEST_HEX == 2 * crypto_hash_sha256_BYTES, "AUTH_DIGEST_HEX mismatch");

int auth_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

int auth_password_hash(const char *password, char out[AUTH_HASH_MAX])
{
	return crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				 crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0 ? 0 : -1;
}

int auth_password_verify(const char *hash, const char *password)
{
	/* libsodium reads hash as a string of at most crypto_pwhash_STRBYTES; refuse longer
	 * ones rather than rely on how it treats them. */
	if (!hash || !password || strnlen(hash, crypto_pwhash_STRBYTES) == crypto_pwhash_STRBYTES)
		return 0;
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

int auth_password_needs_rehash(const char *hash)
{
	/* -1 (unreadable, or Argon2i rather than Argon2id) also asks for a new hash. */
	return crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
					      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

static char dummy_hash[AUTH_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

/* Hashes a random password nobody knows. Should hashing run out of memory, the dummy stays
 * "", which verifies as 0 at once: a timing leak in that rare case, never a crash. */
static void dummy_hash_init(void)
{
	char password[AUTH_TOKEN_LEN + 1];

	if (sodium_init() < 0)
		return;
	auth_token_new(password);
	if (auth_password_hash(password, dummy_hash) != 0)
		dummy_hash[0] = '\0';
	sodium_memzero(password, sizeof password);
}

const char *auth_dummy_hash(void)
{
	pthread_once(&dummy_once, dummy_hash_init);
	return dummy_hash;
}

/* Writes 32 bytes as unpadded base64url: the shape of every token we hand out. */
static void token_encode(const unsigned char bytes[TOKEN_BYTES], char out[AUTH_TOKEN_LEN + 1])
{
	sodium_bin2base64(out, AUTH_TOKEN_LEN + 1, bytes, TOKEN_BYTES,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void auth_digits(char *out, int n)
{
	for (int i = 0; i < n; i++)
		out[i] = (char)('0' + randombytes_uniform(10));
	out[n] = '\0';
}

void auth_token_new(char out[AUTH_TOKEN_LEN + 1])
{
	unsigned char bytes[TOKEN_BYTES];

	randombytes_buf(bytes, sizeof bytes);
	token_encode(bytes, out);
	sodium_memzero(bytes, sizeof bytes);
}

void auth_token_digest(const char *token, char out[AUTH_DIGEST_HEX + 1])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, AUTH_DIGEST_HEX + 1, h, sizeof h);
}

void auth_mac(const char *secret, const char *msg, char out[AUTH_TOKEN_LEN + 1])
{
	unsigned char key[crypto_generichash_KEYBYTES];
	unsigned char mac[TOKEN_BYTES];

	crypto_generichash(key, sizeof key, (const unsigned char *)secret, strlen(secret), NULL, 0);
	crypto_generichash(mac, sizeof mac, (const unsigned char *)msg, strlen(msg), key, sizeof key);
	sodium_memzero(key, sizeof key);
	token_encode(mac, out);
}

void auth_csrf_for(const char *session_token, char out[AUTH_TOKEN_LEN + 1])
{
	/* The key is public: it only separates this use of the session token from others (the
	 * stored SHA-256 digest). The secret is the session token itself. */
	static const char context[] = "agora-csrf-v1";
	unsigned char key[crypto_generichash_KEYBYTES] = {0};
	unsigned char mac[TOKEN_BYTES];

	_Static_assert(sizeof context - 1 <= crypto_generichash_KEYBYTES, "context too long");
	memcpy(key, context, sizeof context - 1);
	crypto_generichash(mac, sizeof mac, (const unsigned char *)session_token,
			   strlen(session_token), key, sizeof key);
	token_encode(mac, out);
}

int auth_token_equal(const char *a, const char *b)
{
	size_t len;

	if (!a || !b)
		return 0;
	len = strlen(a);
	/* Token lengths are public (always 43); only the contents must not leak by timing. */
	if (strlen(b) != len)
		return 0;
	return sodium_memcmp(a, b, len) == 0;
}

void auth_random_hex(char *out, size_t bytes)
{
	unsigned char raw[32];
	if (bytes > sizeof raw)
		bytes = sizeof raw;
	randombytes_buf(raw, bytes);
	sodium_bin2hex(out, 2 * bytes + 1, raw, bytes);
}
