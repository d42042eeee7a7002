#!/usr/bin/env python3
"""The route check: the route table against the templates, the contract and our extras.

    routes.py [--root REPO] [--api PATH/TO/API.md] [-v]   check, exit 1 on a finding
    routes.py --self-test                                 check the parsers on known forms

- Every page route's template, and every template the handlers name (r->tmpl = "x", or a
  literal passed for a parameter called tmpl), exists as web/templates/NAME.html.
- Every /api/v1 route of the table is in API.md or in docs/API-EXTRAS.md.
- Every route of API.md's round 1 (above "# Round 2 additions"), pages included, is in the
  table; round 2 routes not built yet are listed with -v only (the contract is ahead).
- Every entry of docs/API-EXTRAS.md is in the table.
Without API.md (a clone without ../shared) only the template and extras halves run.
"""
import argparse
import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clex  # noqa: E402

METHODS = ('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS')
ROUTE = re.compile(r'\{\s*M_([A-Z]+)\s*,\s*"([^"]*)"\s*,\s*(\w+)\s*,\s*([^,{}]+?)\s*,\s*(NULL|"([^"]*)")\s*\}')
ROUND2 = re.compile(r'^#\s+Round\s+2\b', re.I)


class Route:
    def __init__(self, method, path, where, extra=None):
        self.method, self.path, self.where, self.extra = method, path, where, extra

    def key(self):
        return (self.method, normalise(self.path))

    def __str__(self):
        return f'{self.method} {self.path}'


def normalise(path):
    """A path with every parameter as ':': '/boards/:slug' and '/boards/SLUG' are the same.
    A parameter is ':name' or an upper-case word (ID, SLUG, NAME, KEY), maybe with a suffix
    (NAME.ics)."""
    segs = []
    for seg in path.strip().rstrip('/').split('/'):
        seg = re.sub(r'^:\w+', ':', seg)
        seg = re.sub(r'^[A-Z][A-Z0-9_]*(?=$|\.)', ':', seg)
        segs.append(seg)
    return '/'.join(segs) or '/'


# -- the route table ----------------------------------------------------------------------

def handler_sources(root):
    """(relative path, text without comments) of each daemon/handlers/*.c, in name order."""
    hdir = os.path.join(root, 'daemon', 'handlers')
    for d, dirs, fs in os.walk(hdir):
        dirs.sort()
        for f in sorted(fs):
            if f.endswith('.c'):
                p = os.path.join(d, f)
                with open(p, encoding='utf-8', errors='replace') as fh:
                    yield os.path.relpath(p, root), clex.strip(fh.read(), strings=False)


def read_table(root):
    """Every route entry of daemon/handlers/*.c: {M_GET, "/path", handler, FLAGS, "tmpl"|NULL}."""
    found = []
    for rel, text in handler_sources(root):
        for m in ROUTE.finditer(text):
            line = text.count('\n', 0, m.start()) + 1
            r = Route(m.group(1), m.group(2), f'{rel}:{line}')
            r.handler, r.flags, r.tmpl = m.group(3), m.group(4), m.group(6)
            r.page = re.search(r'\b(?:PAGE|R_PAGE)\b', r.flags) is not None
            found.append(r)
    return found


def template_refs(root):
    """[(file:line, name)] of the templates the handlers name outside the route table."""
    refs = []
    for rel, text in handler_sources(root):
        lines = lambda pos: text.count('\n', 0, pos) + 1  # noqa: E731
        # r->tmpl = "x";  r->tmpl = cond ? "a" : "b";
        for m in re.finditer(r'(?:->|\.)\s*tmpl\s*=(?!=)([^;]*);', text):
            for s in re.finditer(r'"([^"\\]*)"', m.group(1)):
                refs.append((f'{rel}:{lines(m.start(1) + s.start())}', s.group(1)))
        # a function with a parameter `const char *tmpl`: the literal given for it
        for m in re.finditer(r'\b(\w+)\s*\(([^()]*\bconst\s+char\s*\*\s*tmpl\b[^()]*)\)\s*\{', text):
            fn, params = m.group(1), m.group(2).split(',')
            idx = next(i for i, prm in enumerate(params) if re.search(r'\btmpl\b', prm))
            for call in re.finditer(r'\b' + re.escape(fn) + r'\s*\(', text):
                if call.start() == m.start():
                    continue
                args = split_args(text, call.end())
                if args is not None and idx < len(args):
                    lit = re.fullmatch(r'\s*"([^"\\]*)"\s*', args[idx][0])
                    if lit:
                        refs.append((f'{rel}:{lines(args[idx][1])}', lit.group(1)))
    return refs


