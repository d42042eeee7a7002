"""Questionnaires (API.md "Questionnaires"; issue 4): who may create them on a board or an
association, validation of questionnaires and of answers both ways (what is refused and
what is accepted), reading and listing, one response per member, members-only answering
on associations, closing, the results and who may see them, the CSV export (content,
quoting, anonymity), questionnaires of hidden boards and members-only associations (404
to outsiders, admins and site moderators included), and the pages: /q/ID with its answer
form, /q/ID/results with one chart (a table with bars) per choice or rating question, the CSV download,
the lists on board and association pages, and creating one through POST /q."""

import csv
import io
import json
import re
import time
import unittest
import urllib.parse

from agora_harness import RFC3339, PASSWORD, ServerTestCase, db, make_board, unique

Q_KEYS = {"id", "title", "board", "association", "anonymous", "closes_at", "open", "questions",
          "created_by", "created_at", "response_count", "responded"}

QUESTIONS = [
    {"kind": "single", "prompt": "Which crop do you grow most?", "options": ["rice", "wheat", "maize"]},
    {"kind": "multi", "prompt": "Which tools do you use?", "options": ["tractor", "drone", "sickle", "app"]},
    {"kind": "rating", "prompt": "How useful was the training?"},
    {"kind": "text", "prompt": "Anything else?"},
]
ANSWERS = [1, [0, 2], 4, "more training please"]
PAST = "2001-01-01T00:00:00Z"
FUTURE = "2099-01-01T00:00:00Z"


def location_path(resp):
    loc = resp.header("Location") or ""
    parts = urllib.parse.urlsplit(loc)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def utc(ts):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


# ---- the shared fixture ------------------------------------------------------------------------


