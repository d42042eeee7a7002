"""Site search beyond posts (issue 16, docs/SEARCH.md "Materials, questionnaires, trainings"):
GET /api/v1/search and /search also find materials (title, description, file names),
questionnaires (title, prompts) and trainings (title, description), in Chinese, English and
mixed text, each only for those whose own page would show it: members-only associations'
materials and questionnaires, materials of a training's board. The API keeps `results` and
`total` for posts and adds `others`; the page groups them under 讨论 / 资料 / 问卷 / 培训.
Edits reach the index (a training's new title, a material's new version); the demo site finds
its handout by 讲义 and its questionnaire and trainings by 培训."""

import datetime
import gzip
import os
import re
import shutil
import urllib.parse

from agora_harness import Server, ServerTestCase, make_board, make_thread, run_cli, unique
from test_cli import TempDirTestCase
from test_materials import field, file_part, multipart
from test_upgrade import PREVIOUS

OTHER_KEYS = {"kind", "title", "snippet_html", "url"}


def day(offset):
    return (datetime.date.today() + datetime.timedelta(days=offset)).isoformat()


class OthersCase(ServerTestCase):
    """lect (a lecturer), alice (no member of anything), bob (a member of the members-only
    association `club`, which has a board), the public board A."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_staff("soadmin")
        cls.add_members("alice", "bob")
        cls.a = make_board(cls.admin, title="Board A")["slug"]
        cls.expect(cls.lect.post("associations", {"slug": "club", "name": "Closed club", "visibility": "members",
                                                  "join_policy": "open"}), 201)
        cls.expect(cls.bob.post("associations/club/members"), 201)
        cls.club_board = make_board(cls.admin, title="Club board", association="club")["slug"]

    # -- making things --
    def material(self, title, description="", filename="notes.txt", board=None, association=None, client=None):
        parts = [field("title", title), field("description", description)]
        if association:
            parts.append(field("association", association))
        else:
            parts.append(field("board", board or self.a))
        parts.append(file_part(b"lecture notes\n", filename, "text/plain"))
        body, ctype = multipart(parts)
        r = (client or self.lect).post("materials", body, content_type=ctype)
        return self.assertStatus(r, 201).data["material"]

    def questionnaire(self, title, prompt="How was it?", **target):
        body = {"title": title, "questions": [{"kind": "text", "prompt": prompt}], **(target or {"board": self.a})}
        return self.assertStatus(self.lect.post("questionnaires", body), 201).data["questionnaire"]

    def training(self, title, description="", **fields):
        body = {"slug": unique("tr-"), "title": title, "description": description, "starts_on": day(-1),
                "ends_on": day(5), "hours": 8, "enrolment": "open", **fields}
        return self.assertStatus(self.lect.post("trainings", body), 201).data["training"]

    # -- searching --
    def search(self, q, client=None, **params):
        query = urllib.parse.urlencode({"q": q, **params})
        return self.assertStatus((client or self.anon()).get(f"search?{query}"), 200).data

    def others(self, q, client=None, **params):
        """The (kind, id or slug) of the other things a query finds."""
        return [(o["kind"], o.get("id", o.get("slug"))) for o in self.search(q, client, **params)["others"]]


class Finding(OthersCase):
    def test_a_material_by_title_description_and_file_name(self):
        tag = unique("w")
        m = self.material(f"春耕讲义 {tag}", f"县农技站的 *handout* for {tag}farm", filename=f"{tag}-植保要点.pdf")
        want = ("material", m["id"])
        for q in ("讲义", tag, f"{tag}farm", "植保", f"{tag}-植保要点.pdf", f"讲义 {tag}"):
            with self.subTest(q=q):
                self.assertIn(want, self.others(q))
        self.assertNotIn(want, self.others(f"emphasis {tag}"), "Markdown syntax is not indexed")
        [found] = [o for o in self.search(tag)["others"] if o.get("id") == m["id"]]
        self.assertTrue(OTHER_KEYS <= set(found), found)
        self.assertEqual(found["url"], f"/materials/{m['id']}")
        self.assertEqual(self.anon().get(found["url"]).status, 200)

    def test_a_questionnaire_by_title_and_prompts(self):
        tag = unique("q")
        q = self.questionnaire(f"培训反馈 {tag}", prompt=f"这次培训对{tag}工作有帮助吗？")
        self.assertIn(("questionnaire", q["id"]), self.others(f"培训 {tag}"))
        self.assertIn(("questionnaire", q["id"]), self.others("有帮助"))
        [found] = [o for o in self.search(tag)["others"] if o.get("id") == q["id"]]
        self.assertEqual(found["url"], f"/q/{q['id']}")
        self.assertIn("<mark>", found["snippet_html"])

    def test_a_training_by_title_and_description(self):
        tag = unique("t")
        x = self.training(f"乡村振兴专题培训班 {tag}", f"面向驻村第一书记。Rural revival for {tag}")
        for q in ("培训", "第一书记", f"revival {tag}"):
            with self.subTest(q=q):
                self.assertIn(("training", x["slug"]), self.others(q))
        [found] = [o for o in self.search(tag)["others"] if o.get("slug") == x["slug"]]
        self.assertEqual(found["url"], f"/trainings/{x['slug']}")

    def test_posts_keep_their_contract_beside_the_others(self):
        tag = unique("c")
        _, p = make_thread(self.alice, self.a, f"Thread {tag}", "A post about the handout.")
        m = self.material(f"Handout {tag}")
        data = self.search(tag)
        self.assertEqual([r["post_id"] for r in data["results"]], [p["id"]])
        self.assertEqual(data["total"], 1, "total counts posts, as API.md says")
        self.assertEqual(data["others_total"], 1)
        self.assertEqual(self.others(tag), [("material", m["id"])])

    def test_edits_reach_the_index(self):
        old, new = unique("old"), unique("new")
        x = self.training(f"Course {old}")
        r = self.lect.patch(f"trainings/{x['slug']}", {"title": f"Course {new}"})
        self.assertStatus(r, 200)
        self.assertIn(("training", x["slug"]), self.others(new))
        self.assertNotIn(("training", x["slug"]), self.others(old))
        m = self.material(f"Notes {old}")
        body, ctype = multipart([file_part(b"v2\n", f"{new}-讲义.txt", "text/plain")])
        self.assertStatus(self.lect.post(f"materials/{m['id']}/versions", body, content_type=ctype), 201)
        self.assertIn(("material", m["id"]), self.others(f"{new}-讲义.txt"))

    def test_board_and_author_filters(self):
        tag = unique("f")
        other = make_board(self.admin, title="Other")["slug"]
        here = self.material(f"Notes {tag}")
        there = self.material(f"Notes {tag}", board=other)
        self.assertEqual(self.others(tag, board=other), [("material", there["id"])])
        self.assertEqual(sorted(self.others(tag, author="lect")), sorted([("material", here["id"]),
                                                                            ("material", there["id"])]))
        self.assertEqual(self.others(tag, author="alice"), [])
        self.assertEqual(self.others(tag, author="nobody-at-all"), [])

    def test_paging_covers_the_longer_list(self):
        tag = unique("p")
        made = [self.material(f"Notes {tag} {i}")["id"] for i in range(3)]
        first = self.search(tag, per_page=2)
        self.assertEqual((first["total"], first["others_total"], first["pages"]), (0, 3, 2))
        second = self.search(tag, per_page=2, page=2)
        seen = [o["id"] for o in first["others"] + second["others"]]
        self.assertEqual(sorted(seen), sorted(made))
        page = self.anon().page(f"/search?q={tag}&per_page=2")
        self.assertIn('rel="next"', page.text)


class Visibility(OthersCase):
    def test_members_only_association_material_and_questionnaire(self):
        tag = unique("secret")
        on_board = self.material(f"Club notes {tag}", board=self.club_board)
        of_assoc = self.material(f"Club handout {tag}", association="club")
        q = self.questionnaire(f"Club survey {tag}", association="club")
        everything = {("material", on_board["id"]), ("material", of_assoc["id"]), ("questionnaire", q["id"])}
        self.assertEqual(set(self.others(tag, self.bob)), everything)
        for who, client in (("visitor", self.anon()), ("non-member", self.alice)):
            with self.subTest(who=who):
                data = self.search(tag, client)
                self.assertEqual((data["others"], data["others_total"]), ([], 0))
                page = client.page(f"/search?q={tag}")
                self.assertNotIn(tag, re.sub(r'<input[^>]*>', "", page.text).replace(f"q={tag}", ""),
                                 "a hidden title or snippet on the page")
                for kind, ident in everything:  # their own pages refuse them too
                    path = f"materials/{ident}" if kind == "material" else f"questionnaires/{ident}"
                    self.assertEqual(client.get(path).status, 404)

    def test_a_training_boards_material_only_for_its_people(self):
        tag = unique("tb")
        x = self.training(f"Course {tag}")
        m = self.material(f"Board notes {tag}", board=x["board"])
        self.assertEqual(set(self.others(tag, self.lect)), {("training", x["slug"]), ("material", m["id"])})
        self.assertEqual(self.others(tag, self.alice), [("training", x["slug"])], "the training page is public")
        self.assertStatus(self.alice.post(f"trainings/{x['slug']}/trainees"), 201)
        self.assertIn(("material", m["id"]), self.others(tag, self.alice))


class Page(OthersCase):
    def test_results_grouped_by_kind_in_chinese(self):
        tag = unique("g")
        make_thread(self.alice, self.a, f"讨论 {tag}", "关于培训的讨论。")
        m = self.material(f"讲义 {tag}")
        q = self.questionnaire(f"问卷 {tag}")
        x = self.training(f"培训班 {tag}")
        page = self.anon().page(f"/search?q={tag}", headers={"Accept-Language": "zh-CN"})
        self.assertEqual(page.status, 200)
        heads = re.findall(r"<h2[^>]*>([^<]*)</h2>", page.text)
        self.assertEqual(heads, ["讨论", "资料", "问卷", "培训"])
        for url in (f"/materials/{m['id']}", f"/q/{q['id']}", f"/trainings/{x['slug']}"):
            self.assertIn(f'href="{url}"', page.text)

    def test_only_other_kinds_found_leaves_out_the_empty_discussions(self):
        tag = unique("o")
        self.material(f"讲义 {tag}")
        page = self.anon().page(f"/search?q={tag}")
        self.assertEqual(re.findall(r"<h2[^>]*>([^<]*)</h2>", page.text), ["Materials"])
        self.assertNotIn("No posts match", page.text)


class Demo(ServerTestCase):
    demo = True

    def test_the_demo_finds_its_handout_questionnaire_and_trainings(self):
        c = self.anon()
        found = c.get("search?q=" + urllib.parse.quote("讲义")).data["others"]
        self.assertIn(("material", "春耕技术要点讲义"), [(o["kind"], o["title"]) for o in found])
        kinds = {o["kind"] for o in c.get("search?q=" + urllib.parse.quote("培训")).data["others"]}
        self.assertEqual(kinds, {"material", "questionnaire", "training"})


class Upgrade(TempDirTestCase):
    def test_the_migration_indexes_what_an_older_database_holds(self):
        data = self.path("old")
        os.mkdir(data)
        with gzip.open(PREVIOUS) as src, open(os.path.join(data, "agora.db"), "wb") as dst:
            shutil.copyfileobj(src, dst)
        srv = Server(data_dir=data)
        self.addCleanup(srv.cleanup)
        srv.start()
        c = srv.client()
        titles = {(o["kind"], o["title"]) for o in c.get("search?q=" + urllib.parse.quote("讲义")).data["others"]}
        self.assertIn(("material", "春耕技术要点讲义"), titles)
        kinds = {o["kind"] for o in c.get("search?q=" + urllib.parse.quote("培训")).data["others"]}
        self.assertEqual(kinds, {"material", "questionnaire", "training"})
        srv.stop()
        p = run_cli("check", "--data", data)
        self.assertEqual(p.returncode, 0, p.stderr)
