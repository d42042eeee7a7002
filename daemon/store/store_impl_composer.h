/* store_impl_composer: the statements of the composer's @mention completion
 * (store_composer.c), a part of store_impl.h's table kept apart by area. Included by
 * store_impl.h only, after the fragments it builds on. */
#ifndef AGORA_STORE_IMPL_COMPOSER_H
#define AGORA_STORE_IMPL_COMPOSER_H

/* Whether column col starts with ?1, ignoring ASCII case (substr, not LIKE: the prefix's
 * '%' and '_' are letters here, not wildcards). */
#define PREFIX_OF(col) "substr(lower(" col "),1,length(?1))=lower(?1)"

/* Members not banned now (?2), whose username or display name starts with ?1; usernames that
 * match first, shortest first, at most ?3. */
#define COMPOSER_STATEMENTS(X)                                                                      \
	X(USERS_BY_PREFIX, USER_NCOLS, "SELECT " USER_COLS USER_FROM " WHERE u.banned_until<=?2"    \
				       " AND (" PREFIX_OF("u.username") " OR " PREFIX_OF("u.display_name") ")" \
				       " ORDER BY " PREFIX_OF("u.username") " DESC, length(u.username),"  \
				       " lower(u.username) LIMIT ?3")

#endif