class QCase(ServerTestCase):
    """An admin, two lecturers, a site moderator, board A with its board moderator bmod, board
    B with bmod2, members alice, bob, carol, dave; the public open association `club` (made by
    the admin) where alice is an officer and bob a member."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_staff("qadmin")
        cls.a = make_board(cls.admin, title="Board A")["slug"]
        cls.b = make_board(cls.admin, title="Board B")["slug"]
        cls.add_members("bmod", "bmod2")
        for board, name in ((cls.a, "bmod"), (cls.b, "bmod2")):
            r = cls.admin.post(f"boards/{board}/moderators", {"username": name})
            if r.status != 201:
                raise AssertionError(repr(r))
        cls.add_members("alice", "bob", "carol", "dave")
        cls.expect(cls.admin.post("associations", {"slug": "club", "name": "The Club"}), 201)
        for c in (cls.alice, cls.bob):
            cls.expect(c.post("associations/club/members"), 201)
        cls.expect(cls.admin.post("associations/club/members/alice", {"action": "promote"}), 200)
        cls.setUpMore()

    @classmethod
    def setUpMore(cls):
        pass

    # -- helpers --
    def body(self, **fields):
        body = {"title": "A questionnaire", "questions": QUESTIONS, **fields}
        if "board" not in body and "association" not in body:
            body["board"] = self.a
        return {k: v for k, v in body.items() if v is not None or k in ("closes_at",)}

    def create(self, client, **fields):
        return client.post("questionnaires", self.body(**fields))

    def make_q(self, client=None, **fields):
        r = self.create(client or self.lect, **fields)
        self.assertStatus(r, 201)
        return r.data["questionnaire"]

    def respond(self, client, qid, answers=ANSWERS):
        return client.post(f"questionnaires/{qid}/responses", {"answers": answers})

    def results(self, client, qid):
        data = self.assertStatus(client.get(f"questionnaires/{qid}/results"), 200).data
        self.assertIs(data["can_export"], True, "an ordinary questionnaire offers its CSV")
        return data

    def get_q(self, qid, client=None):
        return self.assertStatus((client or self.anon()).get(f"questionnaires/{qid}"), 200).data["questionnaire"]

    def browser(self, name=None):
        c = self.server.client()
        if name:
            self.assertStatus(c.form("/login", {"username": name, "password": PASSWORD}), 303)
        return c

    def post_fields(self, c, path, pairs, page=None, csrf=True):
        """An urlencoded form with repeatable fields (checkboxes), through the cookie jar."""
        pairs = list(pairs)
        if csrf:
            pairs.append(("csrf", c.form_csrf(page or path)))
        return c.request("POST", path, body=urllib.parse.urlencode(pairs), token=None, csrf=None,
                         content_type="application/x-www-form-urlencoded")


# ---- creating ------------------------------------------------------------------------------------------


class Create(QCase):
    def test_lecturer_creates_on_a_board(self):
        before = time.time()
        r = self.assertStatus(self.create(self.lect, title="春耕调查 Spring survey"), 201)
        q = r.data["questionnaire"]
        self.assertTrue(Q_KEYS <= set(q), q)
        self.assertIsInstance(q["id"], int)
        self.assertEqual((q["title"], q["board"], q["association"], q["anonymous"], q["closes_at"], q["open"],
                          q["questions"], q["created_by"], q["response_count"], q["responded"]),
                         ("春耕调查 Spring survey", self.a, None, False, None, True, QUESTIONS, "lect", 0, False))
        self.assertRegex(q["created_at"], RFC3339)
        self.assertEqual(self.get_q(q["id"], self.lect), q)

    def test_moderators_and_admins_create_on_a_board(self):
        for c in (self.smod, self.admin, self.lect2):
            with self.subTest(user=c.user["username"]):
                q = self.assertStatus(self.create(c), 201).data["questionnaire"]
                self.assertEqual(q["created_by"], c.user["username"])

    def test_members_refused_on_a_board(self):
        for c in (self.alice, self.bob):
            with self.subTest(user=c.user["username"]):
                self.assertError(self.create(c), 403, "lecturers_only")
        self.assertError(self.create(self.anon()), 401, "not_signed_in")

    def test_on_an_association(self):
        q = self.assertStatus(self.create(self.alice, association="club", board=None), 201).data["questionnaire"]
        self.assertEqual((q["board"], q["association"], q["created_by"]), (None, "club", "alice"))
        self.assertStatus(self.create(self.admin, association="club"), 201)
        for c in (self.bob, self.carol, self.lect, self.smod):
            with self.subTest(user=c.user["username"]):
                self.assertError(self.create(c, association="club"), 403, "officers_only")
        self.assertError(self.create(self.anon(), association="club"), 401)

    def test_board_or_association(self):
        self.assertError(self.create(self.admin, board=self.a, association="club"), 400, "board_or_association")
        body = {"title": "t", "questions": QUESTIONS}
        self.assertError(self.admin.post("questionnaires", body), 400, "board_or_association")
        self.assertError(self.admin.post("questionnaires", {**body, "board": "", "association": ""}), 400,
                         "board_or_association")
        self.assertError(self.create(self.admin, board="no-such-board"), 404, "board_not_found")
        self.assertError(self.create(self.admin, association="no-such-assoc"), 404, "association_not_found")

    def test_validation(self):
        single = {"kind": "single", "prompt": "P", "options": ["a", "b"]}
        cases = [
            ({"questions": None}, "invalid_questions"),
            ({"questions": []}, "invalid_questions"),
            ({"questions": "single: P"}, "invalid_questions"),
            ({"questions": [1]}, "invalid_questions"),
            ({"questions": [[single]]}, "invalid_questions"),
            ({"questions": [single] * 51}, "invalid_questions"),
            ({"questions": [{**single, "required": True}]}, "unknown_field"),
            ({"questions": [{"kind": "text", "prompt": "P", "help": "x"}]}, "unknown_field"),
            ({"questions": [{**single, "kind": "essay"}]}, "invalid_kind"),
            ({"questions": [{**single, "kind": "Single"}]}, "invalid_kind"),
            ({"questions": [{**single, "kind": 1}]}, "invalid_kind"),
            ({"questions": [{"prompt": "P", "options": ["a", "b"]}]}, "invalid_kind"),
            ({"questions": [{**single, "prompt": ""}]}, "invalid_prompt"),
            ({"questions": [{**single, "prompt": "  \n "}]}, "invalid_prompt"),
            ({"questions": [{**single, "prompt": 5}]}, "invalid_prompt"),
            ({"questions": [{**single, "prompt": "长" * 501}]}, "invalid_prompt"),
            ({"questions": [{"kind": "text"}]}, "invalid_prompt"),
            ({"questions": [{"kind": "single", "prompt": "P"}]}, "invalid_options"),
            ({"questions": [{**single, "options": ["only one"]}]}, "invalid_options"),
            ({"questions": [{**single, "options": [f"o{i}" for i in range(21)]}]}, "invalid_options"),
            ({"questions": [{**single, "options": ["same", "same"]}]}, "invalid_options"),
            ({"questions": [{**single, "options": ["a", ""]}]}, "invalid_options"),
            ({"questions": [{**single, "options": ["a", "   "]}]}, "invalid_options"),
            ({"questions": [{**single, "options": ["a", 2]}]}, "invalid_options"),
            ({"questions": [{**single, "options": ["a", "b\nc"]}]}, "invalid_options"),
            ({"questions": [{**single, "options": ["a", "b\tc"]}]}, "invalid_options"),
            ({"questions": [{**single, "options": ["a", "长" * 201]}]}, "invalid_options"),
            ({"questions": [{**single, "options": "a|b"}]}, "invalid_options"),
            ({"questions": [{"kind": "multi", "prompt": "P", "options": []}]}, "invalid_options"),
            ({"questions": [{"kind": "rating", "prompt": "P", "options": ["1", "2"]}]}, "invalid_options"),
            ({"questions": [{"kind": "text", "prompt": "P", "options": []}]}, "invalid_options"),
            ({"questions": [single, {"kind": "text", "prompt": ""}]}, "invalid_prompt"),
            ({"title": ""}, "invalid_title"),
            ({"title": "   "}, "invalid_title"),
            ({"title": "长" * 201}, "invalid_title"),
            ({"title": None}, "invalid_title"),
            ({"closes_at": "tomorrow"}, "invalid_closes_at"),
            ({"closes_at": "2031-13-01T00:00:00Z"}, "invalid_closes_at"),
            ({"closes_at": "2031-01-01"}, "invalid_closes_at"),
        ]
        for fields, code in cases:
            with self.subTest(fields=json.dumps(fields, ensure_ascii=False)[:120]):
                body = self.body(**fields)
                if fields.get("questions", ...) is None:
                    body.pop("questions", None)
                if "title" in fields and fields["title"] is None:
                    body.pop("title", None)
                self.assertError(self.lect.post("questionnaires", body), 400, code)
        for field, value in (("anonymous", "yes"), ("title", 7), ("board", 3), ("closes_at", 12)):
            with self.subTest(wrong_type=field):
                self.assertError(self.lect.post("questionnaires", self.body(**{field: value})), 400)

    def test_accepted_limits(self):
        twenty = [f"选项 {i}" for i in range(20)]
        ok = [
            [{"kind": "single", "prompt": "P", "options": ["a", "b"]}],
            [{"kind": "multi", "prompt": "长" * 500, "options": twenty}],
            [{"kind": "single", "prompt": "A prompt\non two lines", "options": ["长" * 200, "b"]}],
            [{"kind": "rating", "prompt": "Rate"}],
            [{"kind": "text", "prompt": "Say"}],
            [{"kind": "text", "prompt": f"Q{i}"} for i in range(50)],
        ]
        for questions in ok:
            with self.subTest(questions=json.dumps(questions, ensure_ascii=False)[:80]):
                q = self.make_q(questions=questions)
                self.assertEqual(q["questions"], questions)
        q = self.make_q(title="长" * 200, anonymous=True, closes_at=FUTURE)
        self.assertEqual((q["title"], q["anonymous"], q["closes_at"], q["open"]), ("长" * 200, True, FUTURE, True))
        q = self.make_q(closes_at="2031-05-01T10:00:00+08:00")
        self.assertEqual(q["closes_at"], "2031-05-01T02:00:00Z")
        self.assertTrue(q["open"])

    def test_nothing_stored_after_refusals(self):
        board = make_board(self.admin)["slug"]
        self.create(self.alice, board=board)
        self.create(self.lect, board=board, questions=[])
        self.create(self.lect, board=board, title="")
        self.create(self.lect, board=board, association="club")
        r = self.assertStatus(self.anon().get(f"questionnaires?board={board}"), 200)
        self.assertEqual(r.data["questionnaires"], [])


# ---- reading and listing ------------------------------------------------------------------------------------


class ReadAndList(QCase):
    def test_get(self):
        q = self.make_q()
        got = self.get_q(q["id"])
        self.assertEqual({k: v for k, v in got.items() if k != "responded"},
                         {k: v for k, v in q.items() if k != "responded"})
        self.assertFalse(self.get_q(q["id"], self.alice)["responded"])

    def test_unknown_404(self):
        self.assertError(self.anon().get("questionnaires/987654321"), 404, "questionnaire_not_found")
        self.assertError(self.anon().get("questionnaires/abc"), 404)
        self.assertError(self.respond(self.alice, 987654321), 404, "questionnaire_not_found")
        self.assertError(self.admin.get("questionnaires/987654321/results"), 404, "questionnaire_not_found")
        self.assertError(self.admin.get("questionnaires/987654321/results.csv"), 404)

    def test_list_by_board_and_association(self):
        board = make_board(self.admin)["slug"]
        on_board = self.make_q(board=board, title="on the board")
        on_a = self.make_q(title="on A")
        on_club = self.make_q(self.alice, association="club", title="on the club")

        def ids(query, client=None):
            r = self.assertStatus((client or self.anon()).get(f"questionnaires{query}"), 200)
            for x in r.data["questionnaires"]:
                self.assertTrue(Q_KEYS - {"responded"} <= set(x), x)
            return [x["id"] for x in r.data["questionnaires"]]

        self.assertEqual(ids(f"?board={board}"), [on_board["id"]])
        self.assertIn(on_a["id"], ids(f"?board={self.a}"))
        self.assertNotIn(on_board["id"], ids(f"?board={self.a}"))
        self.assertIn(on_club["id"], ids("?association=club"))
        self.assertNotIn(on_a["id"], ids("?association=club"))
        self.assertTrue({on_board["id"], on_a["id"], on_club["id"]} <= set(ids("")))
        self.assertError(self.anon().get("questionnaires?board=no-such-board"), 404)
        self.assertError(self.anon().get("questionnaires?association=no-such-assoc"), 404)


# ---- responding -----------------------------------------------------------------------------------------------


class Responding(QCase):
    def test_one_response_per_member(self):
        q = self.make_q()
        r = self.assertStatus(self.respond(self.alice, q["id"]), 201)
        got = self.get_q(q["id"], self.alice)
        self.assertEqual((got["responded"], got["response_count"]), (True, 1))
        self.assertFalse(self.get_q(q["id"], self.bob)["responded"])
        self.assertError(self.respond(self.alice, q["id"]), 409, "already_answered")
        self.assertError(self.respond(self.alice, q["id"], [0, [1], 1, "changed my mind"]), 409, "already_answered")
        self.assertStatus(self.respond(self.bob, q["id"], [0, [3], 1, ""]), 201)
        self.assertEqual(self.get_q(q["id"])["response_count"], 2)
        res = self.results(self.lect, q["id"])
        self.assertEqual(res["responses"], 2)
        self.assertEqual(res["questions"][0]["counts"], [1, 1, 0], "the second try changed nothing")

    def test_staff_answer_too(self):
        q = self.make_q()
        for c in (self.lect, self.smod, self.admin, self.lect2):
            with self.subTest(user=c.user["username"]):
                self.assertStatus(self.respond(c, q["id"]), 201)

    def test_anonymous_401(self):
        q = self.make_q()
        self.assertError(self.respond(self.anon(), q["id"]), 401, "not_signed_in")

    def test_answer_validation(self):
        q = self.make_q()
        cases = [
            ([1, [0], 4], "wrong_answer_count"),
            ([1, [0], 4, "x", "extra"], "wrong_answer_count"),
            ([], "wrong_answer_count"),
            # single: an option index
            ([3, [0], 4, "x"], "invalid_answer"),
            ([-1, [0], 4, "x"], "invalid_answer"),
            (["1", [0], 4, "x"], "invalid_answer"),
            ([1.0, [0], 4, "x"], "invalid_answer"),
            ([True, [0], 4, "x"], "invalid_answer"),
            ([None, [0], 4, "x"], "invalid_answer"),
            ([[1], [0], 4, "x"], "invalid_answer"),
            # multi: a non-empty list of distinct indexes
            ([1, [], 4, "x"], "invalid_answer"),
            ([1, [0, 0], 4, "x"], "invalid_answer"),
            ([1, [4], 4, "x"], "invalid_answer"),
            ([1, [-1], 4, "x"], "invalid_answer"),
            ([1, 0, 4, "x"], "invalid_answer"),
            ([1, ["0"], 4, "x"], "invalid_answer"),
            ([1, [0.0], 4, "x"], "invalid_answer"),
            ([1, [True], 4, "x"], "invalid_answer"),
            ([1, [0, 1, 2, 3, 0], 4, "x"], "invalid_answer"),
            # rating: 1-5
            ([1, [0], 0, "x"], "invalid_answer"),
            ([1, [0], 6, "x"], "invalid_answer"),
            ([1, [0], 3.0, "x"], "invalid_answer"),
            ([1, [0], 3.5, "x"], "invalid_answer"),
            ([1, [0], "3", "x"], "invalid_answer"),
            ([1, [0], True, "x"], "invalid_answer"),
            ([1, [0], None, "x"], "invalid_answer"),
            # text: a string
            ([1, [0], 4, 5], "invalid_answer"),
            ([1, [0], 4, None], "invalid_answer"),
            ([1, [0], 4, ["x"]], "invalid_answer"),
            ([1, [0], 4, "长" * 5001], "invalid_answer"),
        ]
        for answers, code in cases:
            with self.subTest(answers=json.dumps(answers, ensure_ascii=False)[:80]):
                self.assertError(self.respond(self.alice, q["id"], answers), 400, code)
        for body in ({}, {"answers": None}, {"answers": "1,2"}, {"answers": {"0": 1}}, {"answers": 3}):
            with self.subTest(body=body):
                r = self.assertError(self.alice.post(f"questionnaires/{q['id']}/responses", body), 400)
                self.assertIn(r.error_code, ("invalid_answers", "wrong_type"))
        with self.subTest("no body of the right kind"):
            self.assertError(self.alice.post(f"questionnaires/{q['id']}/responses", "{", content_type="application/json"), 400)
        self.assertEqual(self.get_q(q["id"], self.alice)["response_count"], 0, "refusals store nothing")
        self.assertFalse(self.get_q(q["id"], self.alice)["responded"])
        # accepted both ways: every option of every kind, an empty text
        self.assertStatus(self.respond(self.alice, q["id"], [2, [3, 0, 1, 2], 5, ""]), 201)
        self.assertStatus(self.respond(self.bob, q["id"], [0, [1], 1, "长" * 5000]), 201)
        self.assertStatus(self.respond(self.carol, q["id"], [0, [1], 3, "多行\n文本 \"quoted\""]), 201)

    def test_association_questionnaire_is_for_members(self):
        q = self.make_q(self.alice, association="club")
        self.assertEqual(self.get_q(q["id"])["association"], "club", "a public association's: anyone reads")
        for c in (self.carol, self.smod, self.lect):  # (the admin made the club: an officer)
            with self.subTest(user=c.user["username"]):
                self.assertError(self.respond(c, q["id"]), 403, "members_only")
        self.assertStatus(self.respond(self.bob, q["id"]), 201)
        self.assertStatus(self.respond(self.alice, q["id"]), 201, msg="officers are members")
        name = unique("joiner")
        m = self.server.member(name)
        self.assertError(self.respond(m, q["id"]), 403, "members_only")
        self.assertStatus(m.post("associations/club/members"), 201)
        self.assertStatus(self.respond(m, q["id"]), 201)
        self.assertEqual(self.get_q(q["id"])["response_count"], 3)

    def test_pending_member_cannot_answer(self):
        slug = unique("apr-")
        self.assertStatus(self.lect.post("associations", {"slug": slug, "name": "Approval", "join_policy": "approval"}), 201)
        q = self.make_q(self.lect, association=slug)
        self.assertStatus(self.dave.post(f"associations/{slug}/members"), 202)
        self.assertError(self.respond(self.dave, q["id"]), 403, "members_only")
        self.assertStatus(self.lect.post(f"associations/{slug}/members/dave", {"action": "approve"}), 200)
        self.assertStatus(self.respond(self.dave, q["id"]), 201)

    def test_closed_questionnaire(self):
        q = self.make_q(closes_at=PAST)
        self.assertEqual((q["closes_at"], q["open"]), (PAST, False))
        self.assertFalse(self.get_q(q["id"])["open"])
        for c in (self.alice, self.lect, self.admin):
            with self.subTest(user=c.user["username"]):
                self.assertError(self.respond(c, q["id"]), 403, "questionnaire_closed")
        res = self.results(self.lect, q["id"])
        self.assertEqual(res["responses"], 0)
        self.assertFalse(res["questionnaire"]["open"])
        cq = self.make_q(self.alice, association="club", closes_at=PAST)
        self.assertError(self.respond(self.bob, cq["id"]), 403, "questionnaire_closed")

    def test_closing_time_passes(self):
        closes = int(time.time()) + 2
        q = self.make_q(closes_at=utc(closes))
        self.assertTrue(q["open"])
        self.assertStatus(self.respond(self.alice, q["id"]), 201)
        while time.time() < closes + 0.2:
            time.sleep(0.1)
        self.assertFalse(self.get_q(q["id"])["open"])
        self.assertError(self.respond(self.bob, q["id"]), 403, "questionnaire_closed")
        self.assertEqual(self.results(self.lect, q["id"])["responses"], 1)

    def test_banned_member_cannot_answer(self):
        name = unique("banned")
        m = self.server.member(name)
        q = self.make_q()
        self.assertStatus(self.smod.post(f"users/{name}/ban", {"days": 1, "reason": "tests"}), 201)
        self.assertError(self.respond(m, q["id"]), 403)
        self.assertEqual(self.get_q(q["id"])["response_count"], 0)


# ---- results ----------------------------------------------------------------------------------------------------


class Results(QCase):
    def test_tallies(self):
        q = self.make_q()
        for c, answers in ((self.alice, [1, [0, 2], 4, "more training please"]),
                           (self.bob, [1, [2], 5, ""]),
                           (self.carol, [0, [3, 2, 1, 0], 4, "需要更多无人机"]),
                           (self.dave, [2, [1], 2, "ok"])):
            self.assertStatus(self.respond(c, q["id"], answers), 201)
        res = self.results(self.lect, q["id"])
        self.assertEqual(res["responses"], 4)
        self.assertEqual(res["questionnaire"]["id"], q["id"])
        self.assertEqual(res["questionnaire"]["response_count"], 4)
        single, multi, rating, text = res["questions"]
        self.assertEqual((single["prompt"], single["kind"], single["options"], single["counts"]),
                         (QUESTIONS[0]["prompt"], "single", QUESTIONS[0]["options"], [1, 2, 1]))
        self.assertEqual((multi["prompt"], multi["kind"], multi["options"], multi["counts"]),
                         (QUESTIONS[1]["prompt"], "multi", QUESTIONS[1]["options"], [2, 2, 3, 1]))
        self.assertEqual((rating["prompt"], rating["kind"], rating["count"], rating["sum"], rating["counts"]),
                         (QUESTIONS[2]["prompt"], "rating", 4, 15, [0, 1, 0, 2, 1]))
        self.assertAlmostEqual(rating["average"], 3.75)
        self.assertEqual((text["prompt"], text["kind"]), (QUESTIONS[3]["prompt"], "text"))
        self.assertEqual(sorted(text["texts"]), sorted(["more training please", "需要更多无人机", "ok"]),
                         "empty texts are skipped")

    def test_empty_results(self):
        q = self.make_q()
        res = self.results(self.lect, q["id"])
        self.assertEqual(res["responses"], 0)
        single, multi, rating, text = res["questions"]
        self.assertEqual((single["counts"], multi["counts"], rating["count"], rating["counts"], text["texts"]),
                         ([0, 0, 0], [0, 0, 0, 0], 0, [0, 0, 0, 0, 0], []))
        self.assertIn(rating.get("average"), (None, 0))

    def test_who_may_see_a_board_questionnaire(self):
        q = self.make_q()
        self.assertStatus(self.respond(self.alice, q["id"]), 201)
        for c in (self.lect, self.smod, self.admin, self.bmod):
            with self.subTest(user=c.user["username"]):
                self.assertEqual(self.results(c, q["id"])["responses"], 1)
                self.assertStatus(c.get(f"questionnaires/{q['id']}/results.csv"), 200)
        for c in (self.lect2, self.alice, self.bob, self.bmod2):
            with self.subTest(user=c.user["username"]):
                self.assertError(c.get(f"questionnaires/{q['id']}/results"), 403, "results_restricted")
                self.assertError(c.get(f"questionnaires/{q['id']}/results.csv"), 403, "results_restricted")
        self.assertError(self.anon().get(f"questionnaires/{q['id']}/results"), 401)
        self.assertError(self.anon().get(f"questionnaires/{q['id']}/results.csv"), 401)

    def test_who_may_see_an_association_questionnaire(self):
        q = self.make_q(self.alice, association="club")
        self.assertStatus(self.respond(self.bob, q["id"]), 201)
        for c in (self.alice, self.smod, self.admin):
            with self.subTest(user=c.user["username"]):
                self.assertEqual(self.results(c, q["id"])["responses"], 1)
        for c in (self.bob, self.lect, self.bmod):
            with self.subTest(user=c.user["username"]):
                self.assertError(c.get(f"questionnaires/{q['id']}/results"), 403, "results_restricted")
                self.assertError(c.get(f"questionnaires/{q['id']}/results.csv"), 403, "results_restricted")


# ---- anonymity and the CSV export ------------------------------------------------------------------------------------


class Csv(QCase):
    def csv_rows(self, client, qid):
        r = self.assertStatus(client.get(f"questionnaires/{qid}/results.csv"), 200)
        return r, list(csv.reader(io.StringIO(r.body.decode("utf-8"), newline="")))

    def test_download_headers(self):
        q = self.make_q()
        r, rows = self.csv_rows(self.lect, q["id"])
        self.assertTrue(r.header("Content-Type", "").startswith("text/csv"), r.headers)
        disp = r.header("Content-Disposition", "")
        self.assertRegex(disp, r"^attachment\b", r.headers)
        self.assertRegex(disp, r'filename="?[^";]+\.csv"?', r.headers)
        self.assertEqual(rows, [["respondent"] + [x["prompt"] for x in QUESTIONS]], "no responses: the header only")

    def test_rows_and_quoting(self):
        questions = [
            {"kind": "single", "prompt": 'Price, in "yuan"', "options": ["cheap, really", 'say "hi"', "贵"]},
            {"kind": "multi", "prompt": "Tools\nused", "options": ["tractor", "drone", "sickle"]},
            {"kind": "rating", "prompt": "Rate"},
            {"kind": "text", "prompt": "Comments"},
        ]
        q = self.make_q(questions=questions)
        self.assertStatus(self.respond(self.alice, q["id"], [0, [2, 0], 5, 'line one\nline "two", end']), 201)
        self.assertStatus(self.respond(self.bob, q["id"], [1, [1], 1, ""]), 201)
        self.assertStatus(self.respond(self.carol, q["id"], [2, [0, 1, 2], 3, "=SUM(A1:A9)"]), 201)
        r, rows = self.csv_rows(self.lect, q["id"])
        self.assertEqual(rows[0], ["respondent", 'Price, in "yuan"', "Tools\nused", "Rate", "Comments"])
        self.assertEqual(sorted(rows[1:]), sorted([
            ["alice", "cheap, really", "tractor; sickle", "5", 'line one\nline "two", end'],
            ["bob", 'say "hi"', "drone", "1", ""],
            ["carol", "贵", "tractor; drone; sickle", "3", "'=SUM(A1:A9)"],
        ]))
        raw = r.body.decode("utf-8")
        self.assertIn('"Price, in ""yuan"""', raw, "RFC 4180 quoting")
        self.assertIn('"line one\nline ""two"", end"', raw)
        self.assertTrue(raw.endswith("\r\n"), repr(raw[-10:]))
        self.assertEqual(raw.count("\r\n"), 4, "records end with CRLF; newlines inside quoted cells stay LF")
        self.assertNotIn("\n=SUM", raw.replace("\r\n", "\n"), "a formula cell is defused")

    def test_non_anonymous_lists_respondents(self):
        names = [unique("named"), unique("named")]
        q = self.make_q()
        for n in names:
            self.assertStatus(self.respond(self.server.member(n), q["id"]), 201)
        r, rows = self.csv_rows(self.lect, q["id"])
        self.assertEqual(rows[0][0], "respondent")
        self.assertEqual(sorted(row[0] for row in rows[1:]), sorted(names))

    def test_anonymous_names_nobody(self):
        names = [f"whisperer{unique('x')}", f"murmurer{unique('x')}"]
        displays = ["Secret Display One", "秘密显示名"]
        q = self.make_q(anonymous=True)
        self.assertTrue(q["anonymous"])
        texts = [f"text number {i}" for i in range(RESULTS_MIN)]
        for i, text in enumerate(texts):  # results show from RESULTS_MIN responses
            who = self.server.member(names[i], display_name=displays[i]) if i < 2 else self.new_member("q")
            self.assertStatus(self.respond(who, q["id"], [0, [1], 3, text]), 201)
        for c in (self.lect, self.admin, self.smod):
            with self.subTest(user=c.user["username"]):
                res = c.get(f"questionnaires/{q['id']}/results")
                self.assertStatus(res, 200)
                self.assertEqual(res.data["responses"], RESULTS_MIN)
                self.assertEqual(sorted(res.data["questions"][3]["texts"]), texts)
                r, rows = self.csv_rows(c, q["id"])
                self.assertEqual(rows[0], [x["prompt"] for x in QUESTIONS], "no respondent column")
                self.assertEqual(len(rows), RESULTS_MIN + 1)
                self.assertTrue(all(len(row) == 4 for row in rows), rows)
                for who in names + displays:
                    self.assertNotIn(who, res.text)
                    self.assertNotIn(who, r.body.decode("utf-8"))
                page = self.browser(c.user["username"]).page(f"/q/{q['id']}/results")
                self.assertHtml(page)
                for who in names + displays:
                    self.assertNotIn(who, page.text)
                for who in names:
                    self.assertNotIn(who, self.anon().page(f"/q/{q['id']}").text)


