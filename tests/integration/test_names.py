"""Names where names belong (issue 16): breadcrumbs name each step by its title, people appear
by their display names linking to their profiles, the moderation log translates its actions
and names its targets only for readers who may see them, the review queue names the thread,
the board and the reporter, "Move to" starts at the thread's own board, roles are translated."""

import html
import re

from agora_harness import PASSWORD, ServerTestCase, make_board, make_thread, reply

BOARD_SLUG = "spring-farming"
BOARD_TITLE = "Spring Farming Exchange"
INDUSTRY = "Agriculture and Villages"
SECRET_TITLE = "The circle's quiet plan"


def crumbs(page_text):
    """The labels of the page's breadcrumb trail, in order (the one nav labelled Breadcrumb)."""
    m = re.search(r'<nav class="crumbs" aria-label="([^"]+)"><ol>(.*?)</ol></nav>', page_text, re.S)
    if not m:
        return None
    return [html.unescape(re.sub(r"<[^>]+>", "", li)) for li in re.findall(r"<li>(.*?)</li>", m.group(2), re.S)]


class NamesCase(ServerTestCase):
    """An admin, a board of an industry, a site moderator with a display name, members with
    display names, and a lecturer's members-only association with a board (alice and the
    moderator inside, bob outside)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        srv = cls.server
        cls.admin = srv.admin("admin")
        cls.expect(cls.admin.put("taxonomy/industry/agri", {"name": INDUSTRY}), 200)
        make_board(cls.admin, BOARD_SLUG, title=BOARD_TITLE, industry="agri")
        make_board(cls.admin, "other-board", title="Another Board")
        cls.alice = srv.member("alice", display_name="Alice Wang")
        cls.bob = srv.member("bob", display_name="Bob Li")
        cls.smod = cls.staff("smod", "moderator")
        cls.expect(cls.smod.patch("users/smod", {"display_name": "Moderator Zhao"}), 200)
        cls.lect = cls.staff("lect", "lecturer")
        cls.expect(cls.lect.post("associations", {"slug": "circle", "name": "Circle", "join_policy": "approval",
                                                  "visibility": "members"}), 201)
        for name, c in (("alice", cls.alice), ("smod", cls.smod)):  # the moderator acts from inside
            cls.expect(c.post("associations/circle/members"), 202)
            cls.expect(cls.lect.post(f"associations/circle/members/{name}", {"action": "approve"}), 200)
        cls.expect(cls.lect.post("boards", {"slug": "circle-board", "title": "Circle Board",
                                            "association": "circle"}), 201)

    def browser(self, name):
        c = self.server.client()
        self.assertStatus(c.form("/login", {"username": name, "password": PASSWORD}), 303)
        return c

    def log_entries(self, client, lang="en"):
        page = self.assertHtml(client.page("/mod/log", headers={"Accept-Language": lang})).text
        body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
        return page, [html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))).strip()
                      for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


class Breadcrumbs(NamesCase):
    def test_board_and_thread_pages_name_their_places(self):
        t, _ = make_thread(self.alice, BOARD_SLUG, "Seed checks before sowing")
        board = self.assertHtml(self.anon().page(f"/b/{BOARD_SLUG}")).text
        self.assertEqual(crumbs(board), ["Home", INDUSTRY, BOARD_TITLE])
        thread = self.assertHtml(self.anon().page(f"/t/{t['id']}")).text
        self.assertEqual(crumbs(thread), ["Home", INDUSTRY, BOARD_TITLE, "Seed checks before sowing"])
        self.assertIn(f'<a href="/b/{BOARD_SLUG}">{BOARD_TITLE}</a>', thread)
        self.assertIn('<span aria-current="page">Seed checks before sowing</span>', thread)
        # the slug is an address, never a label
        self.assertNotIn(f">{BOARD_SLUG}<", thread)

    def test_breadcrumbs_in_chinese_and_on_section_pages(self):
        zh = {"Accept-Language": "zh-CN"}
        self.assertEqual(crumbs(self.anon().page("/trainings", headers=zh).text), ["首页", "培训"])
        self.assertEqual(crumbs(self.anon().page("/materials").text), ["Home", "Materials"])
        self.assertEqual(crumbs(self.anon().page("/mod/log").text), ["Home", "Public moderation log"])
        self.assertEqual(crumbs(self.anon().page("/associations").text), ["Home", "Associations"])
        # an association's board stands under its association, by name
        page = self.browser("alice").page("/b/circle-board").text
        self.assertEqual(crumbs(page), ["Home", "Associations", "Circle", "Circle Board"])
        self.assertIn('<nav class="crumbs" aria-label="页面路径">',
                      self.anon().page("/trainings", headers=zh).text)

    def test_the_home_page_has_none(self):
        self.assertIsNone(crumbs(self.anon().page("/").text))


class ModerationLog(NamesCase):
    def test_actions_are_translated_and_targets_named(self):
        t, _ = make_thread(self.bob, BOARD_SLUG, "Irrigation schedules")
        self.assertStatus(self.smod.post(f"mod/threads/{t['id']}", {"action": "pin", "reason": "useful"}), 200)
        self.assertStatus(self.admin.post(f"boards/{BOARD_SLUG}/moderators", {"username": "bob"}), 201)
        page, rows = self.log_entries(self.anon())
        pin = [r for r in rows if "Irrigation schedules" in r]
        self.assertEqual(len(pin), 1, rows)
        self.assertIn("Moderator Zhao", pin[0])
        self.assertIn("pinned a thread", pin[0])
        self.assertIn("useful", pin[0])
        self.assertNotIn("smod", pin[0])
        self.assertIn(f'<a href="/t/{t["id"]}">Irrigation schedules</a>', page)
        appoint = [r for r in rows if "appointed a moderator" in r]
        self.assertTrue(appoint, rows)
        self.assertIn("Bob Li", appoint[0])
        self.assertIn(BOARD_TITLE, appoint[0])
        self.assertNotIn(BOARD_SLUG, appoint[0])
        self.assertNotIn("appoint_moderator", page)
        # the same log in Chinese
        page, rows = self.log_entries(self.anon(), "zh-CN")
        self.assertTrue(any("置顶了主题" in r and "Irrigation schedules" in r for r in rows), rows)
        self.assertTrue(any("任命版主" in r for r in rows), rows)
        self.assertNotIn("pinned a thread", page)

    def test_a_members_only_title_does_not_leak(self):
        t, _ = make_thread(self.alice, "circle-board", SECRET_TITLE)
        self.assertStatus(self.smod.post(f"mod/threads/{t['id']}", {"action": "lock", "reason": "closed"}), 200)
        for name, client in (("visitor", self.anon()), ("bob", self.browser("bob"))):
            with self.subTest(reader=name):
                page, rows = self.log_entries(client)
                self.assertNotIn(SECRET_TITLE, html.unescape(page))
                self.assertNotIn(f'href="/t/{t["id"]}"', page)
                locked = [r for r in rows if "locked a thread" in r]
                self.assertTrue(locked, rows)
                self.assertIn("Something on a members-only board", locked[0])
                self.assertIn("Moderator Zhao", locked[0])
                self.assertNotIn("closed", locked[0])
        page, rows = self.log_entries(self.browser("alice"))
        self.assertIn(SECRET_TITLE, html.unescape(page))
        self.assertIn(f'href="/t/{t["id"]}"', page)

    def test_the_api_keeps_its_codes_and_adds_names(self):
        t, _ = make_thread(self.bob, BOARD_SLUG, "Fertiliser prices")
        self.assertStatus(self.smod.post(f"mod/threads/{t['id']}", {"action": "feature", "reason": "good"}), 200)
        entries = self.anon().get("mod/log?per_page=200").data["entries"]
        e = [x for x in entries if (x["target_type"], x["target_id"]) == ("thread", t["id"])][0]
        self.assertEqual((e["action"], e["actor"], e["reason"]), ("feature", "smod", "good"))
        self.assertEqual(e["actor_name"], "Moderator Zhao")
        self.assertEqual(e["target_name"], "Fertiliser prices")


class ReviewQueue(NamesCase):
    def test_items_name_thread_board_author_and_reporter(self):
        t, root = make_thread(self.alice, BOARD_SLUG, "Village road repairs")
        p = reply(self.alice, t["id"], "first level")
        deep = p
        for i in range(3):
            deep = reply(self.alice, t["id"], f"level {i + 2}", parent_id=deep["id"])
        self.assertStatus(self.bob.post(f"posts/{deep['id']}/reports", {"reason": "off topic"}), 201)
        for lang, reporter in (("en", "Reported by"), ("zh-CN", "举报人")):
            with self.subTest(lang=lang):
                page = self.assertHtml(self.browser("smod").page("/mod", headers={"Accept-Language": lang})).text
                item = page.split(f'action="/mod/posts/{deep["id"]}"')[0].rsplit('<section class="queue-item">', 1)[1]
                self.assertIn(f'<a href="/p/{deep["id"]}">Village road repairs</a>', item)
                self.assertIn(f'<a href="/b/{BOARD_SLUG}">{BOARD_TITLE}</a>', item)
                self.assertIn('<a href="/u/alice">Alice Wang</a>', item)
                self.assertIn(reporter, item)
                self.assertIn('<a href="/u/bob">Bob Li</a>', item)
                self.assertIn("off topic", item)
                self.assertIn("indent-0", item)
                self.assertNotRegex(item, r"indent-[1-9]")
                self.assertNotIn("reported by bob", item)
        # the API's reasons read as they always have
        items = self.smod.get("mod/queue?per_page=200").data["items"]
        mine = [i for i in items if i["post"]["id"] == deep["id"]][0]
        self.assertEqual(mine["reasons"], ["reported by bob: off topic"])
        self.assertEqual(mine["board"], BOARD_SLUG)


class Forms(NamesCase):
    def test_move_to_starts_at_the_threads_board(self):
        t, _ = make_thread(self.alice, "other-board", "Which board")
        page = self.browser("smod").page(f"/t/{t['id']}").text
        select = re.search(r'<select name="board">(.*?)</select>', page, re.S).group(1)
        first = re.search(r"<option[^>]*>", select).group(0)
        self.assertIn('value="other-board"', first)
        self.assertIn("selected", first)
        self.assertEqual(select.count("selected"), 1)

    def test_role_choices_are_translated(self):
        page = self.browser("admin").page("/u/alice", headers={"Accept-Language": "zh-CN"}).text
        select = re.search(r'<select name="role">(.*?)</select>', page, re.S).group(1)
        labels = re.findall(r">([^<]+)</option>", select)
        self.assertEqual(labels, ["普通成员", "讲师", "版主", "管理员"])
        self.assertIn('<option value="member" selected>', select)

    def test_revisions_name_the_editor(self):
        t, root = make_thread(self.alice, BOARD_SLUG, "Edited once")
        self.assertStatus(self.alice.patch(f"posts/{root['id']}", {"body": "The first post, edited."}), 200)
        page = self.anon().page(f"/posts/{root['id']}/revisions").text
        self.assertIn('<a href="/u/alice">Alice Wang</a>', page)
        self.assertEqual(crumbs(page), ["Home", INDUSTRY, BOARD_TITLE, "Edited once", "Edit history"])
