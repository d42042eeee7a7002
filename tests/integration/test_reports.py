"""The training report (API.md "Learning records and reports"; issue 13): every figure of a
training and of the breakdowns recomputed from the trainees, lessons, attendance, ratings and
follow-up answers the test itself made; the period and its edges; the CSVs parsed with Python's
csv; bad input; who may read it; the page with its charts; and `agorad seed --trainings`."""

import datetime
import time

from agora_harness import ServerTestCase, csv_rows, run_cli, unique, wait_for

CN = datetime.timezone(datetime.timedelta(hours=8))


def this_year():
    return datetime.datetime.now(CN).year




class ReportCase(ServerTestCase):
    env = {"AGORA_NOW": str(int(time.time()))}  # the scheduler opens past waves at once

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_staff("repadmin")
        cls.region = unique("rr-")
        cls.expect(cls.admin.put(f"taxonomy/region/{cls.region}", {"name": "报表市" + cls.region}), 200)

    def training(self, starts, ends, hours=24, **fields):
        body = {"slug": unique("rep-"), "title": "报表培训 " + unique("t"), "starts_on": starts, "ends_on": ends,
                "hours": hours, "enrolment": "assigned", **fields}
        return self.assertStatus(self.lect.post("trainings", body), 201).data["training"]

    def lesson(self, x, at):
        r = self.lect.post(f"trainings/{x['slug']}/lessons", {"title": "课", "starts_at": at, "minutes": 60,
                                                               "lecturer": "lect2"})
        return self.assertStatus(r, 201).data["lesson"]["id"]

    def report(self, client=None, **query):
        q = "&".join(f"{k}={v}" for k, v in query.items())
        return (client or self.admin).get("reports/trainings" + (f"?{q}" if q else ""))


