"""The lecturer pool (issue 13): members' bio and expertise (PATCH /api/v1/users/NAME, the
profile and /settings), GET /api/v1/lecturers (who is in it, lessons taught, ratings withheld
below 3, the industry and text filters, paging, the /lecturers page), and applications to teach
(POST/GET /api/v1/lecturer-applications, POST .../ID, /lecturers/apply and
/admin/lecturer-applications)."""

import datetime
import re

from agora_harness import ServerTestCase, db, unique

CN = datetime.timezone(datetime.timedelta(hours=8))


def day(offset=0):
    return (datetime.datetime.now(CN) + datetime.timedelta(days=offset)).strftime("%Y-%m-%d")


def at(seconds_from_now):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds_from_now)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


class LecturerCase(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_staff("lcadmin")
        cls.add_members("alice", "bob", "carol", "dave")
        tax = cls.expect(cls.admin.get("taxonomy"), 200).data
        cls.industries = tax["industries"]

    def pool(self, client=None, query=""):
        r = self.assertStatus((client or self.anon()).get("lecturers" + query), 200)
        return r.data

    def by_name(self, client=None, query="?per_page=200"):
        return {row["user"]["username"]: row for row in self.pool(client, query)["lecturers"]}

    def profile(self, name):
        return self.assertStatus(self.anon().get(f"users/{name}"), 200).data["user"]

    def training_with_rated_lesson(self, lecturer, scores):
        """A training of lect's with one started lesson taught by lecturer, rated by new
        trainees with scores; returns the lesson."""
        x = self.assertStatus(self.lect.post("trainings", {
            "slug": unique("lt-"), "title": "讲师库测试", "starts_on": day(-1), "ends_on": day(5), "hours": 8,
            "enrolment": "open"}), 201).data["training"]
        lesson = self.assertStatus(self.lect.post(f"trainings/{x['slug']}/lessons", {
            "title": "课", "starts_at": at(-3600), "minutes": 180, "lecturer": lecturer}), 201).data["lesson"]
        raters = [self.new_member("rater") for _ in scores]
        for c in raters:
            self.assertStatus(c.post(f"trainings/{x['slug']}/trainees"), 201)
        self.assertStatus(self.lect.post(f"lessons/{lesson['id']}/attendance",
                                         {"present": [c.name for c in raters]}), 200)
        for c, s in zip(raters, scores):
            self.assertStatus(c.post(f"lessons/{lesson['id']}/rating", {"score": s}), 201)
        return lesson


class Profile(LecturerCase):
    def test_patch_bio_and_expertise(self):
        c = self.new_member("bio")
        r = self.assertStatus(c.patch(f"users/{c.name}", {"bio": "**农业** expert", "expertise": ["乡村振兴", "Agronomy"]}),
                              200)
        self.assertEqual(r.data["user"]["expertise"], ["乡村振兴", "Agronomy"])
        self.assertIn("<strong>农业</strong>", r.data["user"]["bio_html"])
        u = self.profile(c.name)
        self.assertEqual(u["expertise"], ["乡村振兴", "Agronomy"])
        self.assertIn("<strong>农业</strong>", u["bio_html"])
        self.assertNotIn("bio", u, "the Markdown is for the member's own form")
        page = self.assertHtml(self.anon().page(f"/u/{c.name}"))
        self.assertIn("乡村振兴", page.text)
        self.assertIn("<strong>农业</strong>", page.text)
        # clearing
        me = self.assertStatus(c.get("me"), 200).data["user"]
        self.assertEqual((me["expertise"], me["bio"]), (["乡村振兴", "Agronomy"], "**农业** expert"))
        r = self.assertStatus(c.patch(f"users/{c.name}", {"bio": "", "expertise": []}), 200)
        self.assertEqual((r.data["user"]["bio_html"], r.data["user"]["expertise"]), ("", []))

    def test_bad_inputs_write_nothing(self):
        c = self.new_member("badbio")
        self.assertStatus(c.patch(f"users/{c.name}", {"bio": "kept", "expertise": ["kept"]}), 200)
        bad = [
            ({"bio": 5}, 400, None),
            ({"expertise": "not a list"}, 400, None),
            ({"expertise": [1]}, 400, None),
            ({"bio": "x" * 4001}, 413, "bio_too_long"),
            ({"expertise": [f"e{i}" for i in range(11)]}, 400, "too_many_expertise"),
            ({"expertise": ["x" * 41]}, 400, "invalid_expertise"),
            ({"expertise": [""]}, 400, "invalid_expertise"),
            ({"expertise": ["   "]}, 400, "invalid_expertise"),
            ({"expertise": ["two\nlines"]}, 400, "invalid_expertise"),
            ({"expertise": ["bidi\u202eevil"]}, 400, "invalid_expertise"),
            ({"expertise": ["zero\u200bwidth"]}, 400, "invalid_expertise"),
            ({"bio": "ctl\x01"}, 400, "invalid_text"),
            # a good bio with a bad display name: nothing is half-written
            ({"bio": "changed", "display_name": ""}, 400, None),
            ({"bio": "changed", "expertise": ["x" * 41]}, 400, "invalid_expertise"),
        ]
        for body, status, code in bad:
            with self.subTest(body=str(body)[:60]):
                self.assertError(c.patch(f"users/{c.name}", body), status, code)
        u = self.profile(c.name)
        self.assertEqual(u["expertise"], ["kept"])
        self.assertIn("kept", u["bio_html"])
        # exactly at the limits is fine
        self.assertStatus(c.patch(f"users/{c.name}", {"bio": "字" * 4000, "expertise": ["字" * 40] * 10}), 200)

    def test_only_the_member(self):
        c = self.new_member("own")
        self.assertError(self.bob.patch(f"users/{c.name}", {"bio": "not yours"}), 403, "not_your_profile")
        self.assertError(self.admin.patch(f"users/{c.name}", {"expertise": ["x"]}), 403, "not_your_profile")
        self.assertError(self.anon().patch(f"users/{c.name}", {"bio": "x"}), 401)
        self.assertEqual(self.profile(c.name)["bio_html"], "")

    def test_settings_form(self):
        c = self.srv.client()
        name = unique("form")
        self.srv.register(name)
        c.login(name, bearer=False)
        page = self.assertHtml(c.page("/settings"))
        self.assertIn('name="bio"', page.text)
        r = c.form(f"/u/{name}", {"bio": "From *the form*", "expertise": "党建, 基层治理\nHistory"}, page="/settings")
        self.assertStatus(r, 303)
        u = self.profile(name)
        self.assertEqual(u["expertise"], ["党建", "基层治理", "History"])
        self.assertIn("<em>the form</em>", u["bio_html"])
        self.assertIn("基层治理", c.page("/settings").text)


class Pool(LecturerCase):
    def test_membership(self):
        self.training_with_rated_lesson("carol", [])  # a plain member who teaches a lesson
        rows = self.by_name()
        self.assertIn("lect2", rows, "the lecturer role with no lesson")
        self.assertEqual(rows["lect2"]["lessons_taught"], 0)
        self.assertIn("carol", rows, "a member who taught a lesson")
        self.assertEqual(rows["carol"]["lessons_taught"], 1)
        self.assertEqual(rows["carol"]["user"]["role"], "member")
        for absent in ("alice", "bob", "dave"):
            self.assertNotIn(absent, rows)
        row = rows["lect2"]
        self.assertEqual(set(row), {"user", "expertise", "bio_html", "lessons_taught", "rating", "materials"})

    def test_lessons_taught_counts_started_lessons(self):
        name = unique("lt")
        self.srv.add_user(name, "lecturer")
        x = self.assertStatus(self.lect.post("trainings", {
            "slug": unique("lt-"), "title": "t", "starts_on": day(-1), "ends_on": day(5), "hours": 8,
            "enrolment": "open"}), 201).data["training"]
        for when in (-7200, -3600, 7200):
            self.assertStatus(self.lect.post(f"trainings/{x['slug']}/lessons", {
                "title": "课", "starts_at": at(when), "minutes": 30, "lecturer": name}), 201)
        self.assertEqual(self.by_name()[name]["lessons_taught"], 2)

    def test_rating_hidden_below_three(self):
        name = unique("rt")
        self.srv.add_user(name, "lecturer")
        self.training_with_rated_lesson(name, [5, 4])
        row = self.by_name()[name]
        self.assertEqual(row["rating"], {"average": None, "count": 2})
        self.assertIn(name, self.anon().page("/lecturers").text)
        self.training_with_rated_lesson(name, [2])
        row = self.by_name()[name]
        self.assertEqual(row["rating"]["count"], 3)
        self.assertAlmostEqual(row["rating"]["average"], (5 + 4 + 2) / 3, places=2)
        page = self.anon().page(f"/lecturers?q={name}").text
        self.assertIn("3.7", page)

    def test_industry_filter(self):
        ind = self.industries[0]
        name = unique("ind")
        c = self.srv.member(name, industry=ind["slug"])
        self.srv.add_user(unique("other"), "lecturer")
        self.training_with_rated_lesson(name, [])
        rows = self.by_name(query=f"?industry={ind['slug']}&per_page=200")
        self.assertIn(name, rows)
        self.assertTrue(all(r["user"]["industry"] == ind["slug"] for r in rows.values()), rows)
        self.assertError(self.anon().get("lecturers?industry=no-such-industry"), 400, "unknown_industry")
        page = self.assertHtml(self.anon().page(f"/lecturers?industry={ind['slug']}"))
        self.assertIn(f">{ind['name']}</option>", page.text, "the select names industries")
        del c

    def test_text_search(self):
        name = unique("srch")
        self.srv.add_user(name, "lecturer")
        c = self.srv.client()
        c.login(name)
        self.assertStatus(c.patch(f"users/{name}", {"bio": "专注于数字乡村建设 and 100% Field work",
                                                    "expertise": ["Rural_Finance"], "display_name": "王Teacher"}), 200)
        for q, found in (("数字乡村", True), ("field WORK", True), ("rural_finance", True), ("王teach", True),
                         ("100%", True), ("%", True), ("_", True), ("0% f", True),
                         ("100%%", False), ("r_ral", False), ("不存在的词", False)):
            with self.subTest(q=q):
                rows = self.by_name(query="?per_page=200&q=" + __import__("urllib.parse").parse.quote(q))
                self.assertEqual(name in rows, found)
        self.assertNotIn("alice", self.by_name(query="?q=%25&per_page=200"))

    def test_paging(self):
        for _ in range(3):
            self.srv.add_user(unique("pg"), "lecturer")
        total = self.pool()["total"]
        self.assertGreaterEqual(total, 4)
        a = self.pool(query="?per_page=2&page=1")
        b = self.pool(query="?per_page=2&page=2")
        self.assertEqual((len(a["lecturers"]), a["page"], a["pages"]), (2, 1, (total + 1) // 2))
        names = lambda d: {r["user"]["username"] for r in d["lecturers"]}
        self.assertFalse(names(a) & names(b))

    def test_page_and_apply_link(self):
        c = self.srv.client()
        c.login("lect2")
        self.assertStatus(c.patch("users/lect2", {"bio": "讲授 **乡村振兴** 与 `应急管理`"}), 200)
        page = self.assertHtml(self.anon().page("/lecturers"))
        self.assertIn("/u/lect2", page.text)
        self.assertIn("讲授 乡村振兴 与 应急管理", page.text, "the excerpt reads as text, not as Markdown")
        self.assertNotIn("**乡村振兴**", page.text)
        self.assertIn("Lessons taught: 0", page.text)
        zh = self.assertHtml(self.anon().page("/lecturers", headers={"Accept-Language": "zh-CN"}))
        self.assertIn("已授课：0 次", zh.text)
        self.assertIn("评分不足 3 个", zh.text)
        self.assertNotIn('href="/lecturers/apply"', page.text, "visitors are not offered to apply")
        c = self.srv.client()
        name = unique("pl")
        self.srv.register(name)
        c.login(name, bearer=False)
        self.assertIn('href="/lecturers/apply"', c.page("/lecturers").text)
        l = self.srv.client()
        l.login("lect2", bearer=False)
        self.assertNotIn('href="/lecturers/apply"', l.page("/lecturers").text, "lecturers are not offered")


class Applications(LecturerCase):
    def test_end_to_end_approve(self):
        c = self.new_member("app")
        self.assertNotIn(c.name, self.by_name())
        r = self.assertStatus(c.post("lecturer-applications", {"statement": "我在基层工作二十年", "expertise": ["基层治理"]}),
                              201)
        app = r.data["application"]
        self.assertEqual((app["state"], app["user"]["username"], app["expertise"]), ("pending", c.name, ["基层治理"]))
        self.assertError(c.post("lecturer-applications", {"statement": "again"}), 409, "application_pending")
        listed = self.assertStatus(self.admin.get("lecturer-applications"), 200).data
        self.assertIn(app["id"], [a["id"] for a in listed["applications"]])
        self.assertEqual(listed["applications"][0]["state"], "pending", "pending first")
        pending = self.admin.get("lecturer-applications?state=pending").data["applications"]
        self.assertTrue(all(a["state"] == "pending" for a in pending))
        self.assertError(self.admin.get("lecturer-applications?state=nope"), 400, "invalid_state")
        done = self.assertStatus(self.admin.post(f"lecturer-applications/{app['id']}", {"action": "approve"}), 200)
        self.assertEqual(done.data["application"]["state"], "approved")
        self.assertEqual(done.data["application"]["decided_by"], "lcadmin")
        self.assertEqual(self.profile(c.name)["role"], "lecturer")
        self.assertEqual(self.profile(c.name)["expertise"], ["基层治理"], "copied to an empty profile")
        notes = c.get("notifications").data["notifications"]
        self.assertTrue(any(n["kind"] == "moderation" and n.get("action") == "lecturer_approved" for n in notes), notes)
        log = self.anon().get("mod/log").data["entries"]
        self.assertTrue(any(e["action"] == "lecturer_approved" for e in log), log[:3])
        self.assertIn(c.name, self.by_name())
        self.assertError(self.admin.post(f"lecturer-applications/{app['id']}", {"action": "decline"}), 409,
                         "already_decided")
        mine = self.assertStatus(c.get("lecturer-applications?mine=1"), 200).data["applications"]
        self.assertEqual([(a["id"], a["state"]) for a in mine], [(app["id"], "approved")])
        self.assertError(c.post("lecturer-applications", {"statement": "more"}), 409, "already_lecturer")

    def test_expertise_kept_when_profile_has_some(self):
        c = self.new_member("keep")
        self.assertStatus(c.patch(f"users/{c.name}", {"expertise": ["mine"]}), 200)
        app = self.assertStatus(c.post("lecturer-applications", {"statement": "s", "expertise": ["theirs"]}),
                                201).data["application"]
        self.assertStatus(self.admin.post(f"lecturer-applications/{app['id']}", {"action": "approve"}), 200)
        self.assertEqual(self.profile(c.name)["expertise"], ["mine"])

    def test_decline_with_reason(self):
        c = self.new_member("dec")
        app = self.assertStatus(c.post("lecturer-applications", {"statement": "please"}), 201).data["application"]
        r = self.assertStatus(self.admin.post(f"lecturer-applications/{app['id']}",
                                              {"action": "decline", "reason": "先完成培训"}), 200)
        self.assertEqual((r.data["application"]["state"], r.data["application"]["reason"]), ("declined", "先完成培训"))
        self.assertEqual(self.profile(c.name)["role"], "member")
        notes = c.get("notifications").data["notifications"]
        self.assertTrue(any(n.get("action") == "lecturer_declined" and n.get("reason") == "先完成培训" for n in notes))
        self.assertError(self.admin.post(f"lecturer-applications/{app['id']}", {"action": "approve"}), 409,
                         "already_decided")
        self.assertEqual(self.profile(c.name)["role"], "member")
        page = self.assertHtml(c.page("/lecturers/apply"))
        self.assertIn("先完成培训", page.text)
        # a declined member may apply again
        self.assertStatus(c.post("lecturer-applications", {"statement": "once more"}), 201)

    def test_refusals(self):
        c = self.new_member("ref")
        for body, status, code in (({}, 400, "statement_required"), ({"statement": "  "}, 400, "statement_required"),
                                   ({"statement": 3}, 400, None), ({"statement": "x" * 2001}, 413, "statement_too_long"),
                                   ({"statement": "ok", "expertise": ["x" * 41]}, 400, "invalid_expertise")):
            with self.subTest(body=str(body)[:40]):
                self.assertError(c.post("lecturer-applications", body), status, code)
        self.assertEqual(c.get("lecturer-applications?mine=1").data["applications"], [])
        self.assertError(self.lect.post("lecturer-applications", {"statement": "s"}), 409, "already_lecturer")
        self.assertError(self.admin.post("lecturer-applications", {"statement": "s"}), 409, "already_lecturer")
        self.assertError(self.anon().post("lecturer-applications", {"statement": "s"}), 401)
        self.assertError(self.anon().get("lecturer-applications"), 401)
        app = self.assertStatus(c.post("lecturer-applications", {"statement": "s"}), 201).data["application"]
        for who in (self.bob, self.lect, self.smod):
            self.assertError(who.get("lecturer-applications"), 403, "admin_only")
            self.assertError(who.post(f"lecturer-applications/{app['id']}", {"action": "approve"}), 403, "admin_only")
        self.assertError(self.anon().post(f"lecturer-applications/{app['id']}", {"action": "approve"}), 401)
        self.assertError(self.admin.post(f"lecturer-applications/{app['id']}", {"action": "maybe"}), 400,
                         "invalid_action")
        self.assertError(self.admin.post("lecturer-applications/999999", {"action": "approve"}), 404,
                         "application_not_found")
        self.assertEqual(self.profile(c.name)["role"], "member")
        # bob sees only his own (none), not c's
        self.assertEqual(self.bob.get("lecturer-applications?mine=1").data["applications"], [])

    def test_pages(self):
        c = self.srv.client()
        name = unique("pgapp")
        self.srv.register(name, display_name="页面申请人")
        c.login(name, bearer=False)
        self.assertHtml(c.page("/lecturers/apply"))
        bad = self.assertHtml(c.form("/lecturers/apply", {"statement": " "}), 400)
        self.assertIn('name="statement"', bad.text, "the form stays, with the error")
        self.assertNotIn("lecturer already", bad.text)
        r = c.form("/lecturers/apply", {"statement": "通过页面申请", "expertise": "乡村治理"})
        self.assertStatus(r, 303)
        self.assertIn("通过页面申请", c.page("/lecturers/apply").text)
        self.assertStatus(c.form("/lecturers/apply", {"statement": "no csrf"}, csrf=False), 403)
        a = self.srv.client()
        a.login("lcadmin", bearer=False)
        page = self.assertHtml(a.page("/admin/lecturer-applications"))
        self.assertIn("页面申请人", page.text, "names, not only usernames")
        app_id = c.get("lecturer-applications?mine=1", token=None).data["applications"][0]["id"]
        self.assertIn(f'action="/admin/lecturer-applications/{app_id}"', page.text)
        r = a.form(f"/admin/lecturer-applications/{app_id}", {"action": "approve"},
                   page="/admin/lecturer-applications")
        self.assertStatus(r, 303)
        self.assertEqual(self.profile(name)["role"], "lecturer")
        self.assertHtml(self.bob.page("/admin/lecturer-applications"), (403, 401))
        self.assertEqual(self.anon().page("/lecturers/apply").header("Location"), "/login?next=/lecturers/apply")

    def test_stored_once_pending(self):
        c = self.new_member("once")
        self.assertStatus(c.post("lecturer-applications", {"statement": "a"}), 201)
        self.assertError(c.post("lecturer-applications", {"statement": "b"}), 409)
        with db(self.srv) as conn:
            n = conn.execute("SELECT count(*) FROM lecturer_applications a JOIN users u ON u.id=a.user_id"
                             " WHERE u.username=?", (c.name,)).fetchone()[0]
        self.assertEqual(n, 1)


class Demo(ServerTestCase):
    demo = True

    def demo_password(self):
        m = re.search(r"password[: ]+([^\s):]+)", "\n".join(self.server.stdout_lines))
        self.assertIsNotNone(m, "no demo password printed")
        return m.group(1)

    def test_demo_pool_and_pending_application(self):
        rows = {r["user"]["username"]: r for r in self.anon().get("lecturers").data["lecturers"]}
        self.assertIsNotNone(rows["lecturer"]["rating"]["average"], "a demo lecturer with 3 ratings or more")
        self.assertGreaterEqual(rows["lecturer"]["rating"]["count"], 3)
        self.assertTrue(rows["lecturer"]["expertise"] and rows["lecturer"]["bio_html"])
        self.assertIn("Mediation", rows["moderator"]["expertise"])
        admin = self.srv.client()
        admin.login("admin", self.demo_password())
        apps = admin.get("lecturer-applications?state=pending").data["applications"]
        self.assertEqual([a["user"]["username"] for a in apps], ["chenjing"])
        page = self.assertHtml(self.anon().page("/lecturers"))
        self.assertIn("李老师", page.text)
        self.assertIn("乡村振兴", page.text)
