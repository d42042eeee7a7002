"""Trainings (API.md "Round 2 additions" → "Trainings"; issue 10, first part): creating and
changing trainings, the list with when= and for=me, enrolment (open, approval, assigned,
audience, capacity under 64 concurrent enrolments), organisers' actions on trainees, the
trainees list and its CSV, lessons (dates, lecturers, materials, check-in codes shown to whom),
attendance by organisers and by code, ratings, completion by hand and automatic, training
notifications, and the training's board hidden from everyone who does not take part in every
reader (board list, board, thread, search, feed)."""

import csv as csv_module
import datetime
import io
import threading
import time

from agora_harness import RFC3339, ServerTestCase, db, make_thread, restart, unique, wait_for

CN = datetime.timezone(datetime.timedelta(hours=8))  # the site's default time zone


def day(offset=0):
    return (datetime.datetime.now(CN) + datetime.timedelta(days=offset)).strftime("%Y-%m-%d")


def at(seconds_from_now):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds_from_now)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


TRAINING_KEYS = {"slug", "title", "description_html", "starts_on", "ends_on", "hours", "audience", "enrolment",
                 "capacity", "trainee_count", "board", "state", "me"}
LESSON_KEYS = {"id", "training", "title", "description_html", "starts_at", "minutes", "lecturer", "materials",
               "attended"}
TRAINEE_KEYS = {"user", "state", "attended", "lessons", "completed_at"}


