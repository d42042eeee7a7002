#include "demo_more.h"

#include <string.h>

#include "forum.h"
#include "store_user.h"

enum { WANGFANG, ZHAOLEI, SUNLI, LINXIAO, HEWEI, PEOPLE };

static const struct {
	const char *name, *display, *region, *position, *industry;
} people[PEOPLE] = {
	{"wangfang", "王芳", "shandong", "village-doctor", "health"},
	{"zhaolei", "赵磊", "hubei", "section-chief", "emergency"},
	{"sunli", "孙丽", "yunnan", "township-head", "ecology"},
	{"linxiao", "林晓", "shanghai", "county-head", "culture-tourism"},
	{"hewei", "何伟", "gansu", "village-secretary", "water"},
};

static const struct board_input boards[] = {
	{"village-health", "乡村医疗卫生", "乡村医生、乡镇卫生院与家庭医生签约服务的经验交流。Village clinics and family doctors.",
	 "health", "village-doctor", NULL, NULL, 0},
	{"emergency-response", "应急管理与防灾", "汛期、地灾、森林防火与应急演练。Disaster preparedness in townships.",
	 "emergency", NULL, NULL, NULL, 0},
	{"ecology-watch", "生态环境保护", "农村污水、垃圾、河湖与山林的保护和治理。Rural environment in practice.",
	 "ecology", NULL, NULL, NULL, 0},
};

struct demo_reply {
	int author; /* index into people */
	int parent; /* 0: the first post, k: reply k */
	const char *body;
};

struct demo_topic {
	int board; /* index into boards */
	int author;
	const char *title, *body;
	struct demo_reply replies[3]; /* ends at the first without a body */
};

