"""Scheduled work and the injectable clock (AGORA_NOW), black-box.

Time moves by restarting agorad with a later AGORA_NOW; what the runner did is read from the
data folder's agora.db (python's sqlite3) and from /metrics. The job observed is the one every
agorad has: accounts.cleanup, which deletes expired sessions and old failed logins hourly. Its
handler ignores the key, so more jobs of that kind (other keys) serve to count runs.
"""

import re
import signal
import sqlite3
import subprocess
import time
import unittest

from agora_harness import (PASSWORD, db, restart, wait_for, Server, ServerTestCase, agorad_path, make_board, make_thread,
                           web_path)

T = 2000000000  # 2033-05-18T03:33:20Z, far from the real clock
DAY = 86400
CLEANUP = "accounts.cleanup"


def job(server, key="", kind=CLEANUP):
    with db(server) as conn:
        return conn.execute("SELECT * FROM jobs WHERE kind=? AND key=?", (kind, key)).fetchone()


def recurring_kinds(server):
    """How many recurring kinds the server keeps (each has a job with key '')."""
    with db(server) as conn:
        return conn.execute("SELECT count(*) FROM jobs WHERE key=''").fetchone()[0]


def count(server, table):
    with db(server) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def metric(server, name):
    text = server.client().request("GET", "/metrics").text
    m = re.search(rf"^{name} (\d+)$", text, re.M)
    if not m:
        raise AssertionError(f"{name} not in /metrics: {text[-800:]!r}")
    return int(m.group(1))


class Clock(unittest.TestCase):
    def test_invalid_agora_now_is_one_line_and_exit_2(self):
        for bad in ("soon", "-1", "1.5", "99999999999999999999"):
            p = subprocess.run([agorad_path(), "serve", "--listen", "127.0.0.1:0", "--data", "/nonexistent",
                                "--web", web_path()], env={"AGORA_NOW": bad}, capture_output=True, text=True,
                               timeout=20)
            self.assertEqual(p.returncode, 2, (bad, p.stderr))
            lines = p.stderr.strip().splitlines()
            self.assertEqual(len(lines), 1, p.stderr)
            self.assertIn("AGORA_NOW", lines[0])


class ClockShows(ServerTestCase):
    """What members see is dated by the moved clock."""
    env = {"AGORA_NOW": str(T)}

    def test_post_created_at_follows_agora_now(self):
        admin = self.server.admin("clockadmin")
        board = make_board(admin)["slug"]
        alice = self.server.member("alice")
        self.assertTrue(alice.user["created_at"].startswith("2033-05-18T03:3"), alice.user)
        thread, post = make_thread(alice, board)
        for when in (thread["created_at"], post["created_at"]):
            self.assertRegex(when, r"^2033-05-18T03:3[3-4]:\d\dZ$")
        time.sleep(1.2)  # the clock runs on from AGORA_NOW
        _, later = make_thread(alice, board, title="Later")
        self.assertGreater(later["created_at"], post["created_at"])


