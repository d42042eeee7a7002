"""Uploads in posts (API.md "Peer learning in threads"; issue 14, part "Uploads"): members
attach images and documents, typed by their bytes (libmagic), never by their names; images
keep their size and lose their EXIF; limits and a daily quota; each file stored once by its
SHA-256; and who may fetch it: its uploader, and whoever may see a published post that links
it (members-only association boards included) — everyone else gets 404, as for a missing id.
Also the page form that works without JavaScript, and the composers that offer it."""

import hashlib
import os
import re
import shutil
import struct
import zlib

from agora_harness import Server, ServerTestCase, hidden_csrf, make_board, make_thread, reply
from test_materials import file_part, multipart
from test_moderation import plugin_folder


# ---- files built by hand ---------------------------------------------------------------------


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width=3, height=2, exif=None):
    """A real RGB PNG of width x height red pixels; exif: an eXIf chunk's data before IDAT."""
    raw = b"".join(b"\0" + b"\xff\0\0" * width for _ in range(height))
    out = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    if exif is not None:
        out += png_chunk(b"eXIf", exif)
    return out + png_chunk(b"IDAT", zlib.compress(raw)) + png_chunk(b"IEND", b"")


# A TIFF header (little-endian) whose first IFD holds one entry: the GPS IFD pointer (tag
# 0x8825), then that GPS IFD with a latitude reference "N" (tag 1).
GPS_TIFF = (b"II*\0\x08\0\0\0" + b"\x01\0" + b"\x25\x88\x04\0\x01\0\0\0\x1a\0\0\0" + b"\0\0\0\0"
            + b"\x01\0" + b"\x01\0\x02\0\x02\0\0\0N\0\0\0" + b"\0\0\0\0")


def segment(marker, payload):
    return b"\xff" + bytes([marker]) + struct.pack(">H", len(payload) + 2) + payload


def jpeg_with_gps(width=640, height=480):
    """SOI, JFIF, an APP1 Exif with a GPS IFD, a quantisation table, the frame header (SOF0),
    a scan and EOI: enough for the header readers, not a picture anyone can look at."""
    sof = struct.pack(">BHHB", 8, height, width, 3) + b"\x01\x22\0\x02\x11\x01\x03\x11\x01"
    return (b"\xff\xd8" + segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0")
            + segment(0xE1, b"Exif\0\0" + GPS_TIFF) + segment(0xDB, b"\0" + bytes(range(64)))
            + segment(0xC0, sof) + segment(0xDA, b"\x03\x01\0\x02\x11\x03\x11\0\x3f\0")
            + b"\x12\x34\x56" * 20 + b"\xff\xd9")


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML = b"<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>\n"


class UploadCase(ServerTestCase):
    """Members alice, bob and carol; a public board; the members-only association `club`
    (alice and bob members, carol not) with its board."""

    env = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.server.admin("upadmin")
        for name in ("alice", "bob", "carol"):
            setattr(cls, name, cls.server.member(name))
        cls.board = make_board(cls.admin, title="Open board")["slug"]
        cls.expect(cls.admin.post("associations", {"slug": "club", "name": "Club", "visibility": "members",
                                                   "join_policy": "open"}), 201)
        for c in (cls.alice, cls.bob):
            cls.expect(c.post("associations/club/members"), 201)
        cls.club_board = make_board(cls.admin, title="Club board", association="club")["slug"]

    def upload(self, client, data, filename="file.bin", ctype="application/octet-stream"):
        body, ctype_header = multipart([file_part(data, filename, ctype)])
        return client.request("POST", "/api/v1/uploads", body=body, content_type=ctype_header)

    def uploaded(self, client, data, filename="file.bin", **kw):
        r = self.assertStatus(self.upload(client, data, filename, **kw), 201)
        return r.data["upload"]


