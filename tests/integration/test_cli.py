"""The command line of API.md: argument errors, user add, check, backup, signals, --demo."""

import os
import re
import shutil
import signal
import sqlite3
import tempfile
import unittest

from agora_harness import PASSWORD, Server, ServerTestCase, add_user_cli, run_cli


class TempDirTestCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="agora-cli-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def assertUsageError(self, proc):
        """Exit 2 with exactly one clear line on stderr."""
        self.assertEqual(proc.returncode, 2, f"stdout={proc.stdout!r} stderr={proc.stderr!r}")
        lines = [l for l in proc.stderr.splitlines() if l.strip()]
        self.assertEqual(len(lines), 1, f"expected one line on stderr, got {proc.stderr!r}")
        self.assertGreater(len(lines[0].strip()), 10, proc.stderr)


class Arguments(TempDirTestCase):
    def serve(self, *args):
        return run_cli("serve", "--data", self.path("data"), *args, timeout=15)

    def test_bogus_listen_address(self):
        p = run_cli("--listen", "bogus", "--data", self.path("data"), timeout=15)
        self.assertUsageError(p)
        self.assertIn("bogus", p.stderr)

    def test_listen_port_out_of_range(self):
        self.assertUsageError(self.serve("--listen", "127.0.0.1:70000"))

    def test_listen_host_not_an_address(self):
        self.assertUsageError(self.serve("--listen", "not-an-ip:0"))

    def test_unknown_option(self):
        self.assertUsageError(self.serve("--frobnicate"))

    def test_workers_not_a_number(self):
        self.assertUsageError(self.serve("--workers", "zero"))

    def test_missing_web_folder(self):
        self.assertUsageError(self.serve("--web", self.path("no-such-web")))

    def test_data_folder_that_is_a_file(self):
        with open(self.path("afile"), "w") as f:
            f.write("not a folder\n")
        p = run_cli("serve", "--listen", "127.0.0.1:0", "--data", self.path("afile"), timeout=15)
        self.assertUsageError(p)

    def test_unknown_command(self):
        p = run_cli("frobnicate")
        self.assertEqual(p.returncode, 2, p)

    def test_help(self):
        p = run_cli("--help")
        self.assertEqual(p.returncode, 0)
        self.assertIn("usage", p.stdout.lower())


class UserAdd(TempDirTestCase):
    def test_short_password_refused(self):
        p = run_cli("user", "add", "shorty", "--data", self.path("d"), password="short")
        self.assertNotEqual(p.returncode, 0, p)
        self.assertIn("password", p.stderr.lower())
        # and nobody was created: the name is still free
        add_user_cli(self.path("d"), "shorty")

    def test_password_from_stdin(self):
        p = run_cli("user", "add", "fromstdin", "--data", self.path("d"), stdin=PASSWORD + "\n")
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_no_password_at_all(self):
        p = run_cli("user", "add", "nopass", "--data", self.path("d"))
        self.assertUsageError(p)

    def test_bad_role_refused(self):
        p = run_cli("user", "add", "someone", "--role", "emperor", "--data", self.path("d"),
                    password=PASSWORD)
        self.assertEqual(p.returncode, 2, p)

    def test_duplicate_refused(self):
        add_user_cli(self.path("d"), "twice")
        p = run_cli("user", "add", "TWICE", "--data", self.path("d"), password=PASSWORD)
        self.assertNotEqual(p.returncode, 0, p)

    def test_bad_name_refused(self):
        p = run_cli("user", "add", "a b", "--data", self.path("d"), password=PASSWORD)
        self.assertNotEqual(p.returncode, 0, p)


