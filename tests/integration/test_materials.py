"""The materials library (API.md "Materials"; issue 4): multipart uploads through the API and
the pages (rights, targets, validation, malformed bodies, size limits), the bytes stored once
under DATA/files/ab/SHA256 and handed back exactly (binary data full of CRLF, NUL and
delimiter-like runs, 5 MB, bodies arriving in odd pieces), file names and content types as
stored and offered, versions, downloads and their counters, listing and search, /lecturers,
materials of members-only associations hidden from outsiders, and the /materials,
/materials/ID and /lecturers pages with their upload forms and CSRF.

Every test that uploads also checks that DATA/files/tmp is left empty, whether the upload
worked or not."""

import hashlib
import html
import http.client
import json
import os
import random
import re
import socket
import threading
import time
import unittest
import urllib.parse

from agora_harness import (PASSWORD, RFC3339, USER_KEYS, ServerTestCase, make_board, parse_answer,
                           read_until_closed, unique)

MATERIAL_KEYS = {"id", "title", "description_html", "filename", "content_type", "size", "sha256",
                 "version", "uploader", "created_at", "downloads", "board", "association", "note"}
ACTIVE_TYPES = ("text/html", "image/svg+xml", "application/xhtml+xml", "text/xml", "application/xml",
                "text/javascript", "application/javascript")


# ---- multipart bodies ------------------------------------------------------------------------------


def field(name, value):
    """A plain form field part."""
    return ("field", name, value.encode() if isinstance(value, str) else value)


def file_part(data, filename="notes.bin", ctype="application/octet-stream", name="file", disposition=None):
    """A file part. filename is put in a quoted string as browsers do (raw UTF-8); give
    disposition to write the whole Content-Disposition value by hand."""
    return ("file", name, data, filename, ctype, disposition)


