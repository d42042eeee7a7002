"""Upgrades and restores (issue 15): the previous release's database (a demo site made by it,
tests/fixtures/) migrated at start, with a copy of it kept beside; `agorad migrate`; a database
newer than the binary refused with a clear message; a failing migration leaving the database
as it was; old copies pruned to --keep-backups; `agorad restore FILE`, refused while a server
runs and for files that are no Agora database."""

import glob
import gzip
import os
import re
import shutil
import sqlite3
import subprocess

from agora_harness import PASSWORD, Server, agorad_path, run_cli
from test_cli import TempDirTestCase

HERE = os.path.dirname(os.path.abspath(__file__))
PREVIOUS = os.path.join(HERE, "..", "fixtures", "release-20-demo.db.gz")  # see tests/fixtures/README.md


def version(path):
    with sqlite3.connect(path) as conn:
        return conn.execute("PRAGMA user_version").fetchone()[0]


class Upgrade(TempDirTestCase):
    def previous(self, name="old"):
        data = self.path(name)
        os.mkdir(data)
        with gzip.open(PREVIOUS) as src, open(os.path.join(data, "agora.db"), "wb") as dst:
            shutil.copyfileobj(src, dst)
        return data

    def latest(self):
        data = self.path("fresh")
        self.assertEqual(run_cli("migrate", "--data", data).returncode, 0)
        return version(os.path.join(data, "agora.db"))

    def test_the_previous_release_is_migrated_at_start_and_kept(self):
        data = self.previous()
        self.assertEqual(version(os.path.join(data, "agora.db")), 20)
        srv = Server(data_dir=data)
        self.addCleanup(srv.cleanup)
        srv.start()
        [kept] = glob.glob(os.path.join(data, "agora.db.v20-*.bak"))
        self.assertEqual(version(kept), 20)
        self.assertIn(f"migrated from schema version 20 to {self.latest()}", srv.stderr_text())
        c = srv.client()
        self.assertEqual(c.get("boards/spring-farming").status, 200)
        c.login("zhangwei", password="agora-demo-2026")
        record = c.get("users/zhangwei/record")
        self.assertEqual(record.status, 200, record)
        self.assertEqual(len([t for t in record.data["trainings"] if t["state"] == "completed"]), 2)
        admin = srv.client()
        admin.login("admin", password="agora-demo-2026")
        r = admin.patch("boards/site-feedback", {"kind": "qa"})  # what the new schema adds works
        self.assertEqual((r.status, r.data["board"]["kind"]), (200, "qa"), r)
        srv.stop()
        p = run_cli("check", "--data", data)
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_migrate_says_what_it_did(self):
        data = self.previous()
        p = run_cli("migrate", "--data", data)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("migrated from schema version 20", p.stderr)
        p = run_cli("migrate", "--data", data)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(f"is at schema version {self.latest()}", p.stderr)
        self.assertEqual(len(glob.glob(os.path.join(data, "agora.db.v*.bak"))), 1, "an up-to-date database is not copied")

    def test_a_newer_database_is_refused(self):
        data = self.previous()
        with sqlite3.connect(os.path.join(data, "agora.db")) as conn:
            conn.execute("PRAGMA user_version=999")
        for args in (["migrate", "--data", data], ["serve", "--data", data, "--listen", "127.0.0.1:0"]):
            p = subprocess.run([agorad_path(), *args],
                               capture_output=True, text=True, timeout=30)
            self.assertEqual(p.returncode, 2, p.stderr)
            self.assertIn("schema version 999, newer than this agorad knows", p.stderr)
        self.assertEqual(version(os.path.join(data, "agora.db")), 999, "a refused database is left alone")

    def test_a_failing_migration_leaves_the_database_as_it_was(self):
        data = self.previous()
        db = os.path.join(data, "agora.db")
        with sqlite3.connect(db) as conn:  # what migration 21 adds, already there: it cannot apply
            conn.execute("ALTER TABLE boards ADD COLUMN kind TEXT")
        p = run_cli("migrate", "--data", data)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("duplicate column name: kind", p.stderr)
        self.assertEqual(version(db), 20)
        with sqlite3.connect(db) as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        self.assertNotIn("helpful_marks", tables, "half a migration was left behind")

    def test_only_the_newest_copies_are_kept(self):
        data = self.previous()
        for stamp in ("20200101-000000", "20210101-000000", "20220101-000000"):
            open(os.path.join(data, f"agora.db.v19-{stamp}.bak"), "w").close()
        open(os.path.join(data, "agora.db.was-20200101-000000.bak"), "w").close()
        p = run_cli("migrate", "--data", data, "--keep-backups", "2")
        self.assertEqual(p.returncode, 0, p.stderr)
        left = sorted(os.path.basename(f) for f in glob.glob(os.path.join(data, "agora.db.*.bak")))
        self.assertEqual(len(left), 3, left)
        self.assertTrue(left[0].startswith("agora.db.v19-20220101"), left)
        self.assertTrue(left[1].startswith("agora.db.v20-"), left)
        self.assertEqual(left[2], "agora.db.was-20200101-000000.bak", "a restore's copy is not an upgrade's")


    def test_copies_are_kept_by_their_time_not_their_version(self):
        # a v20 database restored where copies of newer versions were made before: its own
        # fresh copy is the newest, whatever its version says
        data = self.previous()
        for name in ("v21-20250101-000000", "v22-20250601-000000", "v23-20251201-000000"):
            open(os.path.join(data, f"agora.db.{name}.bak"), "w").close()
        p = run_cli("migrate", "--data", data, "--keep-backups", "2")
        self.assertEqual(p.returncode, 0, p.stderr)
        left = sorted(os.path.basename(f) for f in glob.glob(os.path.join(data, "agora.db.v*.bak")))
        self.assertEqual(len(left), 2, left)
        self.assertTrue(left[0].startswith("agora.db.v20-"), left)
        self.assertEqual(left[1], "agora.db.v23-20251201-000000.bak")
        [named] = re.findall(r"the database as it was is in (\S+)", p.stderr)
        self.assertTrue(os.path.exists(named), "the copy the message names is there")


