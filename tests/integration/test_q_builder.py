"""The questionnaire builder (issue 16): /q/new offers rows with a prompt, a kind chosen by
name and options, no syntax to type; its buttons post the form to itself (CSRF-checked) and
show it again with everything kept; Create makes the questionnaire or shows the form again,
422, with the wrong field marked; closing times are local to the site's zone; the results
page is a table with percentages of the respondents."""

import html
import re
import unittest
import urllib.parse

from agora_harness import make_board
from test_questionnaires import QCase, location_path


def field(page, name):
    """The value of the input or the text of the textarea called name (unescaped)."""
    m = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', page)
    if m:
        return html.unescape(m.group(1))
    m = re.search(rf'<textarea[^>]*name="{re.escape(name)}"[^>]*>([^<]*)</textarea>', page)
    return html.unescape(m.group(1)) if m else None


def option_values(page, q):
    return [html.unescape(v) for v in re.findall(rf'<input[^>]*name="q{q}_opt"[^>]*value="([^"]*)"', page)]


def selected_kind(page, q):
    m = re.search(rf'<select name="q{q}_kind">(.*?)</select>', page, re.S)
    return re.search(r'<option value="(\w+)" selected>', m.group(1)).group(1) if m else None


class Builder(QCase):
    def setUp(self):
        self.board = make_board(self.admin, title="Builder board")["slug"]

    def typed(self, **extra):
        pairs = [("board", self.board), ("title", "春耕调查"),
                 ("q0_prompt", "种什么？"), ("q0_kind", "single"), ("q0_opt", "水稻"), ("q0_opt", "小麦"),
                 ("q1_prompt", "Useful?"), ("q1_kind", "rating"), ("closes_at", "2031-06-01T09:30"),
                 ("anonymous", "1")]
        return pairs + list(extra.items())

    def post(self, c, pairs, csrf=True, lang="en"):
        pairs = list(pairs)
        if csrf:
            pairs.append(("csrf", c.form_csrf(f"/q/new?board={self.board}")))
        return c.request("POST", "/q", body=urllib.parse.urlencode(pairs), token=None, csrf=None,
                         content_type="application/x-www-form-urlencoded", headers={"Accept-Language": lang})

    def test_the_page_offers_kinds_by_name_and_no_syntax(self):
        c = self.browser("lect")
        for lang, names in (("en", ["Single choice", "Multiple choice", "Rating from 1 to 5", "Free text"]),
                            ("zh-CN", ["单选题", "多选题", "评分题（1–5 分）", "问答题"])):
            with self.subTest(lang=lang):
                page = self.assertHtml(c.page(f"/q/new?board={self.board}", headers={"Accept-Language": lang})).text
                for value, name in zip(("single", "multi", "rating", "text"), names):
                    self.assertIn(f'<option value="{value}"', page)
                    self.assertIn(f">{name}</option>", page)
                self.assertNotIn("single:", page)
                self.assertIn('type="datetime-local"', page)
                self.assertIn("UTC+08:00", page)
                self.assertNotRegex(page, r"\bUTC\b(?!\+)")
        board_page = c.page(f"/b/{self.board}").text
        self.assertIn(f'href="/q/new?board={self.board}"', board_page)
        self.assertNotIn(f'href="/q/new', self.browser("alice").page(f"/b/{self.board}").text)
        self.assertHtml(self.browser("alice").page(f"/q/new?board={self.board}"), 403)
        r = self.anon().page(f"/q/new?board={self.board}")  # a visitor is sent to sign in, and back
        self.assertStatus(r, 303)
        self.assertEqual(r.header("Location"), f"/login?next=/q/new%3Fboard%3D{self.board}")

    def test_add_question_and_option_keep_everything_typed(self):
        c = self.browser("lect")
        r = self.assertHtml(self.post(c, self.typed(do="add_question")))
        page = r.text
        self.assertEqual(field(page, "title"), "春耕调查")
        self.assertEqual(field(page, "q0_prompt"), "种什么？")
        self.assertEqual(option_values(page, 0), ["水稻", "小麦"])
        self.assertEqual(field(page, "q1_prompt"), "Useful?")
        self.assertEqual(selected_kind(page, 1), "rating")
        self.assertEqual(field(page, "closes_at"), "2031-06-01T09:30")
        self.assertRegex(page, r'name="anonymous" value="1" checked')
        self.assertEqual(field(page, "q2_prompt"), "", "a third, empty question")
        self.assertEqual(selected_kind(page, 2), "single")
        # one more option on the first question, then remove the second question
        page = self.assertHtml(self.post(c, self.typed(do="add_option:0"))).text
        self.assertEqual(option_values(page, 0), ["水稻", "小麦", ""])
        page = self.assertHtml(self.post(c, self.typed(do="remove:1"))).text
        self.assertEqual(field(page, "q0_prompt"), "种什么？")
        self.assertIsNone(field(page, "q1_prompt"))
        page = self.assertHtml(self.post(c, self.typed(do="remove_option:0:0"))).text
        self.assertEqual(option_values(page, 0), ["小麦"])
        self.assertEqual(self.anon().get(f"questionnaires?board={self.board}").data["questionnaires"], [],
                         "no button but Create creates")

    def test_create_makes_it_with_local_closing_time(self):
        c = self.browser("lect")
        # an empty option row is not an option; a rating takes none even if typed
        r = self.post(c, self.typed(do="create") + [("q0_opt", ""), ("q1_opt", "ignored")])
        self.assertStatus(r, 303)
        q = self.get_q(int(location_path(r).rsplit("/", 1)[1]))
        self.assertEqual(q["questions"], [{"kind": "single", "prompt": "种什么？", "options": ["水稻", "小麦"]},
                                          {"kind": "rating", "prompt": "Useful?"}])
        self.assertEqual((q["title"], q["anonymous"], q["closes_at"]), ("春耕调查", True, "2031-06-01T01:30:00Z"))
        page = self.browser("alice").page(f"/q/{q['id']}", headers={"Accept-Language": "zh-CN"}).text
        self.assertIn(">2031-06-01 09:30</time>", page)
        self.assertIn("UTC+08:00", page)
        self.assertNotRegex(page, r">[^<]*01:30", "the closing time in UTC as text")

    def test_create_with_a_missing_prompt_comes_back_422_with_the_text(self):
        c = self.browser("lect")
        pairs = [p for p in self.typed(do="create") if p[0] != "q1_prompt"] + [("q1_prompt", "  ")]
        r = self.post(c, pairs)
        self.assertHtml(r, 422)
        page = r.text
        self.assertEqual(field(page, "title"), "春耕调查")
        self.assertEqual(field(page, "q0_prompt"), "种什么？")
        self.assertEqual(option_values(page, 0), ["水稻", "小麦"])
        self.assertRegex(page, r'<textarea name="q1_prompt"[^>]*aria-invalid="true"[^>]*aria-describedby="q1-error"')
        self.assertNotRegex(page, r'<textarea name="q0_prompt"[^>]*aria-invalid')
        self.assertIn('id="q1-error">Each question needs its text', page)
        self.assertIn('role="alert"', page)
        # a choice with one option: its options are marked, in Chinese on the Chinese page
        pairs = [p for p in self.typed(do="create") if p != ("q0_opt", "小麦")]
        r = self.post(c, pairs)
        self.assertHtml(r, 422)
        self.assertRegex(r.text, r'name="q0_opt" value="水稻"[^>]*aria-invalid="true"')
        r = self.post(c, pairs, lang="zh-CN")
        self.assertHtml(r, 422)
        self.assertIn("单选题和多选题需要 2 到 20 个互不相同的选项", r.text)
        # a kind the builder does not offer (a forged form): the kind is marked
        r = self.post(c, [p for p in self.typed(do="create") if p != ("q1_kind", "rating")] + [("q1_kind", "poll")])
        self.assertHtml(r, 422)
        self.assertRegex(r.text, r'<select name="q1_kind" aria-invalid="true"')
        self.assertIn("Choose a kind of question", r.text)
        # a missing title, and a closing time that is no time
        r = self.post(c, [p for p in self.typed(do="create") if p[0] != "title"])
        self.assertHtml(r, 422)
        self.assertRegex(r.text, r'name="title"[^>]*aria-invalid="true"')
        r = self.post(c, [p for p in self.typed(do="create") if p[0] != "closes_at"] + [("closes_at", "soon")])
        self.assertHtml(r, 422)
        self.assertRegex(r.text, r'name="closes_at"[^>]*value="soon"[^>]*aria-invalid="true"')
        self.assertEqual(self.anon().get(f"questionnaires?board={self.board}").data["questionnaires"], [])

    def test_every_button_needs_the_csrf_token(self):
        c = self.browser("lect")
        for action in ("add_question", "add_option:0", "remove:1", "create"):
            with self.subTest(action=action):
                r = self.post(c, self.typed(do=action), csrf=False)
                self.assertStatus(r, 403)
                self.assertNotIn("种什么", r.text)
        self.assertEqual(self.anon().get(f"questionnaires?board={self.board}").data["questionnaires"], [])

    def test_members_may_not_use_the_builder(self):
        r = self.post(self.browser("alice"), self.typed(do="add_question"))
        self.assertHtml(r, 403)
        self.assertNotIn("种什么", r.text)