class TestTypes(UploadCase):
    def test_png_named_pdf_is_a_png(self):
        up = self.uploaded(self.alice, png(3, 2), "report.pdf")
        self.assertEqual(set(up), {"id", "url", "filename", "content_type", "size", "width", "height"})
        self.assertEqual(up["content_type"], "image/png")
        self.assertEqual((up["width"], up["height"]), (3, 2))
        self.assertEqual(up["filename"], "report.pdf")
        self.assertEqual(up["url"], f"/uploads/{up['id']}/report.pdf")
        r = self.assertStatus(self.alice.page(up["url"]), 200)
        self.assertEqual(r.body, png(3, 2))
        self.assertEqual(r.header("Content-Type"), "image/png")
        self.assertTrue(r.header("Content-Disposition", "").startswith("inline"), r.header("Content-Disposition"))
        self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")
        self.assertIn("default-src 'self'", r.header("Content-Security-Policy", ""))

    def test_html_named_png_is_refused(self):
        self.assertError(self.upload(self.alice, HTML, "photo.png", "image/png"), 415, "unsupported_type")

    def test_markup_after_text_prefix_is_refused(self):
        self.assertError(self.upload(self.alice, b"  \n<svg xmlns='http://www.w3.org/2000/svg'/>", "a.txt"),
                         415, "unsupported_type")

    def test_text_with_nul_is_refused(self):
        self.assertError(self.upload(self.alice, b"plain notes\0more", "notes.txt", "text/plain"),
                         415, "unsupported_type")

    def test_program_is_refused(self):
        self.assertError(self.upload(self.alice, b"\x7fELF\x02\x01\x01" + bytes(200), "tool.pdf"),
                         415, "unsupported_type")

    def test_text_and_pdf_are_attachments(self):
        for data, name, ctype in ((b"Spring ploughing notes\n\xe6\x98\xa5\xe8\x80\x95\n", "notes.txt", "text/plain"),
                                  (PDF, "plan.pdf", "application/pdf")):
            up = self.uploaded(self.alice, data, name)
            self.assertEqual(up["content_type"], ctype)
            self.assertIsNone(up["width"])
            r = self.assertStatus(self.alice.page(up["url"]), 200)
            self.assertEqual(r.body, data)
            self.assertTrue(r.header("Content-Disposition", "").startswith("attachment"))
            self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")

    def test_unsafe_name_has_a_safe_url(self):
        up = self.uploaded(self.alice, png(), "../春耕 plan (1).png")
        self.assertEqual(up["url"], f"/uploads/{up['id']}/plan_1_.png")
        self.assertStatus(self.alice.page(up["url"]), 200)
        cd = self.alice.page(up["url"]).header("Content-Disposition")
        self.assertIn("filename*=UTF-8''", cd)

    def test_no_file_and_anonymous(self):
        body, ctype = multipart([("field", "note", b"hello")])
        self.assertError(self.alice.request("POST", "/api/v1/uploads", body=body, content_type=ctype), 400, "no_file")
        self.assertError(self.upload(self.anon(), png()), 401)

    def test_banned_member_may_not_upload(self):
        dave = self.server.member("dave")
        self.assertStatus(self.admin.post("users/dave/ban", {"days": 1, "reason": "tests"}), 201)
        self.assertError(self.upload(dave, png()), 403, "banned")

    def test_stored_once(self):
        data = png(5, 5)
        a = self.uploaded(self.alice, data, "a.png")
        b = self.uploaded(self.bob, data, "b.png")
        self.assertNotEqual(a["id"], b["id"])
        sha = hashlib.sha256(data).hexdigest()
        self.assertTrue(os.path.exists(os.path.join(self.server.data_dir, "files", sha[:2], sha)))


class TestImages(UploadCase):
    def test_jpeg_loses_exif_and_gps(self):
        data = jpeg_with_gps(640, 480)
        self.assertIn(b"Exif\0\0", data)
        up = self.uploaded(self.alice, data, "field.jpg")
        self.assertEqual(up["content_type"], "image/jpeg")
        self.assertEqual((up["width"], up["height"]), (640, 480))
        body = self.assertStatus(self.alice.page(up["url"]), 200).body
        self.assertNotIn(b"Exif\0\0", body)
        self.assertNotIn(b"\x25\x88", body)  # the GPS IFD tag
        self.assertTrue(body.startswith(b"\xff\xd8") and body.endswith(b"\xff\xd9"))
        self.assertIn(b"JFIF", body)
        self.assertEqual(up["size"], len(body))
        self.assertEqual(len(body), len(data) - len(GPS_TIFF) - 10)

    def test_png_loses_exif_chunk(self):
        up = self.uploaded(self.alice, png(4, 7, exif=GPS_TIFF), "map.png")
        self.assertEqual((up["width"], up["height"]), (4, 7))
        body = self.assertStatus(self.alice.page(up["url"]), 200).body
        self.assertNotIn(b"eXIf", body)
        self.assertEqual(body, png(4, 7))

    def test_webp_loses_exif_chunk(self):
        webp = (b"RIFF\x32\0\0\0WEBP" + b"VP8X\x0a\0\0\0\x08\0\0\0\x1d\0\0\x0e\0\0"
                + b"EXIF\x05\0\0\0Exif\0\0" + b"VP8L\x05\0\0\0\x2f\0\0\0\0\0")
        up = self.uploaded(self.alice, webp, "w.webp")
        self.assertEqual((up["content_type"], up["width"], up["height"]), ("image/webp", 30, 15))
        body = self.assertStatus(self.alice.page(up["url"]), 200).body
        self.assertNotIn(b"Exif", body)
        self.assertEqual(struct.unpack("<I", body[4:8])[0], len(body) - 8)
        self.assertEqual(body[20] & 0x08, 0)

    def test_gif_size(self):
        gif = b"GIF89a\x0a\0\x14\0\x80\0\0\0\0\0\xff\xff\xff,\0\0\0\0\x0a\0\x14\0\0\x02\x02D\x01\0;"
        up = self.uploaded(self.alice, gif, "dot.gif")
        self.assertEqual((up["content_type"], up["width"], up["height"]), ("image/gif", 10, 20))

    def test_truncated_png_is_refused(self):
        self.assertError(self.upload(self.alice, png()[:30], "cut.png"), 415, "unsupported_type")


