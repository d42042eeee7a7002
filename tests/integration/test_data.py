"""Data safety under load: a backup of a busy site, writes on a full or read-only database, and
a stop in the middle of a stream of posts. Each test writes from threads while it acts."""

import http.client
import json
import os
import resource
import shutil
import signal
import sqlite3
import tempfile
import threading
import time
import unittest

from agora_harness import Server, make_board, make_thread, run_cli, unique

BACKUP_BOUND = 30  # seconds; the copy of a few MiB takes well under one


class Writer:
    """Threads posting replies to one thread as fast as they are answered, each reply with a
    unique body; remembers which bodies were answered 201 and which got no answer at all."""

    def __init__(self, server, token, thread_id, threads=2, keep_alive=False):
        self.server, self.token, self.thread_id = server, token, thread_id
        self.keep_alive = keep_alive
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.created, self.unanswered, self.statuses = [], [], []
        self.threads = [threading.Thread(target=self.run, args=(i,), daemon=True) for i in range(threads)]

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def post(self, c, conn, body):
        """One reply, on a fresh connection or on conn, kept open between requests (as a
        browser or a proxy keeps it)."""
        if not conn:
            return c.post(f"threads/{self.thread_id}/posts", {"body": body})
        conn.request("POST", f"/api/v1/threads/{self.thread_id}/posts", body=json.dumps({"body": body}),
                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"})
        r = conn.getresponse()
        r.read()
        return r

    def run(self, n):
        c = self.server.client(token=self.token)
        conn = None
        i = 0
        while not self.stop.is_set():
            body = f"load {n}-{i} {unique('p')}"
            i += 1
            if self.keep_alive and conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=15)
            try:
                r = self.post(c, conn, body)
            except (OSError, http.client.HTTPException):
                if conn:
                    conn.close()
                    conn = None
                with self.lock:
                    self.unanswered.append(body)
                if self.stop.wait(0.01):
                    return
                continue
            with self.lock:
                self.statuses.append(r.status)
                if r.status == 201:
                    self.created.append(body)

    def count(self):
        with self.lock:
            return len(self.created)

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join(30)


def bodies_in(db_path):
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return {row[0] for row in conn.execute("SELECT body FROM posts")}
    finally:
        conn.close()


def site(server):
    """An admin's bearer token and a thread to post to."""
    server.add_user("keeper", "admin")
    server.start()
    admin = server.client()
    admin.login("keeper")
    board = make_board(admin)
    thread, _ = make_thread(admin, board["slug"])
    return admin, thread


