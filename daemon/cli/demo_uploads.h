/* demo_uploads: the image in a post of `agorad --demo` (tools_demo): a member's photo of a
 * wheat field, uploaded as any member's would be and shown in a thread of its own. */
#ifndef AGORA_DEMO_UPLOADS_H
#define AGORA_DEMO_UPLOADS_H

#include "ctx.h"

/* As c->actor (a member), with c->files_dir set: 0, or -1. */
int demo_uploads(struct agora_ctx *c);

#endif