class TrainingCase(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_staff("tradmin")
        cls.add_members("alice", "bob", "carol")
        cls.zj = cls.server.member("zjmember", region="zhejiang", position="township-head", industry="agriculture")

    def create(self, client=None, **fields):
        body = {"slug": unique("tr-"), "title": "乡村振兴专题培训", "description": "**Markdown** text",
                "starts_on": day(-1), "ends_on": day(5), "hours": 24, "enrolment": "open", **fields}
        return (client or self.lect).post("trainings", body)

    def make(self, client=None, **fields):
        return self.assertStatus(self.create(client, **fields), 201).data["training"]

    def lesson(self, slug, client=None, **fields):
        body = {"title": "第一课", "starts_at": at(600), "minutes": 90, "lecturer": "lect2", **fields}
        return (client or self.lect).post(f"trainings/{slug}/lessons", body)

    def make_lesson(self, slug, client=None, **fields):
        return self.assertStatus(self.lesson(slug, client, **fields), 201).data["lesson"]

    def enrol(self, client, slug):
        return client.post(f"trainings/{slug}/trainees")


class Create(TrainingCase):
    def test_create_shape_and_creator_organises(self):
        x = self.make(capacity=30, audience={"regions": ["zhejiang"], "industries": [], "positions": []})
        self.assertTrue(TRAINING_KEYS <= set(x), x)
        self.assertEqual(x["state"], "current")
        self.assertEqual(x["me"], {"role": "organiser", "state": None})
        self.assertEqual(x["hours"], 24)
        self.assertEqual(x["capacity"], 30)
        self.assertEqual(x["audience"], {"industries": [], "positions": [], "regions": ["zhejiang"]})
        self.assertIn("<strong>Markdown</strong>", x["description_html"])
        self.assertTrue(x["board"])
        got = self.assertStatus(self.anon().get(f"trainings/{x['slug']}"), 200).data
        self.assertEqual([u["username"] for u in got["organisers"]], ["lect"])
        self.assertNotIn("followups", got)
        self.assertIn("followups", self.lect.get(f"trainings/{x['slug']}").data)
        self.assertEqual(got["training"]["me"], {"role": None, "state": None})

    def test_admin_creates_members_cannot(self):
        self.make(self.admin)
        self.assertError(self.create(self.alice), 403, "lecturers_and_admins_only")
        self.assertError(self.create(self.anon()), 401)

    def test_bad_input_writes_nothing(self):
        cases = [({"starts_on": day(3), "ends_on": day(1)}, "dates_out_of_order"),
                 ({"starts_on": "2026-02-30"}, "invalid_date"), ({"ends_on": "tomorrow"}, "invalid_date"),
                 ({"hours": 0}, "invalid_hours"), ({"hours": -2}, "invalid_hours"),
                 ({"hours": "10"}, "invalid_hours"), ({"enrolment": "lottery"}, "invalid_enrolment"),
                 ({"capacity": 0}, "invalid_capacity"), ({"capacity": "ten"}, "invalid_capacity"),
                 ({"audience": {"regions": ["atlantis"]}}, "unknown_region"),
                 ({"audience": {"industries": ["nope"]}}, "unknown_industry"),
                 ({"title": ""}, "invalid_title"), ({"slug": "Not_A_Slug"}, "invalid_slug")]
        for fields, code in cases:
            with self.subTest(fields=fields):
                slug = fields.pop("slug", unique("bad-"))
                self.assertError(self.create(slug=slug, **fields), 400, code)
                self.assertError(self.anon().get(f"trainings/{slug}"), 404, "training_not_found")
        self.assertError(self.create(audience={"regions": "zhejiang"}), 400)
        self.assertError(self.create(title=5), 400)
        body = {"slug": unique("nohours-"), "title": "t", "starts_on": day(1), "ends_on": day(2)}
        self.assertError(self.lect.post("trainings", body), 400, "invalid_hours")

    def test_slug_taken(self):
        x = self.make()
        self.assertError(self.create(slug=x["slug"]), 409, "slug_taken")

    def test_patch(self):
        x = self.make()
        r = self.assertStatus(self.lect.patch(f"trainings/{x['slug']}", {"title": "新标题", "hours": 12.5,
                                                                        "capacity": None}), 200)
        self.assertEqual(r.data["training"]["title"], "新标题")
        self.assertEqual(r.data["training"]["hours"], 12.5)
        self.assertIsNone(r.data["training"]["capacity"])
        self.assertError(self.lect.patch(f"trainings/{x['slug']}", {"ends_on": day(-3)}), 400, "dates_out_of_order")
        self.assertError(self.lect.patch(f"trainings/{x['slug']}", {"slug": "other"}), 400, "slug_fixed")
        self.assertError(self.alice.patch(f"trainings/{x['slug']}", {"title": "x"}), 403, "organisers_only")
        self.assertError(self.lect2.patch(f"trainings/{x['slug']}", {"title": "x"}), 403, "organisers_only")
        self.assertStatus(self.admin.patch(f"trainings/{x['slug']}", {"title": "admin"}), 200)
        self.assertError(self.lect.patch("trainings/no-such-training", {"title": "x"}), 404, "training_not_found")
        self.make_lesson(x["slug"])
        self.assertError(self.lect.patch(f"trainings/{x['slug']}", {"starts_on": day(3), "ends_on": day(4)}), 400,
                         "lesson_outside_training")

    def test_organisers(self):
        x = self.make()
        self.assertStatus(self.lect.post(f"trainings/{x['slug']}/organisers", {"username": "lect2"}), 201)
        self.assertError(self.lect.post(f"trainings/{x['slug']}/organisers", {"username": "lect2"}), 409,
                         "already_organiser")
        self.assertError(self.lect.post(f"trainings/{x['slug']}/organisers", {"username": "ghost"}), 400,
                         "unknown_user")
        self.assertError(self.alice.post(f"trainings/{x['slug']}/organisers", {"username": "alice"}), 403)
        self.assertStatus(self.lect2.patch(f"trainings/{x['slug']}", {"title": "by lect2"}), 200)


class Listing(TrainingCase):
    def test_when_and_order_and_paging(self):
        up = self.make(starts_on=day(10), ends_on=day(12))
        cur = self.make()
        past = self.make(starts_on=day(-10), ends_on=day(-8))
        data = self.assertStatus(self.anon().get("trainings?per_page=200"), 200).data
        slugs = [t["slug"] for t in data["trainings"]]
        self.assertLess(slugs.index(past["slug"]), slugs.index(cur["slug"]))
        self.assertLess(slugs.index(cur["slug"]), slugs.index(up["slug"]))
        for when, want, not_want in (("upcoming", up, cur), ("current", cur, past), ("past", past, up)):
            s = [t["slug"] for t in self.anon().get(f"trainings?when={when}&per_page=200").data["trainings"]]
            self.assertIn(want["slug"], s)
            self.assertNotIn(not_want["slug"], s)
        s = [t["slug"] for t in self.anon().get("trainings?when=upcoming,past&per_page=200").data["trainings"]]
        self.assertIn(up["slug"], s)
        self.assertNotIn(cur["slug"], s)
        self.assertError(self.anon().get("trainings?when=soon"), 400, "invalid_when")
        paged = self.anon().get("trainings?per_page=1&page=2").data
        self.assertEqual(len(paged["trainings"]), 1)
        self.assertEqual(paged["page"], 2)
        self.assertGreaterEqual(paged["total"], 3)

    def test_for_me(self):
        zj = self.make(audience={"regions": ["zhejiang"], "positions": ["township-head"]})
        other = self.make(audience={"regions": ["beijing"]})
        everyone = self.make()
        mine = [t["slug"] for t in self.zj.get("trainings?for=me&per_page=200").data["trainings"]]
        self.assertIn(zj["slug"], mine)
        self.assertIn(everyone["slug"], mine)
        self.assertNotIn(other["slug"], mine)
        # bob is in no audience with a region list, but takes part in `other` once assigned
        bob_mine = [t["slug"] for t in self.bob.get("trainings?for=me&per_page=200").data["trainings"]]
        self.assertNotIn(other["slug"], bob_mine)
        self.assertStatus(self.lect.post(f"trainings/{other['slug']}/trainees", {"usernames": ["bob"]}), 201)
        bob_mine = [t["slug"] for t in self.bob.get("trainings?for=me&per_page=200").data["trainings"]]
        self.assertIn(other["slug"], bob_mine)
        self.assertError(self.anon().get("trainings?for=me"), 401)


class Enrolment(TrainingCase):
    def test_open_approval_assigned(self):
        x = self.make()
        r = self.assertStatus(self.enrol(self.alice, x["slug"]), 201)
        self.assertEqual(r.data["state"], "enrolled")
        self.assertError(self.enrol(self.alice, x["slug"]), 409, "already_enrolled")
        me = self.alice.get(f"trainings/{x['slug']}").data["training"]["me"]
        self.assertEqual(me, {"role": "trainee", "state": "enrolled"})
        a = self.make(enrolment="approval")
        self.assertStatus(self.enrol(self.alice, a["slug"]), 202)
        self.assertEqual(self.alice.get(f"trainings/{a['slug']}").data["training"]["me"]["state"], "pending")
        s = self.make(enrolment="assigned")
        self.assertError(self.enrol(self.alice, s["slug"]), 403, "enrolment_assigned")
        self.assertError(self.enrol(self.anon(), x["slug"]), 401)
        self.assertError(self.enrol(self.alice, "no-such"), 404, "training_not_found")

    def test_audience_and_ended(self):
        x = self.make(audience={"regions": ["zhejiang"]})
        self.assertError(self.enrol(self.alice, x["slug"]), 403, "outside_audience")
        self.assertStatus(self.enrol(self.zj, x["slug"]), 201)
        past = self.make(starts_on=day(-10), ends_on=day(-8))
        self.assertError(self.enrol(self.alice, past["slug"]), 403, "training_ended")

    def test_full(self):
        x = self.make(capacity=1)
        self.assertStatus(self.enrol(self.alice, x["slug"]), 201)
        self.assertError(self.enrol(self.bob, x["slug"]), 409, "training_full")

    def test_capacity_under_64_concurrent_enrolments(self):
        x = self.make(capacity=10)
        members = [self.new_member("cap") for _ in range(64)]
        for i, c in enumerate(members):  # 64 people, not one client: one address holds 32 connections
            c.source = f"127.0.3.{i + 1}"
        results, barrier = [], threading.Barrier(64)

        def go(c):
            barrier.wait()
            results.append(self.enrol(c, x["slug"]).status)

        threads = [threading.Thread(target=go, args=(c,)) for c in members]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(results.count(201), 10, results)
        self.assertEqual(results.count(409), 54, results)
        self.assertEqual(self.anon().get(f"trainings/{x['slug']}").data["training"]["trainee_count"], 10)

    def test_leave_before_start(self):
        up = self.make(starts_on=day(3), ends_on=day(4))
        self.assertStatus(self.enrol(self.bob, up["slug"]), 201)
        self.assertStatus(self.bob.delete(f"trainings/{up['slug']}/trainees"), 204)
        self.assertError(self.bob.delete(f"trainings/{up['slug']}/trainees"), 404, "not_a_trainee")
        cur = self.make()
        self.assertStatus(self.enrol(self.bob, cur["slug"]), 201)
        self.assertError(self.bob.delete(f"trainings/{cur['slug']}/trainees"), 403, "training_started")

    def test_organisers_assign_usernames_and_audience(self):
        x = self.make(capacity=2, enrolment="assigned", audience={"regions": ["zhejiang"]})
        r = self.assertStatus(self.lect.post(f"trainings/{x['slug']}/trainees", {"usernames": ["alice", "bob", "carol"]}), 201)
        self.assertEqual(r.data, {"enrolled": 2, "pending": 1})
        r = self.assertStatus(self.lect.post(f"trainings/{x['slug']}/trainees", {"usernames": ["alice"]}), 201)
        self.assertEqual(r.data, {"enrolled": 0, "pending": 0})
        r = self.assertStatus(self.lect.post(f"trainings/{x['slug']}/trainees", {"audience": True}), 201)
        self.assertEqual(r.data, {"enrolled": 0, "pending": 1})  # zjmember, waiting for a place
        self.assertError(self.lect.post(f"trainings/{x['slug']}/trainees", {"usernames": ["ghost", "carol"]}), 400,
                         "unknown_user")
        self.assertError(self.lect.post(f"trainings/{x['slug']}/trainees", {"usernames": "alice"}), 400)
        self.assertError(self.alice.post(f"trainings/{x['slug']}/trainees", {"usernames": ["bob"]}), 403,
                         "organisers_only")
        notes = self.alice.get("notifications").data["notifications"]
        self.assertTrue(any(n["kind"] == "training" and n.get("training") == x["slug"] and n["what"] == "enrolled"
                            for n in notes), notes)

    def test_trainee_actions_and_list(self):
        x = self.make(enrolment="approval", capacity=1)
        self.assertStatus(self.enrol(self.alice, x["slug"]), 202)
        self.assertStatus(self.enrol(self.bob, x["slug"]), 202)
        act = lambda name, action, c=None: (c or self.lect).post(f"trainings/{x['slug']}/trainees/{name}",
                                                                 {"action": action})
        t = self.assertStatus(act("alice", "approve"), 200).data["trainee"]
        self.assertTrue(TRAINEE_KEYS <= set(t), t)
        self.assertEqual(t["state"], "enrolled")
        self.assertError(act("bob", "approve"), 409, "training_full")
        self.assertError(act("alice", "approve"), 409, "not_applicable")
        self.assertError(act("alice", "reopen"), 409, "not_applicable")
        t = self.assertStatus(act("alice", "complete"), 200).data["trainee"]
        self.assertEqual(t["state"], "completed")
        self.assertRegex(t["completed_at"], RFC3339)
        self.assertEqual(t["completed_by"], "lect")
        t = self.assertStatus(act("alice", "reopen"), 200).data["trainee"]
        self.assertEqual((t["state"], t["completed_at"]), ("enrolled", None))
        self.assertError(act("alice", "promote"), 400, "invalid_action")
        self.assertError(act("carol", "approve"), 404, "not_a_trainee")
        self.assertError(act("ghost", "approve"), 404, "user_not_found")
        self.assertError(act("bob", "approve", self.alice), 403, "organisers_only")
        notes = self.alice.get("notifications").data["notifications"]
        self.assertTrue(any(n["kind"] == "training" and n["what"] == "approved" for n in notes), notes)
        lst = self.assertStatus(self.lect.get(f"trainings/{x['slug']}/trainees"), 200).data
        self.assertEqual(sorted((t["user"]["username"], t["state"]) for t in lst["trainees"]),
                         [("alice", "enrolled"), ("bob", "pending")])
        self.assertEqual(lst["total"], 2)
        self.assertError(self.alice.get(f"trainings/{x['slug']}/trainees"), 403, "organisers_only")
        self.assertStatus(self.admin.get(f"trainings/{x['slug']}/trainees"), 200)
        csv = self.assertStatus(self.lect.get(f"trainings/{x['slug']}/trainees.csv"), 200)
        self.assertEqual(csv.header("Content-Type"), "text/csv; charset=utf-8")
        self.assertTrue(csv.body.startswith(b"\xef\xbb\xbfusername,"), csv.body[:40])
        rows = list(csv_module.reader(io.StringIO(csv.body.decode("utf-8-sig"))))
        self.assertEqual([r[0] for r in rows], ["username", "alice", "bob"])
        self.assertEqual(rows[1][5], "enrolled")
        self.assertError(self.alice.get(f"trainings/{x['slug']}/trainees.csv"), 403)
        self.assertStatus(act("bob", "remove"), 200)
        self.assertEqual(self.lect.get(f"trainings/{x['slug']}/trainees").data["total"], 1)


class Lessons(TrainingCase):
    def test_create_get_patch_delete_and_who_sees_what(self):
        x = self.make()
        self.assertStatus(self.enrol(self.alice, x["slug"]), 201)
        l = self.make_lesson(x["slug"])
        self.assertTrue(LESSON_KEYS <= set(l), l)
        self.assertRegex(l["checkin_code"], r"^\d{6}$")
        self.assertEqual(l["lecturer"]["username"], "lect2")
        self.assertEqual(l["rating"], {"average": None, "count": 0})
        seen = self.assertStatus(self.alice.get(f"lessons/{l['id']}"), 200).data["lesson"]
        self.assertNotIn("checkin_code", seen)
        self.assertNotIn("rating", seen)
        self.assertFalse(seen["attended"])
        by_lecturer = self.assertStatus(self.lect2.get(f"lessons/{l['id']}"), 200).data["lesson"]
        self.assertEqual(by_lecturer["checkin_code"], l["checkin_code"])
        admin_view = self.assertStatus(self.admin.get(f"lessons/{l['id']}"), 200).data["lesson"]
        self.assertIn("rating", admin_view)
        self.assertNotIn("checkin_code", admin_view)
        self.assertError(self.bob.get(f"lessons/{l['id']}"), 404, "lesson_not_found")
        self.assertError(self.anon().get(f"lessons/{l['id']}"), 404)
        self.assertEqual(self.bob.get(f"trainings/{x['slug']}").data["lessons"], [])
        self.assertEqual(len(self.alice.get(f"trainings/{x['slug']}").data["lessons"]), 1)
        moved = self.assertStatus(self.lect.patch(f"lessons/{l['id']}", {"starts_at": at(7200)}), 200).data["lesson"]
        self.assertNotEqual(moved["starts_at"], l["starts_at"])
        notes = self.alice.get("notifications").data["notifications"]
        self.assertTrue(any(n["kind"] == "training" and n["what"] == "lesson_moved" for n in notes), notes)
        self.assertError(self.alice.patch(f"lessons/{l['id']}", {"title": "x"}), 403, "organisers_only")
        self.assertError(self.alice.delete(f"lessons/{l['id']}"), 403)
        self.assertStatus(self.lect.delete(f"lessons/{l['id']}"), 204)
        self.assertError(self.lect.get(f"lessons/{l['id']}"), 404)

    def test_bad_lessons(self):
        x = self.make()
        cases = [({"starts_at": at(86400 * 30)}, "lesson_outside_training"),
                 ({"starts_at": at(-86400 * 5)}, "lesson_outside_training"),
                 ({"starts_at": "next monday"}, "invalid_starts_at"), ({"starts_at": 5}, "invalid_starts_at"),
                 ({"lecturer": "ghost"}, "unknown_lecturer"), ({"minutes": 0}, "invalid_minutes"),
                 ({"minutes": "90"}, "invalid_minutes"), ({"title": ""}, "invalid_title"),
                 ({"materials": [999999]}, "unknown_material")]
        for fields, code in cases:
            with self.subTest(fields=fields):
                self.assertError(self.lesson(x["slug"], **fields), 400, code)
        self.assertError(self.lesson(x["slug"], materials="1"), 400)
        self.assertEqual(self.lect.get(f"trainings/{x['slug']}").data["lessons"], [])
        self.assertError(self.lesson(x["slug"], self.alice), 403, "organisers_only")
        self.assertError(self.lesson("no-such"), 404, "training_not_found")

    def test_any_member_teaches_and_then_sees_the_board(self):
        x = self.make()
        self.assertError(self.carol.get(f"boards/{x['board']}"), 404)
        self.make_lesson(x["slug"], lecturer="carol")
        self.assertStatus(self.carol.get(f"boards/{x['board']}"), 200)
        self.assertEqual(self.carol.get(f"trainings/{x['slug']}").data["training"]["me"]["role"], "lecturer")


class Attendance(TrainingCase):
    def test_codes_window_and_ratings(self):
        x = self.make()
        self.assertStatus(self.enrol(self.alice, x["slug"]), 201)
        soon = self.make_lesson(x["slug"], starts_at=at(600))
        later = self.make_lesson(x["slug"], starts_at=at(3 * 3600))
        running = self.make_lesson(x["slug"], starts_at=at(-2 * 3600), minutes=180)
        over = self.make_lesson(x["slug"], starts_at=at(-3 * 3600), minutes=60)
        post = lambda l, body, c=None: (c or self.alice).post(f"lessons/{l['id']}/attendance", body)
        self.assertError(post(soon, {"code": "000000" if soon["checkin_code"] != "000000" else "111111"}), 403,
                         "wrong_code")
        r = self.assertStatus(post(soon, {"code": soon["checkin_code"]}), 200)
        self.assertTrue(r.data["lesson"]["attended"])
        self.assertError(post(later, {"code": later["checkin_code"]}), 403, "code_expired")
        self.assertError(post(over, {"code": over["checkin_code"]}), 403, "code_expired")
        self.assertStatus(post(running, {"code": running["checkin_code"]}), 200)
        self.assertError(post(running, {"code": running["checkin_code"]}, self.bob), 404)
        # ratings: attended and started
        rate = lambda l, body, c=None: (c or self.alice).post(f"lessons/{l['id']}/rating", body)
        self.assertError(rate(soon, {"score": 5}), 403, "lesson_not_started")
        self.assertError(rate(over, {"score": 5}), 403, "not_attended")
        self.assertError(rate(running, {"score": 6}), 400, "invalid_score")
        self.assertError(rate(running, {"score": 0}), 400, "invalid_score")
        self.assertError(rate(running, {"score": "5"}), 400)
        self.assertStatus(rate(running, {"score": 4, "comment": "很实用"}), 201)
        self.assertError(rate(running, {"score": 5}), 409, "already_rated")
        got = self.lect.get(f"lessons/{running['id']}").data["lesson"]
        self.assertEqual(got["rating"], {"average": 4.0, "count": 1})
        self.assertNotIn("rating", self.alice.get(f"lessons/{running['id']}").data["lesson"])

    def test_organisers_mark_present(self):
        x = self.make()
        self.assertStatus(self.enrol(self.alice, x["slug"]), 201)
        l = self.make_lesson(x["slug"], starts_at=at(3 * 3600))
        self.assertStatus(self.lect.post(f"lessons/{l['id']}/attendance", {"present": ["alice"]}), 200)
        self.assertTrue(self.alice.get(f"lessons/{l['id']}").data["lesson"]["attended"])
        self.assertError(self.lect.post(f"lessons/{l['id']}/attendance", {"present": ["bob"]}), 400, "not_a_trainee")
        self.assertError(self.lect.post(f"lessons/{l['id']}/attendance", {"present": ["ghost"]}), 400, "unknown_user")
        self.assertError(self.alice.post(f"lessons/{l['id']}/attendance", {"present": ["alice"]}), 403,
                         "organisers_only")
        t = self.lect.get(f"trainings/{x['slug']}/trainees").data["trainees"][0]
        self.assertEqual((t["attended"], t["lessons"]), (1, 1))

    def test_automatic_completion_once_ended(self):
        x = self.make(starts_on=day(-10), ends_on=day(-8), enrolment="assigned", completion_attendance=50)
        self.assertStatus(self.lect.post(f"trainings/{x['slug']}/trainees", {"usernames": ["alice", "bob", "carol"]}),
                          201)
        base = -9 * 86400
        lessons = [self.make_lesson(x["slug"], starts_at=at(base + i * 3600)) for i in range(2)]
        self.assertStatus(self.lect.post(f"lessons/{lessons[0]['id']}/attendance", {"present": ["alice", "bob"]}),
                          200)
        self.assertStatus(self.lect.post(f"lessons/{lessons[1]['id']}/attendance", {"present": ["alice"]}), 200)
        # carol attended nothing; an organiser completes her by hand and then reopens: not redone
        self.assertStatus(self.anon().get(f"trainings/{x['slug']}"), 200)  # the read triggers completion
        states = {t["user"]["username"]: t for t in self.lect.get(f"trainings/{x['slug']}/trainees").data["trainees"]}
        self.assertEqual(states["alice"]["state"], "completed")
        self.assertEqual(states["bob"]["state"], "completed")  # 1 of 2 = 50 %
        self.assertEqual(states["carol"]["state"], "enrolled")
        self.assertIsNone(states["alice"]["completed_by"])
        self.assertStatus(self.lect.post(f"trainings/{x['slug']}/trainees/bob", {"action": "reopen"}), 200)
        self.anon().get(f"trainings/{x['slug']}")
        bob = self.lect.get(f"trainings/{x['slug']}/trainees").data["trainees"]
        self.assertEqual({t["user"]["username"]: t["state"] for t in bob}["bob"], "enrolled")


class BoardVisibility(TrainingCase):
    def test_board_hidden_from_everyone_else_in_every_reader(self):
        word = unique("zqx")
        x = self.make(enrolment="approval")
        self.assertStatus(self.lect.post(f"trainings/{x['slug']}/trainees", {"usernames": ["alice"]}), 201)
        self.assertStatus(self.enrol(self.bob, x["slug"]), 202)  # pending: not inside yet
        thread, _ = make_thread(self.alice, x["board"], title=f"作业 {word}", body=f"心得 {word}")
        for c, name in ((self.alice, "trainee"), (self.lect, "organiser")):
            with self.subTest(who=name):
                self.assertStatus(c.get(f"threads/{thread['id']}"), 200)
                self.assertStatus(c.get(f"boards/{x['board']}"), 200)
                self.assertIn(x["board"], [b["slug"] for b in c.get("boards").data["boards"]])
                self.assertEqual(c.get(f"search?q={word}").data["total"], 1)
        for c, name in ((self.bob, "pending"), (self.carol, "member"), (self.admin, "admin"),
                        (self.smod, "site moderator"), (self.anon(), "visitor")):
            with self.subTest(who=name):
                self.assertError(c.get(f"threads/{thread['id']}"), 404)
                self.assertError(c.get(f"boards/{x['board']}"), 404)
                self.assertNotIn(x["board"], [b["slug"] for b in c.get("boards").data["boards"]])
                self.assertEqual(c.get(f"search?q={word}").data["total"], 0)
                self.assertStatus(c.get(f"/boards/{x['board']}/feed.atom"), 404)
                self.assertStatus(c.request("GET", f"/t/{thread['id']}"), 404)
                self.assertError(c.post(f"boards/{x['board']}/threads", {"title": "t", "body": "b"}),
                                 (401, 404))
        self.assertStatus(self.lect.post(f"trainings/{x['slug']}/trainees/bob", {"action": "approve"}), 200)
        self.assertStatus(self.bob.get(f"threads/{thread['id']}"), 200)
        self.assertStatus(self.lect.post(f"trainings/{x['slug']}/trainees/bob", {"action": "remove"}), 200)
        self.assertError(self.bob.get(f"threads/{thread['id']}"), 404)


if __name__ == "__main__":
    import unittest
    unittest.main()


class CompletionOnTime(TrainingCase):
    """Automatic completion happens when a training has ended, with nobody visiting: the
    scheduler's recurring job, observed in the database after the clock moves by a restart."""

    env = {"AGORA_NOW": str(int(time.time()))}

    def state_of(self, slug, username):
        with db(self.server) as conn:
            row = conn.execute("SELECT p.state FROM training_participants p JOIN trainings t ON t.id=p.training_id"
                               " JOIN users u ON u.id=p.user_id WHERE t.slug=? AND u.username=? AND p.role='trainee'",
                               (slug, username)).fetchone()
        return row[0] if row else None

    def test_completed_when_the_training_ends_without_a_visit(self):
        x = self.make(starts_on=day(-1), ends_on=day(1), enrolment="assigned", completion_attendance=100)
        self.assertStatus(self.lect.post(f"trainings/{x['slug']}/trainees", {"usernames": ["alice", "bob"]}), 201)
        l = self.make_lesson(x["slug"], starts_at=at(-3600))
        self.assertStatus(self.lect.post(f"lessons/{l['id']}/attendance", {"present": ["alice"]}), 200)
        restart(self.server, int(time.time()) + 3600)  # an hour on: still running
        time.sleep(1.5)
        self.assertEqual(self.state_of(x["slug"], "alice"), "enrolled")
        restart(self.server, int(time.time()) + 3 * 86400)  # three days on: ended
        self.assertEqual(wait_for("alice's completion", lambda: self.state_of(x["slug"], "alice") == "completed"),
                         True)
        self.assertEqual(self.state_of(x["slug"], "bob"), "enrolled", "bob attended nothing")
