/* redirect: which return paths (?next=, a form's next field) a page may send the browser to.
 * The one place that decides it, so that no handler can open a redirect to another site. */
#ifndef AGORA_REDIRECT_H
#define AGORA_REDIRECT_H

/* 1 when s is a path of this site: it starts with one '/', not "//" nor "/\", and holds no
 * control character, space or backslash, neither as given nor once percent-decoded
 * (browsers drop tabs and newlines and read '\' as '/', so "/%09/evil.example" would be
 * "//evil.example"). At most REDIRECT_MAX bytes. */
int redirect_path_ok(const char *s);
/* s when redirect_path_ok(s), else "/". */
const char *redirect_path_or_home(const char *s);

enum { REDIRECT_MAX = 2048 };

#endif
