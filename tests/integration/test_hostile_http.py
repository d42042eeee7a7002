"""Hostile HTTP (issue 12, "HTTP"): heads a proxy could read differently, bodies bigger than
their route takes, clients that trickle, hoard connections or read slowly, searches that
crowd out everyone else, and the images a page may load. Raw sockets to 127.0.0.1; memory
from /proc/PID/status."""

import os
import re
import select
import shutil
import socket
import statistics
import tempfile
import threading
import time
import urllib.parse

from agora_harness import (Server, ServerTestCase, make_board, make_thread, raw_request, read_until_closed,
                           reply, run_cli, unique)
from test_materials import field, file_part, multipart

MIB = 1024 * 1024


def http_bytes(method, path, headers=(), body=b"", host=True):
    lines = [f"{method} {path} HTTP/1.1", *(["Host: 127.0.0.1"] if host else []), *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def rss_kib(server):
    with open(f"/proc/{server.proc.pid}/status") as f:
        return int(re.search(r"^VmRSS:\s+(\d+) kB", f.read(), re.M).group(1))


def connect(server, timeout=5):
    return socket.create_connection(("127.0.0.1", server.port), timeout=timeout)


class Heads(ServerTestCase):
    def assertRefused(self, data, what):
        status, headers, body, closed = raw_request(self.server.port, data, timeout=3)
        self.assertEqual(status, 400, f"{what}: status {status}, body {body[:200]!r}")
        self.assertEqual(headers.get("connection", "").lower(), "close", what)
        self.assertIn(b'"error"', body, what)
        self.assertTrue(closed, f"{what}: the connection stays open")

    def test_space_or_tab_before_a_colon(self):
        for sep in (" ", "\t", "  "):
            with self.subTest(sep=repr(sep)):
                self.assertRefused(http_bytes("GET", "/healthz", [f"X-Thing{sep}: 1"]), f"{sep!r} before ':'")
                self.assertRefused(http_bytes("GET", "/healthz", [f"Content-Length{sep}: 0"]), "CL")

    def test_chunk_sizes_that_are_not_bare_hex(self):
        for size in ("0x2", "+2", " 2", "2 ", "2;ext=1", "-2", "2\t", ""):
            with self.subTest(size=repr(size)):
                body = f"{size}\r\n{{}}\r\n0\r\n\r\n".encode()
                self.assertRefused(http_bytes("POST", "/api/v1/session", [
                    "Content-Type: application/json", "Transfer-Encoding: chunked"], body), f"chunk size {size!r}")

    def test_bare_lf_line_endings(self):
        self.assertRefused(b"GET /healthz HTTP/1.1\nHost: 127.0.0.1\n\n", "bare LF everywhere")
        self.assertRefused(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\nX: 1\r\n\r\n", "one bare LF")

    def test_host_missing_or_twice(self):
        self.assertRefused(http_bytes("GET", "/healthz", host=False), "no Host in HTTP/1.1")
        self.assertRefused(http_bytes("GET", "/healthz", ["Host: 127.0.0.1"]), "Host twice")
        self.assertRefused(http_bytes("GET", "/healthz", ["host: other.example"]), "Host twice, another name")

    def test_folded_header_and_trailers(self):
        self.assertRefused(http_bytes("GET", "/healthz", ["X-A: 1", " folded"]), "obs-fold")
        self.assertRefused(http_bytes("POST", "/api/v1/session", [
            "Content-Type: application/json", "Transfer-Encoding: chunked"],
            b"2\r\n{}\r\n0\r\nX-Trailer: 1\r\n\r\n"), "a trailer")

    def test_well_formed_requests_still_pass(self):
        status, _, _, _ = raw_request(self.server.port, http_bytes("GET", "/healthz", ["Connection: close"]))
        self.assertEqual(status, 200)
        status, _, _, _ = raw_request(self.server.port, b"GET /healthz HTTP/1.0\r\n\r\n")
        self.assertEqual(status, 200)
        body = b'{"username":"nobody-x","password":"whatever12345"}'
        chunked = f"{len(body):X}\r\n".encode() + body + b"\r\n0\r\n\r\n"
        status, _, _, _ = raw_request(self.server.port, http_bytes("POST", "/api/v1/session", [
            "Content-Type: application/json", "Transfer-Encoding: chunked", "Connection: close"], chunked))
        self.assertEqual(status, 401)


class Bodies(ServerTestCase):
    env = {"AGORA_REQUEST_DEADLINE_MS": "2000"}

    def announce(self, path, length, content_type="application/json"):
        s = connect(self.server)
        s.sendall(http_bytes("POST", path, [f"Content-Type: {content_type}", f"Content-Length: {length}"]))
        return s

    def test_big_announced_bodies_are_refused_before_they_are_read(self):
        before = rss_kib(self.server)
        socks = [self.announce("/no/such/path", 45 * MIB) for _ in range(10)]
        chunk = b"x" * 65536
        answers = [b""] * len(socks)
        started = time.monotonic()
        try:
            # every client keeps sending its body while the server has not answered
            for _ in range(45 * 16):
                for i, s in enumerate(socks):
                    if answers[i]:
                        continue
                    r, w, _ = select.select([s], [s], [], 0)
                    if r:
                        answers[i] = s.recv(4096) or b"<closed>"
                    elif w:
                        try:
                            s.send(chunk)
                        except OSError:
                            answers[i] = answers[i] or b"<reset>"
                if all(answers):
                    break
            # on a loaded machine the loop may end first: the answers may still come, in time
            for i, s in enumerate(socks):
                if not answers[i]:
                    s.settimeout(max(0.01, started + 5 - time.monotonic()))
                    try:
                        answers[i] = s.recv(4096) or b"<closed>"
                    except OSError:
                        pass
            elapsed = time.monotonic() - started
            grown = rss_kib(self.server) - before
        finally:
            for s in socks:
                s.close()
        for a in answers:
            self.assertRegex(a, rb"^HTTP/1.1 (413|404)", a[:100])
        self.assertLess(elapsed, 5, "answered at once, not after the bodies")
        self.assertLess(grown, 64 * 1024, f"the server's memory grew by {grown} KiB")
        self.assertTrue(self.server.healthy())

    def test_json_routes_take_one_mib(self):
        s = self.announce("/api/v1/session", 2 * MIB)
        try:
            data, closed = read_until_closed(s, 3)
        finally:
            s.close()
        self.assertTrue(data.startswith(b"HTTP/1.1 413"), data[:100])
        self.assertIn(b"body_too_large", data)
        self.assertTrue(closed)

    def test_upload_routes_take_more(self):
        s = self.announce("/api/v1/materials", 2 * MIB, "multipart/form-data; boundary=x")
        try:
            r, _, _ = select.select([s], [], [], 0.5)
            self.assertFalse(r, "an upload of 2 MiB is not refused from its head")
        finally:
            s.close()

    def test_chunked_body_past_the_limit(self):
        s = connect(self.server)
        try:
            s.sendall(http_bytes("POST", "/api/v1/session", [
                "Content-Type: application/json", "Transfer-Encoding: chunked"]))
            s.sendall(f"{2 * MIB:x}\r\n".encode())
            data, closed = read_until_closed(s, 3)
        finally:
            s.close()
        self.assertTrue(data.startswith(b"HTTP/1.1 413"), data[:100])
        self.assertTrue(closed)

    def trickle(self, first, byte=b"a", every=0.3, limit=8.0):
        s = connect(self.server)
        started = time.monotonic()
        try:
            s.sendall(first)
            while time.monotonic() - started < limit:
                try:
                    s.send(byte)
                except OSError:
                    break
                r, _, _ = select.select([s], [], [], every)
                if r:
                    break
            data, closed = read_until_closed(s, 2)
        finally:
            s.close()
        return data, closed, time.monotonic() - started

    def test_a_trickling_head_is_cut_at_the_deadline(self):
        data, closed, took = self.trickle(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        self.assertTrue(closed, "the trickling client keeps its connection")
        self.assertLess(took, 6, "cut at the deadline (2 s in this test)")
        self.assertTrue(data.startswith(b"HTTP/1.1 408"), data[:100])

    def test_a_trickling_body_is_cut_at_the_deadline(self):
        data, closed, took = self.trickle(http_bytes("POST", "/api/v1/session", [
            "Content-Type: application/json", "Content-Length: 1000"]), byte=b" ")
        self.assertTrue(closed, "the trickling client keeps its connection")
        self.assertLess(took, 6)
        self.assertTrue(data.startswith(b"HTTP/1.1 408"), data[:100])


class Connections(ServerTestCase):
    def test_one_address_holds_128_connections_at_most(self):
        held = [connect(self.server) for _ in range(140)]
        answers = []
        try:
            time.sleep(0.5)
            for s in held:
                try:
                    s.sendall(http_bytes("GET", "/healthz", ["Connection: close"]))
                except OSError:
                    pass
            for s in held:
                data, closed = read_until_closed(s, 3)
                answers.append(data[:12])
                if data.startswith(b"HTTP/1.1 503"):
                    self.assertIn(b"Retry-After", data)
                    self.assertTrue(closed)
        finally:
            for s in held:
                s.close()
        self.assertEqual(answers.count(b"HTTP/1.1 200"), 128, answers)
        self.assertEqual(answers.count(b"HTTP/1.1 503"), 12, answers)
        time.sleep(0.3)
        self.assertTrue(self.server.healthy(), "closed connections are given back")


class ConnectionsThroughProxy(ServerTestCase):
    extra_args = ("--trusted-proxy", "127.0.0.1")

    def test_a_trusted_proxy_is_not_held_to_the_cap(self):
        # behind nginx every client's connection comes from the proxy's address
        held = [connect(self.server) for _ in range(140)]
        answers = []
        try:
            time.sleep(0.5)
            for s in held:
                s.sendall(http_bytes("GET", "/healthz", ["Connection: close"]))
            for s in held:
                data, _ = read_until_closed(s, 3)
                answers.append(data[:12])
        finally:
            for s in held:
                s.close()
        self.assertEqual(answers.count(b"HTTP/1.1 200"), 140, answers)


class SlowReaders(ServerTestCase):
    def test_a_slow_reader_of_a_big_answer_is_cut(self):
        admin = self.server.admin(unique("hadm"))
        board = make_board(admin)["slug"]
        name = unique("hlect")
        self.server.add_user(name, "lecturer")
        lect = self.server.client()
        lect.login(name)
        data = b"PK\x03\x04" + os.urandom(24 * MIB)  # a ZIP archive's head: an allowed kind
        body, ctype = multipart([field("title", "Big"), field("board", board), file_part(data, "big.zip")])
        r = lect.post("materials", body, content_type=ctype)
        self.assertEqual(r.status, 201, r)
        mid = r.data["material"]["id"]
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192)
        s.connect(("127.0.0.1", self.server.port))
        s.settimeout(2)
        got, closed, started = 0, False, time.monotonic()
        try:
            s.sendall(http_bytes("GET", f"/materials/{mid}/download"))
            while time.monotonic() - started < 30:  # about 4 KB/s
                try:
                    chunk = s.recv(4096)
                except (socket.timeout, ConnectionResetError):
                    closed = True
                    break
                if not chunk:
                    closed = True
                    break
                got += len(chunk)
                time.sleep(1)
        finally:
            s.close()
        self.assertTrue(closed, f"the slow reader kept its connection ({got} bytes read)")
        self.assertLess(time.monotonic() - started, 30)
        self.assertTrue(self.server.healthy())


class LiveReaders(ServerTestCase):
    def listeners(self):
        r = self.server.client().request("GET", "/metrics")
        return int(re.search(r"^agora_live_listeners (\d+)$", r.text, re.M).group(1))

    def test_a_stream_that_is_not_read_is_dropped(self):
        admin = self.server.admin(unique("ladm"))
        thread, _ = make_thread(admin, make_board(admin)["slug"])
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.connect(("127.0.0.1", self.server.port))
        try:
            s.sendall(f"GET /live/threads/{thread['id']} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      "Accept: text/event-stream\r\n\r\n".encode())
            s.settimeout(5)
            self.assertIn(b"200", s.recv(200))
            self.assertEqual(self.listeners(), 1)
            for i in range(120):  # up to 7.5 MB of events, never read
                reply(admin, thread["id"], "长" * 7000 + f" {i}")
                if self.listeners() == 0:
                    break
            self.assertEqual(self.listeners(), 0, "the stream of a client that does not read stays open")
        finally:
            s.close()


class Search(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.seeded = tempfile.mkdtemp(prefix="agora-seed-")
        p = run_cli("seed", "--data", cls.seeded, "--threads", "1000", "--posts", "10", timeout=120)
        assert p.returncode == 0, p.stderr
        cls.server = Server(data_dir=cls.seeded)
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()
        shutil.rmtree(cls.seeded, ignore_errors=True)

    def healthz_ms(self, n=30):
        times = []
        for _ in range(n):
            t = time.monotonic()
            self.assertTrue(self.server.healthy())
            times.append((time.monotonic() - t) * 1000)
            time.sleep(0.01)
        return statistics.median(times)

    def search(self, q="工作"):
        return self.server.client().request("GET", "/api/v1/search?q=" + urllib.parse.quote(q))

    def test_healthz_stays_fast_while_searches_hammer(self):
        quiet = self.healthz_ms()
        stop = threading.Event()
        statuses = []

        def hammer():
            while not stop.is_set():
                try:
                    statuses.append(self.search().status)
                except OSError:
                    pass

        threads = [threading.Thread(target=hammer, daemon=True) for _ in range(8)]
        for t in threads:
            t.start()
        try:
            time.sleep(0.5)
            busy = self.healthz_ms()
        finally:
            stop.set()
            for t in threads:
                t.join()
        self.assertIn(200, statuses)
        self.assertLess(busy, max(10 * quiet, 15), f"/healthz: {quiet:.1f} ms quiet, {busy:.1f} ms under searches")

    def test_one_address_runs_two_searches_at_once(self):
        results = []
        barrier = threading.Barrier(8)

        def one():
            barrier.wait()
            r = self.search("工作 群众")
            results.append((r.status, r.header("Retry-After"), r.error_code, r.error_message))

        threads = [threading.Thread(target=one) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        refused = [x for x in results if x[0] == 429]
        self.assertTrue(refused, results)
        self.assertTrue(all(x[1] and x[2] == "too_many_searches" for x in refused), refused)
        self.assertTrue(all(x[3] and "searches" in x[3] for x in refused), refused)
        self.assertIn(200, [x[0] for x in results])
        self.assertEqual(self.search().status, 200, "searches are given back")


class SignIns(ServerTestCase):
    def login_seconds(self, name, n=3):
        times = []
        for _ in range(n):
            t = time.monotonic()
            self.server.client(source="127.0.0.9").login(name)
            times.append(time.monotonic() - t)
        return statistics.median(times)

    def test_a_flood_of_registrations_does_not_hold_up_a_sign_in(self):
        name = unique("signer")
        self.assertEqual(self.server.register(name).status, 201)
        quiet = self.login_seconds(name)
        stop = threading.Event()
        made = []

        def flood(i):
            c = self.server.client(source=f"127.0.1.{i + 1}")
            while not stop.is_set():
                try:
                    made.append(c.post("users", {"username": unique("fl"), "password": "correct horse battery"}).status)
                except OSError:
                    pass

        threads = [threading.Thread(target=flood, args=(i,), daemon=True) for i in range(16)]
        for t in threads:
            t.start()
        try:
            time.sleep(1)
            busy = self.login_seconds(name)
        finally:
            stop.set()
            for t in threads:
                t.join()
        self.assertIn(201, made)
        self.assertLess(busy, max(3 * quiet, quiet + 0.15),
                        f"sign-in: {quiet * 1000:.0f} ms quiet, {busy * 1000:.0f} ms under registrations")


class Images(ServerTestCase):
    def test_pages_load_images_from_the_site_only(self):
        for path in ("/", "/login", "/no-such-page", "/static/agora.css"):
            with self.subTest(path=path):
                r = self.server.client().request("GET", path)
                csp = r.header("Content-Security-Policy")
                self.assertIn("img-src 'self';", csp)
                self.assertNotIn("https:", csp)
                self.assertNotIn("data:", csp)
        status, headers, _, _ = raw_request(self.server.port, http_bytes("GET", "/healthz", ["X : 1"]))
        self.assertIn("img-src 'self';", headers.get("content-security-policy", ""))