class CheckAndBackup(TempDirTestCase):
    def test_check_sound_database(self):
        add_user_cli(self.path("d"), "checked")
        p = run_cli("check", "--data", self.path("d"))
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_check_finds_a_search_index_out_of_step(self):
        p = run_cli("seed", "--data", self.path("d"), "--threads", "1", "--posts", "3")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(run_cli("check", "--data", self.path("d")).returncode, 0)
        # a change made behind agorad's back, without the trigger that keeps the index
        db = sqlite3.connect(self.path("d", "agora.db"))
        db.executescript("DROP TRIGGER post_fts_update;"
                         "UPDATE posts SET state='rejected' WHERE id=(SELECT max(id) FROM posts);")
        db.close()
        p = run_cli("check", "--data", self.path("d"))
        self.assertNotEqual(p.returncode, 0, p)
        self.assertIn("search index", p.stderr)

    def test_check_without_database_fails(self):
        os.mkdir(self.path("empty"))
        p = run_cli("check", "--data", self.path("empty"))
        self.assertNotEqual(p.returncode, 0, p)

    def test_check_garbage_database_fails(self):
        os.mkdir(self.path("bad"))
        with open(self.path("bad", "agora.db"), "wb") as f:
            f.write(b"this is not an SQLite database at all\n" * 200)
        p = run_cli("check", "--data", self.path("bad"))
        self.assertNotEqual(p.returncode, 0, p)
        self.assertTrue(p.stderr.strip(), "a failed check says why")

    def test_backup_of_a_live_server_is_sound_and_usable(self):
        server = Server(data_dir=self.path("live"))
        self.addCleanup(server.cleanup)
        server.add_user("keeper", "admin")
        server.start()
        admin = server.client()
        admin.login("keeper")
        r = admin.post("boards", {"slug": "kept", "title": "Kept board"})
        self.assertEqual(r.status, 201, r)

        backup = self.path("backup.db")
        p = run_cli("backup", "--data", self.path("live"), backup)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(os.path.getsize(backup) > 0)

        # a second backup to the same file refuses to overwrite it
        p = run_cli("backup", "--data", self.path("live"), backup)
        self.assertNotEqual(p.returncode, 0, p)

        restored = self.path("restored")
        os.mkdir(restored)
        shutil.copy(backup, os.path.join(restored, "agora.db"))
        p = run_cli("check", "--data", restored)
        self.assertEqual(p.returncode, 0, p.stderr)

        again = Server(data_dir=restored)
        self.addCleanup(again.cleanup)
        again.start()
        c = again.client()
        self.assertEqual(c.get("users/keeper").status, 200)
        self.assertEqual(c.get("boards/kept").status, 200)


class Seed(TempDirTestCase):
    def test_seed_makes_threads_of_reply_trees(self):
        p = run_cli("seed", "--data", self.path("s"), "--threads", "2", "--posts", "12")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("seeded 2 threads of 12 posts", p.stdout)
        srv = Server(data_dir=self.path("s"))
        srv.start()
        self.addCleanup(srv.cleanup)
        board = srv.client().get("boards/bench").data
        self.assertEqual(board["board"]["thread_count"], 2)
        self.assertEqual(board["board"]["post_count"], 24)
        posts = srv.client().get(f"threads/{board['threads'][0]['id']}").data["posts"]
        self.assertEqual(len(posts), 12)
        self.assertGreaterEqual(max(x["depth"] for x in posts), 2, "the replies form a tree")
        self.assertEqual(run_cli("check", "--data", self.path("s")).returncode, 0)
        srv.stop()

    def test_seed_needs_counts(self):
        self.assertUsageError(run_cli("seed", "--data", self.path("s"), "--threads", "2"))
        self.assertUsageError(run_cli("seed", "--data", self.path("s"), "--threads", "0", "--posts", "3"))


class Signals(unittest.TestCase):
    def stop_with(self, sig):
        server = Server()
        self.addCleanup(server.cleanup)
        server.start()
        self.assertTrue(server.healthy())
        server.send_signal(sig)
        self.assertEqual(server.wait(), 0, server.stderr_text())

    def test_sigterm_while_idle_exits_0(self):
        self.stop_with(signal.SIGTERM)

    def test_sigint_while_idle_exits_0(self):
        self.stop_with(signal.SIGINT)

    def test_listening_line_and_port(self):
        server = Server()
        self.addCleanup(server.cleanup)
        server.start()
        self.assertTrue(any(re.fullmatch(r"listening on 127\.0\.0\.1:\d+", l)
                            for l in server.stdout_lines), server.stdout_lines)
        self.assertNotEqual(server.port, 0)


