"""A training's files (API.md "Trainings": GET /trainings/SLUG/calendar.ics and
GET /trainings/SLUG/pack.zip; issue 10): the calendar read back by a real iCalendar parser
(python3-icalendar) — one event per lesson at the right UTC times, Chinese text intact, a
moved lesson's SEQUENCE growing; the course pack read with zipfile — every file byte-equal to
the latest version of its material, once, with an index page in the reader's language, UTF-8
names, a missing file skipped and named; both 404 to outsiders and visitors; and a trainee
removed from a training (or leaving it) losing the live streams of its board."""

import datetime
import io
import os
import sys
import time
import zipfile

try:
    from icalendar import Calendar
except ImportError:  # Debian's python3-icalendar (agora.sh) under another python3, e.g. pyenv's
    sys.path.append("/usr/lib/python3/dist-packages")
    from icalendar import Calendar

import test_live
from agora_harness import ServerTestCase, make_board, make_thread, unique
from test_materials import field, file_part, multipart

CN = datetime.timezone(datetime.timedelta(hours=8))
UTC = datetime.timezone.utc


def day(offset=0):
    return (datetime.datetime.now(CN) + datetime.timedelta(days=offset)).strftime("%Y-%m-%d")


def noon_utc(offset_days, hour=2):
    """A moment offset_days from today (site time), hour:00 UTC, to the second."""
    d = datetime.datetime.now(CN).date() + datetime.timedelta(days=offset_days)
    return datetime.datetime(d.year, d.month, d.day, hour, 0, tzinfo=UTC)


