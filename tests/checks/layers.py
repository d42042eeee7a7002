#!/usr/bin/env python3
"""The layering check of daemon/: includes point only downward, and modules form no circle.

    layers.py [--root REPO] [--only includes|cycles]   check the tree, exit 1 on a finding
    layers.py [--root REPO] --self-test                prove that the check catches each fault

Layers, lowest first: lib <- store <- domain <- http <- handlers <- cli and daemon/main.c.
plugins/include (the plugin ABI, "agora/plugin.h") counts as the domain's level: the domain
hosts plugins, the layers below it know nothing of them. See tests/checks/README.md.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clex  # noqa: E402

# folder under daemon/ -> rank; "" is daemon/ itself (main.c), at the top beside cli
LAYERS = {'lib': 0, 'store': 1, 'domain': 2, 'http': 3, 'handlers': 4, 'cli': 5, '': 5}
ABI_DIR = os.path.join('plugins', 'include')
ABI_RANK = LAYERS['domain']
SOURCE_EXT = ('.c', '.h', '.inc', '.def')
PRIVATE_HEADER = re.compile(r'^(.+)_(?:impl|internal|private)$')

# System headers and the lowest layer allowed to see them (directly or through our headers).
SQLITE_HEADERS = ('sqlite3.h', 'sqlite3ext.h')
LIBEVENT_OLD = ('event.h', 'evhttp.h', 'evutil.h', 'evdns.h', 'evrpc.h')  # libevent 1.x names
LIBRARY_HOME = {'sqlite': 'SQLite belongs to daemon/store/ only',
                'libevent': 'libevent belongs to daemon/http/ and the layers above it'}
# Identifiers that betray a library in a layer that must not know it (comments and strings
# are stripped first).
SQLITE_IDENT = re.compile(r'\bsqlite3\w*')
LIBEVENT_IDENT = re.compile(
    r'\b(?:evhttp|evbuffer|bufferevent|evconnlistener|evutil|evdns|evrpc|evthread|event_base)\w*'
    r'|\bstruct\s+event\b')


class Finding:
    def __init__(self, kind, path, line, message):
        self.kind, self.path, self.line, self.message = kind, path, line, message

    def key(self):
        return (self.kind, self.path, self.line, self.message)

    def __str__(self):
        return f'{self.path}:{self.line}: {self.kind}: {self.message}'


def layer_name(folder):
    """How messages name a layer folder."""
    return f'daemon/{folder}/' if folder else 'daemon/main.c'


class Tree:
    """The C files of ROOT/daemon and their resolved includes."""

    def __init__(self, root):
        self.root = os.path.abspath(root)
        self.daemon = os.path.join(self.root, 'daemon')
        self.abi = os.path.join(self.root, ABI_DIR)
        self.files = []  # repository-relative paths
        self.findings = []
        if not os.path.isdir(self.daemon):
            raise SystemExit(f'layers.py: no daemon/ folder under {self.root}')
        for d, dirs, fs in os.walk(self.daemon):
            dirs.sort()
            for f in sorted(fs):
                if f.endswith(SOURCE_EXT):
                    self.files.append(self.rel(os.path.join(d, f)))
        self.incs = {}  # file -> [(line, delim, name, resolved repo-relative path or None)]
        for f in self.files:
            with open(os.path.join(self.root, f), encoding='utf-8', errors='replace') as fh:
                text = fh.read()
            self.incs[f] = [(ln, dl, name, self.resolve(f, dl, name))
                            for ln, dl, name in clex.includes(text)]

    def rel(self, path):
        return os.path.relpath(os.path.abspath(path), self.root).replace(os.sep, '/')

    def folder(self, f):
        """The layer folder of a repository-relative path: 'lib', ..., '' for daemon/main.c,
        'abi' for plugins/include, None outside both."""
        parts = f.split('/')
        if parts[0] == 'daemon':
            return '' if len(parts) == 2 else parts[1]
        if f.startswith('plugins/include/'):
            return 'abi'
        return None

    def rank(self, f):
        folder = self.folder(f)
        if folder == 'abi':
            return ABI_RANK
        return LAYERS.get(folder)

    def resolve(self, f, delim, name):
        """The repository-relative file a #include of f names, if it is ours; else None.
        Quoted names are looked up as the compiler would: beside f first, then in every
        include root (each layer folder, daemon/, plugins/include). Of several candidates the
        lowest-ranked one the includer may see wins (the build exposes only those). Bracketed
        names are ours only when they carry a folder (<http/http.h>, <../x.h>), since bare
        ones may be system headers (<search.h>)."""
        here = os.path.dirname(os.path.join(self.root, f))
        if delim == '<' and '/' not in name:
            return None
        cands = []
        first = os.path.normpath(os.path.join(here, name))
        if delim == '"' and os.path.isfile(first):
            return self.rel(first)
        roots = [os.path.join(self.daemon, d) for d in sorted(LAYERS) if d] + [self.daemon, self.abi]
        for r in roots:
            p = os.path.normpath(os.path.join(r, name))
            if os.path.isfile(p) and self.rel(p) not in cands:
                cands.append(self.rel(p))
        cands = [c for c in cands if self.rank(c) is not None]
        if not cands:
            return None
        mine = self.rank(f)
        allowed = [c for c in cands if mine is not None and self.rank(c) <= mine]
        pool = allowed or cands
        return min(pool, key=lambda c: (self.rank(c), c))

    # -- the include rules --------------------------------------------------------------

    def add(self, kind, f, line, msg):
        self.findings.append(Finding(kind, f, line, msg))

    def check_includes(self):
        for f in self.files:
            folder = self.folder(f)
            if folder not in LAYERS:
                self.add('layer', f, 1, f'{layer_name(folder)} is not a layer; the layers are '
                         + ', '.join(d for d in LAYERS if d) + ' (and daemon/main.c): '
                         'add the folder to tests/checks/layers.py and CMakeLists.txt')
                continue
            mine = LAYERS[folder]
            for line, delim, name, target in self.incs[f]:
                lib = system_library(name, delim) if target is None else None
                if lib and not may_use(folder, lib):
                    self.add(lib, f, line, f'includes {delim}{name}{close(delim)}: {LIBRARY_HOME[lib]}, '
                             f'not {layer_name(folder)}')
                if target is None:
                    continue
                if self.rank(target) > mine:
                    where = 'plugins/include (the plugin ABI, domain level)' if self.folder(target) == 'abi' \
                        else layer_name(self.folder(target))
                    self.add('upward', f, line, f'includes "{name}" = {target}, from {where}, above '
                             f'{layer_name(folder)}: {allowed_text(folder)}')
        self.check_leaks()
        self.check_identifiers()

    def reach(self, f):
        """{system header: chain of (file, line)} of the SQLite and libevent headers that
        f brings in through our headers, each chain ending at the line that names it."""
        memo = self.__dict__.setdefault('_reach', {})
        if f in memo:
            return memo[f]
        memo[f] = {}  # in progress: an include circle adds nothing
        out = {}
        for line, delim, name, target in self.incs.get(f, ()):
            if target is None:
                if system_library(name):
                    out.setdefault(name, [(f, line)])
            elif target in self.incs:
                for sysname, chain in self.reach(target).items():
                    out.setdefault(sysname, [(f, line)] + chain)
        memo[f] = out
        return out

    def check_leaks(self):
        """A header of a layer allowed a library, included from a layer that is not: the
        library leaks in although no line of the includer names it. (A header that is not
        allowed the library is reported itself, not every file that includes it.)"""
        for f in self.files:
            folder = self.folder(f)
            if folder not in LAYERS:
                continue
            for line, delim, name, target in self.incs[f]:
                if target is None or target not in self.incs:
                    continue
                for sysname, chain in self.reach(target).items():
                    lib = system_library(sysname)
                    if not may_use(folder, lib) and may_use(self.folder(chain[-1][0]), lib):
                        path = ' -> '.join(f'{p}:{ln}' for p, ln in chain)
                        self.add(lib, f, line, f'includes "{name}", which brings in <{sysname}> ({path})')

    def check_identifiers(self):
        for f in self.files:
            folder = self.folder(f)
            if folder not in LAYERS:
                continue
            rules = [(lib, rx) for lib, rx in (('sqlite', SQLITE_IDENT), ('libevent', LIBEVENT_IDENT))
                     if not may_use(folder, lib)]
            if not rules:
                continue
            with open(os.path.join(self.root, f), encoding='utf-8', errors='replace') as fh:
                text = clex.strip(fh.read())
            text = re.sub(r'^[ \t]*#[ \t]*include[^\n]*', '', text, flags=re.M)  # reported above
            for lib, rx in rules:
                for m in rx.finditer(text):
                    line = text.count('\n', 0, m.start()) + 1
                    self.add(lib, f, line, f'uses {m.group()}: {LIBRARY_HOME[lib]}, not {layer_name(folder)}')

    # -- the module graph ---------------------------------------------------------------

    def module(self, f):
        """x.c and x.h are one module; a private header x_impl.h (or x_internal.h,
        x_private.h) belongs to x when there is no x_impl.c."""
        stem = os.path.splitext(f)[0]
        m = PRIVATE_HEADER.match(stem)
        if m and f.endswith('.h') and not os.path.isfile(os.path.join(self.root, stem + '.c')):
            owner = m.group(1)
            if any(os.path.isfile(os.path.join(self.root, owner + ext)) for ext in ('.c', '.h')):
                return owner
        return stem

    def check_cycles(self):
        edges = {}  # module -> {module: (file, line, name)}
        for f in self.files:
            a = self.module(f)
            edges.setdefault(a, {})
            for line, delim, name, target in self.incs[f]:
                if target is None or not target.startswith('daemon/'):
                    continue
                b = self.module(target)
                if b != a:
                    edges[a].setdefault(b, (f, line, name))
                    edges.setdefault(b, {})
        reported = set()
        for scc in strongly_connected(edges):
            if len(scc) < 2:
                continue
            members = set(scc)
            for start in sorted(members):
                cycle = shortest_cycle(edges, start, members)
                if not cycle:
                    continue
                norm = tuple(rotate_min(cycle))
                if norm in reported:
                    continue
                reported.add(norm)
                steps = []
                for i, a in enumerate(norm):
                    b = norm[(i + 1) % len(norm)]
                    fl, ln, name = edges[a][b]
                    steps.append(f'{fl}:{ln} includes "{name}"')
                names = ' -> '.join(m.split('/', 1)[1] for m in norm + (norm[0],))
                fl, ln, _ = edges[norm[0]][norm[1]]
                self.add('cycle', fl, ln, f'include cycle {names}: ' + '; '.join(steps))


def close(delim):
    return '>' if delim == '<' else '"'


def system_library(name, delim='<'):
    """'sqlite' or 'libevent' when name is one of their headers, else None."""
    if name.rsplit('/', 1)[-1] in SQLITE_HEADERS:
        return 'sqlite'
    if name.startswith('event2/') or (delim == '<' and name in LIBEVENT_OLD):
        return 'libevent'
    return None


def may_use(folder, lib):
    if folder not in LAYERS:
        return False
    if lib == 'sqlite':
        return folder == 'store'
    return LAYERS[folder] >= LAYERS['http']


def allowed_text(folder):
    mine = LAYERS[folder]
    below = [d for d, r in LAYERS.items() if d and r <= mine]
    return 'it may include only ' + ', '.join(below) + (' and plugins/include' if mine >= ABI_RANK else '')


def strongly_connected(edges):
    """Tarjan's algorithm, iterative; yields lists of nodes."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(edges[w]))))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    out.append(sorted(comp))
    return out