class TestLimits(UploadCase):
    def test_image_over_5_mib(self):
        big = png() + b"\0" * (5 * 1024 * 1024)
        self.assertError(self.upload(self.alice, big, "big.png"), 413, "too_large")

    def test_document_over_20_mib(self):
        big = b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024)
        self.assertError(self.upload(self.alice, big, "big.pdf"), 413, "too_large")
        tmp = os.path.join(self.server.data_dir, "files", "tmp")
        self.assertEqual(os.listdir(tmp) if os.path.isdir(tmp) else [], [])

    def test_document_under_20_mib(self):
        data = b"%PDF-1.4\n" + b"0" * (6 * 1024 * 1024)
        up = self.uploaded(self.alice, data, "long.pdf")
        self.assertEqual(up["size"], len(data))


class TestQuota(UploadCase):
    env = {"AGORA_UPLOAD_QUOTA": "3"}

    def test_daily_quota(self):
        for i in range(3):
            self.uploaded(self.carol, png(i + 1, 1), f"p{i}.png")
        r = self.assertError(self.upload(self.carol, png(9, 9)), 429, "quota_exceeded")
        self.assertGreater(int(r.header("Retry-After", "0")), 3600 * 23)
        self.uploaded(self.bob, png(9, 9))  # a quota per member


class TestVisibility(UploadCase):
    def test_unlinked_upload_is_its_uploaders_only(self):
        up = self.uploaded(self.alice, png(), "mine.png")
        self.assertStatus(self.alice.page(up["url"]), 200)
        for c in (self.bob, self.anon(), self.admin):
            self.assertStatus(c.page(up["url"]), 404)
        self.assertStatus(self.alice.page(f"/uploads/{up['id']}/other.png"), 404)
        self.assertStatus(self.alice.page(f"/uploads/{up['id'] + 1000}/mine.png"), 404)

    def test_public_post_lends_to_everyone(self):
        up = self.uploaded(self.alice, png(), "public.png")
        _, post = make_thread(self.alice, self.board, body=f"Look: ![public]({up['url']})")
        self.assertIn(f'<img src="{up["url"]}"', post["body_html"])
        self.assertStatus(self.anon().page(up["url"]), 200)
        self.assertStatus(self.carol.page(up["url"]), 200)

    def test_members_only_board(self):
        up = self.uploaded(self.alice, png(2, 2), "club.png")
        self.assertStatus(self.alice.page(up["url"]), 200)
        self.assertStatus(self.carol.page(up["url"]), 404)
        self.assertStatus(self.bob.page(up["url"]), 404)
        thread, post = make_thread(self.alice, self.club_board, body=f"![club]({up['url']})")
        self.assertStatus(self.bob.page(up["url"]), 200)
        self.assertStatus(self.carol.page(up["url"]), 404)
        self.assertStatus(self.anon().page(up["url"]), 404)
        # the thread page shows the image to a member
        self.assertIn(f'src="{up["url"]}"', self.bob.page(f"/t/{thread['id']}").text)
        # a deleted post lends nothing
        self.assertStatus(self.alice.delete(f"posts/{post['id']}"), (200, 204))
        self.assertStatus(self.bob.page(up["url"]), 404)
        self.assertStatus(self.alice.page(up["url"]), 200)

    def test_reply_and_edit_keep_the_links(self):
        up = self.uploaded(self.alice, PDF, "plan.pdf")
        thread, _ = make_thread(self.bob, self.board, body="Who has a plan?")
        p = reply(self.alice, thread["id"], f"Here: [plan]({up['url']})")
        self.assertStatus(self.anon().page(up["url"]), 200)
        self.assertStatus(self.alice.patch(f"posts/{p['id']}", {"body": "no plan after all"}), 200)
        self.assertStatus(self.anon().page(up["url"]), 404)
        self.assertStatus(self.alice.patch(f"posts/{p['id']}", {"body": f"[plan]({up['url']}) again"}), 200)
        self.assertStatus(self.anon().page(up["url"]), 200)

    def test_nobody_lends_what_they_cannot_see(self):
        up = self.uploaded(self.alice, png(), "private.png")
        make_thread(self.carol, self.board, body=f"![stolen]({up['url']})")
        self.assertStatus(self.anon().page(up["url"]), 404)
        self.assertStatus(self.carol.page(up["url"]), 404)

    def test_members_only_link_does_not_lend_outside(self):
        up = self.uploaded(self.alice, png(), "inside.png")
        make_thread(self.alice, self.club_board, body=f"![x]({up['url']})")
        # bob sees it through the club post, and may pass it on to a public board
        make_thread(self.bob, self.board, body=f"![x]({up['url']})")
        self.assertStatus(self.carol.page(up["url"]), 200)