def split_args(text, i):
    """[(text, offset)] of the arguments of the call whose '(' ends just before text[i]."""
    args, depth, start = [], 0, i
    while i < len(text):
        c = text[i]
        if c in '"\'':  # skip the literal, escapes included
            j = i + 1
            while j < len(text) and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            i = j
        elif c in '([{':
            depth += 1
        elif c in ')]}':
            if depth == 0:
                args.append((text[start:i], start))
                return args
            depth -= 1
        elif c == ',' and depth == 0:
            args.append((text[start:i], start))
            start = i + 1
        i += 1
    return None


# -- API.md and API-EXTRAS.md -------------------------------------------------------------

def parse_routes(cell):
    """[(method, path)] named by a cell of API.md such as
         GET /api/v1/boards?industry=S&position=S
         PUT, DELETE /api/v1/threads/ID/subscription and /api/v1/boards/SLUG/subscription
         GET /boards/SLUG/feed.atom, /threads/ID/feed.atom
         GET /materials/ID/download[?version=N]
         GET /api/v1/trainings/SLUG/trainees[.csv]
         POST, PATCH /api/v1/boards(/SLUG)        (POST /boards, PATCH /boards/SLUG)
         PUT, DELETE /api/v1/posts/ID/bookmark; GET /api/v1/bookmarks
         GET /unsubscribe?token=T, POST the same"""
    cell = re.sub(r'`', '', cell)
    cell = re.sub(r'\[\?[^\]]*\]', '', cell)                 # [?version=N]
    cell = re.sub(r'\?\S*?(?=,\s|;\s|\s|$)', '', cell)       # ?query (may hold commas)
    out = []
    for clause in cell.split(';'):
        methods, last_paths, fresh = [], [], True
        for tok in re.finditer(r'\b[A-Z]+\b|/[^\s,;]*|\bthe same\b', clause):
            t = tok.group()
            if t.startswith('/'):
                t = t.rstrip('.:')
                while t.endswith(')') and t.count(')') > t.count('('):
                    t = t[:-1]
            if t in METHODS:
                if not fresh:
                    methods, fresh = [], True
                methods.append(t)
            elif t == 'the same':
                for m in methods:
                    out.extend((m, p) for p in last_paths)
                fresh = False
            elif t.startswith('/') and methods:
                if fresh:
                    last_paths = []
                fresh = False
                variants = expand(t)
                last_paths.extend(variants)
                if '(' in t and len(methods) == len(variants) > 1:
                    out.extend(zip(methods, variants))  # the methods pair with the variants
                else:
                    out.extend((m, p) for m in methods for p in variants)
    return out


def expand(path):
    """The paths a pattern stands for: '[.csv]' and '(/SLUG)' are optional."""
    m = re.search(r'\[([^\[\]]*)\]|\(([^()]*)\)', path)
    if not m:
        return [path]
    part = m.group(1) if m.group(1) is not None else m.group(2)
    return [v for p in (path[:m.start()] + path[m.end():], path[:m.start()] + part + path[m.end():])
            for v in expand(p)]


def read_api(path):
    """The routes of API.md: table rows' first cells, backticked `METHOD /path` anywhere, and
    the paths of the Pages section (GET). Each with its round, 1 or 2."""
    routes = []
    rnd, section = 1, ''
    with open(path, encoding='utf-8') as fh:
        lines = fh.read().split('\n')
    for n, line in enumerate(lines, 1):
        if ROUND2.match(line):
            rnd = 2
        if line.startswith('#'):
            section = line.lstrip('#').strip()
            continue
        where = f'{os.path.basename(path)}:{n}'
        found = []
        if line.startswith('|'):
            cells = [c.strip() for c in line.strip().strip('|').split('|')]
            if cells and re.match(r'(?:%s)\b' % '|'.join(METHODS), cells[0]):
                found += parse_routes(cells[0])
        for span in re.findall(r'`([^`]+)`', line):
            if re.match(r'(?:%s)(?:,\s*(?:%s))*\s+/' % ('|'.join(METHODS), '|'.join(METHODS)), span):
                found += parse_routes(span)
            elif section.startswith('Pages') and span.startswith('/'):
                found += parse_routes('GET ' + span)
        seen = set()
        for m, p in found:
            if (m, p) not in seen:
                seen.add((m, p))
                routes.append(Route(m, p, where, rnd))
    return routes