def shortest_cycle(edges, start, members):
    """The shortest cycle through start within members, as a list of nodes, or None."""
    prev = {start: None}
    queue = [start]
    for v in queue:
        for w in sorted(edges[v]):
            if w not in members:
                continue
            if w == start:
                path = [v]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])
                return path[::-1]
            if w not in prev:
                prev[w] = v
                queue.append(w)
    return None


def rotate_min(cycle):
    i = cycle.index(min(cycle))
    return cycle[i:] + cycle[:i]


def run(root, only=None):
    tree = Tree(root)
    if only in (None, 'includes'):
        tree.check_includes()
    if only in (None, 'cycles'):
        tree.check_cycles()
    seen, out = set(), []
    for x in tree.findings:
        if x.key() not in seen:
            seen.add(x.key())
            out.append(x)
    return tree, out


def main_check(root, only):
    tree, findings = run(root, only)
    for x in findings:
        print(x)
    what = {'includes': 'include rules', 'cycles': 'include cycles', None: 'layering'}[only]
    if findings:
        print(f'layers: {len(findings)} finding(s) in {len(tree.files)} files of daemon/ ({what})',
              file=sys.stderr)
        return 1
    print(f'layers: {len(tree.files)} files of daemon/, {what} respected')
    return 0


# -- self-test ------------------------------------------------------------------------