class Figures(ReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.m = {}
        for name, pos in (("a", "township-head"), ("b", "township-head"), ("c", "village-secretary"), ("d", None)):
            fields = {"region": cls.region}
            if pos:
                fields["position"] = pos
            cls.m[name] = cls.server.member(unique("rp" + name), **fields)
            cls.m[name].name = cls.m[name].get("me").data["user"]["username"]

    def setUp(self):
        if hasattr(type(self), "x"):
            return
        n = {k: c.name for k, c in self.m.items()}
        x = self.training("2012-03-01", "2012-03-03", hours=24, capacity=3)
        got = self.assertStatus(self.lect.post(f"trainings/{x['slug']}/trainees",
                                               {"usernames": [n["a"], n["b"], n["c"], n["d"]]}), 201).data
        self.assertEqual((got["enrolled"], got["pending"]), (3, 1))
        l1, l2 = self.lesson(x, "2012-03-01T01:00:00Z"), self.lesson(x, "2012-03-02T01:00:00Z")
        for lesson, who in ((l1, ["a", "b", "c"]), (l2, ["a", "b"])):
            r = self.lect.post(f"lessons/{lesson}/attendance", {"present": [n[k] for k in who]})
            self.assertStatus(r, 200)
        for who, lesson, score in (("a", l1, 5), ("b", l1, 3), ("a", l2, 4)):
            self.assertStatus(self.m[who].post(f"lessons/{lesson}/rating", {"score": score}), (200, 201))
        q = self.assertStatus(self.lect.post("questionnaires", {
            "title": "跟踪", "board": x["board"],
            "questions": [{"kind": "rating", "prompt": "有帮助吗？"}]}), 201).data["questionnaire"]
        path = f"trainings/{x['slug']}/followups"
        self.assertStatus(self.lect.post(path, {"questionnaire": q["id"], "opens_after_days": 10,
                                                "respondents": "trainees"}), 201)
        wait_for("the wave of a past training to open",
                 lambda: all(w["questionnaire"] for w in self.lect.get(path).data["followups"]))
        wave = self.lect.get(path).data["followups"][0]["questionnaire"]
        self.assertStatus(self.m["a"].post(f"questionnaires/{wave}/responses", {"answers": [4]}), 201)
        type(self).x = x

    def test_every_figure_is_what_the_rows_say(self):
        got = self.assertStatus(self.report(**{"from": "2012-01-01", "to": "2012-12-31"}), 200).data
        self.assertEqual((got["from"], got["to"]), ("2012-01-01", "2012-12-31"))
        [t] = got["trainings"]
        self.assertEqual(t["slug"], self.x["slug"])
        self.assertEqual((t["trainees"], t["completed"], t["lessons"]), (3, 2, 2),
                         "the pending one is no trainee; a and b, present at both lessons, are completed")
        self.assertAlmostEqual(t["completion_rate"], 2 / 3)
        self.assertAlmostEqual(t["attendance_rate"], 5 / 6, msg="5 presences of 3 trainees at 2 lessons")
        self.assertAlmostEqual(t["lesson_rating"], (5 + 3 + 4) / 3)
        self.assertEqual(t["ratings"], 3)
        self.assertEqual((t["invited"], t["answered"]), (3, 1))
        self.assertAlmostEqual(t["followup_response_rate"], 1 / 3)
        self.assertEqual(got["by_region"], [{"region": self.region, "name": "报表市" + self.region,
                                             "trainees": 3, "completed": 2, "hours": 48}])
        self.assertEqual(got["by_position"], [
            {"position": "township-head", "name": "乡镇长", "trainees": 2, "completed": 2, "hours": 48},
            {"position": "village-secretary", "name": "村党组织书记", "trainees": 1, "completed": 0, "hours": 0}])
        self.assertEqual(got["by_industry"], [{"industry": None, "name": None, "trainees": 3, "completed": 2,
                                               "hours": 48}])
        self.assertEqual(got["totals"], {"trainings": 1, "trainees": 3, "completed": 2, "hours": 48})

    def test_csv_holds_the_same_figures(self):
        js = self.report(**{"from": "2012-01-01", "to": "2012-12-31"}).data
        rows = csv_rows(self.assertStatus(self.admin.get("reports/trainings.csv?from=2012-01-01&to=2012-12-31"), 200))
        self.assertEqual(list(rows[0]), ["slug", "title", "starts_on", "ends_on", "hours", "lessons", "trainees",
                                         "completed", "attendance_rate", "lesson_rating", "followup_response_rate"])
        [r], [t] = rows, js["trainings"]
        self.assertEqual((r["slug"], r["title"], int(r["trainees"]), int(r["completed"])),
                         (t["slug"], t["title"], t["trainees"], t["completed"]))
        self.assertAlmostEqual(float(r["attendance_rate"]), t["attendance_rate"], places=4)
        self.assertAlmostEqual(float(r["lesson_rating"]), t["lesson_rating"], places=2)
        self.assertAlmostEqual(float(r["followup_response_rate"]), t["followup_response_rate"], places=4)
        by = csv_rows(self.admin.get("reports/trainings.csv?from=2012-01-01&to=2012-12-31&by=position"))
        self.assertEqual([(x["position"], x["name"], x["trainees"], x["completed"], x["hours"]) for x in by],
                         [("township-head", "乡镇长", "2", "2", "48"), ("village-secretary", "村党组织书记", "1", "0", "0")])
        self.assertError(self.admin.get("reports/trainings.csv?by=planet"), 400, "invalid_by")

    def test_the_page_draws_the_figures_with_names(self):
        html = self.assertHtml(self.admin.page("/reports?from=2012-01-01&to=2012-12-31")).text
        self.assertEqual(html.count('<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img"'), 5)
        self.assertIn(f"<title>{self.x['title']}: 67% · 2/3</title>", html)
        self.assertIn(f"<title>{self.x['title']}: 83%</title>", html)
        self.assertIn("报表市" + self.region, html)
        self.assertIn("乡镇长", html)
        self.assertNotIn(">township-head<", html)
        self.assertIn("4.0", html)
        self.assertIn('href="/reports/trainings.csv?from=2012-01-01&amp;to=2012-12-31&amp;by=region"', html)
        zh = self.assertHtml(self.admin.page("/reports?from=2012-01-01&to=2012-12-31",
                                             headers={"Accept-Language": "zh-CN"})).text
        self.assertIn("各培训班结业率", zh)
        self.assertIn("出勤率", zh)


class Period(ReportCase):
    def test_overlap_edges_and_defaults(self):
        inside = [self.training("2013-05-20", "2013-06-01"), self.training("2013-06-30", "2013-07-02"),
                  self.training("2013-06-10", "2013-06-11")]
        outside = [self.training("2013-05-01", "2013-05-31"), self.training("2013-07-01", "2013-07-05")]
        got = self.report(**{"from": "2013-06-01", "to": "2013-06-30"}).data
        self.assertEqual([t["slug"] for t in got["trainings"]], [x["slug"] for x in inside[:1] + inside[2:] + inside[1:2]],
                         "overlapping trainings by start day")
        self.assertTrue(all(x["slug"] not in str(got) for x in outside))
        self.assertEqual(got["totals"]["trainings"], 3)
        year = self.report(**{"from": "2013-03-01"}).data
        self.assertEqual((year["from"], year["to"]), ("2013-03-01", "2013-12-31"))
        self.assertEqual(year["totals"]["trainings"], 5)
        now = this_year()
        default = self.report().data
        self.assertEqual((default["from"], default["to"]), (f"{now}-01-01", f"{now}-12-31"))
        self.assertTrue(all(t["starts_on"] <= f"{now}-12-31" and t["ends_on"] >= f"{now}-01-01"
                            for t in default["trainings"]))
        self.assertTrue(all(x["slug"] not in str(default) for x in inside + outside))
        page = self.report(**{"from": "2013-01-01", "to": "2013-12-31", "per_page": 2, "page": 3}).data
        self.assertEqual((len(page["trainings"]), page["total"], page["pages"]), (1, 5, 3))
        rows = csv_rows(self.admin.get("reports/trainings.csv?from=2013-01-01&to=2013-12-31&per_page=1"))
        self.assertEqual(len(rows), 5, "the CSV holds every training of the period, not one page")

    def test_bad_periods(self):
        for query, code in (({"from": "2013-02-30"}, "invalid_from"), ({"to": "13-01-01"}, "invalid_to"),
                            ({"from": "2013-06-02", "to": "2013-06-01"}, "invalid_period"),
                            ({"from": "yesterday"}, "invalid_from")):
            self.assertError(self.report(**query), 400, code)
            q = "&".join(f"{k}={v}" for k, v in query.items())
            self.assertError(self.admin.get(f"reports/trainings.csv?{q}"), 400, code)

    def test_a_training_without_trainees_has_no_rates(self):
        x = self.training("2014-01-01", "2014-01-02")
        [t] = self.report(**{"from": "2014-01-01", "to": "2014-01-31"}).data["trainings"]
        self.assertEqual(t["slug"], x["slug"])
        self.assertEqual((t["trainees"], t["completion_rate"], t["attendance_rate"], t["lesson_rating"],
                          t["followup_response_rate"]), (0, None, None, None, None))

    def test_lessons_to_come_do_not_count_against_attendance(self):
        today = datetime.datetime.now(CN).date()
        # From yesterday: half an hour ago is yesterday in China between 00:00 and 00:30.
        x = self.training((today - datetime.timedelta(days=1)).isoformat(),
                          (today + datetime.timedelta(days=20)).isoformat())
        m = self.new_member("soon")
        self.assertStatus(self.lect.post(f"trainings/{x['slug']}/trainees", {"usernames": [m.name]}), 201)
        past = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
        later = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
        began = self.lesson(x, past)
        self.lesson(x, later)
        self.assertStatus(self.lect.post(f"lessons/{began}/attendance", {"present": [m.name]}), 200)
        [t] = [t for t in self.report().data["trainings"] if t["slug"] == x["slug"]]
        self.assertEqual((t["lessons"], t["attendance_rate"]), (2, 1.0))


class Rights(ReportCase):
    def test_admins_only(self):
        m = self.new_member("rt")
        for c in (self.lect, self.smod, m):
            self.assertError(self.report(c), 403, "admin_only")
            self.assertError(c.get("reports/trainings.csv"), 403, "admin_only")
            self.assertStatus(c.page("/reports"), 403)
        self.assertError(self.report(self.anon()), 401)
        self.assertError(self.anon().get("reports/trainings.csv"), 401)
        self.assertStatus(self.report(), 200)
        self.assertIn('href="/reports"', self.admin.page("/admin").text)


class Seed(ServerTestCase):
    """`agorad seed --trainings` makes data whose report adds up."""

    @classmethod
    def setUpClass(cls):
        cls.server = None

    def test_seeded_trainings_report_consistent_figures(self):
        from agora_harness import Server
        srv = Server()
        self.addCleanup(srv.cleanup)
        p = run_cli("seed", "--data", srv.data_dir, "--threads", "1", "--posts", "1", "--members", "200",
                    "--trainings", "12", timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("12 trainings", p.stdout)
        srv.start()
        admin = srv.admin("seedadmin")
        now = this_year()
        got = self.assertStatus(admin.get(f"reports/trainings?from={now - 6}-01-01&to={now + 1}-12-31&per_page=50"),
                                200).data
        self.assertEqual(got["total"], 12)
        trainings = got["trainings"]
        self.assertEqual(sum(t["trainees"] for t in trainings), got["totals"]["trainees"])
        self.assertEqual(sum(g["trainees"] for g in got["by_position"]), got["totals"]["trainees"])
        self.assertEqual(sum(t["completed"] for t in trainings), got["totals"]["completed"])
        self.assertAlmostEqual(sum(t["completed"] * t["hours"] for t in trainings), got["totals"]["hours"])
        ended = [t for t in trainings if t["ends_on"] < datetime.datetime.now(CN).date().isoformat()]
        self.assertTrue(ended and all(t["attendance_rate"] is not None and 0.5 < t["attendance_rate"] <= 1 for t in ended))
        self.assertTrue(any(t["followup_response_rate"] for t in ended), "some waves were answered")
