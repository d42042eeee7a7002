"""GET /metrics (API.md; DESIGN-NOTES.md "Metrics"; OPERATIONS.md): the Prometheus text
format 0.0.4, request counters by route pattern (never the raw path) and status, a latency
histogram per route that is cumulative and ends with +Inf equal to _count, gauges of
published posts, active sessions, the slow-work queue and live listeners that follow what
the test does, and who may read it: the machine itself and admins, 404 for anyone else."""

import re
import socket
import time
import unittest

from agora_harness import ServerTestCase, make_board, make_thread, reply

METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8"
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+-]+|\+Inf|NaN)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse(text):
    """{(name, frozenset(labels)): value} and {name: type} from an exposition."""
    samples, types = {}, {}
    for line in text.splitlines():
        if not line:
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            types[name] = kind
            continue
        if line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        if not m:
            raise AssertionError(f"not a sample line: {line!r}")
        labels = frozenset(LABEL.findall(m.group(2) or ""))
        key = (m.group(1), labels)
        if key in samples:
            raise AssertionError(f"duplicate series: {line!r}")
        samples[key] = float(m.group(3))
    return samples, types


def labels(**kw):
    return frozenset(kw.items())


class MetricsCase(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.server.admin("metricsadmin")
        cls.board = make_board(cls.admin)["slug"]
        cls.alice = cls.server.member("alice")

    def scrape(self, client=None, **kw):
        r = self.assertStatus((client or self.anon()).request("GET", "/metrics", **kw), 200)
        self.assertEqual(r.header("Content-Type"), METRICS_TYPE)
        return parse(r.text)

    def value(self, samples, name, **kw):
        return samples[0].get((name, labels(**kw)), 0.0)

    def requests(self, samples, route, status, method="GET"):
        return self.value(samples, "agora_http_requests_total", method=method, route=route, status=str(status))


class Counters(MetricsCase):
    def test_requests_count_by_route_pattern_and_status(self):
        t, _ = make_thread(self.alice, self.board)
        before = self.scrape()
        self.assertHtml(self.anon().page(f"/t/{t['id']}"))
        self.assertHtml(self.anon().page(f"/t/{t['id']}?view=flat"))
        self.assertStatus(self.anon().page("/t/99999999"), 404)
        self.assertStatus(self.anon().page("/no/such/page"), 404)
        self.assertStatus(self.anon().page("/also/missing-42"), 404)
        after = self.scrape()
        self.assertEqual(self.requests(after, "/t/:id", 200) - self.requests(before, "/t/:id", 200), 2)
        self.assertEqual(self.requests(after, "/t/:id", 404) - self.requests(before, "/t/:id", 404), 1)
        unmatched = self.value(after, "agora_http_requests_total", method="any", route="unmatched", status="404")
        self.assertEqual(unmatched - self.value(before, "agora_http_requests_total", method="any",
                                                route="unmatched", status="404"), 2)
        routes = {dict(k[1]).get("route") for k in after[0] if k[0] == "agora_http_requests_total"}
        self.assertFalse({r for r in routes if r and re.search(r"/\d", r)}, "raw paths never become labels")
        self.assertEqual(after[1]["agora_http_requests_total"], "counter")

    def test_writes_are_counted_under_their_own_route(self):
        before = self.scrape()
        make_thread(self.alice, self.board)
        after = self.scrape()
        route = "/api/v1/boards/:slug/threads"
        self.assertEqual(self.requests(after, route, 201, "POST") - self.requests(before, route, 201, "POST"), 1)

    def test_histogram_is_cumulative_and_ends_with_its_count(self):
        t, _ = make_thread(self.alice, self.board)
        for _ in range(3):
            self.anon().page(f"/t/{t['id']}")
        samples, types = self.scrape()
        self.assertEqual(types["agora_http_request_duration_seconds"], "histogram")
        series = {}
        for (name, lbl), v in samples.items():
            if name == "agora_http_request_duration_seconds_bucket":
                d = dict(lbl)
                series.setdefault((d["method"], d["route"]), []).append((d["le"], v))
        self.assertIn(("GET", "/t/:id"), series)
        for (method, route), buckets in series.items():
            with self.subTest(route=route):
                self.assertEqual(buckets[-1][0], "+Inf", "buckets come in order and end with +Inf")
                bounds = [float(le) for le, _ in buckets[:-1]]
                self.assertEqual(bounds, sorted(bounds))
                counts = [v for _, v in buckets]
                self.assertEqual(counts, sorted(counts), "buckets are cumulative")
                lbl = labels(method=method, route=route)
                count = samples[("agora_http_request_duration_seconds_count", lbl)]
                self.assertEqual(counts[-1], count)
                self.assertGreaterEqual(samples[("agora_http_request_duration_seconds_sum", lbl)], 0)
                answered = sum(v for (name, l2), v in samples.items() if name == "agora_http_requests_total"
                               and dict(l2)["route"] == route and dict(l2)["method"] == method)
                self.assertEqual(count, answered, "every answered request is in the histogram")
        self.assertGreaterEqual(series[("GET", "/t/:id")][-1][1], 3)


class Gauges(MetricsCase):
    def test_published_posts_follow_what_is_written_and_deleted(self):
        before = self.value(self.scrape(), "agora_posts", state="published")
        t, _ = make_thread(self.alice, self.board)
        reply(self.alice, t["id"])
        p = reply(self.alice, t["id"])
        self.assertEqual(self.value(self.scrape(), "agora_posts", state="published") - before, 3)
        self.assertStatus(self.alice.delete(f"posts/{p['id']}"), 204)
        self.assertEqual(self.value(self.scrape(), "agora_posts", state="published") - before, 2)

    def test_sessions_gauge_counts_sign_ins_and_sign_outs(self):
        before = self.value(self.scrape(), "agora_sessions_active")
        self.server.register("sess1")
        c = self.server.client()
        c.login("sess1")
        self.assertEqual(self.value(self.scrape(), "agora_sessions_active") - before, 1)
        self.assertStatus(c.delete("session"), 204)
        self.assertEqual(self.value(self.scrape(), "agora_sessions_active") - before, 0)

    def test_queue_and_live_listener_gauges(self):
        samples = self.scrape()
        self.assertEqual(samples[1]["agora_pool_queued_jobs"], "gauge")
        self.assertEqual(self.value(samples, "agora_pool_queued_jobs"), 0, "nothing waits while idle")
        self.assertEqual(self.value(samples, "agora_live_listeners"), 0)
        t, _ = make_thread(self.alice, self.board)
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
        try:
            s.sendall(f"GET /live/threads/{t['id']} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            head = s.recv(4096)
            if not head.startswith(b"HTTP/1.1 200"):
                self.skipTest("no live updates in this build")
            deadline = time.monotonic() + 5
            while self.value(self.scrape(), "agora_live_listeners") < 1 and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertEqual(self.value(self.scrape(), "agora_live_listeners"), 1)
        finally:
            s.close()


    def test_connections_database_and_wal_gauges(self):
        import os
        samples = self.scrape()
        for name in ("agora_connections_open", "agora_database_bytes", "agora_wal_bytes"):
            self.assertEqual(samples[1][name], "gauge")
        db = os.path.join(self.server.data_dir, "agora.db")
        self.assertEqual(self.value(samples, "agora_database_bytes"), os.path.getsize(db))
        self.assertGreaterEqual(self.value(samples, "agora_wal_bytes"), 0)
        opened = lambda: self.value(self.scrape(), "agora_connections_open")
        socks = [socket.create_connection(("127.0.0.1", self.server.port), timeout=5) for _ in range(3)]
        try:
            deadline = time.monotonic() + 5
            while opened() < 3 and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertGreaterEqual(opened(), 3, "three idle connections are open")
        finally:
            for s in socks:
                s.close()
        deadline = time.monotonic() + 5
        while opened() >= 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertLess(opened(), 3, "closed connections are not counted")


class Access(MetricsCase):
    def test_loopback_clients_read_it(self):
        self.scrape()
        self.scrape(self.server.client(source="127.0.0.2"))
        self.scrape(self.alice)

    def test_relayed_requests_are_not_local(self):
        for header in ("X-Forwarded-For", "X-Real-IP", "Forwarded"):
            with self.subTest(header=header):
                r = self.anon().request("GET", "/metrics", headers={header: "203.0.113.7"})
                self.assertStatus(r, 404)
                self.assertNotIn("agora_http_requests_total", r.text)
                r = self.alice.request("GET", "/metrics", headers={header: "203.0.113.7"})
                self.assertStatus(r, 404, msg="members are not admins")

    def test_admin_reads_it_from_anywhere(self):
        samples = self.scrape(self.admin, headers={"X-Forwarded-For": "203.0.113.7"})
        self.assertIn(("agora_sessions_active", frozenset()), samples[0])


if __name__ == "__main__":
    unittest.main()