FIXTURE = {
    'daemon/lib/text.h': '#include "util.h"\n',
    'daemon/lib/text.c': '#include "text.h"\n#include <string.h>\n#include <search.h>\n',
    'daemon/lib/util.h': '/* #include "store.h" in a comment is not an include */\n',
    'daemon/lib/util.c': '#include "util.h"\nstatic const char *s = "sqlite3 and evhttp in a string";\n',
    'daemon/store/store.h': '#include "util.h"\nstruct store;\n',
    'daemon/store/store_impl.h': '#include <sqlite3.h>\n#include "store.h"\n',
    'daemon/store/store.c': '#include "store_impl.h"\nsqlite3 *db;\n',
    'daemon/domain/ctx.h': '#include "store.h"\n#include "text.h"\n',
    'daemon/domain/ctx.c': '#include "ctx.h"\n#include "agora/plugin.h"\n',
    'daemon/http/http.h': '#include "ctx.h"\n',
    'daemon/http/http.c': '#include "http.h"\n#include <event2/http.h>\nstruct evhttp *h;\n',
    'daemon/handlers/handlers.h': '#include "http.h"\n',
    'daemon/handlers/routes.c': '#include "handlers.h"\n',
    'daemon/cli/tools.h': '#include "store.h"\n',
    'daemon/cli/tools.c': '#include "tools.h"\n#include "handlers.h"\n',
    'daemon/main.c': '#include "tools.h"\n#include "handlers.h"\n',
    'plugins/include/agora/plugin.h': '#include <stddef.h>\n',
}