static const struct demo_topic topics[] = {
	{0, WANGFANG, "家庭医生签约后，怎么让服务不走过场？",
	 "我们镇签约率已经超过七成，但不少群众说“签了也没见过医生”。大家有什么让随访真正落到实处的办法？",
	 {{HEWEI, 0, "我们村把签约医生的电话印在门牌上，每季度上门一次测血压、血糖，群众慢慢就认了。"},
	  {SUNLI, 0, "镇里给每个村医配了随访手机，随访记录当天上传，卫生院每周抽查十户回访。"},
	  {WANGFANG, 2, "抽查回访这个办法好，我们也准备试一试。"}}},
	{0, HEWEI, "高血压、糖尿病患者的慢病台账怎么建？",
	 "村里六十岁以上的老人一半有慢病，纸质台账翻起来很麻烦。有没有简单好用的表格模板？",
	 {{WANGFANG, 0, "建议按**户**建档，每人一行：诊断、用药、最近一次测量值、下次随访日期。每月按随访日期排序，谁该去一目了然。"},
	  {ZHAOLEI, 1, "县里的公卫系统能导出表格，可以问问卫生院的信息员。"}}},
	{0, LINXIAO, "How do you keep village clinics staffed?",
	 "Our county has forty village clinics and a third of the doctors are over sixty. How are other counties "
	 "recruiting young village doctors, and keeping them?",
	 {{WANGFANG, 0, "我们县实行“乡聘村用”，村医由乡镇卫生院统一聘用，收入和社保有保障，年轻人愿意来。"},
	  {LINXIAO, 1, "Thanks, that is close to what we are planning. Did the township clinics get extra budget for it?"},
	  {WANGFANG, 2, "县财政按每个村卫生室每年补助一部分，卫生院自己再统筹一部分。"}}},
	{0, SUNLI, "医保门诊统筹报销，群众最常问的几个问题",
	 "整理了窗口这个月被问得最多的问题：\n\n1. 在村卫生室看病能不能报？\n2. 外地务工人员回乡看病怎么报？\n"
	 "3. 一年报销有没有上限？\n\n欢迎补充各地的答法。",
	 {{WANGFANG, 0, "第一条：定点村卫生室可以直接刷医保卡结算，非定点的不行，建议在卫生室门口挂牌说明。"},
	  {HEWEI, 0, "外出务工的要提前做异地就医备案，很多人不知道，我们在村群里发了操作截图。"}}},
	{0, WANGFANG, "流感季乡镇卫生院的分诊经验",
	 "入冬以来发热门诊人数翻了一倍。我们在大厅设了预检分诊台，发热病人单独通道，效果还可以。大家还有什么做法？",
	 {{ZHAOLEI, 0, "我们把儿童和老人的候诊区分开，并在村里提前做了流感疫苗的宣传。"}}},
	{0, HEWEI, "村卫生室常用药短缺怎么办？",
	 "最近降压药和儿童退烧药经常断货，群众要跑到镇上去买。各地是怎么保障村卫生室药品供应的？",
	 {{WANGFANG, 0, "我们县由卫生院统一采购、定期配送到村，村医每周报一次库存，缺药两天内补上。"},
	  {SUNLI, 1, "统一配送确实管用，关键是库存要报得及时。"}}},
	{0, LINXIAO, "Telemedicine between township and county hospitals: worth it?",
	 "We installed video consultation terminals in six township clinics last year. Usage is low. "
	 "Has anyone made remote consultations part of the daily routine?",
	 {{WANGFANG, 0, "我们每周固定两个下午是县医院专家的远程门诊时间，提前在村里预约，用的人就多了。"},
	  {LINXIAO, 1, "A fixed timetable is a good idea. We left it to each clinic to call when needed."}}},
	{0, SUNLI, "老年人免费健康体检怎么组织？",
	 "每年的老年人体检，偏远村的老人来一趟镇上很不容易。有没有下村体检的经验？",
	 {{WANGFANG, 0, "我们用体检车分片下村，提前三天通知，村干部负责接送行动不便的老人。"},
	  {HEWEI, 0, "我们村去年就是这样做的，参检率比往年高了不少。"}}},
	{0, WANGFANG, "乡村医生培训：哪些课程最实用？",
	 "县里准备给村医办一期培训班，想听听大家的意见：最需要补的是哪方面？",
	 {{HEWEI, 0, "急救，尤其是心肺复苏和外伤处理，村里出了事第一个到的就是村医。"},
	  {SUNLI, 0, "合理用药和抗生素的使用规范也很需要。"},
	  {LINXIAO, 0, "Also the basics of the new electronic health records system, hands-on."}}},
	{0, HEWEI, "孕产妇和儿童健康管理的随访提醒",
	 "产后访视和儿童体检经常漏掉，特别是外出务工家庭。大家用什么办法提醒？",
	 {{WANGFANG, 0, "我们在随访系统里设置了到期提醒，村医每周一看一遍，电话通知家长。"}}},
	{0, SUNLI, "村级公共卫生委员会怎么运转起来？",
	 "各村都成立了公共卫生委员会，但不少只是挂了牌子。有没有让它真正发挥作用的例子？",
	 {{HEWEI, 0, "我们把爱国卫生运动、健康宣传和慢病随访都交给委员会，每月开一次会，村医汇报情况。"},
	  {WANGFANG, 1, "每月例会加村医汇报，这个机制很实在。"}}},
	{0, LINXIAO, "Health talks that villagers actually attend",
	 "Our health education sessions draw mostly the same ten people. What topics or formats bring in more villagers?",
	 {{WANGFANG, 0, "讲大家关心的：降压药能不能停、血糖怎么测。再配上免费量血压，人就多了。"},
	  {SUNLI, 0, "放在赶集日的集市上讲，比在村委会讲效果好得多。"}}},

	{1, ZHAOLEI, "汛前隐患排查清单，欢迎补充",
	 "整理了一份汛前排查清单：\n\n- 山塘水库的溢洪道是否畅通\n- 低洼地带的住户名单\n- 转移路线和安置点\n"
	 "- 应急物资是否到位\n\n大家看看还缺什么。",
	 {{HEWEI, 0, "建议加上河道里的违章建筑和堆放物，去年我们就是因为河道堵塞才漫了堤。"},
	  {SUNLI, 0, "还有学校、养老院这些重点场所，要单独列出来。"},
	  {ZHAOLEI, 2, "都加进去了，谢谢两位。"}}},
	{1, SUNLI, "山区乡镇地质灾害群测群防怎么做？",
	 "我们镇有二十多处地质灾害隐患点，每处都有监测员，但大多是上了年纪的村民。监测员培训和管理有什么好经验？",
	 {{ZHAOLEI, 0, "我们给每个监测员发了简易雨量计和裂缝标尺，雨季每天拍照上报，镇里统一汇总。"},
	  {HEWEI, 1, "拍照上报好，既留痕又直观。"}}},
	{1, HEWEI, "森林防火期的巡山安排",
	 "清明前后是防火最紧的时候。我们村山林面积大，护林员只有四个人，巡山排班很紧张。",
	 {{SUNLI, 0, "可以把党员和志愿者编进来，分片包干，重点时段在进山路口设卡登记。"},
	  {ZHAOLEI, 0, "有条件的可以在制高点装监控探头，能省不少人力。"}}},
	{1, LINXIAO, "Early-warning messages: how do you reach elderly villagers without smartphones?",
	 "Weather warnings reach the village chat groups within minutes, but many older villagers living alone have no "
	 "smartphone. How do you make sure they get the warning in time?",
	 {{ZHAOLEI, 0, "我们保留了村村通大喇叭，预警一发就广播，再由网格员逐户电话或上门确认。"},
	  {HEWEI, 0, "我们村给独居老人都配了结对的邻居，预警时由邻居负责叫人。"},
	  {LINXIAO, 2, "Neighbour pairing costs nothing and works at night too. We will try it."}}},
	{1, ZHAOLEI, "乡镇应急物资储备点怎么管？",
	 "救生衣、发电机、帐篷都有，但每年检查都发现有过期或损坏的。大家的储备点是怎么管理的？",
	 {{SUNLI, 0, "建一本物资台账，写明购置日期和保质期，每季度盘点一次，快到期的提前轮换使用。"}}},
	{1, SUNLI, "乡镇应急队伍的日常训练",
	 "我们镇的应急分队以民兵为主，平时各忙各的，一年只集中训练一次。怎样让训练常态化？",
	 {{ZHAOLEI, 0, "我们每月安排半天，结合实际险情练：抽水、搭帐篷、转移群众，练完就地复盘。"},
	  {LINXIAO, 0, "We run short drills together with the fire brigade; the volunteers learn a lot from them."}}},
	{1, HEWEI, "极端高温天气的防暑措施",
	 "今年夏天连续高温，工地和田间作业的人最危险。大家乡镇采取了哪些措施？",
	 {{ZHAOLEI, 0, "我们调整了户外作业时间，中午十二点到三点停工，并在村委会设了纳凉点。"},
	  {SUNLI, 0, "要特别关注独居老人，网格员每天上门看一看。"}}},
	{1, ZHAOLEI, "冬季道路结冰，校车安全怎么保障？",
	 "山区道路一到冬天就结冰，校车每天要走好几段陡坡。各地有什么好的做法？",
	 {{HEWEI, 0, "我们在陡坡路段提前撒融雪剂，还组织村民志愿者清扫，校车司机每天出车前确认路况。"},
	  {SUNLI, 1, "遇到暴雪天，我们会和学校商量推迟上学时间。"}}},
	{1, LINXIAO, "After a flood: organising clean-up and disinfection",
	 "Last summer two villages in our county were flooded. The water went down in two days but the clean-up took "
	 "weeks. What would you do first?",
	 {{ZHAOLEI, 0, "先排查房屋安全，再清淤，清淤后马上消杀，同时检测饮用水，防止灾后疫情。"},
	  {WANGFANG, 0, "卫生院可以派人入户指导消毒，重点是水井和厕所。"}}},
	{1, SUNLI, "应急预案怎样写得管用？",
	 "我们的预案写了几十页，真到用的时候谁也想不起来。有没有简明实用的写法？",
	 {{ZHAOLEI, 0, "我们把预案压缩成一张卡片：谁负责、打给谁、往哪里撤，贴在村委会和每个网格员家里。"},
	  {HEWEI, 1, "一张卡片最实用，出了事谁都能看懂。"}}},
	{1, HEWEI, "燃气安全入户检查",
	 "村里用液化气的越来越多，去年邻村出过一次事故。入户检查重点查什么？",
	 {{ZHAOLEI, 0, "重点查软管是否老化、有没有安装报警器、气瓶是否放在通风处。"}}},
	{1, ZHAOLEI, "台风来前的人员转移安置",
	 "沿海乡镇每年都要转移几次群众，有的老人怎么劝都不愿意走。大家是怎么做工作的？",
	 {{SUNLI, 0, "让老人信任的亲戚或者老党员去劝，比干部去效果好。安置点的饭菜和被褥也要提前准备好。"},
	  {LINXIAO, 0, "We also let people bring their small animals to the shelter; that solved many refusals."}}},

	{2, SUNLI, "农村生活污水治理，选哪种工艺合适？",
	 "我们镇准备在十个村建污水处理设施，有的村住得集中，有的很分散。不同情况应该选什么工艺？",
	 {{HEWEI, 0, "居住集中的村可以建小型处理站；分散的农户用三格式化粪池加人工湿地，投入少，好维护。"},
	  {ZHAOLEI, 0, "别忘了后期运维费用，我们县有的设施建好后没人管，两年就停了。"},
	  {SUNLI, 2, "是的，运维要在建之前就定下来由谁负责。"}}},
	{2, HEWEI, "秸秆禁烧与综合利用",
	 "每年秋收后都是禁烧最难的时候。光靠巡查堵不住，秸秆还得有出路。",
	 {{SUNLI, 0, "我们引进了一家秸秆饲料企业，村里组织打捆收购，农民还能卖点钱。"},
	  {ZHAOLEI, 0, "机械化还田也是一条路，农机合作社可以按亩收费作业。"}}},
	{2, SUNLI, "村级河长日常巡河怎么记录？",
	 "村级河长每周要巡河，但记录五花八门。有没有统一、简单的记录方法？",
	 {{HEWEI, 0, "我们用河长制的手机小程序，巡河时拍照定位，发现问题直接上报。"},
	  {LINXIAO, 1, "The photo with location is what our county inspectors ask for as well."}}},
	{2, LINXIAO, "Plastic mulch film recycling: any working schemes?",
	 "Farmers in our county use a lot of plastic mulch film and most of it stays in the fields. Has anyone found a "
	 "recycling scheme that farmers actually take part in?",
	 {{HEWEI, 0, "我们县设了回收网点，按斤收购旧地膜，同时推广加厚地膜，更容易捡拾。"},
	  {SUNLI, 0, "有的地方试用了全生物降解地膜，成本高一些，但省去了回收。"}}},
	{2, HEWEI, "畜禽养殖粪污的资源化利用",
	 "村里的养猪场离河不远，粪污处理一直是个难题。大家有没有种养结合的好例子？",
	 {{SUNLI, 0, "我们帮养殖场建了沼气池，沼液通过管道送到周边果园，既解决污染又省了化肥。"}}},
	{2, ZHAOLEI, "垃圾分类在村里能推行吗？",
	 "城里推垃圾分类都不容易，村里能行吗？有没有已经做起来的村？",
	 {{SUNLI, 0, "我们村只分“会烂的”和“不会烂的”两类，简单好记，会烂的就地堆肥，推行得还不错。"},
	  {HEWEI, 0, "再配上积分兑换，分得好的家庭可以换洗衣粉、肥皂，老人们都很积极。"},
	  {ZHAOLEI, 1, "两分法确实适合农村，我们也试试。"}}},
	{2, SUNLI, "废弃矿山修复后的土地怎么用？",
	 "我们镇有几处关停的采石场，修复工程快完工了，下一步的土地利用还没想好。",
	 {{LINXIAO, 0, "One option is a small park or a viewing point; we turned a quarry into a climbing site "
		       "that now draws weekend visitors."},
	  {HEWEI, 0, "也可以复垦种经济林，要先请专家看看土层厚度。"}}},
	{2, LINXIAO, "Measuring air quality around a small county town",
	 "Our county has only one official monitoring station. Has anyone used low-cost sensors to see what happens in "
	 "the townships, and were the readings useful?",
	 {{ZHAOLEI, 0, "我们在几个乡镇试装过小型监测仪，数据可以参考，主要用来发现秸秆焚烧和扬尘的热点。"}}},
	{2, HEWEI, "护林员队伍管理",
	 "我们村有八名生态护林员，都是脱贫户。怎样管理才能既保证巡护质量，又让他们稳定增收？",
	 {{SUNLI, 0, "我们用巡护轨迹考核，每月公示一次，干得好的优先续聘，还安排他们参加林下种植。"},
	  {ZHAOLEI, 1, "轨迹考核加公示，公平透明。"}}},
	{2, ZHAOLEI, "生态补偿资金怎么分配更公平？",
	 "上游几个村为了保护水源放弃了养殖，生态补偿资金到了，怎么分配大家意见不一。",
	 {{SUNLI, 0, "我们按各村的水源保护面积和受影响的户数定比例，方案在村民代表大会上表决通过后公示。"},
	  {HEWEI, 0, "资金的一部分可以留作村集体发展项目，不要全部分掉。"}}},
	{2, SUNLI, "湿地保护与渔民转产",
	 "湖区设了湿地保护区，一部分渔民要退捕上岸。转产就业是最大的难题。",
	 {{LINXIAO, 0, "Some of our former fishermen became wetland rangers and boat guides for birdwatchers."},
	  {HEWEI, 0, "还可以组织技能培训，帮他们转到水产养殖或者乡村旅游上来。"}}},
	{2, HEWEI, "环保督察整改的经验教训",
	 "去年的环保督察我们村有两个问题被点名，整改花了大半年。想和大家聊聊整改中的经验教训。",
	 {{ZHAOLEI, 0, "整改不能只做表面文章，要找到问题的根子。我们的教训是台账和现场要对得上。"},
	  {SUNLI, 0, "建议平时就建立问题清单，自查自改，不要等督察来了才动。"}}},
};

