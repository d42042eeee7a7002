"""Data safety under load: a backup of a busy site, writes on a full or read-only database, and
a stop in the middle of a stream of posts. Each test writes from threads while it acts."""

import http.client
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

    def __init__(self, server, token, thread_id, threads=2):
        self.server, self.token, self.thread_id = server, token, thread_id
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.created, self.unanswered, self.statuses = [], [], []
        self.threads = [threading.Thread(target=self.run, args=(i,), daemon=True) for i in range(threads)]

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def run(self, n):
        c = self.server.client(token=self.token)
        i = 0
        while not self.stop.is_set():
            body = f"load {n}-{i} {unique('p')}"
            i += 1
            try:
                r = c.post(f"threads/{self.thread_id}/posts", {"body": body})
            except (OSError, http.client.HTTPException):
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


if __name__ == "__main__":
    unittest.main()
