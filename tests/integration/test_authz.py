"""The authorisation matrix: every route of the route table, tried by every kind of caller,
answers the status this table expects.

The routes come from daemon/handlers/routes.c through the route check's own parser
(tests/checks/routes.py), so a route added without a row here, or a row left behind by a
removed route, fails test_every_route_has_a_row. ROWS below is the table; docs/SECURITY.md ("The
authorisation matrix") says how to read it and how to add a row. AUTHZ_DUMP=1 prints what each cell answered, to
help write a new row (then check every number against API.md before pasting it).
"""

import datetime
import os
import socket
import sys
import urllib.parse

from agora_harness import PASSWORD, ServerTestCase, unique

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "checks"))
import routes as route_check  # noqa: E402  (the route check's parser of the table)

ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))

KINDS = ("anon", "member", "banned", "outsider", "lecturer", "othermod", "boardmod", "sitemod",
         "officer", "admin")
# Shorthands an expectation may use besides "*" (everyone else) and a kind's name.
GROUPS = {
    "users": KINDS[1:],                                  # everyone signed in
    "club": ("member", "officer"),                       # members of the members-only association
    "mods": ("boardmod", "sitemod", "admin"),            # who moderates board A
    "anymod": ("othermod", "boardmod", "sitemod", "admin"),
    "staff": ("lecturer", "sitemod", "admin"),           # the lecturer/moderator/admin roles
}
NAMES = {k: "az" + k for k in KINDS[1:]}
TARGET = "aztarget"  # a plain member the cells act upon; never a caller

CN = datetime.timezone(datetime.timedelta(hours=8))  # the site's default time zone


def day(offset):
    return (datetime.datetime.now(CN) + datetime.timedelta(days=offset)).strftime("%Y-%m-%d")


def at(seconds_from_now):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds_from_now)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


QUESTIONS = [{"kind": "single", "prompt": "Useful?", "options": ["yes", "no"]}]


class Case:
    """One way of reaching a route: which objects fill its parameters, the body, and the
    status expected of each kind of caller.

    expect: {"*": default, kind or group: status}; the most specific key wins.
    params: {parameter: fixture key, or fn(fx, kind) -> value}; fn may create a fresh object.
    query: the query string, or fn(fx, kind) -> it (for a slug made by the fixture).
    body: a dict (JSON, or the form fields of a page), fn(fx, kind) -> dict, or UPLOAD.
    before/after: fn(fx, kind) run around the cell, to give each cell the state it needs.
    session: "fresh" signs the caller in anew for this cell (the cell ends the session)."""

    def __init__(self, expect, params=None, body=None, name="", query="", before=None, after=None,
                 session=None, stream=False):
        self.expect, self.params, self.body, self.name = expect, params or {}, body, name
        self.query, self.before, self.after, self.session, self.stream = query, before, after, session, stream

    def expected(self, kind):
        if kind in self.expect:
            return self.expect[kind]
        for g, members in GROUPS.items():
            if g in self.expect and kind in members:
                return self.expect[g]
        return self.expect["*"]


UPLOAD = "upload"  # a body marker: a small multipart file, with the fields the route needs


def row(method, path, *cases):
    return (method, path, cases)


# -- fresh objects, made by whoever may make them, so a cell's write has its own target ----

def fresh_post(thread_key="thread", author="member"):
    def make(fx, kind):
        writer = fx.target if author == "target" else fx.c[author]
        r = writer.post(f"threads/{fx[thread_key]}/posts", {"body": "a reply to act upon"})
        assert r.status == 201, r
        return r.data["post"]["id"]
    return make


def fresh_thread(board_key="pub"):
    def make(fx, kind):
        r = fx.c["member"].post(f"boards/{fx[board_key]}/threads", {"title": "fresh", "body": "fresh thread"})
        assert r.status == 201, r
        return r.data["thread"]["id"]
    return make


def fresh_training(fx, kind):
    slug = unique("aztr-")
    body = {"slug": slug, "title": "Fresh training", "starts_on": day(10), "ends_on": day(12),
            "hours": 8, "enrolment": "open"}
    r = fx.c["lecturer"].post("trainings", body)
    assert r.status == 201, r
    fx["last_training"] = slug
    return slug


def fresh_training_with_target(fx, kind):
    slug = fresh_training(fx, kind)
    r = fx.target.post(f"trainings/{slug}/trainees")
    assert r.status == 201, r
    return slug


def fresh_lesson(fx, kind):
    r = fx.c["lecturer"].post(f"trainings/{fx['training']}/lessons",
                              {"title": "Fresh lesson", "starts_at": at(7200), "minutes": 30,
                               "lecturer": NAMES["lecturer"]})
    assert r.status == 201, r
    return r.data["lesson"]["id"]


def fresh_term(fx, kind):
    slug = unique("azterm-")
    r = fx.c["admin"].put(f"taxonomy/industry/{slug}", {"name": "Fresh industry"})
    assert r.status == 200, r
    return slug


def new_slug(prefix):
    return lambda fx, kind: unique(prefix)


def trainee_name(fx, kind):
    return NAMES["member"]


def own_name(fx, kind):
    return NAMES.get(kind, TARGET)


def enrol_caller(fx, kind):
    fx.api(kind).post(f"trainings/{fx['last_training']}/trainees")


def join_open(fx, kind):
    fx.api(kind).post(f"associations/{fx['open']}/members")


def leave_open(fx, kind):
    fx.api(kind).delete(f"associations/{fx['open']}/members")


def target_asks_to_join(fx, kind):
    fx.target.post(f"associations/{fx['club']}/members")


def officer_removes_target(fx, kind):
    fx.c["officer"].post(f"associations/{fx['club']}/members/{TARGET}", {"action": "remove"})


def ban_target(fx, kind):
    fx.c["admin"].post(f"users/{TARGET}/ban", {"days": 0, "reason": "matrix"})


def unban_target(fx, kind):
    fx.c["admin"].delete(f"users/{TARGET}/ban")


def thread_key(thread):
    return lambda fx, kind: f"thread-{fx[thread]}"


def board_key(board):
    return lambda fx, kind: f"board-{fx[board]}"


def put_draft(thread):
    """The caller's draft in the thread, for the cell that reads it (refused for some)."""
    return lambda fx, kind: fx.api(kind).put(f"drafts/thread-{fx[thread]}", {"body": "kept"})


def body(**fields):
    """A body whose callables are called per cell (fresh slugs)."""
    return lambda fx, kind: {k: v(fx, kind) if callable(v) else v for k, v in fields.items()}


def board_body():
    return body(slug=new_slug("azb-"), title="A new board")


def training_body():
    return body(slug=new_slug("azt-"), title="A new training", starts_on=day(20), ends_on=day(21),
                hours=4, enrolment="open")


def q_body(where="pub", key="board"):
    return lambda fx, kind: {"title": "A questionnaire", key: fx[where], "questions": QUESTIONS}


# -- applications to teach: the target's pending one (made when there is none), and every
#    pending application declined after a cell, so that each cell starts with none ----------

def fresh_application(fx, kind):
    mine = fx.target.get("lecturer-applications?mine=1&state=pending").data["applications"]
    if mine:
        return mine[0]["id"]
    r = fx.target.post("lecturer-applications", {"statement": "I would like to teach"})
    assert r.status == 201, r
    return r.data["application"]["id"]