# ---- anonymous results only from Q_RESULTS_MIN responses, response ids that carry no order ----------------------------

RESULTS_MIN = 5  # Q_RESULTS_MIN (daemon/domain/questionnaires.h)


class Withheld(QCase):
    """An anonymous questionnaire shows nothing of its answers before RESULTS_MIN responses:
    with two or three, a lecturer who knows who answered could tell who said what."""

    def answer_n(self, qid, n, start=0):
        for i in range(start, n):
            self.assertStatus(self.respond(self.new_member("anon"), qid, [i % 3, [1], 1 + i % 5, f"text {i}"]), 201)

    def test_anonymous_results_wait_for_five_responses(self):
        q = self.make_q(anonymous=True)
        self.answer_n(q["id"], RESULTS_MIN - 1)
        r = self.assertStatus(self.lect.get(f"questionnaires/{q['id']}/results"), 200)
        self.assertEqual(r.data["responses"], RESULTS_MIN - 1)
        self.assertEqual(r.data["withheld"], {"min_responses": RESULTS_MIN})
        self.assertIs(r.data["can_export"], False)
        self.assertEqual([x["prompt"] for x in r.data["questions"]], [x["prompt"] for x in QUESTIONS])
        for x in r.data["questions"]:
            self.assertFalse({"counts", "average", "texts"} & set(x), x)
        self.assertNotIn("text 0", r.text)
        self.assertError(self.lect.get(f"questionnaires/{q['id']}/results.csv"), 403, "too_few_responses")
        page = self.browser("lect").page(f"/q/{q['id']}/results")
        self.assertHtml(page)
        self.assertIn(f"Results appear after {RESULTS_MIN} responses", page.text)
        self.assertNotIn('<table class="chart">', page.text)
        zh = self.browser("lect").page(f"/q/{q['id']}/results", headers={"Accept-Language": "zh-CN"})
        self.assertIn(f"收满 {RESULTS_MIN} 份答卷后才显示结果", zh.text)
        # the fifth response: the results appear
        self.answer_n(q["id"], RESULTS_MIN, start=RESULTS_MIN - 1)
        data = self.results(self.lect, q["id"])
        self.assertNotIn("withheld", data)
        self.assertEqual(sum(data["questions"][0]["counts"]), RESULTS_MIN)
        self.assertStatus(self.lect.get(f"questionnaires/{q['id']}/results.csv"), 200)
        self.assertIn('<table class="chart">', self.browser("lect").page(f"/q/{q['id']}/results").text)
        # a named questionnaire tells who answered anyway: nothing to withhold
        q = self.make_q()
        self.assertStatus(self.respond(self.alice, q["id"]), 201)
        data = self.results(self.lect, q["id"])
        self.assertNotIn("withheld", data)
        self.assertEqual(data["questions"][0]["counts"], [0, 1, 0])

    def test_anonymous_response_ids_carry_no_order(self):
        q = self.make_q(anonymous=True)
        self.answer_n(q["id"], RESULTS_MIN + 1)
        conn = db(self.server)
        try:
            ids = [row[0] for row in conn.execute("SELECT id FROM responses WHERE questionnaire_id=? ORDER BY rowid",
                                                  (q["id"],))]
            times = {row[0] for row in conn.execute("SELECT created_at FROM responses WHERE questionnaire_id=?",
                                                    (q["id"],))}
        finally:
            conn.close()
        self.assertEqual(len(ids), RESULTS_MIN + 1)
        # random 63-bit ids: not the next number after the last response of the site
        self.assertTrue(all(i > 2 ** 40 for i in ids), ids)
        self.assertEqual(times, {0}, "no time is kept")
        # the export lists them in one order that does not change (by id), not by time
        first = self.lect.get(f"questionnaires/{q['id']}/results.csv").body
        self.assertEqual(self.lect.get(f"questionnaires/{q['id']}/results.csv").body, first)