/* The topics are dated this far apart, the newest a day before the demo is made. */
enum { TOPIC_GAP = 7 * 3600, REPLY_GAP = 40 * 60, DEMO_AGO = 24 * 3600 };

/* The new members share the password hash of an existing demo account: the same password,
 * without five more Argon2id hashings slowing down every demo start. */
static int demo_people(struct agora_ctx *c, const char *same_password_as, struct user *users)
{
	struct user like;
	if (store_user_credentials(c->db, c->arena, same_password_as, &like) != STORE_OK || !like.pw_hash)
		return -1;
	for (int i = 0; i < PEOPLE; i++) {
		struct user *u = &users[i];
		memset(u, 0, sizeof *u);
		u->username = people[i].name;
		u->display_name = people[i].display;
		u->role = ROLE_MEMBER;
		u->created_at = c->now;
		store_term_find(c->db, c->arena, TERM_REGION, people[i].region, &u->region);
		store_term_find(c->db, c->arena, TERM_POSITION, people[i].position, &u->position);
		store_term_find(c->db, c->arena, TERM_INDUSTRY, people[i].industry, &u->industry);
		if (store_user_insert(c->db, u, like.pw_hash) != STORE_OK)
			return -1;
	}
	return 0;
}

/* One topic and its replies, the first post at `at`. */
static int demo_topic(struct agora_ctx *c, const struct user *users, const struct demo_topic *d, int64_t at)
{
	struct thread t;
	struct post p;
	int64_t ids[4];
	c->actor = &users[d->author];
	c->now = at;
	if (forum_thread_create(c, boards[d->board].slug, d->title, d->body, &t, &p) != AG_CREATED)
		return -1;
	ids[0] = p.id;
	for (int i = 0; i < 3 && d->replies[i].body; i++) {
		const struct demo_reply *r = &d->replies[i];
		c->actor = &users[r->author];
		c->now = at + (i + 1) * REPLY_GAP;
		if (forum_reply(c, t.id, ids[r->parent], r->body, &p) != AG_CREATED)
			return -1;
		ids[i + 1] = p.id;
	}
	return 0;
}

int demo_more(struct agora_ctx *c, const char *same_password_as)
{
	struct user users[PEOPLE];
	struct board b;
	const struct user *admin = c->actor;
	int64_t now = c->now;
	size_t n = sizeof topics / sizeof topics[0];
	for (size_t i = 0; i < sizeof boards / sizeof boards[0]; i++)
		if (forum_board_create(c, &boards[i], &b) != AG_CREATED)
			return -1;
	int rc = demo_people(c, same_password_as, users);
	/* the table's order, newest first: each board lists its topics as the table does */
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = demo_topic(c, users, &topics[i], now - DEMO_AGO - (int64_t)i * TOPIC_GAP);
	c->actor = admin;
	c->now = now;
	return rc;
}