def read_extras(path):
    """The rows of docs/API-EXTRAS.md's tables: | method | path | what it does |."""
    routes = []
    with open(path, encoding='utf-8') as fh:
        for n, line in enumerate(fh.read().split('\n'), 1):
            if not line.startswith('|'):
                continue
            cells = [c.strip().strip('`') for c in line.strip().strip('|').split('|')]
            if len(cells) < 3 or not re.fullmatch(r'(?:%s)(?:,\s*(?:%s))*' % ('|'.join(METHODS), '|'.join(METHODS)), cells[0]):
                continue
            what = cells[2]
            for m, p in parse_routes(f'{cells[0]} {cells[1]}'):
                routes.append(Route(m, p, f'docs/API-EXTRAS.md:{n}', what))
    return routes


# -- the check ----------------------------------------------------------------------------

def check(root, api_path, verbose=False):
    errors, notes = [], []
    table = read_table(root)
    if not table:
        errors.append('daemon/handlers/*.c: no route table found ({M_GET, "/path", handler, FLAGS, NULL} entries)')
        return errors, notes
    keys = {}
    for r in table:
        if r.key() in keys:
            errors.append(f'{r.where}: {r} is in the table twice (first at {keys[r.key()].where}); '
                          'the second entry is never reached')
        keys.setdefault(r.key(), r)

    # templates
    tdir = os.path.join(root, 'web', 'templates')
    for r in table:
        if r.tmpl is not None and not os.path.isfile(os.path.join(tdir, r.tmpl + '.html')):
            errors.append(f'{r.where}: {r} renders template "{r.tmpl}", but web/templates/{r.tmpl}.html does not exist')
    for where, name in template_refs(root):
        if not os.path.isfile(os.path.join(tdir, name + '.html')):
            errors.append(f'{where}: template "{name}" is named, but web/templates/{name}.html does not exist')

    # the extras file
    extras_path = os.path.join(root, 'docs', 'API-EXTRAS.md')
    extras = read_extras(extras_path) if os.path.isfile(extras_path) else []
    if not os.path.isfile(extras_path):
        notes.append('docs/API-EXTRAS.md not found: no extra endpoints are documented')
    for e in extras:
        if e.key() not in keys:
            errors.append(f'{e.where}: {e} is documented as an extra endpoint but is not in the route table')

    if not api_path or not os.path.isfile(api_path):
        notes.append(f'NOTICE: the contract API.md was not found at {api_path or "(no --api given)"} '
                     '(a clone without ../shared?): checked only the templates and docs/API-EXTRAS.md')
        return errors, notes

    api = read_api(api_path)
    api_keys = {r.key() for r in api}
    extra_keys = {e.key(): e for e in extras}
    for e in extras:
        if e.key() in api_keys:
            notes.append(f'{e.where}: {e} is in API.md too; it need not be listed as an extra')
    for r in table:
        if not r.path.startswith('/api/v1/') and r.path != '/api/v1':
            continue
        if r.key() not in api_keys and r.key() not in extra_keys:
            errors.append(f'{r.where}: {r} is neither in API.md nor in docs/API-EXTRAS.md: '
                          'document it as an extra endpoint (method, path, what it does)')
    missing1, missing2, seen = [], [], set()
    for a in api:
        if a.key() in keys or a.key() in seen:
            continue
        seen.add(a.key())
        (missing1 if a.extra == 1 else missing2).append(a)
    for a in missing1:
        errors.append(f'{a.where}: round 1 route {a} has no route in the table (round 1 is built: '
                      'a route was lost, or API.md changed)')
    n2 = len({a.key() for a in api if a.extra == 2})
    notes.append(f'API.md: {len({a.key() for a in api if a.extra == 1})} round 1 routes, all matched'
                 if not missing1 else f'API.md: {len(missing1)} round 1 route(s) missing')
    notes.append(f'API.md: {n2 - len(missing2)} of {n2} round 2 routes exist so far'
                 + ('' if verbose or not missing2 else ' (-v lists the others)'))
    if verbose:
        for a in missing2:
            notes.append(f'  not yet: {a} ({a.where})')
    return errors, notes