# ---- questionnaires of hidden boards and members-only associations ------------------------------------------------------


class Hidden(QCase):
    """The members-only association `vault` (approval, officer lect) with its board
    `vault-board`; alice is a member. A questionnaire on the board and one on the association
    itself. Outsiders: visitors, bob, smod, the admin."""

    @classmethod
    def setUpMore(cls):
        cls.expect(cls.lect.post("associations", {"slug": "vault", "name": "The Vault", "join_policy": "approval",
                                                 "visibility": "members"}), 201)
        cls.expect(cls.alice.post("associations/vault/members"), 202)
        cls.expect(cls.lect.post("associations/vault/members/alice", {"action": "approve"}), 200)
        cls.expect(cls.lect.post("boards", {"slug": "vault-board", "title": "Vault board", "association": "vault"}), 201)
        body = {"title": "Hidden board survey", "questions": QUESTIONS, "board": "vault-board"}
        cls.q_board = cls.expect(cls.lect.post("questionnaires", body), 201).data["questionnaire"]
        body = {"title": "Hidden association survey", "questions": QUESTIONS, "association": "vault"}
        cls.q_assoc = cls.expect(cls.lect.post("questionnaires", body), 201).data["questionnaire"]
        cls.expect(cls.alice.post(f"questionnaires/{cls.q_board['id']}/responses", {"answers": ANSWERS}), 201)

    def qs(self):
        return {"board": self.q_board, "association": self.q_assoc}

    def outsiders(self):
        return {"visitor": self.anon(), "bob": self.bob, "smod": self.smod, "admin": self.admin}

    def browser_of(self, name):
        return self.anon() if name == "visitor" else self.browser({"admin": "qadmin"}.get(name, name))

    def test_get(self):
        for where, q in self.qs().items():
            for name, c in self.outsiders().items():
                with self.subTest(q=where, user=name):
                    r = self.assertError(c.get(f"questionnaires/{q['id']}"), 404, "questionnaire_not_found")
                    self.assertNotIn("Hidden", r.text)
            for c in (self.alice, self.lect):
                self.assertEqual(self.get_q(q["id"], c)["title"], q["title"])

    def test_lists(self):
        hidden = {self.q_board["id"], self.q_assoc["id"]}
        for name, c in self.outsiders().items():
            with self.subTest(user=name):
                ids = {x["id"] for x in self.assertStatus(c.get("questionnaires"), 200).data["questionnaires"]}
                self.assertFalse(hidden & ids)
                self.assertError(c.get("questionnaires?board=vault-board"), 404, "board_not_found")
                r = c.get("questionnaires?association=vault")
                if r.status == 200:
                    self.assertEqual(r.data["questionnaires"], [])
                else:
                    self.assertError(r, 404)
        for c in (self.alice, self.lect):
            ids = {x["id"] for x in c.get("questionnaires").data["questionnaires"]}
            self.assertTrue(hidden <= ids)
            self.assertEqual([x["id"] for x in c.get("questionnaires?board=vault-board").data["questionnaires"]],
                             [self.q_board["id"]])
            self.assertEqual([x["id"] for x in c.get("questionnaires?association=vault").data["questionnaires"]],
                             [self.q_assoc["id"]])

    def test_responses(self):
        before = {where: self.get_q(q["id"], self.lect)["response_count"] for where, q in self.qs().items()}
        for where, q in self.qs().items():
            for name in ("bob", "smod", "admin"):
                with self.subTest(q=where, user=name):
                    self.assertError(self.respond(self.outsiders()[name], q["id"]), 404, "questionnaire_not_found")
            with self.subTest(q=where, user="visitor"):
                self.assertError(self.respond(self.anon(), q["id"]), (401, 404))
        self.assertEqual({where: self.get_q(q["id"], self.lect)["response_count"] for where, q in self.qs().items()},
                         before)

    def test_results_even_for_admins_and_moderators(self):
        for where, q in self.qs().items():
            for name in ("smod", "admin"):
                c = self.outsiders()[name]
                with self.subTest(q=where, user=name):
                    self.assertError(c.get(f"questionnaires/{q['id']}/results"), 404, "questionnaire_not_found")
                    r = self.assertError(c.get(f"questionnaires/{q['id']}/results.csv"), 404)
                    self.assertNotIn("alice", r.text)
            self.assertStatus(self.lect.get(f"questionnaires/{q['id']}/results"), 200)
            self.assertStatus(self.lect.get(f"questionnaires/{q['id']}/results.csv"), 200)

    def test_pages(self):
        for where, q in self.qs().items():
            for name in self.outsiders():
                c = self.browser_of(name)
                with self.subTest(q=where, user=name):
                    r = self.assertHtml(c.page(f"/q/{q['id']}"), 404)
                    self.assertNotIn("Hidden", r.text)
                    if name != "visitor":
                        self.assertHtml(c.page(f"/q/{q['id']}/results"), 404)
                        self.assertStatus(c.page(f"/q/{q['id']}/results.csv"), 404)
                        r = self.post_fields(c, f"/q/{q['id']}", [("q0", "0"), ("q1", "0"), ("q2", "1"), ("q3", "")],
                                             page="/")
                        self.assertHtml(r, 404)
            self.assertHtml(self.browser("alice").page(f"/q/{q['id']}"))
        for name in self.outsiders():
            with self.subTest(page="/a/vault", user=name):
                page = self.assertHtml(self.browser_of(name).page("/a/vault")).text
                self.assertNotIn(f'href="/q/{self.q_assoc["id"]}"', page)
                self.assertNotIn(f'href="/q/{self.q_board["id"]}"', page)
                self.assertNotIn("Hidden association survey", page)
        page = self.browser("alice").page("/a/vault").text
        self.assertIn(f'href="/q/{self.q_assoc["id"]}"', page)
        self.assertIn(f'href="/q/{self.q_board["id"]}"', self.browser("alice").page("/b/vault-board").text)

    def test_outsiders_cannot_create_on_the_hidden_board(self):
        for c in (self.lect2, self.smod, self.admin):
            with self.subTest(user=c.user["username"]):
                self.assertError(self.create(c, board="vault-board"), 404, "board_not_found")

    def test_membership_shows_and_hides(self):
        name = unique("eve")
        eve = self.server.member(name)
        for q in self.qs().values():
            self.assertError(eve.get(f"questionnaires/{q['id']}"), 404)
        self.assertStatus(eve.post("associations/vault/members"), 202)
        for q in self.qs().values():
            self.assertError(eve.get(f"questionnaires/{q['id']}"), 404, "questionnaire_not_found")
        self.assertStatus(self.lect.post(f"associations/vault/members/{name}", {"action": "approve"}), 200)
        for where, q in self.qs().items():
            with self.subTest(q=where):
                self.assertStatus(eve.get(f"questionnaires/{q['id']}"), 200)
                self.assertStatus(self.respond(eve, q["id"]), 201)
        self.assertStatus(self.lect.post(f"associations/vault/members/{name}", {"action": "remove"}), 200)
        for where, q in self.qs().items():
            with self.subTest(q=where, removed=True):
                self.assertError(eve.get(f"questionnaires/{q['id']}"), 404, "questionnaire_not_found")
                self.assertError(self.respond(eve, q["id"]), 404)