class Demo(ServerTestCase):
    demo = True

    def demo_password(self):
        text = "\n".join(self.server.stdout_lines)
        m = re.search(r"password[: ]+([^\s):]+)", text)
        self.assertIsNotNone(m, f"no demo password printed: {text!r}")
        return m.group(1)

    def test_prints_logins(self):
        text = "\n".join(self.server.stdout_lines)
        for role in ("admin", "moderator", "lecturer", "member"):
            self.assertIn(role, text)

    def test_demo_login_works(self):
        text = "\n".join(self.server.stdout_lines)
        self.assertIn("admin", text)
        c = self.server.client()
        c.login("admin", self.demo_password())
        self.assertEqual(c.user["role"], "admin")

    def test_boards_and_nested_thread(self):
        c = self.anon()
        r = c.get("boards")
        self.assertEqual(r.status, 200, r)
        self.assertGreaterEqual(len(r.data["boards"]), 1)
        threads = []
        for b in r.data["boards"]:
            threads += c.get(f"boards/{b['slug']}").data["threads"]
        self.assertTrue(threads, "the demo fills at least one thread")
        depths = []
        for t in threads:
            posts = c.get(f"threads/{t['id']}").data["posts"]
            depths.append(max(p["depth"] for p in posts))
        self.assertGreaterEqual(max(depths), 2, "the demo thread has nested replies")

    def test_taxonomy_defaults(self):
        r = self.anon().get("taxonomy")
        self.assertEqual(r.status, 200, r)
        self.assertGreaterEqual(len(r.data["industries"]), 10)
        self.assertGreaterEqual(len(r.data["positions"]), 10)
        self.assertEqual(len(r.data["regions"]), 34)
        slugs = {t["slug"] for t in r.data["regions"]}
        self.assertTrue({"beijing", "henan", "guangdong"} <= slugs)
        names = {t["slug"]: t["name"] for t in r.data["regions"]}
        self.assertEqual(names["henan"], "河南省")


    def test_trainings_past_and_open(self):
        c = self.server.client()
        c.login("lecturer", self.demo_password())
        got = {t["slug"]: t for t in c.get("trainings").data["trainings"]}
        past, upcoming = got["spring-rotation"], got["rural-ecommerce"]
        self.assertEqual((past["state"], upcoming["state"]), ("past", "upcoming"))
        self.assertEqual(upcoming["enrolment"], "open")
        self.assertEqual(past["me"]["role"], "organiser")
        detail = c.get("trainings/spring-rotation").data
        self.assertEqual(len(detail["lessons"]), 3)
        rated = [l for l in detail["lessons"] if l["rating"]["count"]]
        self.assertTrue(rated, "the past lessons were rated")
        trainees = {t["user"]["username"]: t for t in c.get("trainings/spring-rotation/trainees").data["trainees"]}
        self.assertEqual(trainees["zhangwei"]["attended"], 3)
        self.assertEqual(trainees["zhangwei"]["state"], "completed", "attended every lesson of a past training")
        self.assertEqual(trainees["chenjing"]["state"], "enrolled", "one lesson of three is not enough")
        # two waves answered by the three trainees: the effect shows the change
        effect = c.get("trainings/spring-rotation/effect").data["questions"]
        rating = next(q for q in effect if q["kind"] == "rating")
        self.assertEqual([w["responses"] for w in rating["waves"]], [3, 3])
        self.assertLess(rating["waves"][0]["average"], rating["waves"][1]["average"])
        # a member of the audience may enrol in the open one
        m = self.server.client()
        m.login("zhangwei", self.demo_password())
        self.assertEqual(m.post("trainings/rural-ecommerce/trainees").status, 201)


class DemoTwice(unittest.TestCase):
    def test_demo_does_not_refill_a_site(self):
        first = Server(demo=True)
        self.addCleanup(first.cleanup)
        first.start()
        before = first.client().get("boards").data["boards"]
        first.stop()
        second = Server(demo=True, data_dir=first.data_dir)
        self.addCleanup(second.cleanup)
        second.start()
        after = second.client().get("boards").data["boards"]
        self.assertEqual([b["slug"] for b in before], [b["slug"] for b in after])


if __name__ == "__main__":
    unittest.main()