def write_tree(base, files):
    for rel, text in files.items():
        p = os.path.join(base, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, 'w', encoding='utf-8') as fh:
            fh.write(text)


def append(base, rel, text):
    """Appends text to the file; returns the line number of text's first line."""
    p = os.path.join(base, rel)
    with open(p, encoding='utf-8', errors='replace') as fh:
        old = fh.read()
    if old and not old.endswith('\n'):
        old += '\n'
    with open(p, 'w', encoding='utf-8') as fh:
        fh.write(old + text)
    return old.count('\n') + 1


def copy_daemon(root, dest):
    shutil.copytree(os.path.join(root, 'daemon'), os.path.join(dest, 'daemon'))
    abi = os.path.join(root, ABI_DIR)
    if os.path.isdir(abi):
        shutil.copytree(abi, os.path.join(dest, ABI_DIR))


def pick(base, folder, ext):
    d = os.path.join(base, 'daemon', folder)
    names = sorted(n for n in os.listdir(d) if n.endswith(ext)) if os.path.isdir(d) else []
    if not names:
        raise SystemExit(f'self-test: daemon/{folder}/ has no *{ext} file to spoil')
    return f'daemon/{folder}/{names[0]}'


def self_test(root):
    failures = []

    def expect(cond, what):
        print(('ok   ' if cond else 'FAIL ') + what)
        if not cond:
            failures.append(what)

    script = os.path.abspath(__file__)
    with tempfile.TemporaryDirectory(prefix='agora-layers-') as tmp:
        # 1. A small tree that keeps every rule passes, also run as a program (exit 0).
        clean = os.path.join(tmp, 'clean')
        write_tree(clean, FIXTURE)
        _, found = run(clean)
        for x in found:
            print('     unexpected:', x)
        expect(not found, 'a clean tree passes')
        rc = subprocess.run([sys.executable, script, '--root', clean], capture_output=True).returncode
        expect(rc == 0, 'a clean tree exits 0')

        # 2. A copy of the real daemon/: the copy reports what the tree reports.
        _, real = run(root)
        base_dir = os.path.join(tmp, 'baseline')
        copy_daemon(root, base_dir)
        _, baseline = run(base_dir)
        expect(sorted(x.key() for x in real) == sorted(x.key() for x in baseline),
               f'the copy of daemon/ reports what the tree reports ({len(real)} finding(s))')
        base_keys = {x.key() for x in baseline}

        # 3. Each fault, alone in a fresh copy, is reported at its file and line.
        domain_c = pick(base_dir, 'domain', '.c')
        lib_c = pick(base_dir, 'lib', '.c')
        lib_h = pick(base_dir, 'lib', '.h')
        store_c = pick(base_dir, 'store', '.c')
        http_h = pick(base_dir, 'http', '.h')
        http_name = os.path.basename(http_h)
        cases = [
            ('an http header included from the domain', 'upward',
             [(domain_c, f'#include "{http_name}"\n')]),
            ('a relative path up from lib ("../http/...")', 'upward',
             [(lib_h, f'#include "../http/{http_name}"\n')]),
            ('a handlers header included from http', 'upward',
             [('daemon/http/zz_spoiled.c', '#include "handlers.h"\n')]),
            ('the plugin ABI included from lib', 'upward',
             [(lib_c, '#include "agora/plugin.h"\n')]),
            ('<sqlite3.h> included in lib', 'sqlite', [(lib_c, '#include <sqlite3.h>\n')]),
            ('"sqlite3.h" included in http', 'sqlite', [(http_h, '#include "sqlite3.h"\n')]),
            ('<event2/...> included in store', 'libevent', [(store_c, '#include <event2/buffer.h>\n')]),
            ('<event2/...> included in the domain', 'libevent', [(domain_c, '#include <event2/event.h>\n')]),
            ('an evhttp type used in the domain', 'libevent',
             [(domain_c, 'void zz_spoiled(struct evhttp_request *req);\n')]),
            ('a sqlite3 handle used in the domain', 'sqlite', [(domain_c, 'extern sqlite3 *zz_spoiled_db;\n')]),
            ('<sqlite3.h> reaching the domain through a store header', 'sqlite',
             [('daemon/store/zz_leak.h', '#include <sqlite3.h>\n'), (domain_c, '#include "zz_leak.h"\n')]),
            ('a folder that is no layer', 'layer', [('daemon/zz_extra/x.c', '#include "util.h"\n')]),
            ('a two-module cycle', 'cycle',
             [('daemon/lib/zz_a.h', ''), ('daemon/lib/zz_b.h', ''),
              ('daemon/lib/zz_a.c', '#include "zz_a.h"\n#include "zz_b.h"\n'),
              ('daemon/lib/zz_b.c', '#include "zz_b.h"\n#include "zz_a.h"\n')]),
            ('a three-module cycle through headers', 'cycle',
             [('daemon/domain/zz_x.h', '#include "zz_y.h"\n'), ('daemon/domain/zz_y.h', '#include "zz_z.h"\n'),
              ('daemon/domain/zz_z.h', ''), ('daemon/domain/zz_z.c', '#include "zz_x.h"\n')]),
        ]
        for n, (what, kind, edits) in enumerate(cases):
            case = os.path.join(tmp, f'case{n}')
            copy_daemon(root, case)
            marks = []
            for rel, text in edits:
                if os.path.exists(os.path.join(case, rel)):
                    marks.append((rel, append(case, rel, text)))
                else:
                    write_tree(case, {rel: text})
                    marks.append((rel, None))  # a new file: any line of it
            _, found = run(case)
            new = [x for x in found if x.key() not in base_keys and x.kind == kind]
            hit = [x for x in new if (x.path, x.line) in marks or (x.path, None) in marks]
            for x in new:
                print('     reported:', x)
            expect(bool(hit), f'{what} is reported ({kind})')
            if kind == 'cycle' and hit:
                names = {os.path.splitext(os.path.basename(r))[0] for r, _ in edits}
                expect(all(nm in hit[0].message for nm in names), f'{what}: the report names every module')
            if n == 0:
                rc = subprocess.run([sys.executable, script, '--root', case], capture_output=True).returncode
                expect(rc == 1, f'{what}: the check exits 1')

    if failures:
        print(f'layers self-test: {len(failures)} failure(s)', file=sys.stderr)
        return 1
    print('layers self-test: every fault was caught')
    return 0


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--root', default=os.path.normpath(os.path.join(here, '..', '..')),
                    help='the repository (default: the one holding this script)')
    ap.add_argument('--only', choices=('includes', 'cycles'), help='run one half of the check')
    ap.add_argument('--self-test', action='store_true', help='prove the check catches faults')
    args = ap.parse_args()
    if args.self_test:
        return self_test(args.root)
    return main_check(args.root, args.only)


if __name__ == '__main__':
    sys.exit(main())