class ResultsTable(QCase):
    def test_results_are_a_table_with_percentages_of_respondents(self):
        q = self.make_q(questions=[
            {"kind": "single", "prompt": "Crop", "options": ["rice", "wheat"]},
            {"kind": "multi", "prompt": "Tools", "options": ["tractor", "drone", "app"]},
            {"kind": "rating", "prompt": "Useful"},
        ])
        for c, answers in ((self.alice, [0, [0, 1], 5]), (self.bob, [0, [0], 4]),
                           (self.carol, [1, [0, 2], 5]), (self.dave, [0, [1], 3])):
            self.assertStatus(self.respond(c, q["id"], answers), 201)
        data = self.results(self.lect, q["id"])
        self.assertEqual([x.get("respondents") for x in data["questions"]], [4, 4, None])
        page = self.assertHtml(self.browser("lect").page(f"/q/{q['id']}/results")).text
        self.assertEqual(page.count('<table class="chart">'), 3)
        self.assertEqual(page.count("<caption"), 3)
        self.assertIn('<th scope="col" class="num">Share of respondents</th>', page)
        row = r'<th scope="row"><span class="chart-label">{}</span>.*?</th><td class="num">{}</td><td class="num">{}</td>'
        for label, count, pct in (("rice", 3, "75%"), ("wheat", 1, "25%"), ("tractor", 3, "75%"),
                                  ("drone", 2, "50%"), ("app", 1, "25%"), ("5", 2, "50%"), ("1", 0, "0%")):
            self.assertRegex(page, row.format(label, count, pct))
        # bars are shares of the respondents: 3 of 4 fills three quarters, not the whole bar
        self.assertRegex(page, r'rice</span><svg[^>]*>.*?class="bar-fill" width="75.0"')
        zh = self.browser("lect").page(f"/q/{q['id']}/results", headers={"Accept-Language": "zh-CN"}).text
        self.assertIn("占答题人数", zh)


if __name__ == "__main__":
    unittest.main()
