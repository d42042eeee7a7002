/* demo_trainings: the trainings of `agorad --demo` (tools_demo), so that a newcomer sees every
 * page of a training: one that has ended, attended and rated, and one open for enrolment. */
#ifndef AGORA_DEMO_TRAININGS_H
#define AGORA_DEMO_TRAININGS_H

#include "ctx.h"

/* c acts as the organiser (a lecturer); trainees are zhangwei, liuyang and chenjing, in that
 * order. 0, or -1 when a step is refused. */
int demo_trainings(struct agora_ctx *c, const struct user *trainees);

#endif
