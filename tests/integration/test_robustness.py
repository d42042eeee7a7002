"""Robustness: malformed framing and paths over raw sockets, odd query strings, idle and
vanishing clients, concurrent writers, and a stop while requests stream in."""

import http.client
import json
import socket
import threading
import time
import unittest

from agora_harness import (PASSWORD, Server, ServerTestCase, make_board, make_thread, raw_request,
                           read_until_closed, unique)


def http_bytes(method, path, headers=(), body=b""):
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


class Framing(ServerTestCase):
    def assertRefused(self, data, what):
        status, headers, body, closed = raw_request(self.server.port, data, timeout=3)
        self.assertEqual(status, 400, f"{what}: status {status}, body {body[:200]!r}")
        self.assertEqual(headers.get("connection", "").lower(), "close", f"{what}: {headers}")
        self.assertTrue(closed, f"{what}: the connection stays open")
        self.assertTrue(self.server.healthy(), f"{what}: the server stopped answering")

    def test_two_content_lengths(self):
        self.assertRefused(http_bytes("POST", "/api/v1/session",
                                      ["Content-Type: application/json", "Content-Length: 2",
                                       "Content-Length: 2"], b"{}"), "two Content-Length")

    def test_two_different_content_lengths(self):
        self.assertRefused(http_bytes("POST", "/api/v1/session",
                                      ["Content-Type: application/json", "Content-Length: 2",
                                       "Content-Length: 4"], b"{}{}"), "two different Content-Length")

    def test_signed_content_length(self):
        self.assertRefused(http_bytes("POST", "/api/v1/session",
                                      ["Content-Type: application/json", "Content-Length: +2"], b"{}"),
                           "Content-Length: +2")

    def test_other_transfer_encoding(self):
        for te in ("gzip", "chunked, gzip", "identity", "xchunked"):
            with self.subTest(te=te):
                self.assertRefused(http_bytes("POST", "/api/v1/session",
                                              ["Content-Type: application/json", f"Transfer-Encoding: {te}",
                                               "Content-Length: 2"], b"{}"), f"Transfer-Encoding: {te}")

    def test_transfer_encoding_and_content_length(self):
        self.assertRefused(http_bytes("POST", "/api/v1/session",
                                      ["Content-Type: application/json", "Transfer-Encoding: chunked",
                                       "Content-Length: 7"], b"2\r\n{}\r\n0\r\n\r\n"), "TE and CL")

    def test_plain_chunked_body_is_accepted(self):
        body = json.dumps({"username": "nobody-chunk", "password": "whatever12345"}).encode()
        chunked = f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
        status, headers, _, _ = raw_request(self.server.port, http_bytes(
            "POST", "/api/v1/session", ["Content-Type: application/json", "Transfer-Encoding: chunked",
                                        "Connection: close"], chunked))
        self.assertEqual(status, 401)

    def test_non_normal_paths(self):
        for path in ("//api/v1/boards", "//evil.example/api/v1/boards", "/api//v1/boards", "/./api/v1/boards", "/api/v1/./boards",
                     "/api/v1/../v1/boards", "/../etc/passwd", "/%2e%2e/etc/passwd", "/%2E%2E/x",
                     "/api/v1/%2e/boards", "/static/%2e%2e/%2e%2e/agora.db", "/api%2fv1/boards",
                     "/static/..%2fagora.db", "/u/a%2fb", "/static/%2F..%2F..%2Fetc%2Fpasswd",
                     "/t/..", "/u/%2e"):
            with self.subTest(path=path):
                self.assertRefused(http_bytes("GET", path), path)

    def test_nul_in_query_400(self):
        for path in ("/api/v1/boards?industry=%00", "/api/v1/boards?a%00b=1", "/b/x?region=a%00"):
            with self.subTest(path=path):
                r = self.anon().request("GET", path)
                self.assertEqual(r.status, 400, r)

    def test_nul_in_form_400(self):
        c = self.server.client()
        r = c.form("/login", {"username": "a\x00b", "password": PASSWORD})
        self.assertEqual(r.status, 400, r)

    def test_query_key_without_equals_is_fine(self):
        self.assertEqual(self.anon().get("boards?foo").status, 200)
        self.assertEqual(self.anon().get("boards?foo&industry=agriculture&bar").status, 200)
        self.assertEqual(self.anon().page("/?x").status, 200)

    def test_head_answers_have_no_body(self):
        # a body after a HEAD answer would be read as the start of the next answer
        for path in ("/healthz", "/", "/api/v1/boards", "/static/agora.css", "/no-such-page"):
            with self.subTest(path=path):
                data = http_bytes("HEAD", path) + http_bytes("GET", "/healthz", ["Connection: close"])
                status, headers, rest, _ = raw_request(self.server.port, data)
                self.assertIn(status, (200, 404))
                self.assertTrue(rest.startswith(b"HTTP/1.1 200"),
                                f"HEAD {path}: bytes before the next answer: {rest[:80]!r}")

    def test_body_over_the_transport_limit(self):
        # a declared body beyond any limit (the upload limit, 50 MiB, is the largest) is
        # refused from its headers, before it is sent
        status, _, _, _ = raw_request(self.server.port, http_bytes(
            "POST", "/api/v1/users", ["Content-Type: application/json", "Content-Length: 200000000"]))
        self.assertEqual(status, 413)
        self.assertTrue(self.server.healthy())

    def test_garbage_request_line(self):
        for data in (b"HELLO\r\n\r\n", b"GET\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n", b"\x00\x01\x02\r\n\r\n"):
            with self.subTest(data=data):
                status, _, _, _ = raw_request(self.server.port, data, timeout=3)
                self.assertIn(status, (None, 400, 505), data)
                self.assertTrue(self.server.healthy())

    def test_huge_headers(self):
        status, _, _, _ = raw_request(self.server.port, http_bytes("GET", "/", [f"X-Big: {'a' * 70000}"]))
        self.assertIn(status, (None, 400, 413, 431))
        self.assertTrue(self.server.healthy())


