"""Follow-ups of trainings (API.md "Trainings" → "Follow-ups"; issue 10): creating waves and
every refusal, the list and the training's `followups`, raters named by trainees, a wave that
opens on its day and reminds once with nobody visiting (restarts with AGORA_NOW), the copy of
the template on the training's board, invitations and notifications exactly once, raters who
see the wave's questionnaire without being members of the board and answer once about each of
their trainees, raters' answers shown only as summaries of at least 3 (results, CSV, effect),
waves that move with the training's dates, and the effect API and page."""

import datetime
import time

from agora_harness import ServerTestCase, db, restart, unique, wait_for

CN = datetime.timezone(datetime.timedelta(hours=8))  # the site's default time zone
DAY = 86400
QUESTIONS = [
    {"kind": "rating", "prompt": "How well do you lead village meetings?"},
    {"kind": "single", "prompt": "How often do you use the new method?", "options": ["never", "sometimes", "often"]},
    {"kind": "text", "prompt": "What changed?"},
]
FOLLOWUP_KEYS = {"id", "questionnaire", "template", "opens_on", "respondents", "invited", "answered",
                 "response_rate"}


def day(offset=0, now=None):
    t = datetime.datetime.fromtimestamp(now or time.time(), CN) + datetime.timedelta(days=offset)
    return t.strftime("%Y-%m-%d")


def midnight(d):
    """The Unix time a YYYY-MM-DD day starts in the site's time zone."""
    return int(datetime.datetime.strptime(d, "%Y-%m-%d").replace(tzinfo=CN).timestamp())


class FollowupCase(ServerTestCase):
    env = {"AGORA_NOW": str(int(time.time()))}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_staff("fuadmin")
        cls.add_members("alice", "bob", "carol", "rita", "ravi", "rosa", "outsider")

    def training(self, **fields):
        body = {"slug": unique("fu-"), "title": "基层治理培训", "starts_on": day(-1), "ends_on": day(1),
                "hours": 16, "enrolment": "assigned", **fields}
        x = self.assertStatus(self.lect.post("trainings", body), 201).data["training"]
        self.assertStatus(self.lect.post(f"trainings/{x['slug']}/trainees", {"usernames": ["alice", "bob"]}), 201)
        return x

    def template(self, x, client=None):
        body = {"title": "Follow-up", "board": x["board"], "questions": QUESTIONS}
        return self.assertStatus((client or self.lect).post("questionnaires", body), 201).data["questionnaire"]

    def followup(self, x, **fields):
        body = {"questionnaire": self.template(x)["id"], "opens_after_days": 30, "respondents": "trainees", **fields}
        return self.lect.post(f"trainings/{x['slug']}/followups", body)

    def job(self, kind, key):
        with db(self.server) as conn:
            return conn.execute("SELECT due_at, state, runs FROM jobs WHERE kind=? AND key=?",
                                (kind, str(key))).fetchone()

    def count(self, sql, *args):
        with db(self.server) as conn:
            return conn.execute(sql, args).fetchone()[0]


