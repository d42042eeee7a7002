/* demo_answers: peer learning in `agorad --demo` (tools_demo): a board of questions where a
 * village secretary's question has answers from two provinces, one accepted and marked
 * helpful, and the spring farming thread featured as best practice. */
#ifndef AGORA_DEMO_ANSWERS_H
#define AGORA_DEMO_ANSWERS_H

#include "ctx.h"

/* users: the demo accounts (admin, moderator, lecturer, zhangwei, liuyang, chenjing, in the
 * order of tools.c); c is the admin's context. 0, or -1 when a step is refused. */
int demo_answers(struct agora_ctx *c, const struct user *users, size_t n);

#endif
