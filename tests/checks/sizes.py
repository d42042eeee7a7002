#!/usr/bin/env python3
"""The size check: no C file over 800 lines, no C function over 50.

    sizes.py [--root REPO] [--file-limit 800] [--function-limit 50] [DIR...]
    sizes.py --self-test

DIRs (relative to the repository) default to daemon, plugins, tests/unit and tests/fuzz; every
*.c and *.h under them is read. A function's length runs from the line of its name to the
line of its closing brace, both included. Functions are found by a small C lexer, not by
indentation: comments, strings, character literals and preprocessor lines (macro bodies
included) do not count as braces; a brace on the name's line (K&R) is found as well as one
on its own line; struct, enum and array initialisers are not functions; functions declared
by a macro (Check's START_TEST(name)) are; extern "C" { } blocks are looked into.
"""
import argparse
import os
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clex  # noqa: E402

DIRS = ('daemon', 'plugins', 'tests/unit', 'tests/fuzz')
EXT = ('.c', '.h')
NOT_NAMES = {'__attribute__', '__declspec', '__asm__', 'asm', 'if', 'while', 'for', 'switch',
             'return', 'sizeof', '_Alignas', '_Static_assert', 'typeof', '__typeof__',
             'void', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', 'unsigned', '_Bool',
             'const', 'volatile', 'restrict', 'static', 'inline', 'extern', 'register'}


def function_name(decl):
    """(name, line) of the function a top-level declaration ending in ')' defines."""
    # the group that ends the declarator: its '(' follows the name
    depth = 0
    for i in range(len(decl) - 1, -1, -1):
        v = decl[i][1]
        if v == ')':
            depth += 1
        elif v == '(':
            depth -= 1
            if depth == 0:
                break
    else:
        i = -1
    cands = []
    if i > 0 and decl[i - 1][0] == 'id' and decl[i - 1][1] not in NOT_NAMES:
        cands.append(i - 1)
    cands += [k for k in range(len(decl) - 1)
              if decl[k][0] == 'id' and decl[k + 1][1] == '(' and decl[k][1] not in NOT_NAMES]
    if not cands:
        return None
    k = cands[0]
    name, line = decl[k][1], decl[k][2]
    # START_TEST(test_x): a macro that declares the function: name it by both
    args = decl[k + 2:-1] if k + 2 <= len(decl) - 1 else []
    if name.isupper() and len(args) == 1 and args[0][0] == 'id':
        name = f'{name}({args[0][1]})'
    return name, line


def is_function(decl):
    if not decl or decl[-1][1] != ')':
        return False
    depth = 0
    for kind, v, _ in decl:
        if v == '(':
            depth += 1
        elif v == ')':
            depth -= 1
        elif depth == 0 and v in ('=', ','):
            return False  # an initialiser, or a list of declarations
    return any(v == '(' for _, v, _ in decl)


def functions(text):
    """[(name, first line, last line)] of the function definitions in C source text."""
    out = []
    decl = []            # the top-level tokens since the last ';' or '}'
    stack = []           # one entry per open brace: 'fn', 'extern' or 'block'
    current = None       # (name, line) of the function being read
    for tok in clex.tokens(text):
        kind, v, line = tok
        top = not stack or all(s == 'extern' for s in stack)
        if v == '{':
            if top:
                if [t[1] for t in decl] == ['extern', '"C"']:
                    stack.append('extern')
                elif is_function(decl):
                    current = function_name(decl)
                    stack.append('fn')
                else:
                    stack.append('block')
                decl = []
            else:
                stack.append('block')
        elif v == '}':
            if stack:
                what = stack.pop()
                if what == 'fn' and current:
                    out.append((current[0], current[1], line))
                    current = None
            if not stack or all(s == 'extern' for s in stack):
                decl = []
        elif top:
            if v == ';':
                decl = []
            else:
                decl.append(tok)
    return out


def source_files(root, dirs):
    for d in dirs:
        base = os.path.join(root, d)
        if os.path.isfile(base):
            yield base
            continue
        for dp, dns, fs in os.walk(base):
            dns.sort()
            for f in sorted(fs):
                if f.endswith(EXT):
                    yield os.path.join(dp, f)


def check(root, dirs, file_limit, fn_limit):
    big_files, long_fns, nfiles, nfns = [], [], 0, 0
    for p in source_files(root, dirs):
        rel = os.path.relpath(p, root)
        with open(p, encoding='utf-8', errors='replace') as fh:
            text = fh.read()
        nfiles += 1
        n = text.count('\n') + (0 if text.endswith('\n') or not text else 1)
        if n > file_limit:
            big_files.append((rel, n))
        for name, first, last in functions(text):
            nfns += 1
            length = last - first + 1
            if length > fn_limit:
                long_fns.append((rel, first, name, length))
    return big_files, long_fns, nfiles, nfns