def rfc3339(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


class FilesCase(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_staff("tfadmin")
        cls.add_members("alice", "bob")
        cls.zhang = cls.server.member("zhangwei", display_name="张伟")
        cls.board = make_board(cls.admin, title="Library shelf")["slug"]

    # -- helpers --
    def training(self, **fields):
        body = {"slug": unique("tf-"), "title": "乡村振兴专题培训", "description": "x", "starts_on": day(1),
                "ends_on": day(6), "hours": 24, "enrolment": "open", **fields}
        return self.assertStatus(self.lect.post("trainings", body), 201).data["training"]

    def lesson(self, slug, **fields):
        body = {"title": "第一课", "starts_at": rfc3339(noon_utc(2)), "minutes": 90, "lecturer": "zhangwei", **fields}
        return self.assertStatus(self.lect.post(f"trainings/{slug}/lessons", body), 201).data["lesson"]

    def material(self, data, filename, title):
        body, ctype = multipart([field("title", title), field("board", self.board),
                                 file_part(data, filename, "application/octet-stream")])
        return self.assertStatus(self.lect.post("materials", body, content_type=ctype), 201).data["material"]

    def new_version(self, mid, data, filename):
        body, ctype = multipart([file_part(data, filename, "application/octet-stream")])
        self.assertStatus(self.lect.post(f"materials/{mid}/versions", body, content_type=ctype), 201)

    def with_trainee(self, **fields):
        x = self.training(**fields)
        self.expect(self.lect.post(f"trainings/{x['slug']}/trainees", {"usernames": ["alice"]}), 201)
        return x

    def calendar(self, slug, client=None):
        r = (client or self.alice).request("GET", f"/trainings/{slug}/calendar.ics")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Content-Type"), "text/calendar; charset=utf-8")
        return r, Calendar.from_ical(r.body)

    def events(self, cal):
        return {str(e["UID"]): e for e in cal.walk("VEVENT")}

    def pack(self, slug, client=None, lang="en"):
        r = (client or self.alice).request("GET", f"/trainings/{slug}/pack.zip", headers={"Accept-Language": lang})
        self.assertEqual(r.status, 200, r)
        return r, zipfile.ZipFile(io.BytesIO(r.body))

    def tmp_entries(self):
        tmp = os.path.join(self.server.data_dir, "files", "tmp")
        return sorted(os.listdir(tmp)) if os.path.isdir(tmp) else []

    def assertNoTmp(self):
        for _ in range(20):
            if not self.tmp_entries():
                return
            time.sleep(0.05)
        self.fail(f"files left in DATA/files/tmp: {self.tmp_entries()}")


class Calendars(FilesCase):
    def test_one_event_per_lesson_with_utc_times_and_chinese_text(self):
        x = self.with_trainee()
        first = self.lesson(x["slug"], title="第一课：乡村振兴，从哪里开始; 讨论", minutes=90,
                            description="分组讨论：产业、人才、文化。\n第二行说明")
        second = self.lesson(x["slug"], title="第二课", starts_at=rfc3339(noon_utc(3, 6)), minutes=45)
        r, cal = self.calendar(x["slug"])
        self.assertEqual(str(cal["X-WR-CALNAME"]), "乡村振兴专题培训")
        ev = self.events(cal)
        host = "127.0.0.1"
        self.assertEqual(set(ev), {f"lesson-{first['id']}@{host}", f"lesson-{second['id']}@{host}"})
        e1, e2 = ev[f"lesson-{first['id']}@{host}"], ev[f"lesson-{second['id']}@{host}"]
        self.assertEqual(e1["DTSTART"].dt, noon_utc(2))
        self.assertEqual(e1["DTEND"].dt, noon_utc(2) + datetime.timedelta(minutes=90))
        self.assertEqual(e2["DTSTART"].dt, noon_utc(3, 6))
        self.assertEqual(e2["DTEND"].dt - e2["DTSTART"].dt, datetime.timedelta(minutes=45))
        self.assertEqual(str(e1["SUMMARY"]), "第一课：乡村振兴，从哪里开始; 讨论")
        desc = str(e1["DESCRIPTION"])
        self.assertIn("张伟", desc.splitlines()[0], "the lecturer's display name opens the description")
        self.assertIn("分组讨论：产业、人才、文化。\n第二行说明", desc)
        page = f"http://127.0.0.1:{self.server.port}/trainings/{x['slug']}"
        self.assertEqual(str(e1["URL"]), page)
        self.assertIn(page, desc)
        self.assertEqual(int(e1["SEQUENCE"]), 0)
        stamp = e1["DTSTAMP"].dt
        self.assertLess(abs((stamp - datetime.datetime.now(UTC)).total_seconds()), 120)

    def test_lecturer_label_in_the_readers_language(self):
        x = self.with_trainee()
        self.lesson(x["slug"])
        r = self.alice.request("GET", f"/trainings/{x['slug']}/calendar.ics", headers={"Accept-Language": "zh-CN"})
        e = list(Calendar.from_ical(r.body).walk("VEVENT"))[0]
        self.assertTrue(str(e["DESCRIPTION"]).startswith("讲师：张伟"), str(e["DESCRIPTION"]))

    def test_moved_lesson_sequence_grows_a_retitled_one_keeps_it(self):
        x = self.with_trainee()
        l = self.lesson(x["slug"])
        uid = f"lesson-{l['id']}@127.0.0.1"
        seq = lambda: int(self.events(self.calendar(x["slug"])[1])[uid]["SEQUENCE"])
        self.assertEqual(seq(), 0)
        self.assertStatus(self.lect.patch(f"lessons/{l['id']}", {"title": "第一课（修订）"}), 200)
        self.assertEqual(seq(), 0, "a new title is not a move")
        self.assertStatus(self.lect.patch(f"lessons/{l['id']}", {"starts_at": rfc3339(noon_utc(4))}), 200)
        self.assertEqual(seq(), 1)
        self.assertStatus(self.lect.patch(f"lessons/{l['id']}", {"minutes": 120}), 200)
        e = self.events(self.calendar(x["slug"])[1])[uid]
        self.assertEqual(int(e["SEQUENCE"]), 2)
        self.assertEqual(e["DTSTART"].dt, noon_utc(4))
        self.assertEqual(e["DTEND"].dt, noon_utc(4) + datetime.timedelta(minutes=120))
        self.assertIn("LAST-MODIFIED", e)

    def test_participants_only(self):
        x = self.with_trainee(enrolment="approval")
        self.lesson(x["slug"])
        path = f"/trainings/{x['slug']}/calendar.ics"
        for who in (self.bob, self.anon()):
            self.assertEqual(who.request("GET", path).status, 404)
        pending = self.new_member("pend")
        self.assertStatus(pending.post(f"trainings/{x['slug']}/trainees"), 202)
        self.assertEqual(pending.request("GET", path).status, 404, "a pending trainee is not in yet")
        for who in (self.alice, self.lect, self.zhang, self.admin):
            self.assertEqual(who.request("GET", path).status, 200)
        self.assertEqual(self.alice.request("GET", "/trainings/no-such-training/calendar.ics").status, 404)

    def test_training_without_lessons_is_an_empty_calendar(self):
        x = self.with_trainee()
        _, cal = self.calendar(x["slug"])
        self.assertEqual(list(cal.walk("VEVENT")), [])


class Packs(FilesCase):
    def test_every_latest_file_once_with_an_index(self):
        x = self.with_trainee()
        pdf = b"%PDF-1.4\n" + os.urandom(3000)
        m1 = self.material(pdf, "讲义 第一讲.pdf", "第一讲讲义")
        m2 = self.material(b"first edition\n", "notes.txt", "Reading notes")
        v2 = b"second edition, longer\n" * 50
        self.new_version(m2["id"], v2, "笔记.txt")
        self.lesson(x["slug"], title="第一课", materials=[m1["id"], m2["id"]])
        self.lesson(x["slug"], title="第二课", starts_at=rfc3339(noon_utc(3)), materials=[m2["id"]])
        r, z = self.pack(x["slug"], lang="zh-CN")
        self.assertEqual(r.header("Content-Type"), "application/zip")
        disp = r.header("Content-Disposition")
        self.assertTrue(disp.startswith(f'attachment; filename="{x["slug"]}.zip"'), disp)
        self.assertIsNone(z.testzip())
        names = z.namelist()
        self.assertEqual(names[0], "index.html")
        self.assertEqual(sorted(names[1:]), sorted(["讲义 第一讲.pdf", "笔记.txt"]), "each material once, latest name")
        self.assertEqual(z.read("讲义 第一讲.pdf"), pdf)
        self.assertEqual(z.read("笔记.txt"), v2)
        for info in z.infolist():
            self.assertTrue(info.flag_bits & 0x800 or info.filename.isascii(), info.filename)
        index = z.read("index.html").decode("utf-8")
        for text in ("乡村振兴专题培训", "第一讲讲义", "Reading notes", "第一课", "标题", "大小"):
            self.assertIn(text, index)
        self.assertNotIn("第二课", index, "a material already listed under the first lesson is not repeated")
        self.assertNoTmp()

    def test_missing_file_is_skipped_and_named(self):
        x = self.with_trainee()
        kept = self.material(b"PK\x03\x04kept " + os.urandom(16), "kept.bin", "Kept handout")
        gone = self.material(b"PK\x03\x04gone " + os.urandom(16), "gone.bin", "Vanished handout")
        self.lesson(x["slug"], materials=[kept["id"], gone["id"]])
        sha = gone["sha256"]
        os.unlink(os.path.join(self.server.data_dir, "files", sha[:2], sha))
        _, z = self.pack(x["slug"])
        self.assertEqual(z.namelist(), ["index.html", "kept.bin"])
        index = z.read("index.html").decode("utf-8")
        self.assertIn("Vanished handout", index)
        self.assertIn("unavailable", index)
        self.assertNoTmp()

    def test_participants_only(self):
        x = self.with_trainee()
        self.lesson(x["slug"], materials=[self.material(b"secret notes", "s.txt", "S")["id"]])
        path = f"/trainings/{x['slug']}/pack.zip"
        for who in (self.bob, self.anon()):
            r = who.request("GET", path)
            self.assertEqual(r.status, 404)
            self.assertNotIn(b"secret notes", r.body)
        for who in (self.lect, self.zhang, self.admin):
            self.assertEqual(who.request("GET", path).status, 200)
        self.assertNoTmp()

    def test_head_and_an_empty_training(self):
        x = self.with_trainee()
        r = self.alice.request("HEAD", f"/trainings/{x['slug']}/pack.zip")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, b"")
        _, z = self.pack(x["slug"])
        self.assertEqual(z.namelist(), ["index.html"])
        self.assertNoTmp()


class LiveRevocation(FilesCase):
    def stream_on_board(self, x, client):
        t, _ = make_thread(self.lect, x["board"], "Class business")
        s = test_live.Stream(self.server.port, t["id"], token=client.token)
        self.addCleanup(s.close)
        self.assertEqual(s.status, 200)
        self.assertTrue(s.wait_for(lambda s: s.blocks()))
        return t, s

    def test_removed_trainee_loses_the_boards_streams(self):
        x = self.with_trainee()
        bob = self.new_member("tb")
        self.expect(bob.post(f"trainings/{x['slug']}/trainees"), 201)
        t, mine = self.stream_on_board(x, self.alice)
        _, other = self.stream_on_board(x, bob)
        self.assertStatus(self.lect.post(f"trainings/{x['slug']}/trainees/alice", {"action": "remove"}), 200)
        self.assertTrue(mine.wait_for(lambda s: s.closed), "the removed trainee still holds the board's stream")
        self.assertEqual(self.alice.request("GET", f"/live/threads/{t['id']}").status, 404)
        # the others' streams were closed too and are checked afresh when they come back
        self.assertTrue(other.wait_for(lambda s: s.closed))
        again = test_live.Stream(self.server.port, t["id"], token=bob.token)
        self.addCleanup(again.close)
        self.assertEqual(again.status, 200)

    def test_leaving_ends_the_boards_streams(self):
        x = self.with_trainee()
        _, s = self.stream_on_board(x, self.alice)
        self.assertStatus(self.alice.delete(f"trainings/{x['slug']}/trainees"), 204)
        self.assertTrue(s.wait_for(lambda s: s.closed))

    def test_lecturer_replaced_on_their_only_lesson_loses_the_board(self):
        x = self.with_trainee()
        lecturer = self.new_member("lc")
        l = self.lesson(x["slug"], lecturer=lecturer.name)
        t, s = self.stream_on_board(x, lecturer)
        self.assertStatus(self.lect.patch(f"lessons/{l['id']}", {"lecturer": "zhangwei"}), 200)
        self.assertTrue(s.wait_for(lambda s: s.closed), "the former lecturer still holds the board's stream")
        self.assertEqual(lecturer.request("GET", f"/live/threads/{t['id']}").status, 404)

    def test_other_boards_streams_stay(self):
        x = self.with_trainee()
        t, _ = make_thread(self.lect, self.board, "Public talk")
        public = test_live.Stream(self.server.port, t["id"], token=self.alice.token)
        self.addCleanup(public.close)
        self.assertTrue(public.wait_for(lambda s: s.blocks()))
        self.assertStatus(self.lect.post(f"trainings/{x['slug']}/trainees/alice", {"action": "remove"}), 200)
        self.assertFalse(public.wait_for(lambda s: s.closed, timeout=1.0), "a public stream was closed")
