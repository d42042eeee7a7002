#include "demo_lecturers.h"

#include <string.h>

#include "lecturers.h"

struct demo_profile {
	const char *name, *bio;
	const char *expertise[3];
};

/* The two who teach the demo's lessons (lecturer, and moderator, a bureau director). */
static const struct demo_profile profiles[] = {
	{"lecturer",
	 "四川省委党校讲师，长期在乡镇一线调研。\n\nLecturer at the provincial Party school; "
	 "ten years of field research in **rural townships**.",
	 {"乡村振兴", "应急管理", "Rural policy"}},
	{"moderator",
	 "县农业农村局局长，主持过多起基层矛盾调解。\n\nBureau director; teaches *mediation* from practice.",
	 {"矛盾纠纷调解", "农村电商", "Mediation"}},
};

static const struct user *demo_find(const struct user *users, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(users[i].username, name))
			return &users[i];
	return NULL;
}

static int demo_profile_write(struct agora_ctx *c, const struct demo_profile *p, const struct user *u)
{
	const char *html, *joined;
	if (lecturer_bio_render(c, p->bio, &html) != AG_OK ||
	    lecturer_expertise_join(c, p->expertise, 3, &joined) != AG_OK)
		return -1;
	return store_user_set_profile_text(c->db, u->id, p->bio, html, joined) == STORE_OK ? 0 : -1;
}

int demo_lecturers(struct agora_ctx *c, const struct user *users, size_t n)
{
	static const char *const applied[] = {"社区治理", "Grid management"};
	struct lecturer_app app;
	const struct user *was = c->actor;
	for (size_t i = 0; i < sizeof profiles / sizeof profiles[0]; i++) {
		const struct user *u = demo_find(users, n, profiles[i].name);
		if (!u || demo_profile_write(c, &profiles[i], u) != 0)
			return -1;
	}
	c->actor = demo_find(users, n, "chenjing");
	int rc = c->actor && lecturer_apply(c, "在社区工作八年，愿意给新任网格员讲授入户走访与矛盾排查的方法。", applied, 2,
					    &app) == AG_OK ? 0 : -1;
	c->actor = was;
	return rc;
}