def quoted(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def multipart(parts, boundary=None, close=True):
    """(body bytes, content type) of a multipart/form-data body made of parts."""
    boundary = boundary or "----AgoraTestBoundary" + "".join(random.choice("0123456789abcdef") for _ in range(16))
    out = []
    for p in parts:
        out.append(b"--" + boundary.encode() + b"\r\n")
        if p[0] == "field":
            _, name, value = p
            out.append(f"Content-Disposition: form-data; name={quoted(name)}\r\n\r\n".encode() + value + b"\r\n")
        else:
            _, name, data, filename, ctype, disposition = p
            disp = disposition or f"form-data; name={quoted(name)}; filename={quoted(filename)}"
            head = f"Content-Disposition: {disp}\r\n"
            if ctype is not None:
                head += f"Content-Type: {ctype}\r\n"
            out.append(head.encode() + b"\r\n" + data + b"\r\n")
    if close:
        out.append(b"--" + boundary.encode() + b"--\r\n")
    return b"".join(out), f"multipart/form-data; boundary={boundary}"


def sha256(data):
    return hashlib.sha256(data).hexdigest()


# Uploads must be of an allowed kind (PDF, Office, images, text, ZIP: issue 12): random test
# data opens like a ZIP archive, the rest of it stays random.
ZIP_MAGIC = b"PK\x03\x04"


def random_bytes(n, seed):
    return (ZIP_MAGIC + random.Random(seed).randbytes(n))[:n]


def tricky_bytes(n, seed, boundary):
    """n bytes of random data salted with everything a delimiter scan can trip on: NUL, CR,
    LF, CRLF, "--", "\\r\\n--", and every proper prefix of the real delimiter "\\r\\n--BOUNDARY"
    (each cut short by a byte that does not continue it), plus the boundary without its CRLF."""
    rnd = random.Random(seed)
    delim = b"\r\n--" + boundary.encode()
    salts = [b"\0", b"\r", b"\n", b"\r\n", b"--", b"\r\n--", b"\r\r\n--", b"\r\n\r\n", b"\0\r\n--\0",
             b"--" + boundary.encode(), b"\n--" + boundary.encode() + b"--", b"\r\n-" + b"\r\n--"]
    salts += [delim[:k] + b"X" for k in range(1, len(delim))]
    salts += [delim[:k] + b"\r\n--" for k in range(1, len(delim))]
    out = bytearray()
    while len(out) < n:
        out += rnd.randbytes(rnd.randrange(0, 64))
        out += rnd.choice(salts)
    data = bytes((ZIP_MAGIC + out)[:n])
    # salts side by side (a CR, then "\n--BOUNDARY") can make a real delimiter: break those
    # (the delimiter holds no CR after its first byte, so the replacement makes no new one)
    data = data.replace(delim, delim[:-1] + b"X")
    assert delim not in data
    return data


# ---- raw sockets ------------------------------------------------------------------------------------


def read_answer(sock, timeout=15.0):
    """Reads one HTTP answer until the server closes; (status, {header: value}, body)."""
    return parse_answer(read_until_closed(sock, timeout)[0])


def request_head(port, path, token, ctype, length, extra=""):
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: {ctype}\r\nContent-Length: {length}\r\nConnection: close\r\n{extra}\r\n").encode()


def send_in_pieces(port, data, cuts, pause=0.03):
    """Sends data cut at the given offsets, pausing between pieces so the server reads them
    apart, and returns the answer."""
    s = socket.create_connection(("127.0.0.1", port), timeout=15)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        last = 0
        for cut in sorted(set(c for c in cuts if 0 < c < len(data))) + [len(data)]:
            s.sendall(data[last:cut])
            last = cut
            time.sleep(pause)
        return read_answer(s)
    finally:
        s.close()


# ---- the shared fixture -----------------------------------------------------------------------------


class MatCase(ServerTestCase):
    """An admin, lecturers lect and lect2, a site moderator, members alice and bob, boards A and
    B, the public open association `pub` (made by lect), and the members-only association
    `club` (made by lect, bob a member) with its board."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_staff("matadmin")
        cls.add_members("alice", "bob")
        cls.a = make_board(cls.admin, title="Board A")["slug"]
        cls.b = make_board(cls.admin, title="Board B")["slug"]
        cls.expect(cls.lect.post("associations", {"slug": "pub", "name": "Public society"}), 201)
        cls.expect(cls.lect.post("associations", {"slug": "club", "name": "Closed club", "visibility": "members",
                                                  "join_policy": "open"}), 201)
        cls.expect(cls.bob.post("associations/club/members"), 201)
        cls.club_board = make_board(cls.admin, title="Club board", association="club")["slug"]
        cls.setUpMore()

    @classmethod
    def setUpMore(cls):
        pass

    def tearDown(self):
        # whatever a test uploaded, and however it ended, no temporary file stays behind
        self.assertNoTmp()
        super().tearDown()

    # -- paths --
    @property
    def files_dir(self):
        return os.path.join(self.server.data_dir, "files")

    def tmp_entries(self):
        tmp = os.path.join(self.files_dir, "tmp")
        return sorted(os.listdir(tmp)) if os.path.isdir(tmp) else []

    def assertNoTmp(self, msg=""):
        # an answer is sent once the job is done, but give a slow unlink a moment anyway
        for _ in range(20):
            left = self.tmp_entries()
            if not left:
                return
            time.sleep(0.05)
        self.fail(f"files left in DATA/files/tmp {msg}: {left}")

    def blob_path(self, sha):
        return os.path.join(self.files_dir, sha[:2], sha)

    def blobs_holding(self, data):
        """Every file under DATA/files whose bytes are data."""
        want = sha256(data)
        found = []
        for root, _, names in os.walk(self.files_dir):
            for n in names:
                p = os.path.join(root, n)
                if os.path.getsize(p) == len(data):
                    with open(p, "rb") as f:
                        if sha256(f.read()) == want:
                            found.append(p)
        return found

    # -- requests --
    def upload(self, client, data=b"some lecture notes\n", filename="notes.txt", ctype="text/plain",
               title="Lecture notes", description="Notes of the *first* lecture.", board=None,
               association=None, extra=(), parts=None, path="materials", boundary=None, **kw):
        """POST /api/v1/materials (or path) with a multipart body; parts replaces the default
        parts. board defaults to board A unless association is given."""
        if parts is None:
            parts = []
            if title is not None:
                parts.append(field("title", title))
            if description is not None:
                parts.append(field("description", description))
            if board is None and association is None:
                board = self.a
            if board is not None:
                parts.append(field("board", board))
            if association is not None:
                parts.append(field("association", association))
            parts += list(extra)
            if data is not None:
                parts.append(file_part(data, filename, ctype))
        body, ctype_header = multipart(parts, boundary=boundary)
        return client.post(path, body, content_type=ctype_header, **kw)

    def make(self, client=None, **kw):
        r = self.assertStatus(self.upload(client or self.lect, **kw), 201)
        return r.data["material"]

    def add_version(self, client, mid, data=b"second edition\n", filename="notes-v2.txt", ctype="text/plain",
                    note="fixed typos", parts=None, **kw):
        if parts is None:
            parts = [file_part(data, filename, ctype)]
            if note is not None:
                parts.append(field("note", note))
        body, ctype_header = multipart(parts)
        return client.post(f"materials/{mid}/versions", body, content_type=ctype_header, **kw)

    def get_material(self, mid, client=None):
        return self.assertStatus((client or self.anon()).get(f"materials/{mid}"), 200).data

    def listing(self, query="", client=None):
        r = self.assertStatus((client or self.anon()).get(f"materials{query}"), 200)
        self.assertIsInstance(r.data.get("materials"), list, repr(r))
        return r.data["materials"]

    def listed_ids(self, query="", client=None):
        return [m["id"] for m in self.listing(query, client)]

    def download(self, mid, version=None, client=None, method="GET"):
        path = f"/materials/{mid}/download" + (f"?version={version}" if version is not None else "")
        return (client or self.anon()).request(method, path)

    def assertDownload(self, mid, data, version=None, client=None, ctype=None):
        r = self.download(mid, version, client)
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(len(r.body), len(data))
        self.assertTrue(r.body == data, f"downloaded bytes differ (sha {sha256(r.body)} != {sha256(data)})")
        self.assertEqual(r.header("Content-Length"), str(len(data)))
        if ctype is not None:
            self.assertEqual(r.header("Content-Type"), ctype)
        return r

    def assertMaterial(self, m, data=None):
        self.assertTrue(MATERIAL_KEYS <= set(m), f"missing keys {MATERIAL_KEYS - set(m)}: {m}")
        self.assertIsInstance(m["id"], int)
        self.assertTrue(USER_KEYS <= set(m["uploader"]), m["uploader"])
        self.assertRegex(m["created_at"], RFC3339)
        self.assertRegex(m["sha256"], r"^[0-9a-f]{64}$")
        if data is not None:
            self.assertEqual((m["size"], m["sha256"]), (len(data), sha256(data)))
        return m


# ---- uploading ----------------------------------------------------------------------------------------


class Upload(MatCase):
    def test_lecturer_uploads_to_a_board(self):
        data = b"%PDF-1.4\n% fake pdf\n"
        before = time.time()
        r = self.assertStatus(self.upload(self.lect, data=data, filename="lecture-1.pdf", ctype="application/pdf",
                                          title="乡村治理 Lecture 1", description="See **chapter 2** first."), 201)
        m = self.assertMaterial(r.data["material"], data)
        self.assertEqual((m["title"], m["filename"], m["content_type"], m["version"], m["downloads"], m["board"],
                          m["association"], m["uploader"]["username"]),
                         ("乡村治理 Lecture 1", "lecture-1.pdf", "application/pdf", 1, 0, self.a, None, "lect"))
        self.assertIn("<strong>chapter 2</strong>", m["description_html"])
        created = time.mktime(time.strptime(m["created_at"][:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
        self.assertLess(abs(created - before), 120, m["created_at"])
        # the stored material is what was answered
        got = self.get_material(m["id"])
        self.assertEqual(got["material"]["sha256"], m["sha256"])
        self.assertEqual([v["version"] for v in got["versions"]], [1])
        self.assertIn(m["id"], self.listed_ids())
        self.assertDownload(m["id"], data, ctype="application/pdf")

    def test_moderator_and_admin_upload_too(self):
        for c, name in ((self.smod, "smod"), (self.admin, "matadmin"), (self.lect2, "lect2")):
            with self.subTest(name=name):
                m = self.make(c, title=f"by {name}")
                self.assertEqual(m["uploader"]["username"], name)

    def test_anonymous_401(self):
        r = self.upload(self.anon())
        self.assertError(r, 401, "not_signed_in")
        self.assertNoTmp("after an anonymous upload")

    def test_members_are_refused(self):
        before = len(self.listing())
        for c in (self.alice, self.bob):
            self.assertError(self.upload(c, title="member upload"), 403, "lecturers_only")
        self.assertEqual(len(self.listing()), before)
        self.assertNoTmp("after refused member uploads")

    def test_banned_lecturer_is_refused(self):
        name = unique("blect")
        c = self.staff(name, "lecturer")
        self.assertStatus(self.admin.post(f"users/{name}/ban", {"days": 0, "reason": "tests"}), 201)
        self.assertStatus(self.upload(c), 403)
        self.assertStatus(self.admin.delete(f"users/{name}/ban"), 204)
        self.assertStatus(self.upload(c), 201)

    def test_board_or_association_exactly_one(self):
        for extra, what in (({}, "neither"), ({"board": self.a, "association": "pub"}, "both"),
                            ({"board": ""}, "empty board")):
            with self.subTest(what=what):
                parts = [field("title", "target?"), *[field(k, v) for k, v in extra.items()],
                         file_part(b"x", "x.txt", "text/plain")]
                self.assertError(self.upload(self.lect, parts=parts), 400, "board_or_association")
        self.assertNoTmp()

    def test_unknown_targets_404(self):
        self.assertError(self.upload(self.lect, board="no-such-board"), 404, "board_not_found")
        self.assertError(self.upload(self.lect, association="no-such-assoc"), 404, "association_not_found")

    def test_title_is_required_and_bounded(self):
        for title in (None, "", "   ", "x" * 201):
            with self.subTest(title=title if title is None else title[:10]):
                self.assertError(self.upload(self.lect, title=title), 400)
        self.assertStatus(self.upload(self.lect, title="标" * 200), 201)

    def test_missing_file(self):
        self.assertError(self.upload(self.lect, data=None), 400, "missing_file")
        # what a browser sends for a file input left empty: filename="" and no bytes
        parts = [field("title", "no file chosen"), field("board", self.a),
                 file_part(b"", "", "application/octet-stream")]
        self.assertError(self.upload(self.lect, parts=parts), 400, "missing_file")
        # a file under another name is not the file
        parts = [field("title", "wrong name"), field("board", self.a), file_part(b"abc", "a.txt", "text/plain",
                                                                                 name="attachment")]
        self.assertError(self.upload(self.lect, parts=parts), 400, "missing_file")

    def test_two_files(self):
        parts = [field("title", "two"), field("board", self.a), file_part(b"one" * 1000, "1.txt", "text/plain"),
                 file_part(b"two" * 1000, "2.txt", "text/plain")]
        before = len(self.listing())
        self.assertError(self.upload(self.lect, parts=parts), 400, "two_files")
        self.assertEqual(len(self.listing()), before)
        self.assertNoTmp("after two files")

    def test_not_multipart_415(self):
        self.assertError(self.lect.post("materials", {"title": "json", "board": self.a}), 415)
        r = self.lect.post("materials", "title=form&board=" + self.a, content_type="application/x-www-form-urlencoded")
        self.assertError(r, 415)
        body, _ = multipart([field("title", "t"), field("board", self.a), file_part(b"x")])
        self.assertError(self.lect.post("materials", body, content_type="text/plain"), 415)
        self.assertError(self.lect.post("materials", body, content_type="multipart/mixed; boundary=x"), 415)

    def test_malformed_multipart_400(self):
        good_parts = [field("title", "malformed"), field("board", self.a),
                      file_part(random_bytes(70000, 7), "m.bin")]
        body, ctype = multipart(good_parts, boundary="XyZ123")
        unclosed, _ = multipart(good_parts, boundary="XyZ123", close=False)
        cases = {
            "missing closing boundary": (unclosed, ctype),
            "truncated inside the file": (body[:len(body) // 2], ctype),
            "no boundary parameter": (body, "multipart/form-data"),
            "empty boundary": (body, 'multipart/form-data; boundary=""'),
            "boundary of the wrong body": (body, "multipart/form-data; boundary=OtherBoundary"),
            "part without Content-Disposition": (
                b"--XyZ123\r\nContent-Type: text/plain\r\n\r\nhello\r\n--XyZ123--\r\n", ctype),
            "header line without a colon": (
                b'--XyZ123\r\nContent-Disposition form-data; name="title"\r\n\r\nhello\r\n--XyZ123--\r\n', ctype),
            "folded header": (
                b'--XyZ123\r\nContent-Disposition: form-data;\r\n name="title"\r\n\r\nhello\r\n--XyZ123--\r\n', ctype),
            "bare LF in the headers": (
                b'--XyZ123\r\nContent-Disposition: form-data; name="title"\n\r\nhello\r\n--XyZ123--\r\n', ctype),
            "not form-data": (
                b'--XyZ123\r\nContent-Disposition: attachment; name="title"\r\n\r\nhello\r\n--XyZ123--\r\n', ctype),
            "no name": (b'--XyZ123\r\nContent-Disposition: form-data; filename="a.txt"\r\n\r\nhello\r\n--XyZ123--\r\n',
                        ctype),
            "name given twice": (
                b'--XyZ123\r\nContent-Disposition: form-data; name="title"; name="board"\r\n\r\nx\r\n--XyZ123--\r\n',
                ctype),
            "garbage after the boundary": (
                b'--XyZ123garbage\r\nContent-Disposition: form-data; name="title"\r\n\r\nx\r\n--XyZ123--\r\n', ctype),
            "file name with a newline escape": (
                b'--XyZ123\r\nContent-Disposition: form-data; name="file"; filename="a\x01b"\r\n\r\nx\r\n--XyZ123--\r\n',
                ctype),
            "field that is not UTF-8": (
                b'--XyZ123\r\nContent-Disposition: form-data; name="title"\r\n\r\n\xff\xfe\r\n--XyZ123--\r\n', ctype),
        }
        before = len(self.listing())
        for what, (data, ct) in cases.items():
            with self.subTest(what=what):
                self.assertError(self.lect.post("materials", data, content_type=ct), 400, "invalid_multipart")
                self.assertNoTmp(f"after {what}")
        self.assertEqual(len(self.listing()), before)
        self.assertTrue(self.server.healthy())
        # the same parts, well formed, are fine
        self.assertStatus(self.lect.post("materials", body, content_type=ctype), 201)

    def test_field_over_64k_413(self):
        r = self.upload(self.lect, description="d" * (64 * 1024 + 1), data=random_bytes(100000, 3))
        self.assertStatus(r, 413)
        self.assertNoTmp("after a field over 64 KiB")
        r = self.upload(self.lect, title="t" * (64 * 1024 + 10))
        self.assertStatus(r, 413)
        # the file itself may be much larger than a field
        self.make(description="fits", data=random_bytes(200 * 1024, 4))

    def test_parts_in_any_order_and_unknown_fields_ignored(self):
        data = b"file first\n"
        parts = [file_part(data, "first.txt", "text/plain"), field("extra", "ignored"), field("board", self.a),
                 field("title", "file first")]
        m = self.assertStatus(self.upload(self.lect, parts=parts), 201).data["material"]
        self.assertMaterial(m, data)
        self.assertEqual((m["title"], m["filename"]), ("file first", "first.txt"))

    def test_description_is_rendered_and_escaped(self):
        m = self.make(description="# Week 1\n\n<script>alert(1)</script> and [a link](https://example.org/)")
        h = m["description_html"]
        self.assertNotIn("<script>", h)
        self.assertIn("&lt;script&gt;", h)
        self.assertIn('href="https://example.org/"', h)
        self.assertEqual(self.make(description="")["description_html"], "")
        self.assertEqual(self.make(description=None)["description_html"], "")

    def test_file_names_keep_only_the_last_component(self):
        cases = [("../../etc/passwd", "passwd"), ("/etc/shadow", "shadow"), ("a/b/c/讲义 第一讲.pdf", "讲义 第一讲.pdf"),
                 ("C:\\Users\\li\\Desktop\\notes.docx", "notes.docx"), ("..\\..\\boot.ini", "boot.ini"),
                 ("plain.txt", "plain.txt")]
        for sent, stored in cases:
            with self.subTest(sent=sent):
                data = f"contents of {sent}".encode()
                m = self.make(data=data, filename=sent)
                self.assertEqual(m["filename"], stored)
                self.assertEqual(self.get_material(m["id"])["material"]["filename"], stored)
                r = self.assertDownload(m["id"], data)
                self.assertEqual(disposition_name(r.header("Content-Disposition")), stored)
                # the name never became a path: the bytes live only in the blob store
                self.assertEqual(self.blobs_holding(data), [self.blob_path(sha256(data))])
        for root, _, names in os.walk(self.server.data_dir):
            for bad in ("passwd", "shadow", "boot.ini"):
                self.assertNotIn(bad, names, f"a file named {bad} appeared in {root}")

    def test_filename_star_in_the_request(self):
        name = "实验 报告（终稿）.xlsx"
        enc = urllib.parse.quote(name, safe="")
        disp = f'form-data; name="file"; filename="fallback.xlsx"; filename*=UTF-8\'\'{enc}'
        parts = [field("title", "filename*"), field("board", self.a),
                 ("file", "file", b"PK\x03\x04 sheet", None, "application/vnd.ms-excel", disp)]
        m = self.assertStatus(self.upload(self.lect, parts=parts), 201).data["material"]
        self.assertEqual(m["filename"], name)

    def test_content_types(self):
        # a page or script is refused whatever it claims to be (415, issue 12) ...
        for sent in ACTIVE_TYPES + ("Text/HTML; charset=UTF-8", "application/pdf", "text/plain"):
            with self.subTest(sent=sent):
                data = f"<html><script>alert('{sent}')</script></html>".encode()
                self.assertError(self.upload(self.lect, data=data, filename="page.html", ctype=sent), 415,
                                 "unsupported_type")
        # ... and what is accepted is served as its bytes say, with the claimed type only when
        # it names that kind
        png = b"\x89PNG\r\n\x1a\n" + bytes(16)
        cases = [("text/html;charset=utf-8", b"only text", "application/octet-stream"),
                 ("IMAGE/SVG+XML", png, "application/octet-stream"),
                 ("Application/PDF", b"%PDF-1.4\n", "application/pdf"),
                 ("text/plain; charset=UTF-8", b"plain", "text/plain"),
                 ("image/PNG; name=x.png", png, "image/png"),
                 ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP_MAGIC + bytes(8),
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                 ("nonsense", ZIP_MAGIC + bytes(8), "application/octet-stream"),
                 ("application/octet-stream", b"%PDF-1.4\n", "application/octet-stream")]
        for sent, data, stored in cases:
            with self.subTest(sent=sent):
                m = self.make(data=data, filename="file.bin", ctype=sent)
                self.assertEqual(m["content_type"], stored)
                r = self.assertDownload(m["id"], data, ctype=stored)
                self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")
                self.assertTrue(r.header("Content-Disposition", "").startswith("attachment"))

    def test_association_targets(self):
        # lect is the officer of pub and club; lect2 belongs to neither
        m = self.make(self.lect, association="pub", title="for the society")
        self.assertEqual((m["association"], m["board"]), ("pub", None))
        self.assertIn(m["id"], self.listed_ids("?association=pub"))
        self.assertError(self.upload(self.lect2, association="pub"), 403, "members_only")
        self.assertError(self.upload(self.lect2, association="club"), 403, "members_only")
        # an admin may upload to an association without being a member
        m = self.make(self.admin, association="pub", title="admin for the society")
        self.assertEqual(m["association"], "pub")
        # once lect2 joins the open society, the upload works
        self.assertStatus(self.lect2.post("associations/pub/members"), 201)
        self.make(self.lect2, association="pub", title="now a member")

    def test_board_the_uploader_cannot_see_404(self):
        self.assertError(self.upload(self.lect2, board=self.club_board), 404, "board_not_found")
        self.assertError(self.upload(self.smod, board=self.club_board), 404, "board_not_found")
        m = self.make(self.lect, board=self.club_board, title="club board material")
        self.assertEqual(m["board"], self.club_board)

    def test_cookie_session_needs_the_csrf_header_bearer_does_not(self):
        c = self.server.client()
        c.login("lect", bearer=False)
        self.assertError(self.upload(c, csrf=None), 403, "csrf_failed")
        self.assertError(self.upload(c, csrf="x" * 43), 403, "csrf_failed")
        self.assertNoTmp("after CSRF refusals")
        self.assertStatus(self.upload(c), 201)
        self.assertStatus(self.upload(c, path=f"materials?csrf={urllib.parse.quote(c.csrf)}", csrf=None), 201)
        bearer = self.server.client()
        bearer.login("lect")
        self.assertIsNone(bearer.csrf)
        self.assertStatus(self.upload(bearer, cookies=False), 201)


def disposition_name(value):
    """The file name a Content-Disposition offers: filename* decoded (RFC 6266 prefers it)."""
    m = re.search(r"filename\*=UTF-8''([^;\s]+)", value or "")
    if not m:
        raise AssertionError(f"no filename* in {value!r}")
    return urllib.parse.unquote(m.group(1), encoding="utf-8", errors="strict")


# ---- storage and the exact bytes ------------------------------------------------------------------------


class Storage(MatCase):
    def test_a_refused_upload_keeps_no_file(self):
        # the file is stored while the body is parsed; when the upload is then refused (an
        # unknown board, a bad title, a member's upload), its bytes must not stay behind
        for who, fields in ((self.lect, {"board": "no-such-board"}), (self.lect, {"title": "   "}),
                            (self.alice, {})):
            data = os.urandom(4096)
            with self.subTest(fields=fields):
                r = self.upload(who, data=data, **fields)
                self.assertIn(r.status, (400, 403, 404))
                self.assertFalse(os.path.exists(self.blob_path(hashlib.sha256(data).hexdigest())))

    def test_stored_under_files_ab_sha(self):
        data = random_bytes(12345, 11)
        m = self.make(data=data)
        self.assertEqual(m["sha256"], sha256(data))
        path = self.blob_path(m["sha256"])
        self.assertTrue(os.path.isfile(path), f"{path} is missing")
        with open(path, "rb") as f:
            self.assertTrue(f.read() == data, "the stored blob differs from the upload")

    def test_same_bytes_stored_once(self):
        data = random_bytes(50000, 12)
        m1 = self.make(data=data, filename="first.bin", title="first copy")
        m2 = self.make(self.lect2, data=data, filename="second.bin", title="second copy", board=self.b)
        self.assertNotEqual(m1["id"], m2["id"])
        self.assertEqual(m1["sha256"], m2["sha256"])
        self.assertEqual(self.blobs_holding(data), [self.blob_path(m1["sha256"])])
        for m, name in ((m1, "first.bin"), (m2, "second.bin")):
            r = self.assertDownload(m["id"], data)
            self.assertEqual(disposition_name(r.header("Content-Disposition")), name)
        # a third copy as a new version of the first: still one file
        self.assertStatus(self.add_version(self.lect, m1["id"], data=data, filename="again.bin"), 201)
        self.assertEqual(self.blobs_holding(data), [self.blob_path(m1["sha256"])])
        self.assertDownload(m1["id"], data, version=2)
        self.assertDownload(m1["id"], data, version=1)

    def test_binary_with_nul_crlf_and_dashes_round_trips(self):
        boundary = "----AgoraBoundary7MA4YWxkTrZu0gW"
        data = random_bytes(300 * 1024, 13)
        data = data[:1000] + b"\r\n--" + data[1000:150000] + b"\0\0\r\n--" + boundary[2:].encode() + b"X" + \
            data[150000:] + b"\r\n--"  # ends on the beginning of a delimiter
        self.assertIn(b"\0", data)
        m = self.make(data=data, filename="random.bin", ctype="application/octet-stream", boundary=boundary)
        self.assertMaterial(m, data)
        self.assertDownload(m["id"], data, ctype="application/octet-stream")

    def test_delimiter_lookalikes_everywhere(self):
        boundary = "b0und4ry-AGORA"
        data = tricky_bytes(1024 * 1024 + 333, 14, boundary)
        m = self.make(data=data, filename="tricky.bin", boundary=boundary)
        self.assertMaterial(m, data)
        self.assertDownload(m["id"], data)
        # the same with fields after the file, whose delimiter follows lookalikes at once
        data2 = data[:70000] + b"\r\n--" + boundary.encode()[:-1]
        parts = [file_part(data2, "t2.bin"), field("title", "file then fields"), field("board", self.a)]
        m2 = self.assertStatus(self.upload(self.lect, parts=parts, boundary=boundary), 201).data["material"]
        self.assertMaterial(m2, data2)
        self.assertEqual(m2["title"], "file then fields")
        self.assertDownload(m2["id"], data2)

    def test_crlf_only_and_empty_edges(self):
        for what, data in (("only CRLF", b"\r\n" * 5000), ("only dashes", b"-" * 9999), ("one byte", b"x"),
                           ("CR at the end", b"abc\r"), ("LF first", b"\nabc"), ("dash dash end", b"abc\r\n--")):
            with self.subTest(what=what):
                m = self.make(data=data, filename="edge.bin", title=what)
                self.assertMaterial(m, data)
                self.assertDownload(m["id"], data)

    def test_five_megabytes(self):
        data = random_bytes(5 * 1024 * 1024, 15)
        m = self.make(data=data, filename="big.bin", title="five megabytes")
        self.assertMaterial(m, data)
        self.assertDownload(m["id"], data)
        with open(self.blob_path(m["sha256"]), "rb") as f:
            self.assertTrue(f.read() == data)

    def test_body_sent_in_odd_pieces(self):
        """The request arrives in pieces cut inside the headers, inside delimiters (after the
        CR, after "\\r\\n-", in the boundary), inside part headers and inside the file."""
        port = self.server.port
        boundary = "SplitBoundary42"
        data = tricky_bytes(200000, 16, boundary)
        parts = [field("title", "arrived in pieces"), field("description", "pieces"), field("board", self.a),
                 file_part(data, "pieces.bin"), field("note", "after the file")]
        body, ctype = multipart(parts, boundary=boundary)
        head = request_head(port, "/api/v1/materials", self.lect.token, ctype, len(body))
        raw = head + body
        cuts = {len(head) - 3, len(head) + 1, len(head) + 5}
        delim = b"\r\n--" + boundary.encode()
        pos = raw.find(delim, len(head))
        while pos >= 0:
            for k in (1, 2, 3, 5, len(delim) - 1, len(delim), len(delim) + 1, len(delim) + 2, len(delim) + 20):
                cuts.add(pos + k)
            pos = raw.find(delim, pos + 1)
        for k in range(7):
            cuts.add(len(head) + 1000 + 30001 * k)
        cuts.add(len(raw) - 1)
        cuts.add(len(raw) - 3)
        status, headers, answer = send_in_pieces(port, raw, cuts)
        self.assertEqual(status, 201, answer[:300])
        m = json.loads(answer)["material"]
        self.assertMaterial(m, data)
        self.assertEqual(m["title"], "arrived in pieces")
        self.assertDownload(m["id"], data)

    def test_closing_delimiter_at_every_offset(self):
        """File sizes stepping byte by byte so the delimiters fall at every offset of the
        server's read chunks."""
        boundary = "OffsetBoundary"
        for size in list(range(4000, 4000 + 40)) + list(range(16340, 16400, 3)) + list(range(65500, 65560, 7)):
            data = tricky_bytes(size, size, boundary)
            m = self.make(data=data, filename=f"s{size}.bin", title=f"size {size}", boundary=boundary)
            self.assertEqual((m["size"], m["sha256"]), (size, sha256(data)), f"size {size}")

    def test_concurrent_uploads(self):
        same = random_bytes(1024 * 1024, 18)
        datas = [same, same, same] + [random_bytes(300000 + i, 19 + i) for i in range(3)]
        results = [None] * len(datas)

        def work(i):
            c = self.server.client(self.lect.token)
            results[i] = self.upload(c, data=datas[i], filename=f"c{i}.bin", title=f"concurrent {i}")

        threads = [threading.Thread(target=work, args=(i,)) for i in range(len(datas))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        for i, r in enumerate(results):
            self.assertIsNotNone(r, f"upload {i} did not finish")
            m = self.assertStatus(r, 201).data["material"]
            self.assertMaterial(m, datas[i])
            self.assertDownload(m["id"], datas[i])
        self.assertEqual(self.blobs_holding(same), [self.blob_path(sha256(same))])

    def test_client_gone_mid_upload_leaves_nothing(self):
        port = self.server.port
        body, ctype = multipart([field("title", "gone"), field("board", self.a),
                                 file_part(random_bytes(1024 * 1024, 17), "gone.bin")])
        head = request_head(port, "/api/v1/materials", self.lect.token, ctype, len(body))
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(head + body[:300000])
        time.sleep(0.2)
        s.close()
        time.sleep(0.3)
        self.assertTrue(self.server.healthy())
        self.assertNoTmp("after a client left mid-upload")
        self.assertFalse([m for m in self.listing() if m["title"] == "gone"])


# ---- versions ---------------------------------------------------------------------------------------------


class Versions(MatCase):
    def test_new_versions_and_the_history(self):
        v1 = b"version one\n"
        m = self.make(data=v1, filename="syllabus.txt", title="Syllabus")
        v2 = random_bytes(3000, 21)
        r = self.assertStatus(self.add_version(self.lect, m["id"], data=v2, filename="syllabus-2.bin",
                                               ctype="application/octet-stream", note="第二版"), 201)
        n = self.assertMaterial(r.data["material"], v2)
        self.assertEqual((n["id"], n["version"], n["filename"], n["note"], n["title"]),
                         (m["id"], 2, "syllabus-2.bin", "第二版", "Syllabus"))
        self.assertEqual(n["uploader"]["username"], "lect")
        v3 = b"version three"
        n3 = self.assertStatus(self.add_version(self.lect, m["id"], data=v3, filename="s3.txt", note=None),
                               201).data["material"]
        self.assertEqual((n3["version"], n3["note"]), (3, ""))
        got = self.get_material(m["id"])
        self.assertEqual(got["material"]["version"], 3)
        self.assertEqual(got["material"]["sha256"], sha256(v3))
        self.assertEqual([v["version"] for v in got["versions"]], [3, 2, 1])
        self.assertEqual([v["sha256"] for v in got["versions"]], [sha256(v3), sha256(v2), sha256(v1)])
        self.assertEqual([v["filename"] for v in got["versions"]], ["s3.txt", "syllabus-2.bin", "syllabus.txt"])
        self.assertEqual([v["note"] for v in got["versions"]], ["", "第二版", ""])
        for v in got["versions"]:
            self.assertMaterial(v)
            self.assertEqual(v["id"], m["id"])
        # the list shows the latest version
        listed = [x for x in self.listing() if x["id"] == m["id"]]
        self.assertEqual([x["version"] for x in listed], [3])
        # every version stays downloadable; no version means the latest
        self.assertDownload(m["id"], v3)
        self.assertDownload(m["id"], v3, version=3)
        self.assertDownload(m["id"], v2, version=2, ctype="application/octet-stream")
        self.assertDownload(m["id"], v1, version=1, ctype="text/plain")

    def test_who_may_add_versions(self):
        m = self.make(title="rights")
        self.assertError(self.add_version(self.anon(), m["id"]), 401, "not_signed_in")
        self.assertError(self.add_version(self.alice, m["id"]), 403, "lecturers_only")
        self.assertError(self.add_version(self.lect2, m["id"]), 403, "not_your_material")
        self.assertNoTmp("after refused versions")
        self.assertEqual(self.get_material(m["id"])["material"]["version"], 1)
        expected = 1
        for c in (self.lect, self.smod, self.admin):
            expected += 1
            r = self.assertStatus(self.add_version(c, m["id"], data=f"by {c.user['username']}".encode()), 201)
            self.assertEqual(r.data["material"]["version"], expected)
        self.assertEqual([v["version"] for v in self.get_material(m["id"])["versions"]], [4, 3, 2, 1])

    def test_refusals(self):
        m = self.make(title="version refusals")
        self.assertError(self.add_version(self.lect, 999999), 404, "material_not_found")
        self.assertError(self.add_version(self.lect, m["id"], parts=[field("note", "no file")]), 400, "missing_file")
        self.assertError(self.add_version(self.lect, m["id"], note="n" * 2001), 400)
        two = [file_part(b"a", "a"), file_part(b"b", "b")]
        self.assertError(self.add_version(self.lect, m["id"], parts=two), 400, "two_files")
        body, ctype = multipart([file_part(b"x" * 5000, "x")], close=False)
        self.assertError(self.lect.post(f"materials/{m['id']}/versions", body, content_type=ctype), 400,
                         "invalid_multipart")
        self.assertError(self.lect.post(f"materials/{m['id']}/versions", {"note": "json"}), 415)
        self.assertNoTmp("after refused versions")
        self.assertEqual(self.get_material(m["id"])["material"]["version"], 1)

    def test_version_keeps_the_title_and_place(self):
        m = self.make(title="Keeps its place", board=self.b, description="*desc*")
        n = self.assertStatus(self.add_version(self.lect, m["id"]), 201).data["material"]
        self.assertEqual((n["title"], n["board"], n["description_html"], n["created_at"]),
                         (m["title"], m["board"], m["description_html"], m["created_at"]))


# ---- downloads ---------------------------------------------------------------------------------------------


class Download(MatCase):
    def test_headers(self):
        name = "乡村振兴讲义 第1讲.pdf"
        data = b"%PDF-1.7 chinese name\n"
        m = self.make(data=data, filename=name, ctype="application/pdf")
        r = self.assertDownload(m["id"], data, ctype="application/pdf")
        self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")
        cd = r.header("Content-Disposition")
        self.assertTrue(cd.startswith("attachment;"), cd)
        fallback = re.search(r'filename="([^"]*)"', cd)
        self.assertIsNotNone(fallback, cd)
        self.assertRegex(fallback.group(1), r"^[\x20-\x7e]+$", "the fallback name is ASCII")
        self.assertTrue(fallback.group(1).endswith(".pdf"), cd)
        self.assertIn("filename*=UTF-8''", cd)
        self.assertEqual(disposition_name(cd), name)
        self.assertEqual(cd.split("filename*=UTF-8''")[1], urllib.parse.quote(name, safe=""))
        # the whole header is ASCII: no raw UTF-8 reaches it
        cd.encode("ascii")

    def test_hostile_names_stay_in_their_quotes(self):
        for name in ('say "hi".txt', "semi;colon.txt", "back\\slash.txt", "per%cent.txt", "tab and space.txt"):
            with self.subTest(name=name):
                data = name.encode()
                m = self.make(data=data, filename=name)
                r = self.assertDownload(m["id"], data)
                cd = r.header("Content-Disposition")
                fallback = re.fullmatch(r'attachment; filename="([^"\\]*)"; filename\*=UTF-8\'\'([A-Za-z0-9%._~!#$&+^`|-]+)',
                                        cd)
                self.assertIsNotNone(fallback, cd)
                self.assertEqual(disposition_name(cd), m["filename"])

    def test_counts_downloads_per_material_and_version(self):
        m = self.make(data=b"v1", title="counted")
        self.assertStatus(self.add_version(self.lect, m["id"], data=b"v2"), 201)
        self.assertDownload(m["id"], b"v1", version=1)
        self.assertDownload(m["id"], b"v1", version=1)
        self.assertDownload(m["id"], b"v2")
        got = self.get_material(m["id"])
        self.assertEqual(got["material"]["downloads"], 3)
        per_version = {v["version"]: v["version_downloads"] for v in got["versions"]}
        self.assertEqual(per_version, {1: 2, 2: 1})
        self.assertEqual([x["downloads"] for x in self.listing() if x["id"] == m["id"]], [3])
        # a failed download counts nothing
        self.assertEqual(self.download(m["id"], version=9).status, 404)
        self.assertEqual(self.get_material(m["id"])["material"]["downloads"], 3)

    def test_bad_versions_and_ids_404(self):
        m = self.make(data=b"only one version")
        for v in ("0", "-1", "2", "99", "abc", ""):
            with self.subTest(version=v):
                r = self.anon().request("GET", f"/materials/{m['id']}/download?version={v}")
                self.assertEqual(r.status, 404, repr(r))
        for mid in ("999999", "0", "abc"):
            with self.subTest(id=mid):
                self.assertEqual(self.anon().request("GET", f"/materials/{mid}/download").status, 404)
        self.assertError(self.anon().get("materials/999999"), 404, "material_not_found")
        self.assertEqual(self.anon().get("materials/abc").status, 404)
        self.assertEqual(self.get_material(m["id"])["material"]["downloads"], 0)

    def test_version_must_be_a_whole_number(self):
        # "1x", "1.5" or a number past 2^32 that wraps to 1 name no version, so 404
        m = self.make(data=b"exactly one version")
        for v in ("1x", "1.5", "1e0", "4294967297"):
            with self.subTest(version=v):
                r = self.anon().request("GET", f"/materials/{m['id']}/download?version={v}")
                self.assertEqual(r.status, 404, repr(r))
        self.assertEqual(self.get_material(m["id"])["material"]["downloads"], 0)
        self.assertDownload(m["id"], b"exactly one version", version=1)

    def test_head_does_not_count(self):
        # HEAD is safe (RFC 9110 9.2.1): link checkers and previews must not inflate counters
        m = self.make(data=b"head only")
        for _ in range(3):
            self.assertEqual(self.download(m["id"], method="HEAD").status, 200)
        self.assertEqual(self.get_material(m["id"])["material"]["downloads"], 0)
        self.assertDownload(m["id"], b"head only")
        self.assertEqual(self.get_material(m["id"])["material"]["downloads"], 1)

    def test_head(self):
        data = random_bytes(40000, 31)
        m = self.make(data=data, filename="头.bin", ctype="application/zip")
        r = self.download(m["id"], method="HEAD")
        self.assertEqual(r.status, 200, repr(r))
        self.assertEqual(r.body, b"")
        self.assertEqual(r.header("Content-Length"), str(len(data)))
        self.assertEqual(r.header("Content-Type"), "application/zip")
        self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")
        self.assertEqual(disposition_name(r.header("Content-Disposition")), "头.bin")
        # HEAD then GET on one connection: no stray body came after the HEAD answer
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=15)
        try:
            conn.request("HEAD", f"/materials/{m['id']}/download")
            h = conn.getresponse()
            self.assertEqual((h.status, h.read()), (200, b""))
            conn.request("GET", f"/materials/{m['id']}/download")
            g = conn.getresponse()
            self.assertEqual(g.status, 200)
            self.assertTrue(g.read() == data)
        finally:
            conn.close()

    def test_blob_gone_is_not_a_crash(self):
        data = b"this blob will vanish"
        m = self.make(data=data)
        os.unlink(self.blob_path(m["sha256"]))
        r = self.download(m["id"])
        self.assertIn(r.status, (404, 500, 503), repr(r))
        self.assertTrue(self.server.healthy())


# ---- listing, search, lecturers ------------------------------------------------------------------------------


class Listing(MatCase):
    @classmethod
    def setUpMore(cls):
        def up(client, title, description, **target):
            parts = [field("title", title), field("description", description)]
            parts += [field(k, v) for k, v in target.items()]
            parts.append(file_part(title.encode(), "f.txt", "text/plain"))
            body, ctype = multipart(parts)
            return cls.expect(client.post("materials", body, content_type=ctype), 201).data["material"]["id"]
        cls.m_soil = up(cls.lect, "Soil Testing Basics", "How to sample 土壤 in spring", board=cls.a)
        cls.m_water = up(cls.lect, "水利 Irrigation", "Drip systems and SOIL moisture", board=cls.b)
        cls.m_pub = up(cls.lect, "Society charter", "rules of the society", association="pub")
        cls.m_admin = up(cls.admin, "Admin handbook", "for everyone", board=cls.a)

    def test_list_shape_and_order(self):
        ms = self.listing()
        for m in ms:
            self.assertMaterial(m)
        ids = [m["id"] for m in ms]
        for mid in (self.m_soil, self.m_water, self.m_pub, self.m_admin):
            self.assertIn(mid, ids)

    def test_filters(self):
        self.assertEqual(set(self.listed_ids(f"?board={self.a}")), {self.m_soil, self.m_admin})
        self.assertEqual(set(self.listed_ids(f"?board={self.b}")), {self.m_water})
        self.assertEqual(set(self.listed_ids("?association=pub")), {self.m_pub})
        self.assertEqual(self.listed_ids(f"?board={self.b}&association=pub"), [])
        self.assertError(self.anon().get("materials?board=nope"), 404, "board_not_found")
        self.assertError(self.anon().get("materials?association=nope"), 404, "association_not_found")

    def test_search_title_and_description_case_insensitive(self):
        self.assertEqual(set(self.listed_ids("?q=soil")), {self.m_soil, self.m_water})
        self.assertEqual(set(self.listed_ids("?q=SOIL%20testing")), {self.m_soil})
        self.assertEqual(set(self.listed_ids("?q=" + urllib.parse.quote("土壤"))), {self.m_soil})
        self.assertEqual(set(self.listed_ids("?q=" + urllib.parse.quote("水利"))), {self.m_water})
        self.assertEqual(set(self.listed_ids("?q=CHARTER")), {self.m_pub})
        self.assertEqual(self.listed_ids("?q=zzzz-nothing"), [])
        self.assertEqual(set(self.listed_ids(f"?q=soil&board={self.b}")), {self.m_water})
        self.assertEqual(set(self.listed_ids("?q=%25")), set(), "% is a plain character, not a wildcard")
        self.assertEqual(set(self.listed_ids("?q=_")), set(), "_ is a plain character, not a wildcard")

    def test_list_is_paged(self):
        # API.md, HTTP conventions: lists answer page, pages and total and honour per_page
        r = self.assertStatus(self.anon().get("materials?per_page=2&page=1"), 200)
        self.assertTrue({"materials", "page", "pages", "total"} <= set(r.data), r.data.keys())
        total = r.data["total"]
        self.assertGreaterEqual(total, 4)
        self.assertEqual(len(r.data["materials"]), 2)
        self.assertEqual((r.data["page"], r.data["pages"]), (1, (total + 1) // 2))
        r2 = self.assertStatus(self.anon().get("materials?per_page=2&page=2"), 200)
        self.assertFalse({m["id"] for m in r.data["materials"]} & {m["id"] for m in r2.data["materials"]})

    def test_lecturers(self):
        r = self.assertStatus(self.anon().get("lecturers"), 200)
        rows = r.data["lecturers"]
        self.assertIsInstance(rows, list)
        by_name = {}
        for row in rows:
            self.assertTrue(USER_KEYS <= set(row["user"]), row)
            self.assertIsInstance(row["materials"], int)
            by_name[row["user"]["username"]] = row["materials"]
        self.assertEqual(by_name.get("lect"), 3)
        self.assertEqual(by_name.get("lect2"), 0, "a lecturer without materials is still listed")
        self.assertEqual(by_name.get("matadmin"), 1, "an admin who shares materials is listed")
        self.assertNotIn("smod", by_name, "a moderator without materials is not a lecturer")
        for member in ("alice", "bob"):
            self.assertNotIn(member, by_name)
        self.assertEqual(by_name["lect"], len([m for m in self.listing() if m["uploader"]["username"] == "lect"]))


# ---- members-only associations ----------------------------------------------------------------------------------


class MembersOnly(MatCase):
    @classmethod
    def setUpMore(cls):
        def up(title, data, **target):
            parts = [field("title", title), field("description", "secret plans")]
            parts += [field(k, v) for k, v in target.items()]
            parts.append(file_part(data, "secret.txt", "text/plain"))
            body, ctype = multipart(parts)
            return cls.expect(cls.lect.post("materials", body, content_type=ctype), 201).data["material"]["id"]
        cls.secret_data = b"club secret bytes\n"
        cls.m_assoc = up("Club secret notes", cls.secret_data, association="club")
        cls.m_board = up("Club board secret", cls.secret_data + b"2", board=cls.club_board)
        cls.m_public = up("Public notes", b"public", board=cls.a)
        cls.outsiders = {"anonymous": cls.server.client(), "alice": cls.alice, "lect2": cls.lect2,
                         "smod": cls.smod, "matadmin": cls.admin}
        cls.insiders = {"lect": cls.lect, "bob": cls.bob}

    def test_outsiders_see_nothing(self):
        for who, c in self.outsiders.items():
            with self.subTest(who=who):
                ids = self.listed_ids(client=c)
                self.assertIn(self.m_public, ids)
                self.assertNotIn(self.m_assoc, ids)
                self.assertNotIn(self.m_board, ids)
                self.assertNotIn(self.m_assoc, self.listed_ids("?q=secret", client=c))
                self.assertNotIn(self.m_board, self.listed_ids("?q=secret", client=c))
                r = c.get("materials?association=club")
                self.assertIn(r.status, (200, 404), repr(r))
                if r.status == 200:
                    self.assertEqual(r.data["materials"], [], "the club's materials leak through the filter")
                self.assertError(c.get(f"materials?board={self.club_board}"), 404, "board_not_found")
                for mid in (self.m_assoc, self.m_board):
                    self.assertError(c.get(f"materials/{mid}"), 404, "material_not_found")
                    r = c.request("GET", f"/materials/{mid}/download")
                    self.assertEqual(r.status, 404, repr(r))
                    self.assertNotIn(b"club secret", r.body)
                    r = c.request("GET", f"/materials/{mid}/download?version=1")
                    self.assertEqual(r.status, 404, repr(r))
                    r = c.request("HEAD", f"/materials/{mid}/download")
                    self.assertEqual(r.status, 404, repr(r))
                    r = c.request("GET", f"/materials/{mid}")
                    self.assertHtml(r, 404)
                    self.assertNotIn("Club", r.text)
                self.assertNotIn("Club secret notes", c.request("GET", "/materials?q=club").text)

    def test_outsider_staff_cannot_add_versions(self):
        for who in ("lect2", "smod", "matadmin"):
            with self.subTest(who=who):
                r = self.add_version(self.outsiders[who], self.m_assoc, data=b"overwrite")
                self.assertError(r, 404, "material_not_found")
        self.assertNoTmp("after refused versions")
        for c in self.insiders.values():
            self.assertEqual(self.get_material(self.m_assoc, c)["material"]["version"], 1)

    def test_downloads_by_outsiders_are_not_counted(self):
        for c in self.outsiders.values():
            c.request("GET", f"/materials/{self.m_board}/download")
        self.assertEqual(self.get_material(self.m_board, self.bob)["material"]["downloads"], 0)

    def test_members_see_everything(self):
        for who, c in self.insiders.items():
            with self.subTest(who=who):
                ids = self.listed_ids(client=c)
                self.assertIn(self.m_assoc, ids)
                self.assertIn(self.m_board, ids)
                self.assertIn(self.m_assoc, self.listed_ids("?association=club", client=c))
                self.assertEqual(self.listed_ids(f"?board={self.club_board}", client=c), [self.m_board])
                got = self.get_material(self.m_assoc, c)
                self.assertEqual(got["material"]["association"], "club")
                self.assertDownload(self.m_assoc, self.secret_data, client=c)
                self.assertDownload(self.m_board, self.secret_data + b"2", client=c)

    def test_joining_reveals_and_leaving_hides(self):
        c = self.server.member(unique("joiner"))
        self.assertError(c.get(f"materials/{self.m_assoc}"), 404)
        self.assertStatus(c.post("associations/club/members"), 201)
        self.assertStatus(c.get(f"materials/{self.m_assoc}"), 200)
        self.assertStatus(c.delete("associations/club/members"), (200, 204))
        self.assertError(c.get(f"materials/{self.m_assoc}"), 404)

    def test_admin_upload_to_a_members_only_association(self):
        # members-only content exists only for members (API.md), admins included: an admin
        # outside the club cannot put a material there, and nothing is stored
        before = self.listed_ids(client=self.bob)
        r = self.upload(self.admin, association="club", title="admin into the club", data=b"admin club")
        self.assertError(r, 403, "members_only")
        self.assertEqual(self.listed_ids(client=self.bob), before)

    def test_admin_upload_to_a_public_association(self):
        r = self.upload(self.admin, association="pub", title="admin into pub", data=b"admin pub")
        self.assertStatus(r, 201)


# ---- size limit ----------------------------------------------------------------------------------------------


class SizeLimit(MatCase):
    extra_args = ("--max-upload-mb", "1")

    def over_limit(self, length, sent):
        """Starts an upload whose Content-Length is length, sends sent bytes of it, returns the
        answer's status."""
        port = self.server.port
        body, ctype = multipart([field("title", "too big"), field("board", self.a),
                                 file_part(random_bytes(length, 41), "big.bin")])
        head = request_head(port, "/api/v1/materials", self.lect.token, ctype, len(body))
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        try:
            try:
                s.sendall(head + body[:sent])
            except (BrokenPipeError, ConnectionResetError):
                pass
            status, _, _ = read_answer(s, timeout=10)
        finally:
            s.close()
        return status

    def test_over_the_limit_413_from_content_length(self):
        before = len(self.listing())
        # only the first 64 KiB of a 3 MB body are sent: the answer cannot wait for the rest
        started = time.monotonic()
        self.assertEqual(self.over_limit(3 * 1024 * 1024, 64 * 1024), 413)
        self.assertLess(time.monotonic() - started, 8)
        # the whole body sent in one go
        self.assertEqual(self.over_limit(2 * 1024 * 1024, 10 ** 9), 413)
        self.assertNoTmp("after 413")
        self.assertTrue(self.server.healthy())
        self.assertEqual(len(self.listing()), before)
        # the server keeps serving others, uploads included
        data = random_bytes(1000 * 1000, 42)
        m = self.make(data=data, filename="under.bin")
        self.assertMaterial(m, data)
        self.assertDownload(m["id"], data)

    def chunked_upload(self, data):
        port = self.server.port
        body, ctype = multipart([field("title", "chunked"), field("board", self.a), file_part(data, "chunked.bin")])
        chunks = b"".join(b"%x\r\n" % len(body[i:i + 50000]) + body[i:i + 50000] + b"\r\n"
                          for i in range(0, len(body), 50000)) + b"0\r\n\r\n"
        head = (f"POST /api/v1/materials HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                f"Authorization: Bearer {self.lect.token}\r\nContent-Type: {ctype}\r\n"
                f"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").encode()
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        try:
            try:
                s.sendall(head + chunks)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return read_answer(s, timeout=10)
        finally:
            s.close()

    def test_chunked_bodies(self):
        # no Content-Length to decide from: the limit still holds as the chunks arrive
        data = random_bytes(200000, 44)
        status, _, answer = self.chunked_upload(data)
        self.assertEqual(status, 201, answer[:300])
        m = json.loads(answer)["material"]
        self.assertMaterial(m, data)
        self.assertDownload(m["id"], data)
        status, _, _ = self.chunked_upload(random_bytes(3 * 1024 * 1024, 45))
        self.assertEqual(status, 413)
        self.assertTrue(self.server.healthy())
        self.assertNoTmp("after a chunked body over the limit")

    def test_over_the_limit_through_the_api_client(self):
        r = None
        try:
            r = self.upload(self.lect, data=random_bytes(3 * 1024 * 1024, 43))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before all of the body is sent
        if r is not None:
            self.assertStatus(r, 413)
        self.assertTrue(self.server.healthy())
        self.assertNoTmp()


# ---- pages ------------------------------------------------------------------------------------------------------


class Pages(MatCase):
    def browser(self, name=None):
        c = self.server.client()
        if name:
            self.assertStatus(c.form("/login", {"username": name, "password": PASSWORD}), 303)
        return c

    def form_action(self, html_text, path):
        m = re.search(r'<form method="post" action="(' + re.escape(path) + r'\?csrf=[^"]+)"', html_text)
        self.assertIsNotNone(m, f"no upload form posting to {path}")
        return html.unescape(m.group(1))

    def post_multipart(self, c, path, parts):
        body, ctype = multipart(parts)
        return c.request("POST", path, body=body, content_type=ctype, token=None, csrf=None)

    def test_materials_page(self):
        m = self.make(title="Page <b>listed</b> 讲义", description="d")
        for c in (self.anon(), self.browser("alice")):
            r = self.assertHtml(c.page("/materials"))
            self.assertIn(f'href="/materials/{m["id"]}"', r.text)
            self.assertIn("Page &lt;b&gt;listed&lt;/b&gt; 讲义", r.text)
            self.assertNotIn("<b>listed</b>", r.text)
            self.assertNotIn('enctype="multipart/form-data"', r.text, "members get no upload form")
            self.assertIn('href="/lecturers"', r.text)
        r = self.assertHtml(self.browser("lect").page("/materials"))
        self.assertIn('enctype="multipart/form-data"', r.text)
        self.assertIn('name="file"', r.text)
        self.form_action(r.text, "/materials")

    def test_search_on_the_page(self):
        hit = self.make(title="Greenhouse tomatoes")
        miss = self.make(title="Beekeeping")
        r = self.assertHtml(self.anon().page("/materials?q=GREENHOUSE"))
        self.assertIn(f'href="/materials/{hit["id"]}"', r.text)
        self.assertNotIn(f'href="/materials/{miss["id"]}"', r.text)
        self.assertIn('value="GREENHOUSE"', r.text)

    def test_material_page(self):
        data = b"page material"
        m = self.make(data=data, filename="讲义.pdf", title="Title <i>x</i>",
                      description="**bold** <script>alert(1)</script>")
        self.assertStatus(self.add_version(self.lect, m["id"], data=b"v2 bytes", filename="v2.pdf",
                                           note="note <u>2</u>"), 201)
        r = self.assertHtml(self.anon().page(f"/materials/{m['id']}"))
        t = r.text
        self.assertIn("Title &lt;i&gt;x&lt;/i&gt;", t)
        self.assertIn("<strong>bold</strong>", t)
        self.assertNotIn("<script>alert(1)</script>", t)
        self.assertIn(f'/materials/{m["id"]}/download', t)
        self.assertIn(f'/materials/{m["id"]}/download?version=1', t)
        self.assertIn(f'/materials/{m["id"]}/download?version=2', t)
        self.assertIn("讲义.pdf", t)
        self.assertIn("note &lt;u&gt;2&lt;/u&gt;", t)
        self.assertIn(sha256(data), t)
        self.assertNotIn(f'/materials/{m["id"]}/versions?csrf=', t, "visitors get no version form")
        self.assertNotIn("/versions?csrf=", self.browser("lect2").page(f"/materials/{m['id']}").text)
        for name in ("lect", "smod", "matadmin"):
            page = self.assertHtml(self.browser(name).page(f"/materials/{m['id']}")).text
            self.form_action(page, f"/materials/{m['id']}/versions")
        self.assertHtml(self.anon().page("/materials/999999"), 404)

    def test_lecturers_page(self):
        self.make(self.lect2, title="by lect2 for the page")
        r = self.assertHtml(self.anon().page("/lecturers"))
        self.assertIn("/u/lect2", r.text)
        self.assertIn("/u/lect", r.text)
        self.assertNotIn("/u/alice", r.text)

    def test_upload_through_the_page(self):
        c = self.browser("lect")
        action = self.form_action(c.page("/materials").text, "/materials")
        data = random_bytes(100000, 51) + b"\r\n--\r\n"
        parts = [field("title", "网页上传 page upload"), field("description", "from the *form*"),
                 field("board", self.b), file_part(data, "网页.bin", "application/octet-stream")]
        r = self.post_multipart(c, action, parts)
        self.assertStatus(r, 303)
        loc = urllib.parse.urlsplit(r.header("Location")).path
        self.assertRegex(loc, r"^/materials/\d+$")
        mid = int(loc.rsplit("/", 1)[1])
        got = self.get_material(mid)["material"]
        self.assertMaterial(got, data)
        self.assertEqual((got["title"], got["board"], got["filename"]), ("网页上传 page upload", self.b, "网页.bin"))
        self.assertHtml(c.page(loc))
        self.assertDownload(mid, data)
        # a new version through the page form
        action = self.form_action(c.page(loc).text, f"/materials/{mid}/versions")
        r = self.post_multipart(c, action, [file_part(b"page v2", "v2.bin"), field("note", "from the page")])
        self.assertStatus(r, 303)
        self.assertEqual(urllib.parse.urlsplit(r.header("Location")).path, loc)
        got = self.get_material(mid)
        self.assertEqual((got["material"]["version"], got["material"]["note"]), (2, "from the page"))

    def test_page_upload_needs_the_csrf_query(self):
        c = self.browser("lect")
        before = len(self.listing())
        parts = [field("title", "forged"), field("board", self.a), file_part(b"forged", "f.txt", "text/plain"),
                 field("csrf", c.form_csrf("/materials"))]  # a csrf field inside the body is too late
        self.assertHtml(self.post_multipart(c, "/materials", parts), 403)
        self.assertHtml(self.post_multipart(c, "/materials?csrf=" + "y" * 43, parts), 403)
        other = self.browser("lect2")
        stolen = self.form_action(other.page("/materials").text, "/materials")
        self.assertHtml(self.post_multipart(c, stolen, parts), 403)
        m = self.make(title="target of forged versions")
        self.assertHtml(self.post_multipart(c, f"/materials/{m['id']}/versions", [file_part(b"forged v2")]), 403)
        self.assertEqual(self.get_material(m["id"])["material"]["version"], 1)
        self.assertEqual(len(self.listing()), before + 1)
        self.assertNoTmp("after forged page uploads")

    def test_member_page_upload_refused(self):
        c = self.browser("alice")
        token = c.form_csrf("/materials")
        parts = [field("title", "member"), field("board", self.a), file_part(b"m", "m.txt")]
        r = self.post_multipart(c, f"/materials?csrf={urllib.parse.quote(token)}", parts)
        self.assertHtml(r, 403)
        self.assertFalse([m for m in self.listing() if m["title"] == "member"])

    def test_page_upload_errors_are_pages(self):
        c = self.browser("lect")
        action = self.form_action(c.page("/materials").text, "/materials")
        r = self.post_multipart(c, action, [field("title", "no file"), field("board", self.a)])
        self.assertHtml(r, 400)
        body, _ = multipart([field("title", "x"), file_part(b"x" * 1000)], close=False)
        r = c.request("POST", action, body=body, content_type="multipart/form-data; boundary=zz", token=None,
                      csrf=None)
        self.assertHtml(r, 400)
        self.assertNoTmp("after page upload errors")


if __name__ == "__main__":
    unittest.main()