def decline_pending(fx, kind):
    for a in fx.c["admin"].get("lecturer-applications?state=pending&per_page=200").data["applications"]:
        r = fx.c["admin"].post(f"lecturer-applications/{a['id']}", {"action": "decline"})
        assert r.status == 200, r


OK, NEW, GONE = 200, 201, 204
ANON = 401
# A visitor asking for a page (not the API) that needs sign-in is sent to the sign-in page and
# back (test_feedback); writes and the API keep their 401.
SIGN_IN = 303
# The usual shape of a write any member may make: 401 anonymous, 403 banned.
MEMBER_WRITE = {"*": NEW, "anon": ANON, "banned": 403}
# A learning record (of the member, a trainee of the lecturer's training): the member, admins
# and the organiser read it; to everyone else it does not exist.
RECORD = {"*": 404, "anon": ANON, "member": OK, "lecturer": OK, "admin": OK}
ADMIN_READ = {"*": 403, "anon": ANON, "admin": OK}


ROWS = [
    row("GET", "/healthz", Case({"*": OK})),

    # -- accounts --------------------------------------------------------------------------
    row("POST", "/api/v1/users", Case({"*": NEW}, body=body(username=new_slug("azu"), password=PASSWORD))),
    row("POST", "/api/v1/session", Case({"*": NEW}, body={"username": TARGET, "password": PASSWORD})),
    row("DELETE", "/api/v1/session", Case({"*": GONE, "anon": ANON}, session="fresh")),
    row("GET", "/api/v1/me", Case({"*": OK, "anon": ANON})),
    row("GET", "/api/v1/users/:name", Case({"*": OK}, {"name": "target"})),
    row("PATCH", "/api/v1/users/:name",
        Case({"*": 403, "anon": ANON, "admin": OK}, {"name": "target"}, {"role": "member"}, "role"),
        Case({"*": OK, "anon": ANON, "banned": 403}, {"name": own_name}, {"display_name": "Myself"}, "self")),

    # -- site ------------------------------------------------------------------------------
    row("GET", "/api/v1/taxonomy", Case({"*": OK})),
    row("PUT", "/api/v1/taxonomy/:kind/:slug",
        Case({"*": 403, "anon": ANON, "admin": OK}, {"kind": "industry", "slug": new_slug("azi-")},
             {"name": "New industry"})),
    row("DELETE", "/api/v1/taxonomy/:kind/:slug",
        Case({"*": 403, "anon": ANON, "admin": GONE}, {"kind": "industry", "slug": fresh_term})),
    row("POST", "/api/v1/announcements",
        Case({"*": 403, "anon": ANON, "admin": NEW}, body={"title": "t", "body": "b", "audience": {}}, name="site"),
        Case({"*": 403, "anon": ANON, "officer": NEW, "admin": NEW},
             body=lambda fx, k: {"title": "t", "body": "b", "audience": {"association": fx["club"]}}, name="club"),
        Case({"*": 403, "anon": ANON, "lecturer": NEW, "admin": NEW},
             body=lambda fx, k: {"title": "t", "body": "b", "audience": {"training": fx["training"]}},
             name="training")),
    row("GET", "/api/v1/announcements", Case({"*": OK, "anon": ANON})),
    row("GET", "/api/v1/announcements/:id",
        Case({"*": OK, "anon": ANON}, {"id": "ann"}, name="site"),
        Case({"*": 404, "anon": ANON, "club": OK, "admin": OK}, {"id": "club_ann"}, name="club")),
    row("GET", "/api/v1/me/preferences", Case({"*": OK, "anon": ANON})),
    row("PATCH", "/api/v1/me/preferences", Case({"*": OK, "anon": ANON}, body={"digest": "weekly"})),
    # The token is the right: without a valid one everybody is refused alike.
    row("POST", "/api/v1/email/confirm", Case({"*": 400}, body={"token": "x" * 43})),
    row("POST", "/api/v1/password-reset", Case({"*": 202}, body={"login": TARGET})),
    row("POST", "/api/v1/password-reset/confirm", Case({"*": 400}, body={"token": "x" * 43, "password": PASSWORD})),
    row("POST", "/api/v1/users/:name/reset-link", Case({"*": 403, "anon": ANON, "admin": NEW}, {"name": "target"})),
    row("GET", "/api/v1/settings", Case({"*": 403, "anon": ANON, "admin": OK})),
    row("GET", "/api/v1/users/:name/record", Case(RECORD, {"name": trainee_name})),
    row("GET", "/api/v1/users/:name/record.csv", Case(RECORD, {"name": trainee_name})),
    row("GET", "/api/v1/reports/rotation", Case(ADMIN_READ)),
    row("GET", "/api/v1/reports/rotation.csv", Case(ADMIN_READ)),
    row("GET", "/api/v1/reports/trainings", Case(ADMIN_READ)),
    row("GET", "/api/v1/reports/trainings.csv", Case(ADMIN_READ)),
    row("PATCH", "/api/v1/settings", Case({"*": 403, "anon": ANON, "admin": OK}, body={"registration": "open"})),
    row("POST", "/api/v1/invites", Case({"*": 403, "anon": ANON, "admin": NEW})),

    # -- boards, threads, posts ------------------------------------------------------------
    row("GET", "/api/v1/boards", Case({"*": OK})),
    row("POST", "/api/v1/boards", Case({"*": 403, "anon": ANON, "admin": NEW}, body=board_body())),
    row("GET", "/api/v1/boards/:slug",
        Case({"*": OK}, {"slug": "pub"}, name="public"),
        Case({"*": 404, "club": OK}, {"slug": "club_board"}, name="club"),
        Case({"*": 404, "member": OK, "lecturer": OK}, {"slug": "training_board"}, name="training")),
    row("PATCH", "/api/v1/boards/:slug",
        Case({"*": 403, "anon": ANON, "admin": OK}, {"slug": "pub_b"}, {"description": "changed"}, "public"),
        Case({"*": 404, "anon": ANON, "member": 403, "officer": OK}, {"slug": "club_board"}, {"description": "c"},
             "club"),
        Case({"*": 404, "anon": ANON, "member": 403, "lecturer": OK}, {"slug": "training_board"},
             {"description": "t"}, "training")),
    row("POST", "/api/v1/boards/:slug/moderators",
        Case({"*": 403, "anon": ANON, "admin": NEW}, {"slug": "pub_b"}, {"username": TARGET})),
    row("POST", "/api/v1/boards/:slug/threads",
        Case(MEMBER_WRITE, {"slug": "pub"}, {"title": "t", "body": "b"}, "public"),
        Case({"*": 404, "anon": ANON, "club": NEW}, {"slug": "club_board"}, {"title": "t", "body": "b"}, "club"),
        Case({"*": 404, "anon": ANON, "member": NEW, "lecturer": NEW}, {"slug": "training_board"},
             {"title": "t", "body": "b"}, "training")),
    row("GET", "/api/v1/threads/:id",
        Case({"*": OK}, {"id": "thread"}, name="public"),
        Case({"*": 404, "club": OK}, {"id": "club_thread"}, name="club"),
        Case({"*": 404, "member": OK, "lecturer": OK}, {"id": "training_thread"}, name="training")),
    row("POST", "/api/v1/threads/:id/posts",
        Case(MEMBER_WRITE, {"id": "thread"}, {"body": "b"}, "public"),
        Case({"*": 404, "anon": ANON, "club": NEW}, {"id": "club_thread"}, {"body": "b"}, "club")),
    row("GET", "/api/v1/posts/:id",
        Case({"*": OK}, {"id": "post"}, name="public"),
        Case({"*": 404, "club": OK}, {"id": "club_post"}, name="club")),
    row("PATCH", "/api/v1/posts/:id",
        Case({"*": 403, "anon": ANON, "member": OK, "mods": OK}, {"id": "post"}, {"body": "edited"}, "public"),
        Case({"*": 404, "anon": ANON, "member": OK, "officer": OK}, {"id": "club_post"}, {"body": "edited"},
             "club")),
    row("DELETE", "/api/v1/posts/:id",
        Case({"*": 403, "anon": ANON, "member": GONE, "mods": GONE}, {"id": fresh_post()}, name="public"),
        Case({"*": 404, "anon": ANON, "member": GONE, "officer": GONE}, {"id": fresh_post("club_thread")},
             name="club")),
    # a discussion's thread: its asker and its moderators get as far as "not a question"
    row("POST", "/api/v1/threads/:id/accepted",
        Case({"*": 403, "anon": ANON, "member": 409, "mods": 409}, {"id": "thread"}, {"post_id": None})),
    row("PUT", "/api/v1/posts/:id/helpful",
        Case({"*": GONE, "anon": ANON, "banned": 403, "member": 403}, {"id": "post"}, name="public"),
        Case({"*": 404, "anon": ANON, "member": 403, "officer": GONE}, {"id": "club_post"}, name="club")),
    row("DELETE", "/api/v1/posts/:id/helpful",
        Case({"*": GONE, "anon": ANON, "banned": 403, "member": 403}, {"id": "post"}, name="public"),
        Case({"*": 404, "anon": ANON, "member": 403, "officer": GONE}, {"id": "club_post"}, name="club")),
    row("GET", "/api/v1/posts/:id/revisions",
        Case({"*": OK}, {"id": "post"}, name="public"),
        Case({"*": 404, "club": OK}, {"id": "club_post"}, name="club")),

    # -- drafts and bookmarks: a banned member keeps no draft (they may not post) but may
    #    bookmark (a reading aid, like following) --------------------------------------------
    row("PUT", "/api/v1/drafts/:key",
        Case({"*": OK, "anon": ANON, "banned": 403}, {"key": thread_key("thread")}, {"body": "b"}, "thread"),
        Case({"*": OK, "anon": ANON, "banned": 403}, {"key": board_key("pub")}, {"title": "t", "body": "b"}, "board"),
        Case({"*": 404, "anon": ANON, "club": OK}, {"key": thread_key("club_thread")}, {"body": "b"}, "club")),
    row("GET", "/api/v1/drafts/:key",
        Case({"*": OK, "anon": ANON, "banned": 404}, {"key": thread_key("thread")}, before=put_draft("thread"),
             name="thread"),
        Case({"*": 404, "anon": ANON, "club": OK}, {"key": thread_key("club_thread")},
             before=put_draft("club_thread"), name="club")),
    row("DELETE", "/api/v1/drafts/:key", Case({"*": GONE, "anon": ANON}, {"key": thread_key("thread")})),
    row("PUT", "/api/v1/posts/:id/bookmark",
        Case({"*": GONE, "anon": ANON}, {"id": "post"}, name="public"),
        Case({"*": 404, "anon": ANON, "club": GONE}, {"id": "club_post"}, name="club")),
    row("DELETE", "/api/v1/posts/:id/bookmark",
        Case({"*": GONE, "anon": ANON}, {"id": "post"}, name="public"),
        Case({"*": 404, "anon": ANON, "club": GONE}, {"id": "club_post"}, name="club")),
    row("GET", "/api/v1/bookmarks", Case({"*": OK, "anon": ANON})),
    # -- the composer: a preview and @mention completion, for whoever is signed in -----------
    row("POST", "/api/v1/preview", Case({"*": OK, "anon": ANON}, body={"body": "**b**"})),
    row("GET", "/api/v1/users", Case({"*": OK, "anon": ANON}, query="prefix=az")),
    row("GET", "/api/v1/posts/:id/quote",
        Case({"*": OK, "anon": ANON}, {"id": "post"}, name="public"),
        Case({"*": 404, "anon": ANON, "club": OK}, {"id": "club_post"}, name="club")),

    # -- associations ----------------------------------------------------------------------
    row("GET", "/api/v1/associations", Case({"*": OK})),
    row("POST", "/api/v1/associations",
        Case({"*": 403, "anon": ANON, "lecturer": NEW, "admin": NEW},
             body=body(slug=new_slug("aza-"), name="New association"))),
    row("GET", "/api/v1/associations/:slug", Case({"*": OK}, {"slug": "club"})),
    row("POST", "/api/v1/associations/:slug/members",
        Case({**MEMBER_WRITE, "admin": 409}, {"slug": "open"}, after=leave_open)),
    row("DELETE", "/api/v1/associations/:slug/members",
        Case({"*": GONE, "anon": ANON, "banned": 403, "admin": 409}, {"slug": "open"}, before=join_open)),
    row("POST", "/api/v1/associations/:slug/members/:name",
        Case({"*": 403, "anon": ANON, "officer": OK, "admin": OK}, {"slug": "club", "name": "target"}, {"action": "approve"},
             before=target_asks_to_join, after=officer_removes_target)),

    # -- questionnaires --------------------------------------------------------------------
    row("GET", "/api/v1/questionnaires", Case({"*": OK})),
    row("POST", "/api/v1/questionnaires",
        Case({"*": 403, "anon": ANON, "staff": NEW}, body=q_body(), name="board"),
        Case({"*": 403, "anon": ANON, "officer": NEW}, body=q_body("club", "association"), name="club")),
    row("GET", "/api/v1/questionnaires/:id",
        Case({"*": OK}, {"id": "q"}, name="board"),
        Case({"*": 404, "club": OK}, {"id": "club_q"}, name="club")),
    row("POST", "/api/v1/questionnaires/:id/responses",
        Case(MEMBER_WRITE, {"id": "q"}, {"answers": [0]}, "board"),
        Case({"*": 404, "anon": ANON, "club": NEW}, {"id": "club_q"}, {"answers": [0]}, "club")),
    row("GET", "/api/v1/questionnaires/:id/results", Case({"*": 403, "anon": ANON, "lecturer": OK, "mods": OK}, {"id": "q"})),
    row("GET", "/api/v1/questionnaires/:id/results.csv",
        Case({"*": 403, "anon": ANON, "lecturer": OK, "mods": OK}, {"id": "q"})),

    # -- materials -------------------------------------------------------------------------
    row("GET", "/api/v1/materials", Case({"*": OK})),
    row("POST", "/api/v1/materials", Case({"*": 403, "anon": ANON, "staff": NEW}, body=UPLOAD)),
    row("GET", "/api/v1/materials/:id", Case({"*": OK}, {"id": "material"})),
    row("POST", "/api/v1/materials/:id/versions",
        Case({"*": 403, "anon": ANON, "lecturer": NEW, "sitemod": NEW, "admin": NEW}, {"id": "material"}, UPLOAD)),
    row("GET", "/api/v1/lecturers", Case({"*": OK})),
    row("POST", "/api/v1/lecturer-applications",
        Case({**MEMBER_WRITE, "staff": 409}, body={"statement": "Let me teach"}, after=decline_pending)),
    row("GET", "/api/v1/lecturer-applications", Case({"*": 403, "anon": ANON, "admin": OK}),
        Case({"*": OK, "anon": ANON}, query="mine=1", name="mine")),
    row("POST", "/api/v1/lecturer-applications/:id",
        Case({"*": 403, "anon": ANON, "admin": OK}, {"id": fresh_application}, {"action": "decline"})),
    row("GET", "/materials/:id/download", Case({"*": OK}, {"id": "material"})),
    # -- uploads in posts: the club upload is linked from a post in the members-only board,
    # the public one from a post in a public board
    row("POST", "/api/v1/uploads", Case(MEMBER_WRITE, body=UPLOAD)),
    row("GET", "/uploads/:id/:name",
        Case({"*": 404, "club": OK}, {"id": "club_upload", "name": "upload_name"}, name="members-only board"),
        Case({"*": OK}, {"id": "pub_upload", "name": "upload_name"}, name="public board"),
        Case({"*": 404}, {"id": "club_upload", "name": "wrong_name"}, name="wrong name")),

    # -- trainings and lessons -------------------------------------------------------------
    row("GET", "/api/v1/trainings", Case({"*": OK})),
    row("POST", "/api/v1/trainings", Case({"*": 403, "anon": ANON, "lecturer": NEW, "admin": NEW}, body=training_body())),
    row("GET", "/api/v1/trainings/:slug", Case({"*": OK}, {"slug": "training"})),
    row("PATCH", "/api/v1/trainings/:slug",
        Case({"*": 403, "anon": ANON, "lecturer": OK, "admin": OK}, {"slug": "training"}, {"title": "Renamed"})),
    row("POST", "/api/v1/trainings/:slug/organisers",
        Case({"*": 403, "anon": ANON, "lecturer": NEW, "admin": NEW}, {"slug": fresh_training}, {"username": TARGET})),
    row("POST", "/api/v1/trainings/:slug/trainees",
        Case(MEMBER_WRITE, {"slug": fresh_training}, name="self")),
    row("DELETE", "/api/v1/trainings/:slug/trainees",
        Case({"*": GONE, "anon": ANON, "banned": 403}, {"slug": fresh_training}, before=enrol_caller)),
    row("GET", "/api/v1/trainings/:slug/trainees",
        Case({"*": 403, "anon": ANON, "lecturer": OK, "admin": OK}, {"slug": "training"})),
    row("GET", "/api/v1/trainings/:slug/trainees.csv",
        Case({"*": 403, "anon": ANON, "lecturer": OK, "admin": OK}, {"slug": "training"})),
    row("POST", "/api/v1/trainings/:slug/trainees/:name",
        Case({"*": 403, "anon": ANON, "lecturer": OK, "admin": OK}, {"slug": fresh_training_with_target, "name": "target"},
             {"action": "complete"})),
    row("POST", "/api/v1/trainings/:slug/lessons",
        Case({"*": 403, "anon": ANON, "lecturer": NEW, "admin": NEW}, {"slug": "training"},
             body=lambda fx, k: {"title": "L", "starts_at": at(3600), "minutes": 30, "lecturer": NAMES["lecturer"]})),
    row("GET", "/api/v1/lessons/:id", Case({"*": 404, "member": OK, "lecturer": OK, "admin": OK}, {"id": "lesson"})),
    row("PATCH", "/api/v1/lessons/:id",
        Case({"*": 403, "anon": ANON, "lecturer": OK, "admin": OK}, {"id": "lesson"}, {"title": "Renamed lesson"})),
    row("DELETE", "/api/v1/lessons/:id",
        Case({"*": 403, "anon": ANON, "lecturer": GONE, "admin": GONE}, {"id": fresh_lesson})),
    row("POST", "/api/v1/lessons/:id/attendance",
        Case({"*": 404, "anon": ANON, "member": 403, "banned": 403, "lecturer": OK, "admin": OK}, {"id": "lesson"},
             {"present": [NAMES["member"]]})),
    row("POST", "/api/v1/lessons/:id/rating",
        Case({"*": 404, "anon": ANON, "member": NEW, "banned": 403, "lecturer": 403, "admin": 403},
             {"id": "past_lesson"}, {"score": 5})),
    row("GET", "/trainings/:slug/calendar.ics",
        Case({"*": 404, "member": OK, "lecturer": OK, "admin": OK}, {"slug": "training"})),
    row("GET", "/trainings/:slug/pack.zip",
        Case({"*": 404, "member": OK, "lecturer": OK, "admin": OK}, {"slug": "training"})),

    # -- follow-ups ------------------------------------------------------------------------
    row("POST", "/api/v1/trainings/:slug/followups",
        Case({"*": 403, "anon": ANON, "lecturer": NEW, "admin": NEW}, {"slug": "training"},
             body=lambda fx, k: {"questionnaire": fx["q"], "opens_after_days": 30, "respondents": "trainees"})),
    row("GET", "/api/v1/trainings/:slug/followups",
        Case({"*": 403, "anon": ANON, "lecturer": OK, "admin": OK}, {"slug": "training"})),
    row("POST", "/api/v1/trainings/:slug/raters",
        Case({"*": 403, "anon": ANON, "member": NEW}, {"slug": "training"}, {"usernames": [TARGET]})),
    row("GET", "/api/v1/trainings/:slug/effect",
        Case({"*": 403, "anon": ANON, "lecturer": OK, "admin": OK}, {"slug": "training"})),
    row("GET", "/trainings/:slug/effect",
        Case({"*": 403, "anon": ANON, "lecturer": OK, "admin": OK}, {"slug": "training"})),

    # -- moderation ------------------------------------------------------------------------
    row("GET", "/api/v1/mod/queue", Case({"*": 403, "anon": ANON, "anymod": OK, "officer": OK})),
    row("POST", "/api/v1/mod/posts/:id",
        Case({"*": 403, "anon": ANON, "mods": OK}, {"id": fresh_post()}, {"action": "delete", "reason": "m"}, "public"),
        Case({"*": 404, "anon": ANON, "member": 403, "officer": OK}, {"id": fresh_post("club_thread")},
             {"action": "delete", "reason": "m"}, "club")),
    row("POST", "/api/v1/mod/threads/:id",
        Case({"*": 403, "anon": ANON, "mods": OK}, {"id": fresh_thread()}, {"action": "lock", "reason": "m"}, "public"),
        Case({"*": 404, "anon": ANON, "member": 403, "officer": OK}, {"id": fresh_thread("club_board")},
             {"action": "lock", "reason": "m"}, "club")),
    row("GET", "/api/v1/mod/log", Case({"*": OK})),
    row("POST", "/api/v1/posts/:id/reports",
        Case(MEMBER_WRITE, {"id": fresh_post(author="target")}, {"reason": "spam"})),
    row("POST", "/api/v1/users/:name/ban",
        Case({"*": 403, "anon": ANON, "sitemod": NEW, "admin": NEW}, {"name": "target"}, {"days": 1, "reason": "m"},
             after=unban_target)),
    row("DELETE", "/api/v1/users/:name/ban",
        Case({"*": 403, "anon": ANON, "sitemod": GONE, "admin": GONE}, {"name": "target"},
             before=ban_target, after=unban_target)),

    # -- search, notifications, following, feeds -------------------------------------------
    row("GET", "/api/v1/search", Case({"*": OK}, query="q=matrix")),
    row("GET", "/search", Case({"*": OK}, query="q=matrix")),
    row("GET", "/api/v1/notifications", Case({"*": OK, "anon": ANON})),
    row("POST", "/api/v1/notifications/read", Case({"*": GONE, "anon": ANON}, body={})),
    row("PUT", "/api/v1/threads/:id/subscription",
        Case({"*": GONE, "anon": ANON}, {"id": "thread"}, name="public"),
        Case({"*": 404, "anon": ANON, "club": GONE}, {"id": "club_thread"}, name="club")),
    row("DELETE", "/api/v1/threads/:id/subscription", Case({"*": GONE, "anon": ANON}, {"id": "thread"})),
    row("PUT", "/api/v1/boards/:slug/subscription",
        Case({"*": GONE, "anon": ANON}, {"slug": "pub"}, name="public"),
        Case({"*": 404, "anon": ANON, "club": GONE}, {"slug": "club_board"}, name="club")),
    row("DELETE", "/api/v1/boards/:slug/subscription", Case({"*": GONE, "anon": ANON}, {"slug": "pub"})),
    row("GET", "/api/v1/feed", Case({"*": OK, "anon": ANON})),
    row("GET", "/notifications", Case({"*": OK, "anon": ANON})),
    row("POST", "/notifications/read", Case({"*": 303, "anon": ANON})),
    row("POST", "/t/:id/follow", Case({"*": 303, "anon": ANON}, {"id": "thread"}, {"action": "follow"})),
    row("POST", "/b/:slug/follow", Case({"*": 303, "anon": ANON}, {"slug": "pub"}, {"action": "follow"})),
    row("GET", "/feed.atom", Case({"*": OK})),
    row("GET", "/boards/:slug/feed.atom",
        Case({"*": OK}, {"slug": "pub"}, name="public"),
        Case({"*": 404, "club": OK}, {"slug": "club_board"}, name="club")),
    row("GET", "/threads/:id/feed.atom",
        Case({"*": OK}, {"id": "thread"}, name="public"),
        Case({"*": 404, "club": OK}, {"id": "club_thread"}, name="club")),
    row("GET", "/metrics", Case({"*": OK})),
    row("GET", "/live/threads/:id",
        Case({"*": OK}, {"id": "thread"}, name="public", stream=True),
        Case({"*": 404, "club": OK}, {"id": "club_thread"}, name="club", stream=True)),

    # -- pages -----------------------------------------------------------------------------
    row("GET", "/", Case({"*": OK})),
    row("GET", "/login", Case({"*": OK})),
    row("POST", "/login", Case({"*": 303}, body={"username": TARGET, "password": PASSWORD})),
    row("POST", "/logout", Case({"*": 303, "anon": ANON}, session="fresh")),
    row("GET", "/register", Case({"*": OK})),
    row("POST", "/register", Case({"*": 303}, body=body(username=new_slug("azr"), password=PASSWORD))),
    row("GET", "/announcements", Case({"*": OK, "anon": ANON})),
    row("POST", "/announcements", Case({"*": 403, "anon": ANON, "admin": 303}, body={"title": "t", "body": "b"})),
    row("GET", "/announcements/:id", Case({"*": OK, "anon": ANON}, {"id": "ann"})),
    row("GET", "/settings", Case({"*": OK, "anon": ANON})),
    row("POST", "/settings", Case({"*": 303, "anon": ANON}, body={"digest": "weekly"})),
    row("GET", "/reset", Case({"*": OK})),
    row("POST", "/reset", Case({"*": 202}, body={"login": TARGET})),
    row("GET", "/reset/confirm", Case({"*": OK}, query="token=" + "x" * 43)),
    row("POST", "/reset/confirm", Case({"*": 400}, body={"token": "x" * 43, "password": PASSWORD})),
    row("GET", "/email/confirm", Case({"*": OK}, query="token=" + "x" * 43)),
    row("POST", "/email/confirm", Case({"*": 400}, body={"token": "x" * 43})),
    row("GET", "/unsubscribe", Case({"*": 400}, query="token=" + "x" * 43)),
    row("POST", "/unsubscribe", Case({"*": 400}, query="token=" + "x" * 43)),
    row("POST", "/u/:name/reset-link", Case({"*": 403, "anon": ANON, "admin": NEW}, {"name": "target"})),
    row("GET", "/u/:name", Case({"*": OK}, {"name": "target"})),
    row("GET", "/u/:name/record", Case(RECORD, {"name": trainee_name})),
    row("GET", "/u/:name/record.csv", Case(RECORD, {"name": trainee_name})),
    row("GET", "/reports/rotation", Case(ADMIN_READ)),
    row("GET", "/reports/rotation.csv", Case(ADMIN_READ)),
    row("GET", "/reports", Case(ADMIN_READ)),
    row("GET", "/reports/trainings.csv", Case(ADMIN_READ)),
    row("POST", "/u/:name", Case({"*": 303, "anon": ANON, "banned": 403}, {"name": own_name}, {"display_name": "Me"})),
    row("GET", "/b/:slug",
        Case({"*": OK}, {"slug": "pub"}, name="public"),
        Case({"*": 404, "club": OK}, {"slug": "club_board"}, name="club")),
    row("POST", "/b/:slug",
        Case({"*": 303, "anon": ANON, "banned": 403}, {"slug": "pub"}, {"title": "t", "body": "b"}, "public"),
        Case({"*": 404, "anon": ANON, "club": 303}, {"slug": "club_board"}, {"title": "t", "body": "b"}, "club")),
    row("GET", "/t/:id",
        Case({"*": OK}, {"id": "thread"}, name="public"),
        Case({"*": 404, "club": OK}, {"id": "club_thread"}, name="club")),
    row("POST", "/t/:id",
        Case({"*": 303, "anon": ANON, "banned": 403}, {"id": "thread"}, {"body": "b"}, "public"),
        Case({"*": 404, "anon": ANON, "club": 303}, {"id": "club_thread"}, {"body": "b"}, "club")),
    # the composers' Preview button without JS: the page again, for whoever may see it
    row("POST", "/t/:id/preview",
        Case({"*": OK, "anon": ANON}, {"id": "thread"}, {"body": "b"}, "public"),
        Case({"*": 404, "anon": ANON, "club": OK}, {"id": "club_thread"}, {"body": "b"}, "club")),
    row("POST", "/b/:slug/preview",
        Case({"*": OK, "anon": ANON}, {"slug": "pub"}, {"title": "t", "body": "b"}, "public"),
        Case({"*": 404, "anon": ANON, "club": OK}, {"slug": "club_board"}, {"title": "t", "body": "b"}, "club")),
    row("POST", "/posts/:id/preview",
        Case({"*": 403, "anon": ANON, "member": OK, "mods": OK}, {"id": "post"}, {"body": "edited"})),
    row("GET", "/posts/:id/edit", Case({"*": 403, "anon": ANON, "member": OK, "mods": OK}, {"id": "post"})),
    row("POST", "/posts/:id/edit",
        Case({"*": 403, "anon": ANON, "member": 303, "mods": 303}, {"id": "post"}, {"body": "edited"})),
    row("GET", "/posts/:id/delete", Case({"*": 403, "anon": ANON, "member": OK, "mods": OK}, {"id": "post"})),
    row("POST", "/posts/:id/delete", Case({"*": 403, "anon": ANON, "member": 303, "mods": 303}, {"id": fresh_post()})),
    row("GET", "/posts/:id/revisions", Case({"*": OK}, {"id": "post"})),
    row("POST", "/b/:slug/settings",
        Case({"*": 403, "anon": ANON, "admin": 303}, {"slug": "pub_b"}, {"title": "pub_b", "kind": "discussion"})),
    row("POST", "/t/:id/accepted",
        Case({"*": 403, "anon": ANON, "member": 409, "mods": 409}, {"id": "thread"}, {"post_id": "0"})),
    row("POST", "/posts/:id/helpful",
        Case({"*": 303, "anon": ANON, "banned": 403, "member": 403}, {"id": "post"}, {"action": "mark"})),
    row("GET", "/p/:id",
        Case({"*": 303}, {"id": "post"}, name="public"),
        Case({"*": 404, "club": 303}, {"id": "club_post"}, name="club")),
    row("GET", "/bookmarks", Case({"*": OK, "anon": ANON})),
    row("POST", "/posts/:id/bookmark",
        Case({"*": 303, "anon": ANON}, {"id": "post"}, {"action": "bookmark"}, "public"),
        Case({"*": 404, "anon": ANON, "club": 303}, {"id": "club_post"}, {"action": "bookmark"}, "club")),
    row("GET", "/admin", Case({"*": 403, "anon": ANON, "admin": OK})),
    row("POST", "/admin/settings", Case({"*": 403, "anon": ANON, "admin": 303}, body={"registration": "open"})),
    row("POST", "/admin/boards", Case({"*": 403, "anon": ANON, "admin": 303}, body=board_body())),
    row("POST", "/admin/terms",
        Case({"*": 403, "anon": ANON, "admin": 303}, body=body(kind="region", slug=new_slug("azreg-"), name="R"))),
    row("POST", "/admin/invites", Case({"*": 403, "anon": ANON, "admin": OK})),
    row("POST", "/admin/moderators",
        Case({"*": 403, "anon": ANON, "admin": 303}, body=lambda fx, k: {"board": fx["pub_b"], "username": TARGET})),
    row("GET", "/associations", Case({"*": OK})),
    row("POST", "/associations",
        Case({"*": 403, "anon": ANON, "lecturer": 303, "admin": 303}, body=body(slug=new_slug("azpa-"), name="A"))),
    row("GET", "/a/:slug", Case({"*": OK}, {"slug": "club"})),
    row("POST", "/a/:slug/join", Case({"*": 303, "anon": ANON, "banned": 403, "admin": 409}, {"slug": "open"},
                                      after=leave_open)),
    row("POST", "/a/:slug/leave", Case({"*": 303, "anon": ANON, "banned": 403, "admin": 409}, {"slug": "open"},
                                       before=join_open)),
    row("POST", "/a/:slug/members/:name",
        Case({"*": 403, "anon": ANON, "officer": 303, "admin": 303}, {"slug": "club", "name": "target"},
             {"action": "approve"},
             before=target_asks_to_join, after=officer_removes_target)),
    row("POST", "/q", Case({"*": 403, "anon": ANON, "staff": 303},
                           body=lambda fx, k: {"title": "Q", "board": fx["pub"], "questions": "single: Useful? | yes | no"})),
    row("GET", "/q/new", Case({"*": 403, "anon": ANON, "staff": OK}, query=lambda fx, k: f"board={fx['pub']}")),
    row("GET", "/q/:id", Case({"*": OK}, {"id": "q_page"})),
    row("POST", "/q/:id", Case({"*": 303, "anon": ANON, "banned": 403}, {"id": "q_page"}, {"q0": "0"})),
    row("GET", "/q/:id/results", Case({"*": 403, "anon": ANON, "lecturer": OK, "mods": OK}, {"id": "q"})),
    row("GET", "/q/:id/results.csv", Case({"*": 403, "anon": ANON, "lecturer": OK, "mods": OK}, {"id": "q"})),
    row("GET", "/materials", Case({"*": OK})),
    row("POST", "/materials", Case({"*": 403, "anon": ANON, "staff": 303}, body=UPLOAD)),
    row("GET", "/materials/:id", Case({"*": OK}, {"id": "material"})),
    row("POST", "/materials/:id/versions",
        Case({"*": 403, "anon": ANON, "lecturer": 303, "sitemod": 303, "admin": 303}, {"id": "material"}, UPLOAD)),
    row("GET", "/lecturers", Case({"*": OK})),
    row("GET", "/uploads", Case({"*": OK, "anon": ANON})),
    row("POST", "/uploads", Case({"*": NEW, "anon": ANON, "banned": 403}, body=UPLOAD)),
    row("GET", "/lecturers/apply", Case({"*": OK, "anon": ANON})),
    row("POST", "/lecturers/apply",
        Case({"*": 303, "anon": ANON, "banned": 403, "staff": 409}, body={"statement": "Let me teach"},
             after=decline_pending)),
    row("GET", "/admin/lecturer-applications", Case({"*": 403, "anon": ANON, "admin": OK})),
    row("POST", "/admin/lecturer-applications/:id",
        Case({"*": 403, "anon": ANON, "admin": 303}, {"id": fresh_application}, {"action": "decline"})),
    row("GET", "/trainings", Case({"*": OK})),
    row("POST", "/trainings", Case({"*": 403, "anon": ANON, "lecturer": 303, "admin": 303}, body=training_body())),
    row("GET", "/trainings/:slug", Case({"*": OK}, {"slug": "training"})),
    row("POST", "/trainings/:slug",
        Case({"*": 403, "anon": ANON, "lecturer": 303, "admin": 303}, {"slug": "training"}, {"title": "Renamed"})),
    row("POST", "/trainings/:slug/enrol",
        Case({"*": 303, "anon": ANON, "banned": 403}, {"slug": fresh_training})),
    row("POST", "/trainings/:slug/leave",
        Case({"*": 303, "anon": ANON, "banned": 403}, {"slug": fresh_training}, before=enrol_caller)),
    row("POST", "/trainings/:slug/organisers",
        Case({"*": 403, "anon": ANON, "lecturer": 303, "admin": 303}, {"slug": fresh_training}, {"username": TARGET})),
    row("POST", "/trainings/:slug/trainees",
        Case({"*": 403, "anon": ANON, "lecturer": 303, "admin": 303}, {"slug": fresh_training},
             {"assign": "1", "usernames": TARGET})),
    row("POST", "/trainings/:slug/trainees/:name",
        Case({"*": 403, "anon": ANON, "lecturer": 303, "admin": 303},
             {"slug": fresh_training_with_target, "name": "target"}, {"action": "complete"})),
    row("POST", "/trainings/:slug/lessons",
        Case({"*": 403, "anon": ANON, "lecturer": 303, "admin": 303}, {"slug": "training"},
             body=lambda fx, k: {"title": "L", "starts_at": at(3600), "minutes": "30", "lecturer": NAMES["lecturer"]})),
    row("POST", "/lessons/:id/attendance",
        Case({"*": 404, "anon": ANON, "member": 403, "banned": 403, "lecturer": 303, "admin": 303}, {"id": "lesson"},
             {"present_form": "1", "present": NAMES["member"]})),
    row("POST", "/lessons/:id/rating",
        Case({"*": 404, "anon": ANON, "member": 303, "banned": 403, "lecturer": 403, "admin": 403},
             {"id": "past_lesson2"}, {"score": "5"})),
    row("GET", "/mod", Case({"*": 403, "anon": ANON, "anymod": OK, "officer": OK})),
    row("POST", "/mod/posts/:id",
        Case({"*": 403, "anon": ANON, "mods": 303}, {"id": fresh_post()}, {"action": "delete", "reason": "m"})),
    row("POST", "/mod/threads/:id",
        Case({"*": 403, "anon": ANON, "mods": 303}, {"id": fresh_thread()}, {"action": "lock", "reason": "m"})),
    row("GET", "/mod/log", Case({"*": OK})),
    row("POST", "/posts/:id/report",
        Case({"*": 303, "anon": ANON, "banned": 403}, {"id": fresh_post(author="target")}, {"reason": "spam"})),
    row("POST", "/u/:name/ban",
        Case({"*": 403, "anon": ANON, "sitemod": 303, "admin": 303}, {"name": "target"}, {"days": "1", "reason": "m"},
             after=unban_target)),
    row("POST", "/u/:name/unban",
        Case({"*": 403, "anon": ANON, "sitemod": 303, "admin": 303}, {"name": "target"},
             before=ban_target, after=unban_target)),
]