class Create(FollowupCase):
    def test_create_list_and_the_training_shows_them_to_organisers(self):
        x = self.training()
        f = self.assertStatus(self.followup(x, remind_after_days=3), 201).data["followup"]
        self.assertLessEqual(FOLLOWUP_KEYS, set(f))
        self.assertEqual((f["questionnaire"], f["respondents"], f["invited"], f["answered"], f["response_rate"]),
                         (None, "trainees", 0, 0, None))
        self.assertEqual(f["opens_on"], day(31))
        self.assertEqual(f["remind_after_days"], 3)
        job = self.job("trainings.followup_open", f["id"])
        self.assertEqual((job["due_at"], job["state"]), (midnight(day(31)), "due"), "scheduled with the wave")
        base = self.assertStatus(self.followup(x, opens_after_days=-7, respondents="raters"), 201).data["followup"]
        self.assertEqual(base["opens_on"], day(-8), "a baseline: before starts_on")
        self.assertEqual(base["remind_after_days"], 7, "the default")
        listed = self.assertStatus(self.lect.get(f"trainings/{x['slug']}/followups"), 200).data["followups"]
        self.assertEqual([w["id"] for w in listed], [f["id"], base["id"]])
        got = self.assertStatus(self.lect.get(f"trainings/{x['slug']}"), 200).data
        self.assertEqual([w["id"] for w in got["followups"]], [f["id"], base["id"]])
        self.assertEqual(self.admin.get(f"trainings/{x['slug']}").data["followups"][0]["id"], f["id"])
        for c in (self.alice, self.outsider, self.anon()):
            self.assertFalse(c.get(f"trainings/{x['slug']}").data.get("followups"), "organisers only")

    def test_every_refusal_writes_nothing(self):
        x = self.training()
        t = self.template(x)["id"]
        elsewhere = self.template(self.training())["id"]  # another training's board: lect sees it
        other = self.assertStatus(self.lect2.post("trainings", {
            "slug": unique("fu-"), "title": "Other", "starts_on": day(), "ends_on": day(1), "hours": 2,
            "enrolment": "open"}), 201).data["training"]
        unseen = self.template(other, self.lect2)["id"]  # lect does not see that board
        path = f"trainings/{x['slug']}/followups"
        ok = {"questionnaire": t, "opens_after_days": 30, "respondents": "trainees"}
        # the follow-ups' own jobs: the scheduler's recurring ones may be (re)armed meanwhile,
        # as they were once under ASan's slow start
        before = (self.count("SELECT count(*) FROM followups"),
                 self.count("SELECT count(*) FROM jobs WHERE kind LIKE 'trainings.followup%'"))
        self.assertError(self.anon().post(path, ok), 401)
        self.assertError(self.alice.post(path, ok), 403, "organisers_only")
        self.assertError(self.lect2.post(path, ok), 403, "organisers_only")
        self.assertError(self.lect.post(f"trainings/{unique('nope-')}/followups", ok), 404, "training_not_found")
        for bad, code in [({"questionnaire": None}, "unknown_questionnaire"),
                          ({"questionnaire": 999999}, "unknown_questionnaire"),
                          ({"questionnaire": unseen}, "unknown_questionnaire"),
                          ({"opens_after_days": None}, "invalid_opens_after_days"),
                          ({"opens_after_days": 4000}, "invalid_opens_after_days"),
                          ({"opens_after_days": -4000}, "invalid_opens_after_days"),
                          ({"respondents": None}, "invalid_respondents"),
                          ({"respondents": "everyone"}, "invalid_respondents"),
                          ({"remind_after_days": 0}, "invalid_remind_after_days"),
                          ({"remind_after_days": 400}, "invalid_remind_after_days"),
                          ({"opens_after_days": "30"}, None), ({"respondents": 1}, None)]:
            body = {k: v for k, v in {**ok, **bad}.items() if v is not None}
            self.assertError(self.lect.post(path, body), 400, code)
        self.assertEqual((self.count("SELECT count(*) FROM followups"),
                 self.count("SELECT count(*) FROM jobs WHERE kind LIKE 'trainings.followup%'")),
                         before, "nothing half-written")
        self.assertStatus(self.lect.post(path, {**ok, "questionnaire": elsewhere}), 201)
        self.assertError(self.alice.get(path), 403, "organisers_only")
        self.assertError(self.anon().get(path), 401)

    def test_raters_and_their_refusals(self):
        x = self.training()
        path = f"trainings/{x['slug']}/raters"
        self.assertError(self.anon().post(path, {"usernames": ["rita"]}), 401)
        self.assertError(self.carol.post(path, {"usernames": ["rita"]}), 403, "trainees_only")
        self.assertError(self.lect.post(path, {"usernames": ["rita"]}), 403, "trainees_only")
        self.assertError(self.alice.post(f"trainings/{unique('nope-')}/raters", {"usernames": ["rita"]}), 404)
        for bad, code in [({}, "invalid_usernames"), ({"usernames": []}, "invalid_usernames"),
                          ({"usernames": ["rita", "ravi", "rosa", "carol", "bob", "outsider"]}, "too_many_raters"),
                          ({"usernames": ["rita", unique("ghost")]}, "unknown_user"),
                          ({"usernames": ["rita", "alice"]}, "self_rater"),
                          ({"usernames": "rita"}, None), ({"usernames": [1]}, None)]:
            self.assertError(self.alice.post(path, bad), 400, code)
        self.assertEqual(self.count("SELECT count(*) FROM training_raters WHERE training_id=?", x["id"]), 0)
        r = self.assertStatus(self.alice.post(path, {"usernames": ["rita", "ravi", "rita"]}), 201)
        self.assertEqual(r.data["raters"], ["rita", "ravi", "rita"])
        self.assertEqual(self.count("SELECT count(*) FROM training_raters WHERE training_id=?", x["id"]), 2)
        self.assertStatus(self.alice.post(path, {"usernames": ["rosa"]}), 201)
        self.assertEqual(self.count("SELECT count(*) FROM training_raters WHERE training_id=?", x["id"]), 1,
                         "the list is replaced")

    def test_a_wave_moves_with_the_dates(self):
        x = self.training()
        f = self.assertStatus(self.followup(x, opens_after_days=10), 201).data["followup"]
        b = self.assertStatus(self.followup(x, opens_after_days=-2), 201).data["followup"]
        self.assertStatus(self.lect.patch(f"trainings/{x['slug']}", {"starts_on": day(2), "ends_on": day(4)}), 200)
        self.assertEqual(self.job("trainings.followup_open", f["id"])["due_at"], midnight(day(14)))
        self.assertEqual(self.job("trainings.followup_open", b["id"])["due_at"], midnight(day(0)))
        got = self.lect.get(f"trainings/{x['slug']}/followups").data["followups"]
        self.assertEqual([w["opens_on"] for w in got], [day(14), day(0)])
        # a refused change of dates moves nothing
        self.assertError(self.lect.patch(f"trainings/{x['slug']}", {"ends_on": day(-30)}), 400)
        self.assertEqual(self.job("trainings.followup_open", f["id"])["due_at"], midnight(day(14)))