class Clients(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.server.admin("robustadmin")
        cls.board = make_board(cls.admin)

    def test_idle_connections_do_not_block_others(self):
        idle = []
        try:
            for i in range(20):
                s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
                if i % 2:  # half of them stall in the middle of their headers
                    s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                idle.append(s)
            started = time.monotonic()
            for _ in range(5):
                self.assertTrue(self.server.healthy())
            self.assertLess(time.monotonic() - started, 3, "answers stay quick")
            self.assertEqual(self.anon().page("/").status, 200)
        finally:
            for s in idle:
                s.close()

    def test_client_vanishing_during_login(self):
        self.server.register("vanisher")
        body = json.dumps({"username": "vanisher", "password": PASSWORD}).encode()
        data = http_bytes("POST", "/api/v1/session",
                          ["Content-Type: application/json", f"Content-Length: {len(body)}"], body)
        for _ in range(10):  # one after the other...
            s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
            s.sendall(data)
            s.close()
        burst = []  # ...and many at once, so some wait in the hashing queue when they vanish
        for _ in range(20):
            s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
            s.sendall(data)
            burst.append(s)
        time.sleep(0.05)
        for s in burst:
            s.close()
        reg = json.dumps({"username": unique("gone"), "password": PASSWORD}).encode()
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
        s.sendall(http_bytes("POST", "/api/v1/users", ["Content-Type: application/json",
                                                       f"Content-Length: {len(reg)}"], reg))
        s.close()
        time.sleep(1.0)  # let the hashing finish with nobody to answer
        self.assertTrue(self.server.healthy())
        self.server.client().login("vanisher")

    def test_sign_in_burst_is_bounded(self):
        # Far more sign-ins at once than the hashing queue takes: the excess is turned away
        # at once with 503 and Retry-After, and the server goes on signing people in.
        self.server.register("burster")
        body = json.dumps({"username": "burster", "password": PASSWORD}).encode()
        data = http_bytes("POST", "/api/v1/session",
                          ["Content-Type: application/json", f"Content-Length: {len(body)}"], body)
        socks = []
        try:
            for i in range(170):
                # each from its own address: from one, the sign-in throttle (test_throttle.py)
                # would answer 429 before the queue was reached
                s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5,
                                             source_address=(f"127.0.3.{1 + i}", 0))
                s.sendall(data)
                socks.append(s)
            turned_away = 0
            deadline = time.monotonic() + 5
            for s in socks:
                s.settimeout(max(0.01, min(0.2, deadline - time.monotonic())))
                try:
                    head = s.recv(4096)
                except socket.timeout:
                    continue
                if head.startswith(b"HTTP/1.1 503"):
                    self.assertIn(b"Retry-After: 5", head)
                    turned_away += 1
            self.assertGreater(turned_away, 0, "a burst beyond the queue gets 503 at once")
        finally:
            for s in socks:
                s.close()
        # still serving sign-ins after the burst (from another address: the burst's own may
        # still hold its 32 connections while their sign-ins finish)
        self.server.client(source="127.0.0.2").login("burster")

    def test_client_vanishing_before_the_body(self):
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
        s.sendall(http_bytes("POST", "/api/v1/session",
                             ["Content-Type: application/json", "Content-Length: 100"], b'{"user'))
        s.close()
        self.assertTrue(self.server.healthy())

    def test_keep_alive_serves_several_requests(self):
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
        try:
            s.sendall(http_bytes("GET", "/healthz") + http_bytes("GET", "/healthz", ["Connection: close"]))
            data, _ = read_until_closed(s)
        finally:
            s.close()
        self.assertEqual(data.count(b"HTTP/1.1 200"), 2, data)

    def test_concurrent_writers(self):
        writers, replies = 4, 10
        t, _ = make_thread(self.admin, self.board["slug"], "Busy thread", "start")
        clients = [self.server.member(unique("w")) for _ in range(writers)]
        results = [[] for _ in range(writers)]
        gate = threading.Barrier(writers)

        def write(i):
            gate.wait()
            for n in range(replies):
                try:
                    r = clients[i].post(f"threads/{t['id']}/posts", {"body": f"writer {i} reply {n}"})
                    results[i].append(r.status)
                except Exception as e:  # a dropped connection is a failure too
                    results[i].append(repr(e))

        threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(60)
        statuses = [s for r in results for s in r]
        self.assertEqual(statuses, [201] * (writers * replies), f"answers: {statuses}")
        got = self.anon().get(f"threads/{t['id']}?per_page=200").data
        self.assertEqual(got["thread"]["reply_count"], writers * replies)
        self.assertEqual(got["total"], writers * replies + 1)
        bodies = {p["body_html"] for p in got["posts"]}
        for i in range(writers):
            for n in range(replies):
                self.assertTrue(any(f"writer {i} reply {n}" in b for b in bodies), (i, n))
        board = self.anon().get(f"boards/{self.board['slug']}").data["board"]
        self.assertGreaterEqual(board["post_count"], writers * replies + 1)

    def test_concurrent_readers_and_logins(self):
        self.server.register("busyreader")
        errors = []

        def read():
            for _ in range(20):
                try:
                    r = self.anon().page("/")
                    if r.status != 200:
                        errors.append(r.status)
                except Exception as e:
                    errors.append(repr(e))

        def login():
            for _ in range(3):
                try:
                    self.server.client().login("busyreader")
                except Exception as e:
                    errors.append(repr(e))

        threads = [threading.Thread(target=read) for _ in range(4)] + \
                  [threading.Thread(target=login) for _ in range(2)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(60)
        self.assertEqual(errors, [])


class Stopping(unittest.TestCase):
    def test_sigterm_during_a_stream_of_requests(self):
        server = Server()
        self.addCleanup(server.cleanup)
        server.start()
        stop = threading.Event()
        answered = []

        def hammer():
            c = server.client()
            while not stop.is_set():
                try:
                    r = c.request("GET", "/")
                    answered.append(r.status)
                except (OSError, http.client.HTTPException):
                    if stop.is_set():
                        return
                    time.sleep(0.01)

        workers = [threading.Thread(target=hammer, daemon=True) for _ in range(4)]
        for w in workers:
            w.start()
        time.sleep(0.5)
        server.send_signal()
        rc = server.wait()
        stop.set()
        for w in workers:
            w.join(10)
        self.assertEqual(rc, 0, server.stderr_text())
        self.assertTrue(answered, "requests were served before the stop")
        self.assertEqual(set(answered), {200})

    def test_idle_connections_do_not_hold_the_stop(self):
        server = Server()
        self.addCleanup(server.cleanup)
        server.start()
        kept = []
        try:
            for i in range(5):
                s = socket.create_connection(("127.0.0.1", server.port), timeout=5)
                if i % 2:  # a keep-alive connection after one answered request
                    s.sendall(http_bytes("GET", "/healthz"))
                    s.recv(65536)
                else:      # a client stalled in its headers
                    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
                kept.append(s)
            started = time.monotonic()
            server.send_signal()
            self.assertEqual(server.wait(), 0, server.stderr_text())
            self.assertLess(time.monotonic() - started, 5, "the stop waits for nobody idle")
        finally:
            for s in kept:
                s.close()

    def test_sigterm_finishes_a_login_in_flight(self):
        server = Server()
        self.addCleanup(server.cleanup)
        server.add_user("inflight")
        server.start()
        body = json.dumps({"username": "inflight", "password": PASSWORD}).encode()
        s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        try:
            s.sendall(http_bytes("POST", "/api/v1/session",
                                 ["Content-Type: application/json", f"Content-Length: {len(body)}",
                                  "Connection: close"], body))
            time.sleep(0.02)  # the request is read and its password is being checked
            server.send_signal()
            data, _ = read_until_closed(s, 10)
        finally:
            s.close()
        self.assertEqual(server.wait(), 0, server.stderr_text())
        self.assertTrue(data.startswith(b"HTTP/1.1 201"), data[:200])


if __name__ == "__main__":
    unittest.main()