# ---- pages and forms ----------------------------------------------------------------------------------------------------


class Pages(QCase):
    def test_answer_form_fields(self):
        q = self.make_q(title="Form fields")
        page = self.assertHtml(self.browser("alice").page(f"/q/{q['id']}")).text
        self.assertIn(f'action="/q/{q["id"]}"', page)
        self.assertIn('name="csrf"', page)
        for prompt in (x["prompt"] for x in QUESTIONS):
            self.assertIn(prompt, page)

        def inputs(kind, name):
            return re.findall(rf'<input type="{kind}" name="{name}" value="([^"]*)"', page)

        self.assertEqual(inputs("radio", "q0"), ["0", "1", "2"])
        self.assertEqual(inputs("checkbox", "q1"), ["0", "1", "2", "3"])
        self.assertEqual(inputs("radio", "q2"), ["1", "2", "3", "4", "5"])
        self.assertRegex(page, r'<textarea[^>]* name="q3"|<textarea name="q3"')
        for opt in QUESTIONS[0]["options"] + QUESTIONS[1]["options"]:
            self.assertIn(opt, page)

    def test_answer_through_the_form(self):
        q = self.make_q(title="Answered by form")
        c = self.browser("carol")
        path = f"/q/{q['id']}"
        r = self.post_fields(c, path, [("q0", "2"), ("q1", "0"), ("q1", "3"), ("q2", "5"), ("q3", "表单 answer")],
                             csrf=False)
        self.assertStatus(r, 403)
        self.assertEqual(self.get_q(q["id"])["response_count"], 0)
        r = self.post_fields(c, path, [("q0", "2"), ("q1", "0"), ("q1", "3"), ("q2", "5"), ("q3", "表单 answer")])
        self.assertStatus(r, 303)
        self.assertEqual(location_path(r), path)
        res = self.results(self.lect, q["id"])
        self.assertEqual([x.get("counts") for x in res["questions"][:3]], [[0, 0, 1], [1, 0, 0, 1], [0, 0, 0, 0, 1]])
        self.assertEqual(res["questions"][3]["texts"], ["表单 answer"])
        self.assertTrue(self.get_q(q["id"], self.carol)["responded"])
        page = c.page(path).text
        self.assertNotIn(f'<form method="post" action="{path}"', page, "no second form after answering")
        self.assertNotIn('name="q0"', page)
        r = self.post_fields(c, path, [("q0", "1"), ("q1", "1"), ("q2", "1"), ("q3", "")], page="/")
        self.assertHtml(r, 409)
        # one checkbox and an empty text through the form
        r = self.post_fields(self.browser("dave"), path, [("q0", "0"), ("q1", "2"), ("q2", "1"), ("q3", "")])
        self.assertStatus(r, 303)
        res = self.results(self.lect, q["id"])
        self.assertEqual(res["questions"][1]["counts"], [1, 0, 1, 1])
        self.assertEqual(res["questions"][3]["texts"], ["表单 answer"])

    def test_incomplete_form_400(self):
        q = self.make_q()
        c = self.browser("bob")
        for pairs in ([("q1", "0"), ("q2", "5"), ("q3", "x")],           # no single choice
                      [("q0", "0"), ("q2", "5"), ("q3", "x")],           # no checkbox ticked
                      [("q0", "0"), ("q1", "0"), ("q2", "9"), ("q3", "x")],
                      [("q0", "3"), ("q1", "0"), ("q2", "5"), ("q3", "x")]):
            with self.subTest(pairs=pairs):
                self.assertHtml(self.post_fields(c, f"/q/{q['id']}", pairs), 400)
        self.assertEqual(self.get_q(q["id"])["response_count"], 0)

    def test_non_numeric_form_values_400(self):
        # "x" is no option index: it must not be read as option 0 (nor "2x" as 2)
        q = self.make_q()
        for name, pairs in (("bob", [("q0", "x"), ("q1", "0"), ("q2", "5"), ("q3", "x")]),
                            ("carol", [("q0", "0"), ("q1", "1x"), ("q2", "5"), ("q3", "x")]),
                            ("dave", [("q0", "0"), ("q1", "0"), ("q2", "4.5"), ("q3", "x")])):
            with self.subTest(pairs=pairs):
                self.assertHtml(self.post_fields(self.browser(name), f"/q/{q['id']}", pairs), 400)
        self.assertEqual(self.get_q(q["id"])["response_count"], 0)

    def test_page_for_visitors_and_closed(self):
        q = self.make_q()
        page = self.assertHtml(self.anon().page(f"/q/{q['id']}")).text
        self.assertNotIn('name="q0"', page)
        self.assertIn(f"/login?next=/q/{q['id']}", page)
        self.assertHtml(self.anon().page("/q/987654321"), 404)
        closed = self.make_q(closes_at=PAST, title="Closed one")
        page = self.assertHtml(self.browser("alice").page(f"/q/{closed['id']}")).text
        self.assertIn("Closed one", page)
        self.assertNotIn('name="q0"', page)
        r = self.post_fields(self.browser("alice"), f"/q/{closed['id']}",
                             [("q0", "0"), ("q1", "0"), ("q2", "1"), ("q3", "")])
        self.assertHtml(r, 403)

    def test_no_answer_form_for_non_members_of_the_association(self):
        q = self.make_q(self.alice, association="club")
        self.assertIn('name="q0"', self.browser("bob").page(f"/q/{q['id']}").text)
        page = self.assertHtml(self.browser("carol").page(f"/q/{q['id']}")).text
        self.assertNotIn('name="q0"', page, "carol cannot answer (403 members_only): no form for her")

    def test_results_page(self):
        questions = [
            {"kind": "single", "prompt": "Pick <i>one</i>", "options": ["<script>x</script>", "b & c"]},
            {"kind": "text", "prompt": "Say"},
            {"kind": "multi", "prompt": "Pick many", "options": ["m1", "m2", "m3"]},
            {"kind": "rating", "prompt": "Rate"},
        ]
        q = self.make_q(questions=questions, title="Results <b>page</b>")
        self.assertStatus(self.respond(self.alice, q["id"], [0, "<img src=x onerror=alert(1)>", [0, 2], 4]), 201)
        self.assertStatus(self.respond(self.bob, q["id"], [1, "plain", [1], 2]), 201)
        path = f"/q/{q['id']}/results"
        for name in ("lect", "smod", "qadmin", "bmod"):
            with self.subTest(user=name):
                page = self.assertHtml(self.browser(name).page(path)).text
                self.assertEqual(page.count('<table class="chart">'), 3, "one chart per choice or rating question")
                self.assertIn("&lt;script&gt;x&lt;/script&gt;", page)
                self.assertNotIn("<script>x</script>", page)
                self.assertIn("Pick &lt;i&gt;one&lt;/i&gt;", page)
                self.assertNotIn("<i>one</i>", page)
                self.assertNotIn("<b>page</b>", page)
                self.assertIn("&lt;img src=x onerror=alert(1)&gt;", page)
                self.assertNotRegex(page, r"<img[^>]*onerror")
                self.assertIn("plain", page)
                self.assertIn(f'href="/q/{q["id"]}/results.csv"', page)
        self.assertHtml(self.browser("alice").page(path), 403)
        self.assertNotEqual(self.anon().page(path).status, 200)
        self.assertIn(f'href="{path}"', self.browser("lect").page(f"/q/{q['id']}").text)
        self.assertNotIn(f'href="{path}"', self.browser("alice").page(f"/q/{q['id']}").text)

    def test_results_csv_page(self):
        q = self.make_q()
        self.assertStatus(self.respond(self.alice, q["id"]), 201)
        r = self.assertStatus(self.browser("lect").page(f"/q/{q['id']}/results.csv"), 200)
        self.assertTrue(r.header("Content-Type", "").startswith("text/csv"), r.headers)
        self.assertRegex(r.header("Content-Disposition", ""), r"^attachment\b")
        rows = list(csv.reader(io.StringIO(r.body.decode("utf-8"), newline="")))
        self.assertEqual(rows[1], ["alice", "wheat", "tractor; sickle", "4", "more training please"])
        self.assertStatus(self.browser("alice").page(f"/q/{q['id']}/results.csv"), 403)

    def test_board_page_lists_and_offers_creation(self):
        board = make_board(self.admin)["slug"]
        q = self.make_q(board=board, title="Listed on the board 列表")
        closed = self.make_q(board=board, title="Closed on the board", closes_at=PAST)
        page = self.assertHtml(self.anon().page(f"/b/{board}")).text
        self.assertIn(f'href="/q/{q["id"]}"', page)
        self.assertIn("Listed on the board 列表", page)
        self.assertIn(f'href="/q/{closed["id"]}"', page)
        for name in ("lect", "smod", "qadmin"):
            with self.subTest(user=name):
                self.assertIn(f'href="/q/new?board={board}"', self.browser(name).page(f"/b/{board}").text)
        for name in ("alice", None):
            with self.subTest(user=name):
                self.assertNotIn('href="/q/new', self.browser(name).page(f"/b/{board}").text)

    def test_association_page_lists_and_offers_creation(self):
        q = self.make_q(self.alice, association="club", title="Club survey 俱乐部")
        page = self.assertHtml(self.anon().page("/a/club")).text
        self.assertIn(f'href="/q/{q["id"]}"', page)
        self.assertIn("Club survey 俱乐部", page)
        for name in ("alice", "qadmin"):
            with self.subTest(user=name):
                self.assertIn('href="/q/new?association=club"', self.browser(name).page("/a/club").text)
        for name in ("bob", "lect"):
            with self.subTest(user=name):
                self.assertNotIn('href="/q/new', self.browser(name).page("/a/club").text)

    def test_create_through_the_form(self):
        board = make_board(self.admin)["slug"]
        c = self.browser("lect")
        lines = ("single: Which crop? | rice | wheat | 玉米\r\n"
                 "multi: Which tools? | tractor | drone\r\n"
                 "\r\n"
                 "rating: How useful?\r\n"
                 "text: Anything else?")
        r = c.form("/q", {"board": board, "title": "表单问卷 Form survey", "questions": lines,
                          "closes_at": "2031-06-01T09:30", "anonymous": "1"}, page=f"/b/{board}")
        self.assertStatus(r, 303)
        m = re.fullmatch(r"/q/(\d+)", location_path(r))
        self.assertIsNotNone(m, r.header("Location"))
        q = self.get_q(int(m.group(1)))
        self.assertEqual((q["title"], q["board"], q["association"], q["anonymous"], q["closes_at"], q["created_by"]),
                         ("表单问卷 Form survey", board, None, True, "2031-06-01T09:30:00Z", "lect"))
        self.assertEqual(q["questions"], [
            {"kind": "single", "prompt": "Which crop?", "options": ["rice", "wheat", "玉米"]},
            {"kind": "multi", "prompt": "Which tools?", "options": ["tractor", "drone"]},
            {"kind": "rating", "prompt": "How useful?"},
            {"kind": "text", "prompt": "Anything else?"},
        ])
        # without the optional fields
        r = c.form("/q", {"board": board, "title": "Plain", "questions": "text: Say something", "closes_at": ""},
                   page=f"/b/{board}")
        self.assertStatus(r, 303)
        q = self.get_q(int(location_path(r).rsplit("/", 1)[1]))
        self.assertEqual((q["anonymous"], q["closes_at"], q["questions"]),
                         (False, None, [{"kind": "text", "prompt": "Say something"}]))

    def test_create_through_the_association_form(self):
        r = self.browser("alice").form("/q", {"association": "club", "title": "Club form survey",
                                              "questions": "rating: Rate the club"}, page="/a/club")
        self.assertStatus(r, 303)
        q = self.get_q(int(location_path(r).rsplit("/", 1)[1]))
        self.assertEqual((q["association"], q["board"], q["created_by"]), ("club", None, "alice"))

    def test_create_form_refusals(self):
        board = make_board(self.admin)["slug"]
        c = self.browser("lect")
        r = c.form("/q", {"board": board, "title": "Bad", "questions": "this line has no kind"}, page=f"/b/{board}")
        self.assertHtml(r, 400)
        self.assertIn("this line has no kind", r.text, "the typed questions are shown back")
        r = c.form("/q", {"board": board, "title": "Bad", "questions": "poll: <b>What</b>? | a | b"}, page=f"/b/{board}")
        self.assertHtml(r, 400)
        self.assertNotIn("<b>What</b>", r.text)
        r = c.form("/q", {"board": board, "title": "Bad", "questions": "single: Only one | a"}, page=f"/b/{board}")
        self.assertHtml(r, 400)
        r = c.form("/q", {"board": board, "title": "Bad", "questions": "text: x"}, csrf=False)
        self.assertStatus(r, 403)
        r = self.browser("alice").form("/q", {"board": board, "title": "Member", "questions": "text: x"},
                                       page=f"/b/{board}")
        self.assertHtml(r, 403)
        r = self.browser("bob").form("/q", {"association": "club", "title": "Member", "questions": "text: x"},
                                     page="/a/club")
        self.assertHtml(r, 403)
        self.assertEqual(self.anon().get(f"questionnaires?board={board}").data["questionnaires"], [])


if __name__ == "__main__":
    unittest.main()