class TestPages(UploadCase):
    def setUp(self):
        self.browser = self.server.client()
        self.browser.login("alice", bearer=False)

    def test_composers_offer_the_form(self):
        thread, _ = make_thread(self.alice, self.board)
        for path in (f"/t/{thread['id']}", f"/b/{self.board}"):
            html = self.assertHtml(self.browser.page(path)).text
            self.assertRegex(html, r'<form method="post" action="/uploads\?csrf=[^"]+" enctype="multipart/form-data"')
            self.assertIn('type="file"', html)
        self.assertNotIn('action="/uploads', self.anon().page(f"/b/{self.board}").text)

    def test_form_upload_shows_markdown(self):
        html = self.assertHtml(self.browser.page("/uploads")).text
        csrf = hidden_csrf(self.browser.page("/").text)
        self.assertIn('type="file"', html)
        body, ctype = multipart([file_part(png(6, 4), "farm photo.png", "image/png")])
        r = self.browser.request("POST", f"/uploads?csrf={csrf}", body=body, content_type=ctype, csrf=None)
        self.assertHtml(r, 201)
        m = re.search(r'value="(!\[farm_photo\.png\]\(/uploads/(\d+)/farm_photo\.png\))"', r.text)
        self.assertTrue(m, r.text)
        self.assertIn('width="6" height="4"', r.text)
        r = self.browser.request("POST", "/uploads", body=body, content_type=ctype, csrf=None)
        self.assertStatus(r, 403)


class TestHeldPosts(UploadCase):
    """With wordfilter holding posts that say "reviewme": a post waiting for review lends
    nothing, not even to the moderators who read it in the queue; approved, it lends."""

    @classmethod
    def setUpClass(cls):
        super(ServerTestCase, cls).setUpClass()
        folder = plugin_folder({"wordfilter": "hold reviewme\n"})
        cls.addClassCleanup(shutil.rmtree, folder, True)
        cls.server = Server(extra_args=["--plugins", folder])
        cls.addClassCleanup(cls.server.cleanup)
        cls.server.start()
        cls.admin = cls.server.admin("upadmin")
        cls.alice = cls.server.member("alice")
        cls.board = make_board(cls.admin, title="Open board")["slug"]

    def test_held_post_lends_only_once_approved(self):
        up = self.uploaded(self.alice, png(), "held.png")
        r = self.alice.post(f"boards/{self.board}/threads", {"title": "Held", "body": f"reviewme ![x]({up['url']})"})
        self.assertStatus(r, 202)
        post_id = r.data["post"]["id"]
        self.assertStatus(self.anon().page(up["url"]), 404)
        self.assertStatus(self.admin.page(up["url"]), 404)
        self.assertStatus(self.admin.post(f"mod/posts/{post_id}", {"action": "approve", "reason": "fine"}), 200)
        self.assertStatus(self.anon().page(up["url"]), 200)

    def test_a_held_edit_lends_once_approved(self):
        _, post = make_thread(self.alice, self.board, body="first words")
        up = self.uploaded(self.alice, png(), "edit.png")
        r = self.alice.patch(f"posts/{post['id']}", {"body": f"reviewme ![x]({up['url']})"})
        self.assertStatus(r, 202)
        self.assertStatus(self.anon().page(up["url"]), 404, msg="a held edit lends nothing")
        self.assertStatus(self.admin.post(f"mod/posts/{post['id']}", {"action": "approve", "reason": "fine"}), 200)
        self.assertStatus(self.anon().page(up["url"]), 200, msg="the approved edit image is seen")