class Fixtures(dict):
    """The objects the rows point at (fx["thread"], ...), and a bearer client (fx.c[kind])
    and a cookie client (fx.pages[kind]) per kind of caller, each signed in once."""

    def api(self, kind):
        return self.c[kind]


def multipart(fields, boundary="----AgoraAuthzMatrix"):
    out = []
    for name, value in fields.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n')
    out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="notes.txt"\r\n'
               'Content-Type: text/plain\r\n\r\nsome notes\r\n')
    out.append(f"--{boundary}--\r\n")
    return "".join(out).encode(), f"multipart/form-data; boundary={boundary}"


class Authz(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        fx = cls.fx = Fixtures()
        srv = cls.server
        roles = {"lecturer": "lecturer", "sitemod": "moderator", "admin": "admin"}
        for kind in KINDS[1:]:
            srv.add_user(NAMES[kind], roles.get(kind, "member"))
        srv.add_user(TARGET)
        fx.c, fx.pages = {"anon": srv.client()}, {"anon": cls.anon_browser()}
        for kind in KINDS[1:]:
            fx.c[kind], fx.pages[kind] = cls.sign_in(NAMES[kind])
        fx.target, _ = cls.sign_in(TARGET)
        cls.make_objects(fx)

    @classmethod
    def sign_in(cls, name):
        """(bearer client, cookie client) sharing one session: one password hash per kind."""
        api = cls.server.client()
        r = api.login(name)
        page = cls.server.client()
        page.cookies = dict(api.cookies)
        page.csrf = r.data["csrf_token"]
        api.cookies = {}
        return api, page

    @classmethod
    def anon_browser(cls):
        """A visitor's cookie client holding the anonymous CSRF token that forms carry."""
        c = cls.server.client()
        c.csrf = c.form_csrf("/login")
        return c

    @classmethod
    def make_objects(cls, fx):
        admin, member, lect = fx.c["admin"], fx.c["member"], fx.c["lecturer"]
        ok = cls.expect
        fx["target"] = TARGET
        for key in ("pub", "pub_b"):
            fx[key] = ok(admin.post("boards", {"slug": unique("az-"), "title": key}), 201).data["board"]["slug"]
        ok(admin.post(f"boards/{fx['pub']}/moderators", {"username": NAMES["boardmod"]}), 201)
        ok(admin.post(f"boards/{fx['pub_b']}/moderators", {"username": NAMES["othermod"]}), 201)
        t = ok(member.post(f"boards/{fx['pub']}/threads", {"title": "Matrix", "body": "matrix body"}), 201).data
        fx["thread"], fx["post"] = t["thread"]["id"], t["post"]["id"]
        cls.make_club(fx)
        cls.make_training(fx)
        fx["material"] = ok(cls.send(lect, "POST", "/api/v1/materials", UPLOAD, fx), 201).data["material"]["id"]
        cls.make_uploads(fx)
        for key in ("q", "q_page"):
            fx[key] = ok(lect.post("questionnaires", q_body()(fx, "lecturer")), 201).data["questionnaire"]["id"]
        fx["ann"] = ok(admin.post("announcements", {"title": "All", "body": "b", "audience": {}}), 201).data[
            "announcement"]["id"]
        fx["club_ann"] = ok(fx.c["officer"].post("announcements", {"title": "Club", "body": "b", "audience": {
            "association": fx["club"]}}), 201).data["announcement"]["id"]
        ok(admin.post(f"users/{NAMES['banned']}/ban", {"days": 0, "reason": "the banned caller"}), 201)

    @classmethod
    def make_club(cls, fx):
        """A members-only association (approval to join) with its board, thread and post; the
        member belongs, the officer runs it, the admin who founded it has left."""
        admin, ok = fx.c["admin"], cls.expect
        fx["club"] = unique("azclub-")
        ok(admin.post("associations", {"slug": fx["club"], "name": "Club", "join_policy": "approval",
                                       "visibility": "members"}), 201)
        fx["open"] = unique("azopen-")
        ok(admin.post("associations", {"slug": fx["open"], "name": "Open", "join_policy": "open",
                                       "visibility": "public"}), 201)
        fx["club_board"] = ok(admin.post("boards", {"slug": unique("azcb-"), "title": "Club board",
                                                    "association": fx["club"]}), 201).data["board"]["slug"]
        for kind in ("member", "officer"):
            ok(fx.c[kind].post(f"associations/{fx['club']}/members"), 202)
            ok(admin.post(f"associations/{fx['club']}/members/{NAMES[kind]}", {"action": "approve"}), 200)
        ok(admin.post(f"associations/{fx['club']}/members/{NAMES['officer']}", {"action": "promote"}), 200)
        ok(admin.delete(f"associations/{fx['club']}/members"), 204)
        t = ok(fx.c["member"].post(f"boards/{fx['club_board']}/threads", {"title": "Club", "body": "inside"}), 201).data
        fx["club_thread"], fx["club_post"] = t["thread"]["id"], t["post"]["id"]
        fx["club_q"] = ok(fx.c["officer"].post("questionnaires", q_body("club", "association")(fx, "officer")),
                          201).data["questionnaire"]["id"]

    @classmethod
    def make_uploads(cls, fx):
        """Two uploads of the member (a text file, notes.txt), each linked from a new post: one
        in the club's board, one in a public board."""
        member, ok = fx.c["member"], cls.expect
        fx["upload_name"], fx["wrong_name"] = "notes.txt", "other.txt"
        for key, thread in (("club_upload", "club_thread"), ("pub_upload", "thread")):
            up = ok(cls.send(member, "POST", "/api/v1/uploads", UPLOAD, fx), 201).data["upload"]
            fx[key] = up["id"]
            ok(member.post(f"threads/{fx[thread]}/posts", {"body": f"see [notes]({up['url']})"}), 201)

    @classmethod
    def make_training(cls, fx):
        """A current training the lecturer organises and the member takes, with a lesson to
        come and two that have begun, which the member attended."""
        lect, ok = fx.c["lecturer"], cls.expect
        fx["training"] = unique("aztrain-")
        ok(lect.post("trainings", {"slug": fx["training"], "title": "Matrix training", "starts_on": day(-1),
                                   "ends_on": day(5), "hours": 8, "enrolment": "open"}), 201)
        ok(fx.c["member"].post(f"trainings/{fx['training']}/trainees"), 201)
        fx["training_board"] = ok(lect.get(f"trainings/{fx['training']}"), 200).data["training"]["board"]
        fx["training_thread"] = ok(fx.c["member"].post(f"boards/{fx['training_board']}/threads", {
            "title": "Homework", "body": "trainees only"}), 201).data["thread"]["id"]
        for key, start in (("lesson", 3600), ("past_lesson", -600), ("past_lesson2", -600)):
            fx[key] = ok(lect.post(f"trainings/{fx['training']}/lessons", {
                "title": key, "starts_at": at(start), "minutes": 60, "lecturer": NAMES["lecturer"]}), 201).data[
                "lesson"]["id"]
        for key in ("past_lesson", "past_lesson2"):
            ok(lect.post(f"lessons/{fx[key]}/attendance", {"present": [NAMES["member"]]}), 200)

    # -- one cell --------------------------------------------------------------------------
    @classmethod
    def send(cls, client, method, path, payload, fx, page=False, query=""):
        if payload == UPLOAD:
            fields = {"title": "Notes", "note": "v2"} if "/versions" in path else {"title": "Notes", "board": fx["pub"]}
            data, ctype = multipart(fields)
            return client.request(method, path + (f"?{query}" if query else ""), body=data, content_type=ctype)
        target = path + (f"?{query}" if query else "")
        if page and payload is not None:
            return client.request(method, target, body=urllib.parse.urlencode(payload, doseq=True),
                                  content_type="application/x-www-form-urlencoded")
        if page and method == "POST":
            return client.request(method, target, body=b"", content_type="application/x-www-form-urlencoded")
        return client.request(method, target, body=payload)

    def client_for(self, kind, page, case):
        if case.session != "fresh" or kind == "anon":
            return (self.fx.pages if page else self.fx.c)[kind]
        api, browser = self.sign_in(NAMES[kind])
        return browser if page else api

    def stream_status(self, client, path):
        """The status of an answer that never ends (a live stream): read the head, hang up."""
        hdrs = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{self.server.port}"]
        if client.token:
            hdrs.append(f"Authorization: Bearer {client.token}")
        if client.cookies:
            hdrs.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in client.cookies.items()))
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
        try:
            s.sendall(("\r\n".join(hdrs) + "\r\n\r\n").encode())
            head = b""
            while b"\r\n" not in head:
                chunk = s.recv(1024)
                if not chunk:
                    break
                head += chunk
        finally:
            s.close()
        return int(head.split(b" ", 2)[1])

    def run_cell(self, method, pattern, case, kind):
        fx = self.fx
        page = not pattern.startswith("/api/")
        values = {k: (v(fx, kind) if callable(v) else fx.get(v, v)) for k, v in case.params.items()}
        if case.before:
            case.before(fx, kind)
        path = "/".join(str(values[s[1:]]) if s.startswith(":") else s for s in pattern.split("/"))
        payload = case.body(fx, kind) if callable(case.body) else case.body
        client = self.client_for(kind, page, case)
        jar = dict(client.cookies)  # a cell that signs in must not change who the caller is
        if case.stream:
            status, resp = self.stream_status(client, path), None
        else:
            query = case.query(fx, kind) if callable(case.query) else case.query
            resp = self.send(client, method, path, payload, fx, page, query)
            status = resp.status
        client.cookies = jar
        if case.after:
            case.after(fx, kind)
        return status, resp

    # -- the tests -------------------------------------------------------------------------
    def test_every_route_has_a_row(self):
        table = {r.key(): str(r) for r in route_check.read_table(ROOT)}
        rows = {}
        for method, pattern, _ in ROWS:
            key = (method, route_check.normalise(pattern))
            self.assertNotIn(key, rows, f"{method} {pattern} has two rows")
            rows[key] = f"{method} {pattern}"
        missing = sorted(v for k, v in table.items() if k not in rows)
        stale = sorted(v for k, v in rows.items() if k not in table)
        self.assertEqual((missing, stale), ([], []),
                         "routes without a row in the matrix: %s; rows whose route is gone: %s" % (missing, stale))

    def assertCallersAreThemselves(self):
        """Each kind's bearer and cookie clients still act as that kind: a cell that signed in
        or out must not have turned one caller into another, or the matrix would prove nothing."""
        for kind in KINDS:
            for client in (self.fx.c[kind], self.fx.pages[kind]):
                r = client.request("GET", "/api/v1/me")
                got = r.data["user"]["username"] if r.status == 200 else r.status
                self.assertEqual(got, NAMES.get(kind, 401), f"the {kind} caller is not themself: {r!r}")

    def test_every_cell(self):
        self.assertCallersAreThemselves()
        wrong, dump = [], []
        for method, pattern, cases in ROWS:
            for case in cases:
                got = {}
                for kind in KINDS:
                    status, resp = self.run_cell(method, pattern, case, kind)
                    got[kind] = status
                    want = case.expected(kind)
                    if kind == "anon" and want == ANON and method == "GET" and not pattern.startswith("/api/"):
                        want = SIGN_IN
                    if status != want:
                        code = resp.error_code if resp is not None else None
                        wrong.append(f"{method} {pattern} [{case.name}] as {kind}: expected {want}, got {status}"
                                     + (f" ({code})" if code else ""))
                dump.append(f"{method} {pattern} [{case.name}] " + " ".join(f"{k}={v}" for k, v in got.items()))
        self.assertCallersAreThemselves()
        if os.environ.get("AUTHZ_DUMP"):
            print("\n" + "\n".join(dump))
        if wrong:
            self.fail(f"{len(wrong)} cell(s) of the matrix differ:\n  " + "\n  ".join(wrong))


if __name__ == "__main__":
    import unittest

    unittest.main()
