/* demo_more: the lived-in part of `agorad --demo` (tools_demo): three more boards, in
 * health, emergency management and ecology, with a dozen threads each in Chinese and English
 * and replies by five more demo members from other provinces. Dated over the weeks before the
 * demo is made, so the rest of the demo stays the newest; none of the first demo members
 * takes part, so what they see of their own threads and notifications is as before. */
#ifndef AGORA_DEMO_MORE_H
#define AGORA_DEMO_MORE_H

#include "ctx.h"

/* c: the admin's context (it creates the boards), as it was on return; the new members sign
 * in with the password of the account same_password_as. 0, or -1 when a step is refused. */
int demo_more(struct agora_ctx *c, const char *same_password_as);

#endif
