"""The pages of trainings (issue 10): /trainings, /trainings/SLUG and the home page's list,
black-box HTML as a browser without JavaScript sees it. Each form is on the page exactly when
the domain's predicate allows it; posting each form (with the page's csrf field) works and
redirects (303) back to the page; a refusal is a page with the message in the reader's
language; the training's board is a 404 page to outsiders."""

import datetime
import html
import re

from agora_harness import PASSWORD, ServerTestCase, hidden_csrf, unique

CN = datetime.timezone(datetime.timedelta(hours=8))  # the site's default time zone
ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}


def day(offset=0):
    return (datetime.datetime.now(CN) + datetime.timedelta(days=offset)).strftime("%Y-%m-%d")


def at(seconds_from_now):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds_from_now)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def has_form(page, action):
    return re.search(r'<form method="post" action="%s"' % re.escape(action), page) is not None


class TrainingPagesCase(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_staff("tpadmin")
        cls.add_members("tpalice", "tpbob")
        cls.zj = cls.server.member("tpzj", region="zhejiang", position="township-head", industry="agriculture")

    def browser(self, name):
        c = self.server.client()
        self.assertStatus(c.form("/login", {"username": name, "password": PASSWORD}), 303)
        return c

    def make(self, client=None, **fields):
        body = {"slug": unique("tp-"), "title": "乡村振兴专题培训", "description": "**重点**内容",
                "starts_on": day(-1), "ends_on": day(5), "hours": 24, "enrolment": "open", **fields}
        return self.assertStatus((client or self.lect).post("trainings", body), 201).data["training"]

    def lesson(self, slug, **fields):
        body = {"title": "第一课", "starts_at": at(600), "minutes": 90, "lecturer": "lect2", **fields}
        return self.assertStatus(self.lect.post(f"trainings/{slug}/lessons", body), 201).data["lesson"]

    def post(self, c, path, fields, page, **kw):
        """A form posted as the browser does: the csrf field of the page the form is on."""
        return c.form(path, fields, page=page, **kw)

    def redirected(self, resp, path):
        self.assertStatus(resp, 303)
        self.assertTrue((resp.header("Location") or "").split("#")[0].endswith(path), resp.header("Location"))


class ListPage(TrainingPagesCase):
    def test_list_for_me_and_all(self):
        mine = self.make(title="为浙江开的班", audience={"regions": ["zhejiang"]})
        other = self.make(title="为河南开的班", audience={"regions": ["henan"]}, starts_on=day(10), ends_on=day(12))
        zj = self.browser("tpzj")
        page = self.assertHtml(zj.page("/trainings")).text
        self.assertIn(f'href="/trainings/{mine["slug"]}"', page)
        self.assertNotIn(f'href="/trainings/{other["slug"]}"', page, "for=me by default when signed in")
        self.assertIn('href="/trainings?for=all"', page)
        everything = zj.page("/trainings?for=all").text
        self.assertIn(f'href="/trainings/{other["slug"]}"', everything)
        self.assertIn("24 credit hours", page)
        anon = self.assertHtml(self.anon().page("/trainings")).text
        self.assertIn(f'href="/trainings/{other["slug"]}"', anon, "visitors see every training")
        zh = self.assertHtml(zj.page("/trainings", headers=ZH)).text
        self.assertIn("即将开始", zh)
        self.assertIn("24 学时", zh)

    def test_places_left_and_state(self):
        x = self.make(capacity=3)
        self.assertStatus(self.tpalice.post(f"trainings/{x['slug']}/trainees"), 201)
        page = self.browser("tpalice").page("/trainings").text
        self.assertIn("2 places left", page)
        self.assertIn("Enrolled", page)

    def test_create_form_only_for_those_who_may_create(self):
        self.assertTrue(has_form(self.browser("lect").page("/trainings").text, "/trainings"))
        self.assertTrue(has_form(self.browser("tpadmin").page("/trainings").text, "/trainings"))
        self.assertFalse(has_form(self.browser("tpalice").page("/trainings").text, "/trainings"))
        self.assertFalse(has_form(self.anon().page("/trainings").text, "/trainings"))

    def test_create_with_the_form(self):
        c = self.browser("lect")
        slug = unique("tpf-")
        fields = [("slug", slug), ("title", "表单创建"), ("description", "*简介*"), ("starts_on", day(2)),
                  ("ends_on", day(4)), ("hours", "12.5"), ("capacity", ""), ("enrolment", "approval"),
                  ("audience_form", "1"), ("regions", "zhejiang"), ("regions", "henan"),
                  ("industries", "agriculture"), ("csrf", c.form_csrf("/trainings"))]
        import urllib.parse
        r = c.request("POST", "/trainings", body=urllib.parse.urlencode(fields), token=None, csrf=None,
                      content_type="application/x-www-form-urlencoded")
        self.redirected(r, f"/trainings/{slug}")
        x = self.anon().get(f"trainings/{slug}").data["training"]
        self.assertEqual(x["hours"], 12.5)
        self.assertIsNone(x["capacity"])
        self.assertEqual(x["enrolment"], "approval")
        self.assertEqual(sorted(x["audience"]["regions"]), ["henan", "zhejiang"])
        self.assertEqual(x["audience"]["industries"], ["agriculture"])
        self.assertEqual(x["audience"]["positions"], [])

    def test_create_refused_shows_the_message(self):
        c = self.browser("lect")
        fields = {"slug": unique("tpbad-"), "title": "t", "starts_on": day(4), "ends_on": day(2), "hours": "3",
                  "enrolment": "open", "audience_form": "1"}
        r = c.form("/trainings", fields)
        self.assertHtml(r, 400)
        self.assertIn("The training cannot end before it starts.", r.text)
        r = c.form("/trainings", fields, headers=ZH)
        self.assertIn("培训班的结束日期不能早于开始日期。", r.text)
        self.assertStatus(c.form("/trainings", fields, csrf="wrong"), 403)

    def test_home_lists_my_trainings(self):
        x = self.make(title="首页上的培训")
        self.assertStatus(self.tpbob.post(f"trainings/{x['slug']}/trainees"), 201)
        page = self.browser("tpbob").page("/").text
        self.assertIn(f'href="/trainings/{x["slug"]}"', page)
        self.assertIn("My trainings", page)
        self.assertIn('href="/trainings"', page, "the header's link")


class TrainingPage(TrainingPagesCase):
    def test_enrol_leave_and_the_board(self):
        x = self.make(starts_on=day(2), ends_on=day(4))
        path = f"/trainings/{x['slug']}"
        c = self.browser("tpalice")
        page = self.assertHtml(c.page(path)).text
        self.assertIn("<strong>重点</strong>", page)
        self.assertTrue(has_form(page, f"{path}/enrol"))
        self.assertIn(">Enrol</button>", page)
        self.assertFalse(has_form(page, f"{path}/leave"))
        self.assertNotIn(f'href="/b/{x["board"]}"', page)
        self.assertHtml(c.page(f"/b/{x['board']}"), 404)
        self.redirected(self.post(c, f"{path}/enrol", {}, path), path)
        page = c.page(path).text
        self.assertIn("You are enrolled in this training.", page)
        self.assertFalse(has_form(page, f"{path}/enrol"))
        self.assertTrue(has_form(page, f"{path}/leave"))
        self.assertIn(f'href="/b/{x["board"]}"', page)
        self.assertIn(f'href="{path}/calendar.ics"', page)
        self.assertIn(f'href="{path}/pack.zip"', page)
        self.assertHtml(c.page(f"/b/{x['board']}"))
        r = self.post(c, f"{path}/enrol", {}, "/")
        self.assertHtml(r, 409)
        self.assertIn("already enrolled", r.text)
        self.redirected(self.post(c, f"{path}/leave", {}, path), path)
        self.assertIsNone(self.tpalice.get(f"trainings/{x['slug']}").data["training"]["me"]["role"])

    def test_enrol_words_follow_the_mode(self):
        visitor_page = self.anon().page(f"/trainings/{self.make()['slug']}").text
        self.assertIn("Sign in to enrol.", visitor_page)
        self.assertNotIn("/enrol", visitor_page)
        approval = self.make(enrolment="approval")
        c = self.browser("tpbob")
        page = c.page(f"/trainings/{approval['slug']}").text
        self.assertIn(">Request a place</button>", page)
        zh = c.page(f"/trainings/{approval['slug']}", headers=ZH).text
        self.assertIn(">申请报名</button>", zh)
        path = f"/trainings/{approval['slug']}"
        self.redirected(self.post(c, f"{path}/enrol", {}, path), path)
        self.assertIn("awaits the organisers", html.unescape(c.page(path).text))
        assigned = c.page(f"/trainings/{self.make(enrolment='assigned')['slug']}").text
        self.assertNotIn("/enrol", assigned)
        outside = c.page(f"/trainings/{self.make(audience={'regions': ['zhejiang']})['slug']}").text
        self.assertNotIn("/enrol", outside, "tpbob is outside the audience")
        self.assertIn("This training is for another audience", outside)

    def test_outsiders_see_no_lessons_nor_organiser_forms(self):
        x = self.make()
        self.lesson(x["slug"])
        path = f"/trainings/{x['slug']}"
        for c in (self.anon(), self.browser("tpbob")):
            page = c.page(path).text
            self.assertIn("1 lessons; trainees see them once enrolled.", page)
            self.assertNotIn("第一课", page)
            for action in (f"{path}/lessons", f"{path}/trainees", path, f"{path}/organisers"):
                self.assertFalse(has_form(page, action), action)
            self.assertNotIn("calendar.ics", page)

    def test_organiser_forms(self):
        x = self.make()
        path = f"/trainings/{x['slug']}"
        page = self.browser("lect").page(path).text
        for action in (f"{path}/lessons", f"{path}/trainees", path, f"{path}/organisers"):
            self.assertTrue(has_form(page, action), action)
        self.assertIn('type="datetime-local"', page)
        self.assertIn("UTC+08:00", page)
        self.assertIn('value="乡村振兴专题培训"', page, "the edit form is filled in")

    def test_add_lesson_in_the_site_zone(self):
        x = self.make()
        path = f"/trainings/{x['slug']}"
        c = self.browser("lect")
        local = f"{day(1)}T09:30"
        r = self.post(c, f"{path}/lessons", {"title": "表单课", "starts_at": local, "minutes": "45",
                                             "lecturer": "lect2", "description": ""}, path)
        self.redirected(r, path)
        lessons = self.lect.get(f"trainings/{x['slug']}").data["lessons"]
        want = datetime.datetime.strptime(local, "%Y-%m-%dT%H:%M").replace(tzinfo=CN).astimezone(datetime.timezone.utc)
        self.assertEqual(lessons[0]["starts_at"], want.strftime("%Y-%m-%dT%H:%M:%SZ"))
        self.assertEqual(lessons[0]["minutes"], 45)
        page = c.page(path).text
        self.assertIn(f"{day(1)} 09:30", page, "shown in the site's zone")
        self.assertIn("–10:15", page)
        r = self.post(c, f"{path}/lessons", {"title": "x", "starts_at": local, "minutes": "45",
                                             "lecturer": "nobody-at-all"}, path)
        self.assertHtml(r, 400)
        self.assertIn("error", r.text)

    def test_check_in_rate_and_the_summary(self):
        x = self.make()
        path = f"/trainings/{x['slug']}"
        lesson = self.lesson(x["slug"], starts_at=at(-60))
        self.assertStatus(self.tpalice.post(f"trainings/{x['slug']}/trainees"), 201)
        c = self.browser("tpalice")
        page = c.page(path).text
        code = self.lect.get(f"lessons/{lesson['id']}").data["lesson"]["checkin_code"]
        self.assertNotIn(code, page, "trainees do not see the code")
        self.assertTrue(has_form(page, f"/lessons/{lesson['id']}/attendance"))
        self.assertFalse(has_form(page, f"/lessons/{lesson['id']}/rating"), "not before attending")
        r = self.post(c, f"/lessons/{lesson['id']}/attendance", {"code": "000000" if code != "000000" else "111111"},
                      path)
        self.assertHtml(r, 403)
        self.assertIn("That check-in code is not right.", r.text)
        zh = self.post(c, f"/lessons/{lesson['id']}/attendance", {"code": "000000" if code != "000000" else "1"},
                       path, headers=ZH)
        self.assertIn("签到码不正确。", zh.text)
        self.redirected(self.post(c, f"/lessons/{lesson['id']}/attendance", {"code": code}, path), path)
        page = c.page(path).text
        self.assertFalse(has_form(page, f"/lessons/{lesson['id']}/attendance"))
        self.assertTrue(has_form(page, f"/lessons/{lesson['id']}/rating"))
        self.redirected(self.post(c, f"/lessons/{lesson['id']}/rating", {"score": "4", "comment": "很好"}, path), path)
        self.assertFalse(has_form(c.page(path).text, f"/lessons/{lesson['id']}/rating"), "rated: no second form")
        r = self.post(c, f"/lessons/{lesson['id']}/rating", {"score": "5"}, path)
        self.assertHtml(r, 409)
        self.assertIn("already rated", r.text)
        org = self.browser("lect").page(path).text
        self.assertIn(code, org)
        self.assertIn(f'href="{path}/effect"', org, "organisers are led to the effect page")
        self.assertNotIn(f'href="{path}/effect"', page, "trainees are not")
        self.assertIn("Ratings: 1", org)
        self.assertIn("average 4.0 / 5", org)
        lecturer = self.browser("lect2").page(path).text
        self.assertIn(code, lecturer, "the lesson's lecturer sees the code")
        self.assertIn("You teach a lesson in this training.", lecturer)

    def test_check_in_form_only_in_the_window(self):
        x = self.make()
        later = self.lesson(x["slug"], starts_at=at(3 * 3600))
        self.assertStatus(self.tpbob.post(f"trainings/{x['slug']}/trainees"), 201)
        page = self.browser("tpbob").page(f"/trainings/{x['slug']}").text
        self.assertIn("第一课", page)
        self.assertFalse(has_form(page, f"/lessons/{later['id']}/attendance"))

    def test_attendance_form_and_trainee_actions(self):
        x = self.make(enrolment="approval")
        path = f"/trainings/{x['slug']}"
        lesson = self.lesson(x["slug"], starts_at=at(-3600))
        self.assertStatus(self.tpalice.post(f"trainings/{x['slug']}/trainees"), 202)
        c = self.browser("lect")
        page = c.page(path).text
        self.assertIn(f'action="{path}/trainees/tpalice"', page)
        self.assertIn('value="approve"', page)
        self.assertNotIn('name="present" value="tpalice"', page, "pending trainees cannot be marked")
        self.redirected(self.post(c, f"{path}/trainees/tpalice", {"action": "approve"}, path), path)
        page = c.page(path).text
        self.assertIn('name="present" value="tpalice"', page)
        self.redirected(self.post(c, f"/lessons/{lesson['id']}/attendance",
                                  {"present_form": "1", "present": "tpalice"}, path), path)
        trainees = self.lect.get(f"trainings/{x['slug']}/trainees").data["trainees"]
        self.assertEqual(trainees[0]["attended"], 1)
        self.redirected(self.post(c, f"/lessons/{lesson['id']}/attendance", {"present_form": "1"}, path), path)
        self.redirected(self.post(c, f"{path}/trainees/tpalice", {"action": "complete"}, path), path)
        self.assertIn('value="reopen"', c.page(path).text)
        self.redirected(self.post(c, f"{path}/trainees/tpalice", {"action": "reopen"}, path), path)
        r = self.post(c, f"{path}/trainees/tpalice", {"action": "approve"}, path)
        self.assertHtml(r, 409)
        self.redirected(self.post(c, f"{path}/trainees/tpalice", {"action": "remove"}, path), path)
        self.assertEqual(self.lect.get(f"trainings/{x['slug']}/trainees").data["trainees"], [])

    def test_add_trainees_form(self):
        x = self.make(enrolment="assigned", audience={"regions": ["zhejiang"]})
        path = f"/trainings/{x['slug']}"
        c = self.browser("lect")
        self.redirected(self.post(c, f"{path}/trainees", {"assign": "1", "usernames": "tpalice，tpbob\n"}, path), path)
        self.redirected(self.post(c, f"{path}/trainees", {"assign": "1", "usernames": "", "audience": "1"}, path), path)
        names = {t["user"]["username"] for t in self.lect.get(f"trainings/{x['slug']}/trainees").data["trainees"]}
        self.assertEqual(names, {"tpalice", "tpbob", "tpzj"})
        empty = self.post(c, f"{path}/trainees", {"assign": "1", "usernames": ""}, path)
        self.assertHtml(empty, 400)
        self.assertIsNone(self.lect.get(f"trainings/{x['slug']}").data["training"]["me"]["state"],
                          "an empty assignment does not enrol the organiser")
        r = self.post(c, f"{path}/trainees", {"assign": "1", "usernames": "ghost-member"}, path)
        self.assertHtml(r, 400)
        self.assertIn("There is no member with that username.", r.text)

    def test_edit_and_add_organiser_forms(self):
        x = self.make(capacity=10)
        path = f"/trainings/{x['slug']}"
        c = self.browser("lect")
        fields = {"title": "改过的标题", "description": "", "starts_on": x["starts_on"], "ends_on": x["ends_on"],
                  "hours": "30", "capacity": "", "enrolment": "assigned", "audience_form": "1"}
        self.redirected(self.post(c, path, fields, path), path)
        got = self.anon().get(f"trainings/{x['slug']}").data["training"]
        self.assertEqual((got["title"], got["hours"], got["capacity"], got["enrolment"]), ("改过的标题", 30, None, "assigned"))
        self.redirected(self.post(c, f"{path}/organisers", {"username": "lect2"}, path), path)
        self.assertTrue(has_form(self.browser("lect2").page(path).text, f"{path}/lessons"))
        r = self.post(c, path, {**fields, "hours": "zero"}, path)
        self.assertHtml(r, 400)
        forbidden = self.post(self.browser("tpalice"), path, fields, "/")
        self.assertHtml(forbidden, 403)

    def test_titles_are_escaped(self):
        x = self.make(title="<script>alert(1)</script>")
        page = self.anon().page(f"/trainings/{x['slug']}").text
        self.assertNotIn("<script>alert(1)</script>", page)
        self.assertIn("&lt;script&gt;", page)


class ListPager(TrainingPagesCase):
    def test_pager_keeps_the_chosen_list(self):
        for _ in range(2):
            self.make()
        page = self.browser("tpalice").page("/trainings?for=all&per_page=1").text
        self.assertRegex(page, r'href="\?page=2&amp;for=all&amp;per_page=1"|href="\?page=2&for=all&per_page=1"')