class Scheduled(unittest.TestCase):
    def setUp(self):
        self.srv = Server(env={"AGORA_NOW": str(T)})
        self.addCleanup(self.srv.cleanup)
        self.srv.start()

    def test_cleanup_runs_at_start_then_when_time_has_moved(self):
        srv = self.srv
        first = wait_for("the first cleanup", lambda: (j := job(srv)) and j["runs"] == 1 and j)
        self.assertLessEqual(first["done_at"] - T, 1)  # at start-up, not a tick later
        self.assertEqual(first["state"], "due")
        self.assertEqual(first["due_at"], first["done_at"] + 3600)
        alice = srv.member("alice")
        self.assertEqual(srv.client().post("session", {"username": "alice", "password": "wrong one!"}).status, 401)
        self.assertEqual(alice.get("me").status, 200)
        self.assertEqual((count(srv, "sessions"), count(srv, "login_failures")), (1, 1))

        restart(srv, T + 600)  # not due yet: nothing runs
        time.sleep(1.5)
        self.assertEqual(job(srv)["runs"], 1)
        self.assertEqual(metric(srv, "agora_jobs_run_total"), 0)

        restart(srv, T + 31 * DAY)  # past the hour, the session's 30 days and the failure's day
        wait_for("the cleanup after the restart", lambda: (j := job(srv)) and j["runs"] == 2)
        self.assertEqual((count(srv, "sessions"), count(srv, "login_failures")), (0, 0))
        self.assertEqual(alice.get("me").status, 401)
        self.assertEqual(job(srv)["due_at"], job(srv)["done_at"] + 3600)
        # every recurring kind ran once after the restart (accounts.cleanup among them)
        self.assertEqual(metric(srv, "agora_jobs_run_total"), recurring_kinds(srv))
        self.assertEqual(metric(srv, "agora_jobs_due"), 0)

    def test_a_job_due_in_the_past_runs_at_start_up(self):
        srv = self.srv
        srv.stop()
        with db(srv) as conn:
            conn.execute("INSERT INTO jobs(kind,key,due_at,created_at) VALUES(?, 'old', ?, 0)", (CLEANUP, T - DAY))
        srv.start()
        j = wait_for("the overdue job", lambda: (j := job(srv, "old")) and j["runs"] == 1 and j, timeout=5)
        self.assertLessEqual(j["done_at"] - T, 1)

    def test_unknown_kind_fails_at_once_with_a_clear_error(self):
        srv = self.srv
        srv.stop()
        with db(srv) as conn:
            conn.execute("INSERT INTO jobs(kind,key,due_at,created_at) VALUES('no.such.kind', '7', 0, 0)")
        srv.start()
        j = wait_for("the unknown kind", lambda: (j := job(srv, "7", "no.such.kind")) and j["state"] == "failed" and j)
        self.assertEqual(j["attempts"], 1)
        self.assertIn("unknown job kind", j["last_error"])
        self.assertEqual(metric(srv, "agora_jobs_failed_total"), 1)
        srv.stop()
        self.assertRegex(srv.stderr_text(), r'job no\.such\.kind "7": failed for good after 1 attempt: unknown')

    def test_a_job_whose_runner_died_is_taken_again_after_its_lease(self):
        srv = self.srv
        srv.stop()
        with db(srv) as conn:
            for key, until in (("lapsed", T - 1), ("held", T + 3600)):
                conn.execute("INSERT INTO jobs(kind,key,due_at,state,attempts,claimed_by,claimed_until,created_at)"
                             " VALUES(?, ?, ?, 'running', 1, 'ghost:1', ?, 0)", (CLEANUP, key, T - 600, until))
        srv.start()
        j = wait_for("the lapsed job", lambda: (j := job(srv, "lapsed")) and j["runs"] == 1 and j)
        self.assertEqual(j["attempts"], 0)  # re-armed after its run
        self.assertNotEqual(j["claimed_by"], "ghost:1")
        time.sleep(1.2)
        held = job(srv, "held")
        self.assertEqual((held["state"], held["runs"], held["claimed_by"]), ("running", 0, "ghost:1"))

    def test_sigterm_when_idle_stops_promptly(self):
        srv = self.srv
        wait_for("the first cleanup", lambda: (j := job(srv)) and j["runs"] == 1)
        time.sleep(0.3)  # the runner sleeps between its ticks
        started = time.monotonic()
        srv.send_signal(signal.SIGTERM)
        rc = srv.wait()
        elapsed = time.monotonic() - started
        self.assertEqual(rc, 0)
        self.assertLess(elapsed, 1.5)