def main_check(args):
    big, long_fns, nfiles, nfns = check(args.root, args.dirs or DIRS, args.file_limit, args.function_limit)
    for rel, n in big:
        print(f'{rel}:1: file has {n} lines (limit {args.file_limit}): split it by area')
    for rel, line, name, length in sorted(long_fns):
        print(f'{rel}:{line}: function {name} has {length} lines (limit {args.function_limit})')
    if big or long_fns:
        print(f'sizes: {len(big)} file(s) over {args.file_limit} lines, {len(long_fns)} function(s) over '
              f'{args.function_limit} lines ({nfiles} files, {nfns} functions read)', file=sys.stderr)
        return 1
    print(f'sizes: {nfiles} files, {nfns} functions, all within {args.file_limit} and {args.function_limit} lines')
    return 0


# -- self-test ----------------------------------------------------------------------------

def body(n):
    """A function body of n lines in all, name line and closing brace included (n >= 3)."""
    return '\n'.join(['{'] + ['\tx++;'] * (n - 3) + ['}'])


SAMPLES = [
    # (source, expected [(name, length)])
    ('static int fifty(int x)\n' + body(50) + '\n', [('fifty', 50)]),
    ('static int fifty_one(int x)\n' + body(51) + '\n', [('fifty_one', 51)]),
    ('int kr(void) {\n' + '\tx++;\n' * 10 + '}\n', [('kr', 12)]),
    ('static const struct route t[] = {\n\t{1, "{", f},\n\t{2, "}", g},\n};\nstruct s {\n\tint a;\n};\n'
     'enum e { A, B };\nint (*table[2])(void) = {0};\n', []),
    ('/* void fake(void)\n{\n} */\nvoid real(void)\n{\n\tchar c = \'{\'; const char *s = "}}";\n'
     '#define BLOCK { {\n\tif (c) {\n\t\tc = 0;\n\t}\n}\n', [('real', 8)]),
    ('#ifdef __cplusplus\nextern "C" {\n#endif\nstatic inline int in_header(void)\n{\n\treturn 1;\n}\n'
     '#ifdef __cplusplus\n}\n#endif\n', [('in_header', 4)]),
    ('START_TEST(test_one)\n{\n\tck_assert(1);\n}\nEND_TEST\n\nSuite *make(void)\n{\n\treturn 0;\n}\n',
     [('START_TEST(test_one)', 4), ('make', 4)]),
    ('static struct x *\nmake_x(int a,\n       int b)\n{\n\treturn 0;\n}\n', [('make_x', 5)]),
    ('__attribute__((unused)) static void attr(void)\n{\n}\n', [('attr', 3)]),
    ('int (*get(void))(int)\n{\n\treturn 0;\n}\n', [('get', 4)]),
]


def self_test():
    bad = 0
    for src, want in SAMPLES:
        got = [(name, last - first + 1) for name, first, last in functions(src)]
        ok = got == want
        bad += not ok
        print(('ok   ' if ok else 'FAIL ') + f'{want or "no function"}' + ('' if ok else f' (got {got})'))
    with tempfile.TemporaryDirectory(prefix='agora-sizes-') as tmp:
        os.makedirs(os.path.join(tmp, 'daemon'))
        with open(os.path.join(tmp, 'daemon', 'ok.c'), 'w') as fh:
            fh.write('int f(void)\n' + body(50) + '\n' + '\n' * 750)
        with open(os.path.join(tmp, 'daemon', 'big.c'), 'w') as fh:
            fh.write('int g(void)\n' + body(51) + '\n' + '\n' * 750)
        big, long_fns, _, _ = check(tmp, ['daemon'], 800, 50)
        ok = big == [(os.path.join('daemon', 'big.c'), 801)] and \
            [(r, n, ln) for r, _, n, ln in long_fns] == [(os.path.join('daemon', 'big.c'), 'g', 51)]
        bad += not ok
        print(('ok   ' if ok else 'FAIL ') + 'an 801-line file and a 51-line function are reported, '
              'an 800-line file and a 50-line function are not' + ('' if ok else f' (got {big}, {long_fns})'))
    print('sizes self-test: ' + (f'{bad} failure(s)' if bad else 'every sample measured right'))
    return 1 if bad else 0


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--root', default=os.path.normpath(os.path.join(here, '..', '..')),
                    help='the repository (default: the one holding this script)')
    ap.add_argument('--file-limit', type=int, default=800, help='most lines a file may have')
    ap.add_argument('--function-limit', type=int, default=50, help='most lines a function may have')
    ap.add_argument('--self-test', action='store_true', help='measure known samples')
    ap.add_argument('dirs', nargs='*', help=f'folders to read (default: {" ".join(DIRS)})')
    args = ap.parse_args()
    if args.self_test:
        return self_test()
    return main_check(args)


if __name__ == '__main__':
    sys.exit(main())
