#include "demo_answers.h"

#include <string.h>

#include "answers.h"
#include "forum.h"

enum { ADMIN, MODERATOR, LECTURER, ZHANGWEI, LIUYANG, CHENJING, DEMO_PEOPLE };

static const char question[] =
	"汛期快到了，村里**防汛演练**怎么组织才不走过场？\n\n"
	"我们去年演练只有村干部参加，群众不知道往哪里撤。How do your villages run flood drills?";

static const struct {
	int author;
	const char *body;
} answers[] = {
	{ZHANGWEI, "我们乡的做法：\n\n1. 先按网格把**转移路线**画到每户门口；\n2. 演练选在晚上，"
		   "模拟停电；\n3. 每个网格员负责点名，十五分钟内报数。\n\n群众参与率从三成提到八成。"},
	{LIUYANG, "驻村这两年，我们把演练和**应急广播**结合：喇叭一响，老人由结对的党员上门接。"},
	{LECTURER, "补充一点：演练后一定要**复盘**，把卡壳的地方写进预案。Drills are worth it only "
		   "when the plan changes afterwards."},
};

int demo_answers(struct agora_ctx *c, const struct user *users, size_t n)
{
	const struct user *admin = c->actor;
	struct board_input qa = {"village-qa", "基层经验问答", "提出工作中的难题，请各地同行作答。Ask, and "
				 "cadres from other provinces answer.", NULL, NULL, NULL, "qa", 0};
	struct board b;
	struct thread t;
	struct post p, a[sizeof answers / sizeof answers[0]];
	if (n < DEMO_PEOPLE || forum_board_create(c, &qa, &b) != AG_CREATED)
		return -1;
	c->actor = &users[CHENJING];
	if (forum_thread_create(c, "village-qa", "村里的防汛演练怎么组织？", question, &t, &p) != AG_CREATED)
		return -1;
	for (size_t i = 0; i < sizeof answers / sizeof answers[0]; i++) {
		c->actor = &users[answers[i].author];
		if (forum_reply(c, t.id, 0, answers[i].body, &a[i]) != AG_CREATED)
			return -1;
	}
	c->actor = &users[CHENJING];
	if (answers_accept(c, t.id, a[0].id, &t) != AG_OK || answers_helpful(c, a[2].id, 1) != AG_OK)
		return -1;
	static const int markers[] = {CHENJING, LIUYANG, LECTURER, MODERATOR};
	for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++) {
		c->actor = &users[markers[i]];
		if (answers_helpful(c, a[0].id, 1) != AG_OK)
			return -1;
	}
	c->actor = admin;
	return 0;
}