class Failures(unittest.TestCase):
    """A cleanup the database refuses (a trigger the test adds) is retried with back-off and
    fails for good after 5 attempts; a failed recurring job is re-armed at the next start."""

    def test_retried_with_back_off_then_failed(self):
        srv = Server(env={"AGORA_NOW": str(T)})
        self.addCleanup(srv.cleanup)
        srv.start()
        srv.member("alice")
        srv.stop()
        with db(srv) as conn:
            conn.execute("CREATE TRIGGER refuse BEFORE DELETE ON sessions"
                         " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")
        now, delays = T + 31 * DAY, []
        for attempt in range(1, 6):
            restart(srv, now)
            # an attempt is counted when the job is claimed: wait for its outcome too
            j = wait_for(f"attempt {attempt}",
                         lambda: (j := job(srv)) and j["attempts"] == attempt and j["state"] != "running" and j)
            self.assertIn("refused by the test", j["last_error"])
            self.assertEqual(metric(srv, "agora_jobs_failed_total"), 1)
            if attempt < 5:
                self.assertEqual(j["state"], "due")
                delays.append(j["due_at"] - now)
                restart(srv, j["due_at"] - 10)  # not yet: the back-off holds
                time.sleep(1.2)
                self.assertEqual(job(srv)["attempts"], attempt)
                now = j["due_at"] + 1
        self.assertEqual(j["state"], "failed")
        self.assertEqual([round(d / 60) for d in delays], [1, 2, 4, 8])
        self.assertEqual(count(srv, "sessions"), 1)  # every attempt was rolled back
        srv.stop()
        log = srv.stderr_text()
        self.assertRegex(log, r'job accounts\.cleanup "": attempt 1 of 5 failed: .*refused by the test; retry at 2033-')
        self.assertIn('job accounts.cleanup "": failed for good after 5 attempts', log)
        self.assertNotIn(PASSWORD, log)

        with db(srv) as conn:
            conn.execute("DROP TRIGGER refuse")
        restart(srv, now + 10)  # fixed: the recurring job is re-armed and runs
        j = wait_for("the re-armed cleanup", lambda: (j := job(srv)) and j["runs"] == 2 and j)
        self.assertEqual((j["state"], j["attempts"]), ("due", 0))
        self.assertEqual(count(srv, "sessions"), 0)


class TwoProcesses(unittest.TestCase):
    """Two agorad on one data folder: each job runs once, counted per row and per process."""

    JOBS = 400

    def test_many_due_jobs_run_once(self):
        first = Server(env={"AGORA_NOW": str(T)})
        self.addCleanup(first.cleanup)
        first.start()
        wait_for("the first cleanup", lambda: (j := job(first)) and j["runs"] == 1)
        first.stop()
        with db(first) as conn:
            conn.executemany("INSERT INTO jobs(kind,key,due_at,created_at) VALUES(?, ?, ?, 0)",
                             [(CLEANUP, f"k{i}", T + i % 7) for i in range(self.JOBS)])
        later = {"AGORA_NOW": str(T + 3600)}  # the hourly run is due too
        with db(first) as conn:  # the recurring kinds due by then (daily ones are not)
            due_recurring = conn.execute("SELECT count(*) FROM jobs WHERE key='' AND due_at<=?",
                                         (T + 3600,)).fetchone()[0]
        second = Server(data_dir=first.data_dir, env=later)
        self.addCleanup(second.cleanup)
        first.env.update(later)
        first.spawn()
        second.spawn()
        first.wait_ready()
        second.wait_ready()
        with db(first) as conn:
            done = lambda: conn.execute("SELECT count(*) FROM jobs WHERE runs>=1 AND state='due'"
                                        " AND due_at>? AND kind=?", (T + 3700, CLEANUP)).fetchone()[0] == self.JOBS + 1
            wait_for("every job to run", done, timeout=30)
            time.sleep(1.2)  # give a second run every chance to happen
            runs = conn.execute("SELECT runs, count(*) FROM jobs WHERE kind=? GROUP BY runs", (CLEANUP,)).fetchall()
            by = dict(conn.execute("SELECT claimed_by, count(*) FROM jobs GROUP BY claimed_by").fetchall())
        self.assertEqual([tuple(r) for r in runs], [(1, self.JOBS), (2, 1)])  # "" also ran at the first start
        total = metric(first, "agora_jobs_run_total") + metric(second, "agora_jobs_run_total")
        # the other recurring kinds due ran once each too, on one of the two
        self.assertGreaterEqual(due_recurring, 2)
        self.assertEqual(total, self.JOBS + due_recurring, by)
        self.assertEqual(metric(first, "agora_jobs_failed_total") + metric(second, "agora_jobs_failed_total"), 0)
        print(f"\n  runs by process: {by}", end=" ")
        second.stop()


if __name__ == "__main__":
    unittest.main()