class Backup(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="agora-data-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def test_backup_finishes_while_posts_keep_arriving(self):
        data = os.path.join(self.tmp, "live")
        # about 15 MiB: the backup API copied it in some 15 steps of 256 pages, and restarted at
        # every write of the server between two of them, so it never finished
        p = run_cli("seed", "--data", data, "--threads", "150", "--posts", "50", timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr)
        server = Server(data_dir=data)
        self.addCleanup(server.cleanup)
        admin, thread = site(server)
        writer = Writer(server, admin.token, thread["id"]).start()
        self.addCleanup(writer.finish)
        deadline = time.monotonic() + 10
        while writer.count() < 20 and time.monotonic() < deadline:
            time.sleep(0.05)
        before = list(writer.created)
        self.assertGreaterEqual(len(before), 20, writer.statuses[-5:])

        copy = os.path.join(self.tmp, "copy.db")
        started = time.monotonic()
        try:
            p = run_cli("backup", "--data", data, copy, timeout=BACKUP_BOUND)
        except Exception as e:  # subprocess.TimeoutExpired: the copy never finished
            self.fail(f"agorad backup did not finish within {BACKUP_BOUND}s of continuous writes: {e}")
        took = time.monotonic() - started
        during = writer.count() - len(before)
        writer.finish()
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertGreater(during, 0, "posts kept arriving during the backup")
        self.assertEqual([f for f in os.listdir(self.tmp) if ".tmp-" in f], [], "no temporary file is left")

        restored = os.path.join(self.tmp, "restored")
        os.mkdir(restored)
        shutil.copy(copy, os.path.join(restored, "agora.db"))
        p = run_cli("check", "--data", restored)
        self.assertEqual(p.returncode, 0, f"the copy is not sound: {p.stderr}")
        missing = set(before) - bodies_in(os.path.join(restored, "agora.db"))
        self.assertEqual(missing, set(), "the copy holds every post written before it began")
        print(f"\n    backup of a busy site: {took:.2f}s, {during} posts written meanwhile", end=" ")


# ---- a full or read-only database -----------------------------------------------------------

def set_write_version(db_path, version):
    """Byte 18 of an SQLite file is its write version: above 2, SQLite opens the file read-only,
    as it does when the system refuses to open it for writing, whoever the user is (root too)."""
    with open(db_path, "r+b") as f:
        f.seek(18)
        f.write(bytes([version]))


def file_size_limit(limit):
    """For preexec_fn: no file of agorad may grow past limit bytes; a write beyond fails with
    EFBIG, as one on a full disk fails with ENOSPC (agorad ignores SIGXFSZ itself)."""
    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def reply_body(client, thread_id, body):
    r = client.post(f"threads/{thread_id}/posts", {"body": body})
    if r.status != 201:
        raise AssertionError(f"reply not created: {r!r}")
    return body


class Storage(unittest.TestCase):
    """Writes refused with 503 and a clear error while reads go on, then the site as it was."""

    MESSAGES = {"storage_full": "网站磁盘已满", "storage_read_only": "网站暂时处于只读状态"}

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="agora-data-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.data = os.path.join(self.tmp, "site")
        self.db_path = os.path.join(self.data, "agora.db")
        first = Server(data_dir=self.data)
        self.addCleanup(first.cleanup)
        self.admin, self.thread = site(first)
        self.pager = first.member("pager", login=False)
        self.pager.login("pager", bearer=False)  # a page session: a cookie and its CSRF token
        self.kept = [reply_body(self.admin, self.thread["id"], f"kept {i}") for i in range(3)]
        first.stop()

    def serve(self, server):
        self.addCleanup(server.cleanup)
        server.start()
        self.admin.server = self.pager.server = server
        return server

    def check_site(self, server, code):
        """Writes answer 503 with code, as JSON and as a translated page; reads go on."""
        tid = self.thread["id"]
        r = self.admin.post(f"threads/{tid}/posts", {"body": "refused"})
        self.assertEqual((r.status, r.error_code), (503, code), r)
        self.assertTrue(r.error_message and code not in r.error_message, r)
        page = self.pager.form(f"/t/{tid}", {"body": "refused too"}, headers={"Accept-Language": "zh-CN"})
        self.assertEqual(page.status, 503, page)
        self.assertTrue(page.header("Content-Type", "").startswith("text/html"), page)
        self.assertIn(self.MESSAGES[code], page.text)
        r = self.admin.get(f"threads/{tid}")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(server.client().page(f"/t/{tid}").status, 200)
        self.assertTrue(server.healthy())

    def check_sound(self, answered=()):
        """The database passes `agorad check` and holds every acknowledged post; it takes
        writes again."""
        p = run_cli("check", "--data", self.data)
        self.assertEqual(p.returncode, 0, f"the database is damaged: {p.stderr}")
        missing = (set(self.kept) | set(answered)) - bodies_in(self.db_path)
        self.assertEqual(missing, set(), "every acknowledged post is kept")
        again = self.serve(Server(data_dir=self.data))
        reply_body(self.admin, self.thread["id"], "writable again")
        again.stop()

    def test_read_only_database(self):
        set_write_version(self.db_path, 3)
        server = self.serve(Server(data_dir=self.data))
        self.check_site(server, "storage_read_only")
        r = server.client().post("session", {"username": "pager", "password": "correct horse battery"})
        self.assertEqual((r.status, r.error_code), (503, "storage_read_only"), r)
        server.stop()
        set_write_version(self.db_path, 2)
        self.check_sound()

    def test_full_disk(self):
        # room for the database and a few commits in its write-ahead log, no more
        server = Server(data_dir=self.data)
        server.preexec = file_size_limit(os.path.getsize(self.db_path) + 256 * 1024)
        self.serve(server)
        writer = Writer(server, self.admin.token, self.thread["id"]).start()
        self.addCleanup(writer.finish)
        deadline = time.monotonic() + 20
        while 503 not in writer.statuses and time.monotonic() < deadline:
            time.sleep(0.05)
        writer.finish()
        self.assertIn(503, writer.statuses, "the disk filled up")
        self.assertEqual(set(writer.statuses) - {201, 503}, set(), writer.statuses)
        self.assertEqual(writer.unanswered, [], "every write was answered")
        self.check_site(server, "storage_full")
        server.stop()
        self.check_sound(writer.created)


# ---- a stop under write load ------------------------------------------------------------------

class StopUnderLoad(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="agora-data-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def test_sigterm_while_posts_stream_in(self):
        self.stop_under_load(keep_alive=False)

    def test_sigterm_while_posts_stream_in_on_kept_connections(self):
        self.stop_under_load(keep_alive=True)

    def stop_under_load(self, keep_alive):
        data = os.path.join(self.tmp, "site")
        server = Server(data_dir=data, workers=2)
        self.addCleanup(server.cleanup)
        admin, thread = site(server)
        writer = Writer(server, admin.token, thread["id"], threads=6, keep_alive=keep_alive).start()
        self.addCleanup(writer.finish)
        deadline = time.monotonic() + 10
        while writer.count() < 50 and time.monotonic() < deadline:
            time.sleep(0.02)
        server.send_signal(signal.SIGTERM)
        self.assertEqual(server.wait(), 0, server.stderr_text())
        writer.finish()
        self.assertGreaterEqual(writer.count(), 50, writer.statuses[-5:])
        self.assertEqual(set(writer.statuses) - {201}, set(), "every answer was a success")

        stored = bodies_in(os.path.join(data, "agora.db"))
        mine = {b for b in stored if b.startswith("load ")}
        self.assertEqual(set(writer.created) - stored, set(), "every post answered 201 is kept")
        # a request the server had started is answered: none was written but left unanswered
        self.assertEqual(mine & set(writer.unanswered), set(),
                         "posts were written whose clients got no answer (connection cut)")
        self.assertEqual(mine - set(writer.created), set())
        again = Server(data_dir=data)
        self.addCleanup(again.cleanup)
        again.start()
        self.assertTrue(again.healthy())
        self.assertEqual(run_cli("check", "--data", data).returncode, 0)


if __name__ == "__main__":
    unittest.main()