# -- self-test ----------------------------------------------------------------------------

def spoil_test(root, api):
    """Spoils a copy of the tree one way at a time; each must be reported."""
    import shutil
    import tempfile
    bad = 0
    with tempfile.TemporaryDirectory(prefix='agora-routes-') as tmp:
        def fresh():
            t = os.path.join(tmp, 'tree')
            shutil.rmtree(t, ignore_errors=True)
            for d in ('daemon/handlers', 'web/templates', 'docs'):
                shutil.copytree(os.path.join(root, d), os.path.join(t, d))
            return t

        def edit(t, rel, fn):
            p = os.path.join(t, rel)
            old = ''
            if os.path.isfile(p):
                with open(p, encoding='utf-8') as fh:
                    old = fh.read()
            new = fn(old)
            with open(p, 'w', encoding='utf-8') as fh:
                fh.write(new)
            return new != old

        base, _ = check(fresh(), api)
        table = read_table(root)
        page = next(r for r in table if r.tmpl)
        api1 = {a.key() for a in read_api(api) if a.extra == 1} if os.path.isfile(api) else set()
        round1 = next((r for r in table if r.key() in api1), None)
        rc = page.where.rsplit(':', 1)[0]  # the table's file, relative to the root
        cases = [
            ('a page route whose template does not exist', 'does not exist', rc,
             lambda s: s.replace(f'"{page.tmpl}"}}', '"zz_no_such_template"}', 1)),
            ('an extra that is not in the table', 'not in the route table', 'docs/API-EXTRAS.md',
             lambda s: s + '| GET | /api/v1/zz-gone | nothing |\n'),
        ]
        if os.path.isfile(api):
            cases.append(('an /api/v1 route in neither API.md nor the extras', 'neither in API.md', rc,
                          lambda s: s.replace('{M_', '{M_GET, "/api/v1/zz-undocumented", h_zz, API, NULL},\n\t{M_', 1)))
        else:
            print(f'note: no API.md at {api}: the contract half of the self-test is skipped')
        if round1:
            line = round1.where.rsplit(':', 1)[1]
            cases.append(('a round 1 route missing from the table', 'has no route in the table', rc,
                          lambda s, n=int(line): '\n'.join(x for i, x in enumerate(s.split('\n'), 1) if i != n)))
        for what, needle, rel, fn in cases:
            t = fresh()
            changed = edit(t, rel, fn)
            errs, _ = check(t, api)
            new = [e for e in errs if e not in base and needle in e]
            ok = changed and bool(new)
            bad += not ok
            print(('ok   ' if ok else 'FAIL ') + what + (f': {new[0]}' if new else ''))
    return bad