class WavesOnTime(FollowupCase):
    """Two waves of one training open two days after it ends, with nobody visiting: one to the
    trainees, one to the raters they named. Time moves by restarting agorad (AGORA_NOW)."""

    def notes(self, client, what=None):
        got = client.get("notifications").data["notifications"]
        return [n for n in got if n["kind"] == "followup" and (what is None or n.get("what") == what)]

    def test_the_life_of_two_waves(self):
        t0 = int(time.time())
        x = self.training()
        slug = x["slug"]
        self.assertStatus(self.alice.post(f"trainings/{slug}/raters", {"usernames": ["rita", "ravi", "rosa"]}), 201)
        self.assertStatus(self.bob.post(f"trainings/{slug}/raters", {"usernames": ["rita", "rosa"]}), 201)
        fa = self.assertStatus(self.followup(x, opens_after_days=2, remind_after_days=3), 201).data["followup"]
        fb = self.assertStatus(self.followup(x, opens_after_days=2, respondents="raters"), 201).data["followup"]
        restart(self.server, t0 + 3600)
        time.sleep(1.5)
        self.assertIsNone(self.lect.get(f"trainings/{slug}/followups").data["followups"][0]["questionnaire"])

        t1 = midnight(day(3, t0)) + 60  # the day the waves open: the server's clock from here
        restart(self.server, t1)
        opened = lambda: all(w["questionnaire"] for w in self.lect.get(f"trainings/{slug}/followups").data["followups"])
        wait_for("the waves to open", opened)
        waves = {w["id"]: w for w in self.lect.get(f"trainings/{slug}/followups").data["followups"]}
        wa, wb = waves[fa["id"]], waves[fb["id"]]
        self.assertEqual((wa["invited"], wb["invited"]), (2, 5), "alice, bob; rita and rosa twice, ravi")
        qa = self.assertStatus(self.alice.get(f"questionnaires/{wa['questionnaire']}"), 200).data["questionnaire"]
        self.assertEqual((qa["board"], qa["questions"], qa["title"]), (x["board"], QUESTIONS, "Follow-up"))
        self.assertNotEqual(wa["questionnaire"], fa["template"], "a copy of the template")
        for c in (self.alice, self.bob, self.rita, self.ravi, self.rosa):
            self.assertEqual([n["what"] for n in self.notes(c)], ["opened"], "once each, rita too")
        self.assertEqual(self.notes(self.alice)[0]["questionnaire_id"], wa["questionnaire"])
        self.assertEqual(self.notes(self.rita)[0]["questionnaire_id"], wb["questionnaire"])
        self.assertEqual(self.notes(self.carol), [])
        self.assertIn(f'<a href="/q/{wb["questionnaire"]}">', self.rita.page("/notifications").text)
        self.assertEqual(self.job("trainings.followup_open", fa["id"])["state"], "done")

        self.answer_and_refusals(slug, wa, wb)
        self.summaries_only(slug, wb)

        restart(self.server, t1 + 3 * DAY + 3600)  # the trainees' wave reminds after 3 days
        wait_for("bob's reminder", lambda: self.notes(self.bob, "reminder"))
        self.assertEqual(self.notes(self.alice, "reminder"), [], "alice answered")
        restart(self.server, t1 + 8 * DAY)  # the raters' wave reminds after 7 days
        wait_for("the raters' reminder", lambda: self.job("trainings.followup_remind", fb["id"])["state"] == "done")
        self.assertEqual(len(self.notes(self.rosa, "reminder")), 1, "rosa has not answered about bob")
        self.assertEqual(self.notes(self.ravi, "reminder"), [], "ravi answered")
        restart(self.server, t1 + 20 * DAY)
        time.sleep(1.5)
        for c in (self.alice, self.bob, self.rita, self.ravi, self.rosa):
            self.assertEqual(len(self.notes(c, "opened")), 1, "opened exactly once across restarts")
        self.assertEqual(len(self.notes(self.bob, "reminder")), 1, "reminded exactly once")
        self.assertEqual(self.lect.get(f"trainings/{slug}/followups").data["followups"][0]["invited"], 2)

    def answer_and_refusals(self, slug, wa, wb):
        qa, qb = wa["questionnaire"], wb["questionnaire"]
        ans = {"answers": [4, 2, "I chair meetings with an agenda now"]}
        # the trainees' wave: the invited trainees, once, about nobody
        self.assertError(self.alice.post(f"questionnaires/{qa}/responses", {**ans, "about": "bob"}), 400,
                         "about_not_applicable")
        self.assertStatus(self.alice.post(f"questionnaires/{qa}/responses", ans), 201)
        self.assertError(self.alice.post(f"questionnaires/{qa}/responses", ans), 409, "already_answered")
        self.assertError(self.lect.post(f"questionnaires/{qa}/responses", ans), 403, "not_invited")
        self.assertError(self.rita.get(f"questionnaires/{qa}"), 404, "questionnaire_not_found")
        # the raters' wave: raters see it (not members of the board) and are told about whom
        for c in (self.carol, self.outsider, self.anon()):
            self.assertStatus(c.get(f"questionnaires/{qb}"), 404)
        self.assertError(self.carol.post(f"questionnaires/{qb}/responses", {**ans, "about": "alice"}), 404)
        self.assertStatus(self.rita.get(f"boards/{self.lect.get(f'trainings/{slug}').data['training']['board']}"), 404)
        q = self.assertStatus(self.rita.get(f"questionnaires/{qb}"), 200).data["questionnaire"]
        self.assertEqual(q["about"], [{"username": "alice", "answered": False}, {"username": "bob", "answered": False}])
        self.assertTrue(q["anonymous"])
        page = self.assertHtml(self.rita.page(f"/q/{qb}"))
        self.assertIn('<select name="about" required><option value="alice">alice</option>'
                      '<option value="bob">bob</option></select>', page.text, "the form asks about whom")
        self.assertError(self.rita.post(f"questionnaires/{qb}/responses", ans), 400, "about_required")
        self.assertError(self.rita.post(f"questionnaires/{qb}/responses", {**ans, "about": "carol"}), 403,
                         "not_your_trainee")
        self.assertError(self.rita.post(f"questionnaires/{qb}/responses", {**ans, "about": unique("ghost")}), 403,
                         "not_your_trainee")
        self.assertError(self.ravi.post(f"questionnaires/{qb}/responses", {**ans, "about": "bob"}), 403,
                         "not_your_trainee")
        self.assertError(self.alice.post(f"questionnaires/{qb}/responses", {**ans, "about": "bob"}), 403,
                         "not_your_trainee")
        self.assertError(self.rita.post(f"questionnaires/{qb}/responses", {"answers": [9, 0, ""], "about": "alice"}),
                         400)
        self.assertStatus(self.rita.post(f"questionnaires/{qb}/responses", {**ans, "about": "alice"}), 201)
        self.assertError(self.rita.post(f"questionnaires/{qb}/responses", {**ans, "about": "alice"}), 409,
                         "already_answered")
        self.assertStatus(self.rita.post(f"questionnaires/{qb}/responses", {**ans, "about": "bob"}), 201)
        q = self.rita.get(f"questionnaires/{qb}").data["questionnaire"]
        self.assertEqual([a["answered"] for a in q["about"]], [True, True])
        self.assertTrue(q["responded"])
        with db(self.server) as conn:
            rows = conn.execute("SELECT respondent_id, created_at FROM responses WHERE questionnaire_id=?",
                                (qb,)).fetchall()
        self.assertEqual([tuple(r) for r in rows], [(None, 0), (None, 0)], "raters' answers keep nobody, no time")

    def summaries_only(self, slug, wb):
        qb = wb["questionnaire"]
        ans = {"answers": [2, 1, "secret remark"], "about": "alice"}
        self.assertStatus(self.ravi.post(f"questionnaires/{qb}/responses", ans), 201)
        # two answers about alice, one about bob: nothing is shown
        res = self.assertStatus(self.lect.get(f"questionnaires/{qb}/results"), 200).data
        self.assertEqual(res["questions"][0]["count"], 0)
        self.assertEqual(res["questions"][2]["texts"], [])
        eff = self.assertStatus(self.lect.get(f"trainings/{slug}/effect"), 200).data["questions"]
        rater_waves = [w for q in eff for w in q["waves"] if w["followup"] == wb["id"]]
        self.assertTrue(rater_waves and all(w["responses"] == 0 and w["withheld"] == 3 for w in rater_waves))
        self.assertError(self.lect.get(f"questionnaires/{qb}/results.csv"), 403, "summary_only")
        self.assertIs(res["can_export"], False, "no CSV of raters' answers is offered")
        self.assertError(self.admin.get(f"questionnaires/{qb}/results.csv"), 404)  # admins do not see the board
        self.assertStatus(self.rosa.post(f"questionnaires/{qb}/responses", ans), 201)
        # three about alice: their summary; bob's one stays out; texts never one by one
        res = self.lect.get(f"questionnaires/{qb}/results").data
        self.assertEqual(res["questions"][0]["count"], 3)
        self.assertEqual(res["questions"][1]["counts"], [0, 2, 1])
        self.assertEqual(res["questions"][2]["texts"], [])
        self.assertNotIn("secret remark", self.lect.page(f"/q/{qb}/results").text)
        eff = self.assertStatus(self.lect.get(f"trainings/{slug}/effect"), 200).data["questions"]
        self.assertEqual([q["prompt"] for q in eff], [QUESTIONS[0]["prompt"], QUESTIONS[1]["prompt"]],
                         "the same questions, text ones left out")
        rating = {w["followup"]: w for w in eff[0]["waves"]}
        self.assertEqual((rating[wb["id"]]["responses"], rating[wb["id"]]["withheld"]), (3, 1))
        self.assertAlmostEqual(rating[wb["id"]]["average"], 8 / 3)
        self.assertEqual(rating[wb["id"]]["opens_on"], wb["opens_on"])
        trainees_wave = [w for w in eff[0]["waves"] if w["followup"] != wb["id"]][0]
        self.assertEqual((trainees_wave["responses"], trainees_wave["average"]), (1, 4.0))
        self.assertEqual(eff[1]["waves"][0]["options"], QUESTIONS[1]["options"])
        # the trainees' wave keeps its ordinary results
        qa = trainees_wave["followup"]
        # who sees the effect
        self.assertStatus(self.admin.get(f"trainings/{slug}/effect"), 200)
        self.assertError(self.alice.get(f"trainings/{slug}/effect"), 403, "organisers_only")
        self.assertError(self.rita.get(f"trainings/{slug}/effect"), 403, "organisers_only")
        self.assertError(self.anon().get(f"trainings/{slug}/effect"), 401)
        self.assertTrue(qa)
        page = self.lect.page(f"/trainings/{slug}/effect")
        self.assertHtml(page)
        self.assertIn('<table class="chart">', page.text)
        self.assertIn(QUESTIONS[0]["prompt"], page.text)
        self.assertRegex(page.text, r'<span class="chart-label">sometimes</span>.*?</th><td class="num">2</td>'
                         r'<td class="num">\d+%</td>', "the numbers as text, in a table")
        self.assertNotIn("secret remark", page.text)
        zh = self.lect.page(f"/trainings/{slug}/effect", headers={"Accept-Language": "zh-CN"})
        self.assertIn("培训成效", zh.text)


