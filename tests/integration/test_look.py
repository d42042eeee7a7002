"""The look of the pages as served (no JavaScript): generated avatars beside names, numbered
pagers above and below long lists with a link to the last page, and the home page's h1 with
its threads before its boards."""

import re

from agora_harness import ServerTestCase, make_board, make_thread, reply

AVATAR = re.compile(r'<span class="avatar(?: big)? tone-([0-7])" aria-hidden="true">([^<]*)</span>')
THREAD_PAGE_POSTS = 50  # daemon/handlers/handlers.h


class LookCase(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.server.admin("lookadmin")
        cls.board = make_board(cls.admin, title="Look board", industry="agriculture")
        cls.zhang = cls.server.member("lookzhang", display_name="张伟")
        cls.li = cls.server.member("lookli", display_name="li wei")
        cls.thread, cls.first = make_thread(cls.zhang, cls.board["slug"], "Avatars thread", "Hello.")
        reply(cls.li, cls.thread["id"], "A reply by Li.")


class Avatars(LookCase):
    def test_posts_show_the_initials_in_a_stable_colour(self):
        page = self.assertHtml(self.anon().page(f"/t/{self.thread['id']}")).text
        found = AVATAR.findall(page)
        self.assertIn("张", [i for _, i in found], "the CJK name's surname is not the avatar")
        self.assertIn("LW", [i for _, i in found], "a Latin name's initials are not the avatar")
        again = AVATAR.findall(self.anon().page(f"/t/{self.thread['id']}").text)
        self.assertEqual(found, again, "the avatar's colour changes between two views")

    def test_thread_lists_and_profiles_show_the_avatar(self):
        board = self.anon().page(f"/b/{self.board['slug']}").text
        self.assertIn("张", [i for _, i in AVATAR.findall(board)], "the thread list's author has no avatar")
        profile = self.anon().page("/u/lookzhang").text
        self.assertRegex(profile, r'<h1><span class="avatar big tone-[0-7]" aria-hidden="true">张</span> 张伟')

    def test_the_api_gives_the_avatar_beside_the_name(self):
        r = self.assertStatus(self.anon().get(f"threads/{self.thread['id']}"), 200)
        author = r.data["posts"][0]["author"]
        self.assertEqual(author["avatar"]["initials"], "张")
        self.assertIn(author["avatar"]["tone"], range(8))

    def test_the_header_shows_the_member_avatar(self):
        c = self.server.client()
        c.login("lookli", bearer=False)
        header = c.page("/").text.split("</header>")[0]
        self.assertRegex(header, r'<summary><span class="avatar tone-[0-7]" aria-hidden="true">LW</span>')
        self.assertIn('class="me">li wei</a>', header)


class Pager(LookCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.long, _ = make_thread(cls.li, cls.board["slug"], "Long thread", "Post 0.")
        for i in range(1, THREAD_PAGE_POSTS * 4 + 1):  # five pages of posts
            reply(cls.li, cls.long["id"], f"Post {i}.")

    def pagers(self, path):
        page = self.assertHtml(self.anon().page(path)).text
        return re.findall(r'<nav class="pager[^"]*" aria-label="[^"]+">(.*?)</nav>', page, re.S)

    def test_numbered_pages_above_and_below_with_the_last_page(self):
        pagers = self.pagers(f"/t/{self.long['id']}")
        self.assertEqual(len(pagers), 2, "the thread has no pager above and below its posts")
        self.assertEqual(pagers[0], pagers[1])
        p = pagers[0]
        self.assertIn('<a href="?page=1" aria-current="page">1</a>', p)
        for n in (2, 3, 5):
            self.assertIn(f'<a href="?page={n}">{n}</a>', p)
        self.assertIn('class="gap">…</span>', p, "pages 4 is not left out between 3 and 5")
        self.assertIn('href="?page=2" rel="next">Next page</a>', p)
        self.assertIn('<a class="last" href="?page=5">Last page (5)</a>', p)
        self.assertNotIn('rel="prev"', p)

    def test_a_middle_page_keeps_the_view_and_marks_itself(self):
        p = self.pagers(f"/t/{self.long['id']}?page=3&view=flat")[0]
        self.assertIn('<a href="?page=3&amp;view=flat" aria-current="page">3</a>', p)
        self.assertIn('href="?page=2&amp;view=flat" rel="prev"', p)
        self.assertIn('<a class="last" href="?page=5&amp;view=flat">', p)
        self.assertNotIn("gap", p, "1 2 3 4 5 are all near page 3")

    def test_the_last_page_has_no_link_to_itself_as_the_last(self):
        p = self.pagers(f"/t/{self.long['id']}?page=5")[0]
        self.assertIn('aria-current="page">5</a>', p)
        self.assertNotIn('class="last"', p)
        self.assertNotIn('rel="next"', p)

    def test_the_pager_in_chinese(self):
        page = self.anon().page(f"/t/{self.long['id']}", headers={"Accept-Language": "zh-CN"}).text
        self.assertIn("末页（5）", page)
        self.assertIn("下一页", page)

    def test_a_single_page_has_no_pager(self):
        self.assertEqual(self.pagers(f"/t/{self.thread['id']}"), [])


class Home(LookCase):
    def test_home_has_an_h1_and_lists_threads_before_boards(self):
        for lang in ("en", "zh-CN"):
            with self.subTest(lang=lang):
                page = self.assertHtml(self.anon().page("/", headers={"Accept-Language": lang})).text
                self.assertEqual(len(re.findall(r"<h1[ >]", page)), 1, "the home page has not one h1")
                self.assertLess(page.index('<section class="recent">'), page.index('<section class="taxonomy">'),
                                "the boards come before the threads")
                self.assertLess(page.index(f'href="/t/{self.thread["id"]}"'), page.index(f'href="/b/{self.board["slug"]}"'))