def self_test(root=None, api=None):
    cases = [
        ('GET /api/v1/boards?industry=S&position=S', [('GET', '/api/v1/boards')]),
        ('PUT, DELETE /api/v1/threads/ID/subscription and /api/v1/boards/SLUG/subscription',
         [('PUT', '/api/v1/threads/ID/subscription'), ('PUT', '/api/v1/boards/SLUG/subscription'),
          ('DELETE', '/api/v1/threads/ID/subscription'), ('DELETE', '/api/v1/boards/SLUG/subscription')]),
        ('GET /boards/SLUG/feed.atom, /threads/ID/feed.atom',
         [('GET', '/boards/SLUG/feed.atom'), ('GET', '/threads/ID/feed.atom')]),
        ('GET /materials/ID/download[?version=N]', [('GET', '/materials/ID/download')]),
        ('GET /api/v1/trainings/SLUG/trainees[.csv]',
         [('GET', '/api/v1/trainings/SLUG/trainees'), ('GET', '/api/v1/trainings/SLUG/trainees.csv')]),
        ('GET /api/v1/reports/rotation[.csv]?region=&position=&industry=&overdue=1',
         [('GET', '/api/v1/reports/rotation'), ('GET', '/api/v1/reports/rotation.csv')]),
        ('GET /api/v1/trainings?when=upcoming,current,past&for=me', [('GET', '/api/v1/trainings')]),
        ('POST, PATCH /api/v1/boards(/SLUG)', [('POST', '/api/v1/boards'), ('PATCH', '/api/v1/boards/SLUG')]),
        ('PUT, DELETE /api/v1/posts/ID/bookmark; GET /api/v1/bookmarks',
         [('PUT', '/api/v1/posts/ID/bookmark'), ('DELETE', '/api/v1/posts/ID/bookmark'), ('GET', '/api/v1/bookmarks')]),
        ('GET /unsubscribe?token=T, POST the same', [('GET', '/unsubscribe'), ('POST', '/unsubscribe')]),
        ('PUT, GET, DELETE /api/v1/drafts/KEY',
         [('PUT', '/api/v1/drafts/KEY'), ('GET', '/api/v1/drafts/KEY'), ('DELETE', '/api/v1/drafts/KEY')]),
        ('GET /healthz', [('GET', '/healthz')]),
        ('GET /', [('GET', '/')]),
    ]
    bad = 0
    for cell, want in cases:
        got = parse_routes(cell)
        ok = sorted(got) == sorted(want)
        bad += not ok
        print(('ok   ' if ok else 'FAIL ') + cell + ('' if ok else f'\n     got {got}\n     want {want}'))
    for a, b, same in [('/api/v1/boards/:slug', '/api/v1/boards/SLUG', True),
                       ('/api/v1/users/:name/ban', '/api/v1/users/NAME/ban', True),
                       ('/q/:id/results.csv', '/q/ID/results.csv', True),
                       ('/api/v1/boards/:slug', '/api/v1/boards', False),
                       ('/api/v1/me', '/api/v1/:name', False)]:
        ok = (normalise(a) == normalise(b)) == same
        bad += not ok
        print(('ok   ' if ok else 'FAIL ') + f'{a} {"==" if same else "!="} {b}')
    text = 'static const struct route t[] = {\n\t{M_GET, "/api/v1/boards/:slug", h_board_get, API, NULL},\n' \
           '\t/* {M_GET, "/gone", h_x, PAGE, "x"}, */\n\t{M_POST, "/b/:slug", h_thread_create, PAGE | W | AUTH, "board"},\n};'
    got = [(m.group(1), m.group(2), m.group(6)) for m in ROUTE.finditer(clex.strip(text, strings=False))]
    want = [('GET', '/api/v1/boards/:slug', None), ('POST', '/b/:slug', 'board')]
    ok = got == want
    bad += not ok
    print(('ok   ' if ok else 'FAIL ') + f'route entries parsed (commented-out ones skipped): {got}')
    if root:
        bad += spoil_test(root, api)
    print('routes self-test: ' + (f'{bad} failure(s)' if bad else 'every form parsed, every fault caught'))
    return 1 if bad else 0


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.normpath(os.path.join(here, '..', '..'))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--root', default=root, help='the repository (default: the one holding this script)')
    ap.add_argument('--api', help='the contract (default: ../shared/API.md beside the repository)')
    ap.add_argument('-v', '--verbose', action='store_true', help='list the round 2 routes not built yet')
    ap.add_argument('--self-test', action='store_true', help='check the parsers on the forms API.md uses')
    args = ap.parse_args()
    api = args.api or os.path.join(args.root, '..', 'shared', 'API.md')
    if args.self_test:
        return self_test(args.root, api)
    errors, notes = check(args.root, api, args.verbose)
    for n in notes:
        print(n)
    for e in errors:
        print(e)
    if errors:
        print(f'routes: {len(errors)} finding(s)', file=sys.stderr)
        return 1
    print('routes: the route table agrees with the templates'
          + (', the contract' if os.path.isfile(api) else '') + ' and docs/API-EXTRAS.md')
    return 0


if __name__ == '__main__':
    sys.exit(main())
