"""Learning records and the rotation report (API.md "Learning records and reports"; issue 13):
a member's record with its figures recomputed from the trainings the test made, who may read
it (the member and admins all of it, an organiser only their trainings' part, others 404,
visitors 401), its CSV, the rotation_years setting and how it moves due dates, the last
completion following every change of a trainee or a training, the rotation report's order,
filters and CSV, and enrolling the overdue members of a training's audience in one step."""

import datetime
import re

from agora_harness import ServerTestCase, csv_rows, unique
from test_materials import field, file_part, multipart

CN = datetime.timezone(datetime.timedelta(hours=8))  # the site's default time zone
POSITION_NAME = "乡镇长"  # township-head in the default taxonomy


def day(offset=0):
    return (datetime.datetime.now(CN) + datetime.timedelta(days=offset)).strftime("%Y-%m-%d")


def plus_years(iso, years):
    """The rotation rule's date arithmetic: the same day `years` later, 29 February of a common
    year being 1 March."""
    d = datetime.date.fromisoformat(iso)
    try:
        return d.replace(year=d.year + years).isoformat()
    except ValueError:
        return datetime.date(d.year + years, 3, 1).isoformat()




class RecordCase(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_staff("recadmin")
        cls.region = unique("rg-")
        cls.expect(cls.admin.put(f"taxonomy/region/{cls.region}", {"name": "测试市" + cls.region}), 200)

    def training(self, organiser=None, starts=None, ends=-2, hours=24, **fields):
        starts = ends - 1 if starts is None else starts
        body = {"slug": unique("rec-"), "title": "轮训班 " + unique("t"), "starts_on": day(starts),
                "ends_on": day(ends), "hours": hours, "enrolment": "assigned", **fields}
        return self.assertStatus((organiser or self.lect).post("trainings", body), 201).data["training"]

    def assign(self, slug, *names, organiser=None):
        r = (organiser or self.lect).post(f"trainings/{slug}/trainees", {"usernames": list(names)})
        return self.assertStatus(r, 201).data

    def act(self, slug, name, action, organiser=None):
        r = (organiser or self.lect).post(f"trainings/{slug}/trainees/{name}", {"action": action})
        return self.assertStatus(r, 200)

    def completed(self, name, organiser=None, **fields):
        x = self.training(organiser, **fields)
        self.assign(x["slug"], name, organiser=organiser)
        self.act(x["slug"], name, "complete", organiser)
        return x

    def record(self, client, name, **kw):
        return client.get(f"users/{name}/record", **kw)

    def set_years(self, n):
        return self.admin.patch("settings", {"rotation_years": n})


class Record(RecordCase):
    def test_figures_are_those_of_the_trainings(self):
        m = self.new_member("rec")
        old = self.completed(m.name, starts=-401, ends=-400, hours=24)
        recent = self.completed(m.name, organiser=self.lect2, starts=-31, ends=-30, hours=16.5)
        current = self.training(starts=-1, ends=3, hours=8)
        self.assign(current["slug"], m.name)
        got = self.assertStatus(self.record(m, m.name), 200).data
        self.assertEqual(got["user"]["username"], m.name)
        self.assertEqual(got["scope"], "whole")
        self.assertEqual([t["slug"] for t in got["trainings"]], [current["slug"], recent["slug"], old["slug"]])
        by = {t["slug"]: t for t in got["trainings"]}
        self.assertEqual(by[recent["slug"]], {"slug": recent["slug"], "title": recent["title"], "ends_on": day(-30),
                                              "hours": 16.5, "state": "completed", "attended": 0, "lessons": 0})
        self.assertEqual(by[current["slug"]]["state"], "enrolled")
        self.assertEqual(got["hours_total"], 40.5, "hours of the completed trainings only")
        self.assertEqual(got["last_completed_on"], day(-30))
        self.assertEqual(got["rotation_years"], 5)
        self.assertEqual(got["rotation_due_on"], plus_years(day(-30), 5))
        self.assertEqual(set(got["activity"]), {"posts", "helpful_received", "materials_downloaded",
                                                "questionnaires_answered"})
        self.assertEqual(got["total"], 3)

    def test_a_leap_day_is_due_on_the_first_of_march(self):
        m = self.new_member("leap")
        body = {"slug": unique("leap-"), "title": "闰日培训", "starts_on": "2020-02-28", "ends_on": "2020-02-29",
                "hours": 4, "enrolment": "assigned"}
        x = self.assertStatus(self.lect.post("trainings", body), 201).data["training"]
        self.assign(x["slug"], m.name)
        self.act(x["slug"], m.name, "complete")
        got = self.record(m, m.name).data
        self.assertEqual((got["last_completed_on"], got["rotation_due_on"]), ("2020-02-29", "2025-03-01"))
        self.assertEqual(plus_years("2020-02-29", 5), "2025-03-01")

    def test_a_member_never_trained_is_due_from_the_day_they_joined(self):
        m = self.new_member("never")
        got = self.assertStatus(self.record(m, m.name), 200).data
        self.assertEqual(got["trainings"], [])
        self.assertEqual(got["hours_total"], 0)
        self.assertIsNone(got["last_completed_on"])
        self.assertEqual(got["rotation_due_on"], day(0))

    def test_attendance_counts_the_member_lessons(self):
        m = self.new_member("att")
        x = self.training(starts=-1, ends=3)
        self.assign(x["slug"], m.name)
        when = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
        ids = []
        for title in ("一", "二"):
            r = self.lect.post(f"trainings/{x['slug']}/lessons", {"title": title, "starts_at": when, "minutes": 60,
                                                                 "lecturer": "lect2"})
            ids.append(self.assertStatus(r, 201).data["lesson"]["id"])
        self.assertStatus(self.lect.post(f"lessons/{ids[0]}/attendance", {"present": [m.name]}), (200, 204))
        t = self.record(m, m.name).data["trainings"][0]
        self.assertEqual((t["attended"], t["lessons"]), (1, 2))

    def test_paging(self):
        m = self.new_member("pg")
        for _ in range(3):
            self.completed(m.name)
        got = m.get(f"users/{m.name}/record?per_page=2").data
        self.assertEqual(len(got["trainings"]), 2)
        self.assertEqual((got["total"], got["pages"]), (3, 2))
        self.assertEqual(got["hours_total"], 72, "totals cover every page")


class Rights(RecordCase):
    def test_who_reads_what(self):
        m = self.new_member("who")
        mine = self.completed(m.name, organiser=self.lect, ends=-40, hours=10)
        theirs = self.completed(m.name, organiser=self.lect2, ends=-20, hours=6)
        for client in (m, self.admin):
            got = self.assertStatus(self.record(client, m.name), 200).data
            self.assertEqual(got["scope"], "whole")
            self.assertEqual(len(got["trainings"]), 2)
        part = self.assertStatus(self.record(self.lect, m.name), 200).data
        self.assertEqual(part["scope"], "organised")
        self.assertEqual([t["slug"] for t in part["trainings"]], [mine["slug"]])
        self.assertEqual(part["hours_total"], 10)
        self.assertEqual(part["last_completed_on"], day(-40), "the part's own last completion")
        self.assertIsNone(part["rotation_due_on"], "the due date comes from the whole record")
        self.assertIsNone(part["activity"])
        self.assertNotIn(theirs["slug"], str(part))
        rows = csv_rows(self.assertStatus(self.lect.get(f"users/{m.name}/record.csv"), 200))
        self.assertEqual([r["slug"] for r in rows], [mine["slug"]])
        other = self.new_member("other")
        self.assertError(self.record(other, m.name), 404, "not_found")
        self.assertError(other.get(f"users/{m.name}/record.csv"), 404, "not_found")
        self.assertError(self.record(self.smod, m.name), 404, "not_found")
        self.assertError(self.record(self.anon(), m.name), 401)
        self.assertError(self.anon().get(f"users/{m.name}/record.csv"), 401)
        self.assertError(self.record(other, "nobody-" + unique()), 404, "user_not_found")
        self.assertError(self.record(self.anon(), "nobody-" + unique()), 401)

    def test_an_organiser_of_a_pending_trainee_sees_that_training(self):
        m = self.new_member("pend")
        x = self.training(starts=10, ends=12, capacity=1)
        self.assign(x["slug"], "lect2")
        self.assertEqual(self.assign(x["slug"], m.name)["pending"], 1)
        part = self.assertStatus(self.record(self.lect, m.name), 200).data
        self.assertEqual([(t["slug"], t["state"]) for t in part["trainings"]], [(x["slug"], "pending")])

    def test_the_profile_links_the_record_for_those_who_may_read_it(self):
        m = self.new_member("link")
        link = f'href="/u/{m.name}/record"'
        self.assertIn(link, self.assertHtml(m.page(f"/u/{m.name}")).text)
        self.assertIn(link, self.assertHtml(self.admin.page(f"/u/{m.name}")).text)
        self.assertNotIn(link, self.assertHtml(self.new_member("x").page(f"/u/{m.name}")).text)
        self.assertNotIn(link, self.assertHtml(self.anon().page(f"/u/{m.name}")).text)


class Csv(RecordCase):
    def test_csv_is_the_record(self):
        m = self.new_member("csv")
        self.completed(m.name, ends=-100, hours=12)
        x = self.training(starts=-1, ends=2)
        self.assertStatus(self.lect.patch(f"trainings/{x['slug']}", {"title": '=HYPERLINK("x"), "quoted"'}), 200)
        self.assign(x["slug"], m.name)
        resp = self.assertStatus(m.get(f"users/{m.name}/record.csv"), 200)
        self.assertTrue(resp.header("Content-Type").startswith("text/csv"))
        self.assertIn(f"record-{m.name}.csv", resp.header("Content-Disposition", ""))
        rows = csv_rows(resp)
        self.assertEqual(list(rows[0]), ["slug", "title", "ends_on", "hours", "state", "attended", "lessons"])
        js = m.get(f"users/{m.name}/record").data["trainings"]
        self.assertEqual([r["slug"] for r in rows], [t["slug"] for t in js])
        self.assertEqual(rows[0]["title"], "'" + '=HYPERLINK("x"), "quoted"', "a formula is defused")
        self.assertEqual([(r["ends_on"], float(r["hours"]), r["state"]) for r in rows],
                         [(t["ends_on"], t["hours"], t["state"]) for t in js])
        page = self.assertStatus(m.page(f"/u/{m.name}/record.csv"), 200)
        self.assertEqual(page.body, resp.body)


class Setting(RecordCase):
    def tearDown(self):
        self.assertStatus(self.set_years(5), 200)

    def test_rotation_years_moves_due_dates(self):
        m = self.new_member("yrs")
        self.completed(m.name, ends=-10)
        self.assertEqual(self.admin.get("settings").data["rotation_years"], 5)
        got = self.assertStatus(self.set_years(3), 200).data
        self.assertEqual(got["rotation_years"], 3)
        self.assertIn("registration", got)
        rec = self.record(m, m.name).data
        self.assertEqual((rec["rotation_years"], rec["rotation_due_on"]), (3, plus_years(day(-10), 3)))

    def test_bad_values_change_nothing(self):
        self.assertStatus(self.set_years(4), 200)
        before = self.admin.get("settings").data
        for bad in (0, 11, -1, 2.5, "5", True, None, [5]):
            self.assertError(self.admin.patch("settings", {"rotation_years": bad}), 400)
        self.assertError(self.admin.patch("settings", {"registration": "closed", "rotation_years": 99}), 400,
                         "invalid_rotation_years")
        self.assertError(self.admin.patch("settings", {"registration": "shut", "rotation_years": 3}), 400,
                         "invalid_registration_mode")
        self.assertError(self.admin.patch("settings", {}), 400, "no_setting")
        self.assertEqual(self.admin.get("settings").data, before, "nothing half-written")

    def test_only_admins(self):
        self.assertError(self.lect.patch("settings", {"rotation_years": 3}), 403, "admin_only")
        self.assertError(self.anon().patch("settings", {"rotation_years": 3}), 401)
        self.assertEqual(self.admin.get("settings").data["rotation_years"], 5)

    def test_the_admin_page_sets_it(self):
        html = self.assertHtml(self.admin.page("/admin")).text
        self.assertIn('name="rotation_years"', html)
        r = self.admin.form("/admin/settings", {"rotation_years": "7"}, page="/admin")
        self.assertStatus(r, 303)
        self.assertEqual(self.admin.get("settings").data["rotation_years"], 7)
        self.assertIn('value="7"', self.admin.page("/admin").text)


class LastCompletion(RecordCase):
    """The last completion on the member's row follows every change (kept by triggers)."""

    def last(self, name):
        return self.record(self.admin, name).data["last_completed_on"]

    def test_reopen_remove_and_moved_end(self):
        m = self.new_member("lc")
        a = self.completed(m.name, ends=-300)
        b = self.completed(m.name, ends=-100)
        self.assertEqual(self.last(m.name), day(-100))
        self.act(b["slug"], m.name, "reopen")
        self.assertEqual(self.last(m.name), day(-300))
        self.act(b["slug"], m.name, "complete")
        self.assertEqual(self.last(m.name), day(-100))
        self.assertStatus(self.lect.patch(f"trainings/{a['slug']}", {"ends_on": day(-50)}), 200)
        self.assertEqual(self.last(m.name), day(-50), "a training's end moved later")
        self.act(a["slug"], m.name, "remove")
        self.assertEqual(self.last(m.name), day(-100))
        self.act(b["slug"], m.name, "remove")
        self.assertIsNone(self.last(m.name))
        self.assertEqual(self.record(m, m.name).data["rotation_due_on"], day(0), "due from joining again")


class Activity(RecordCase):
    def test_downloads_and_answers_are_counted(self):
        m = self.new_member("act")
        board = self.assertStatus(self.admin.post("boards", {"slug": unique("b-"), "title": "资料"}), 201).data["board"]
        body, ctype = multipart([field("title", "讲义"), field("description", "d"), field("board", board["slug"]),
                                 file_part(b"notes\n", "notes.txt", "text/plain")])
        mat = self.assertStatus(self.lect.post("materials", body, content_type=ctype), 201).data["material"]
        for _ in range(2):
            self.assertStatus(m.page(f"/materials/{mat['id']}/download"), 200)
        self.assertStatus(self.new_member("y").page(f"/materials/{mat['id']}/download"), 200)
        q = self.assertStatus(self.lect.post("questionnaires", {
            "title": "问卷", "board": board["slug"],
            "questions": [{"kind": "single", "prompt": "有用吗？", "options": ["是", "否"]}]}), 201).data["questionnaire"]
        self.assertStatus(m.post(f"questionnaires/{q['id']}/responses", {"answers": [0]}), 201)
        thread = self.assertStatus(m.post(f"boards/{board['slug']}/threads", {"title": "请教", "body": "怎么办？"}),
                                   201).data["thread"]
        self.assertStatus(m.post(f"threads/{thread['id']}/posts", {"body": "补充"}), 201)
        act = self.record(m, m.name).data["activity"]
        self.assertEqual(act, {"posts": 2, "helpful_received": 0, "materials_downloaded": 1,
                               "questionnaires_answered": 1})
        self.assertEqual(self.record(self.admin, m.name).data["activity"], act)


class Rotation(RecordCase):
    """Members of one region of their own, so that the rest of the suite does not matter."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.never = cls.server.member(unique("rn"), region=cls.region, position="township-head")
        cls.old = cls.server.member(unique("ro"), region=cls.region, position="township-head")
        cls.fresh = cls.server.member(unique("rf"), region=cls.region, position="village-secretary")
        for c in (cls.never, cls.old, cls.fresh):
            c.name = c.get("me").data["user"]["username"]

    def setUp(self):
        if not hasattr(type(self), "trained"):
            self.completed(self.old.name, starts=-6 * 365 - 1, ends=-6 * 365)
            self.completed(self.fresh.name, ends=-30)
            type(self).trained = True

    def report(self, client=None, **query):
        q = "&".join(f"{k}={v}" for k, v in {"region": self.region, **query}.items())
        return (client or self.admin).get(f"reports/rotation?{q}")

    def test_order_figures_and_filters(self):
        got = self.assertStatus(self.report(), 200).data
        names = [x["user"]["username"] for x in got["members"]]
        self.assertEqual(names, [self.never.name, self.old.name, self.fresh.name],
                         "never trained first, then by due day")
        by = {x["user"]["username"]: x for x in got["members"]}
        self.assertEqual(by[self.old.name], {**by[self.old.name], "last_completed_on": day(-6 * 365),
                                             "due_on": plus_years(day(-6 * 365), 5), "overdue": True})
        self.assertEqual((by[self.never.name]["last_completed_on"], by[self.never.name]["due_on"],
                          by[self.never.name]["overdue"]), (None, day(0), True))
        self.assertEqual((by[self.fresh.name]["due_on"], by[self.fresh.name]["overdue"]),
                         (plus_years(day(-30), 5), False))
        self.assertEqual(got["total"], 3)
        late = self.report(overdue=1).data
        self.assertEqual([x["user"]["username"] for x in late["members"]], [self.never.name, self.old.name])
        self.assertEqual(late["total"], 2)
        pos = self.report(position="village-secretary").data
        self.assertEqual([x["user"]["username"] for x in pos["members"]], [self.fresh.name])
        one = self.report(per_page=1, page=2).data
        self.assertEqual(([x["user"]["username"] for x in one["members"]], one["total"], one["pages"]),
                         ([self.old.name], 3, 3))

    def test_the_setting_changes_who_is_overdue(self):
        try:
            self.assertStatus(self.set_years(1), 200)
            late = self.report(overdue=1).data
            self.assertEqual(late["total"], 2, "30 days ago is within one year")
            self.assertEqual(self.report().data["members"][2]["due_on"], plus_years(day(-30), 1))
        finally:
            self.set_years(5)

    def test_csv_holds_every_row(self):
        resp = self.assertStatus(self.admin.get(f"reports/rotation.csv?region={self.region}&per_page=1"), 200)
        rows = csv_rows(resp)
        self.assertEqual(list(rows[0]), ["username", "display_name", "region", "position", "industry",
                                         "last_completed_on", "due_on", "overdue"])
        js = self.report().data["members"]
        self.assertEqual([(r["username"], r["due_on"], r["overdue"], r["last_completed_on"]) for r in rows],
                         [(x["user"]["username"], x["due_on"], "1" if x["overdue"] else "0",
                           x["last_completed_on"] or "") for x in js])
        self.assertEqual({r["region"] for r in rows}, {self.region})

    def test_bad_filters(self):
        self.assertError(self.report(region="atlantis"), 400, "unknown_region")
        self.assertError(self.report(position="emperor"), 400, "unknown_position")
        self.assertError(self.report(industry="piracy"), 400, "unknown_industry")
        self.assertError(self.report(overdue="yes"), 400)
        self.assertError(self.admin.get("reports/rotation.csv?region=atlantis"), 400, "unknown_region")

    def test_admins_only(self):
        for c in (self.lect, self.smod, self.never):
            self.assertError(self.report(c), 403, "admin_only")
            self.assertError(c.get("reports/rotation.csv"), 403, "admin_only")
        self.assertError(self.report(self.anon()), 401)
        self.assertError(self.anon().get("reports/rotation.csv"), 401)

    def test_the_page_shows_names(self):
        html = self.assertHtml(self.admin.page(f"/reports/rotation?region={self.region}&overdue=1")).text
        self.assertIn("测试市" + self.region, html)
        self.assertIn(POSITION_NAME, html)
        self.assertNotIn(">township-head<", html)
        self.assertIn(f'href="/u/{self.old.name}/record"', html)
        self.assertNotIn(f'href="/u/{self.fresh.name}/record"', html, "the overdue filter applies")
        self.assertIn(f"/reports/rotation.csv?region={self.region}", html)
        self.assertStatus(self.lect.page("/reports/rotation"), 403)


class Assign(RecordCase):
    def test_overdue_of_the_audience_in_one_step(self):
        region = unique("ra-")
        self.assertStatus(self.admin.put(f"taxonomy/region/{region}", {"name": "乙" + region}), 200)
        never = [self.new_member("an", region=region) for _ in range(2)]
        fresh = self.new_member("af", region=region)
        old = self.new_member("ao", region=region)
        outside = self.new_member("ax")
        self.completed(fresh.name, ends=-10)
        self.completed(old.name, starts=-2200, ends=-2199)
        x = self.training(starts=20, ends=22, capacity=2,
                          audience={"regions": [region], "industries": [], "positions": []})
        r = self.lect.post(f"trainings/{x['slug']}/trainees", {"overdue": True, "audience": True})
        got = self.assertStatus(r, 201).data
        self.assertEqual((got["enrolled"], got["pending"]), (2, 1), "capacity 2: the third waits")
        trainees = self.lect.get(f"trainings/{x['slug']}/trainees").data["trainees"]
        names = {t["user"]["username"] for t in trainees}
        self.assertEqual(names, {never[0].name, never[1].name, old.name})
        self.assertNotIn(fresh.name, names)
        self.assertNotIn(outside.name, names)
        again = self.assertStatus(self.lect.post(f"trainings/{x['slug']}/trainees", {"overdue": True}), 201).data
        self.assertEqual((again["enrolled"], again["pending"]), (0, 0), "nobody twice")

    def test_bad_input_and_rights(self):
        x = self.training(starts=20, ends=22)
        self.assertError(self.lect.post(f"trainings/{x['slug']}/trainees", {"overdue": "yes"}), 400)
        self.assertError(self.lect2.post(f"trainings/{x['slug']}/trainees", {"overdue": True}), 403)
        self.assertEqual(self.lect.get(f"trainings/{x['slug']}/trainees").data["trainees"], [])

    def test_from_the_rotation_page(self):
        region = unique("rp-")
        self.assertStatus(self.admin.put(f"taxonomy/region/{region}", {"name": "丙" + region}), 200)
        m = self.new_member("pp", region=region)
        x = self.training(self.admin, starts=20, ends=22,
                          audience={"regions": [region], "industries": [], "positions": []})
        html = self.assertHtml(self.admin.page("/reports/rotation")).text
        self.assertIn(f'action="/trainings/{x["slug"]}/trainees"', html)
        r = self.admin.form(f"/trainings/{x['slug']}/trainees", {"assign": "1", "overdue": "1"},
                            page="/reports/rotation")
        self.assertStatus(r, 303)
        names = [t["user"]["username"] for t in self.admin.get(f"trainings/{x['slug']}/trainees").data["trainees"]]
        self.assertEqual(names, [m.name])


class Page(RecordCase):
    def test_record_page_in_both_languages(self):
        m = self.new_member("page", display_name=lambda n: "王" + n)
        x = self.completed(m.name, ends=-30, hours=12)
        html = self.assertHtml(m.page(f"/u/{m.name}/record")).text
        self.assertIn(x["title"], html)
        self.assertIn(day(-30), html)
        self.assertIn(f'href="/u/{m.name}/record.csv"', html)
        self.assertIn("Learning record of 王" + m.name, html)
        zh = self.assertHtml(m.page(f"/u/{m.name}/record", headers={"Accept-Language": "zh-CN"})).text
        self.assertIn("王" + m.name + "的学习档案", zh)
        self.assertIn("已完成", zh)
        self.assertIn("签字", zh)
        self.assertStatus(self.new_member("z").page(f"/u/{m.name}/record"), 404)
        part = self.assertHtml(self.lect.page(f"/u/{m.name}/record")).text
        self.assertIn("only the trainings you organise", part)


class Demo(ServerTestCase):
    demo = True

    def test_the_demo_has_records_and_an_overdue_member(self):
        password = re.search(r"password[: ]+([^\s):]+)", "\n".join(self.server.stdout_lines)).group(1)
        admin = self.server.client()
        admin.login("admin", password)
        rec = self.assertStatus(admin.get("users/zhangwei/record"), 200).data
        done = [t for t in rec["trainings"] if t["state"] == "completed"]
        self.assertEqual(len(done), 2)
        self.assertTrue(all(t["attended"] == t["lessons"] > 0 for t in done))
        late = admin.get("reports/rotation?overdue=1").data["members"]
        chenjing = next(m for m in late if m["user"]["username"] == "chenjing")
        self.assertIsNotNone(chenjing["last_completed_on"], "overdue after a completion long ago")
        self.assertLess(chenjing["due_on"], day(0))