class Effect(FollowupCase):
    def test_waves_of_a_past_training_open_at_once_and_line_up_by_day(self):
        x = self.training(starts_on=day(-20), ends_on=day(-10))
        after = self.assertStatus(self.followup(x, opens_after_days=2), 201).data["followup"]
        base = self.assertStatus(self.followup(x, opens_after_days=-3), 201).data["followup"]
        path = f"trainings/{x['slug']}/followups"
        wait_for("past days to open at once",
                 lambda: all(w["questionnaire"] for w in self.lect.get(path).data["followups"]))
        waves = {w["id"]: w for w in self.lect.get(path).data["followups"]}
        for f, score in ((base, 2), (after, 5)):
            q = waves[f["id"]]["questionnaire"]
            self.assertStatus(self.alice.post(f"questionnaires/{q}/responses", {"answers": [score, 0, "x"]}), 201)
        w = self.lect.get(path).data["followups"][0]
        self.assertEqual((w["invited"], w["answered"], w["response_rate"]), (2, 1, 0.5))
        eff = self.assertStatus(self.lect.get(f"trainings/{x['slug']}/effect"), 200).data["questions"]
        self.assertEqual([(v["followup"], v["opens_on"], v["average"]) for v in eff[0]["waves"]],
                         [(base["id"], day(-23), 2.0), (after["id"], day(-8), 5.0)], "the baseline first")
        self.assertEqual(eff[1]["waves"][0]["counts"], [1, 0, 0])
        res = self.assertStatus(self.lect.get(f"questionnaires/{waves[base['id']]['questionnaire']}/results"), 200)
        self.assertEqual(res.data["questions"][2]["texts"], ["x"], "trainees' waves list their texts as usual")
        other = self.assertStatus(self.lect2.post("trainings", {
            "slug": unique("fu-"), "title": "Other", "starts_on": day(), "ends_on": day(1), "hours": 2,
            "enrolment": "open"}), 201).data["training"]
        self.assertError(self.lect.get(f"trainings/{other['slug']}/effect"), 403, "organisers_only")
        self.assertError(self.lect.get(f"trainings/{unique('nope-')}/effect"), 404, "training_not_found")
        self.assertEqual(self.lect2.get(f"trainings/{other['slug']}/effect").data, {"questions": []})

    def test_an_anonymous_wave_shows_no_numbers_before_five_responses(self):
        x = self.training(starts_on=day(-20), ends_on=day(-10))
        t = self.assertStatus(self.lect.post("questionnaires", {"title": "Anonymous follow-up", "board": x["board"],
                                                                "questions": QUESTIONS, "anonymous": True}),
                              201).data["questionnaire"]
        f = self.assertStatus(self.lect.post(f"trainings/{x['slug']}/followups", {
            "questionnaire": t["id"], "opens_after_days": 2, "respondents": "trainees"}), 201).data["followup"]
        path = f"trainings/{x['slug']}/followups"
        wait_for("the wave to open", lambda: self.lect.get(path).data["followups"][0]["questionnaire"])
        q = self.lect.get(path).data["followups"][0]["questionnaire"]
        self.assertStatus(self.alice.post(f"questionnaires/{q}/responses", {"answers": [1, 2, "x"]}), 201)
        eff = self.assertStatus(self.lect.get(f"trainings/{x['slug']}/effect"), 200).data["questions"]
        for question in eff:
            wave = question["waves"][0]
            self.assertEqual((wave["followup"], wave["responses"], wave["too_few"]), (f["id"], 1, 5))
            self.assertNotIn("counts", wave, "one answer of two trainees would show what alice said")
            self.assertNotIn("average", wave)
        page = self.assertHtml(self.lect.page(f"/trainings/{x['slug']}/effect"))
        self.assertNotIn('<table class="chart">', page.text)
        self.assertIn("Results appear after 5 responses", page.text)
