/* demo_lecturers: the lecturer pool of `agorad --demo` (tools_demo): bios and expertise for
 * the demo's teachers, in Chinese and English, and one application to teach waiting for the
 * admin, so that /lecturers and /admin/lecturer-applications have something to show. */
#ifndef AGORA_DEMO_LECTURERS_H
#define AGORA_DEMO_LECTURERS_H

#include "ctx.h"

/* users: the demo accounts by name (username of each). the application is made with chenjing as c's
 * actor, then c's actor is restored. 0, or -1 when a step is refused. */
int demo_lecturers(struct agora_ctx *c, const struct user *users, size_t n);

#endif