class Restore(TempDirTestCase):
    def serve(self, data):
        srv = Server(data_dir=data)
        self.addCleanup(srv.cleanup)
        srv.add_user("keeper", "admin")
        srv.start()
        admin = srv.client()
        admin.login("keeper")
        return srv, admin

    def test_restore_brings_back_the_backup(self):
        data = self.path("site")
        srv, admin = self.serve(data)
        self.assertEqual(admin.post("boards", {"slug": "before", "title": "Before"}).status, 201)
        backup = self.path("backup.db")
        self.assertEqual(run_cli("backup", "--data", data, backup).returncode, 0)
        self.assertEqual(admin.post("boards", {"slug": "after", "title": "After"}).status, 201)
        p = run_cli("restore", "--data", data, backup)
        self.assertEqual(p.returncode, 2, "restoring under a running server")
        self.assertIn("stop it before restoring", p.stderr)
        srv.stop()
        p = run_cli("restore", "--data", data, backup)
        self.assertEqual(p.returncode, 0, p.stderr)
        [was] = glob.glob(os.path.join(data, "agora.db.was-*.bak"))
        self.assertIn(was, p.stdout)
        with sqlite3.connect(was) as conn:
            self.assertEqual(conn.execute("SELECT count(*) FROM boards WHERE slug='after'").fetchone()[0], 1,
                             "the replaced database lost its last writes")
        srv.start()
        c = srv.client()
        self.assertEqual((c.get("boards/before").status, c.get("boards/after").status), (200, 404))
        self.assertEqual(c.post("session", {"username": "keeper", "password": PASSWORD}).status, 201)

    def test_what_is_no_agora_database_is_refused(self):
        data = self.path("site")
        srv, admin = self.serve(data)
        srv.stop()
        before = open(os.path.join(data, "agora.db"), "rb").read()
        junk = self.path("junk.db")
        with open(junk, "wb") as f:
            f.write(b"not a database " * 100)
        empty = self.path("empty.db")
        sqlite3.connect(empty).execute("CREATE TABLE t(x)").connection.commit()
        newer = self.path("newer.db")
        shutil.copy(os.path.join(data, "agora.db"), newer)
        with sqlite3.connect(newer) as conn:
            conn.execute("PRAGMA user_version=999")
        for f, why in ((junk, "not a database"), (empty, "no Agora database"), (newer, "newer than this agorad"),
                       (self.path("missing.db"), "")):
            p = run_cli("restore", "--data", data, f)
            self.assertEqual(p.returncode, 1, p.stderr)
            self.assertIn(why, p.stderr)
        self.assertEqual(open(os.path.join(data, "agora.db"), "rb").read(), before)
        self.assertEqual(glob.glob(os.path.join(data, "agora.db.was-*")), [])
