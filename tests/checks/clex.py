"""A small C lexer shared by the architecture checks (Python 3 standard library only).

It knows just enough C to be trusted by the checks: comments, string and character literals
(with escapes), preprocessor directives (with backslash continuations), identifiers, numbers
and punctuation. Line numbers are kept exact, so findings can be reported as FILE:LINE.
"""
import re

_ID = re.compile(r'[A-Za-z_]\w*')
_NUM = re.compile(r'\.?\d(?:[eEpP][+-]|[\w.])*')


def _skip_literal(text, i, quote):
    """Index just past the string/char literal that opens at text[i]."""
    n = len(text)
    i += 1
    while i < n:
        c = text[i]
        if c == '\\':
            i += 2
            continue
        if c == quote or c == '\n':  # an unterminated literal ends at the line's end
            return i + 1
        i += 1
    return n


_LEXEMES = re.compile(r"""//(?:\\\n|[^\n])*"""          # // comment, backslash-newline continues it
                      r"""|/\*.*?(?:\*/|\Z)"""               # /* comment */
                      r"""|"(?:\\.|[^"\\\n])*"?"""          # "string" (ends at the line's end if open)
                      r"""|'(?:\\.|[^'\\\n])*'?""", re.S)   # 'c'
_NOT_NL = re.compile(r'[^\n]')


def strip(text, strings=True):
    """Text with comments (and, when strings is true, the insides of string and character
    literals) replaced by spaces. Newlines are kept, so line numbers stay the same."""
    def blank(m):
        s = m.group()
        if s[0] == '/':
            return _NOT_NL.sub(' ', s)
        if not strings:
            return s
        q = s[0]
        end = len(s) - 1 if len(s) > 1 and s[-1] == q else len(s)
        return q + _NOT_NL.sub(' ', s[1:end]) + s[end:]
    return _LEXEMES.sub(blank, text)


def tokens(text):
    """Yields (kind, value, line) for the C tokens of text, outside comments and preprocessor
    directives. kind is 'id', 'num', 'str' (string or character literal) or 'punct'."""
    i, n, line = 0, len(text), 1
    at_line_start = True
    while i < n:
        c = text[i]
        if c == '\n':
            line += 1
            i += 1
            at_line_start = True
            continue
        if c in ' \t\r\f\v':
            i += 1
            continue
        if c == '\\' and i + 1 < n and text[i + 1] == '\n':
            i += 2
            line += 1
            continue
        if c == '/' and i + 1 < n and text[i + 1] in '/*':
            if text[i + 1] == '/':
                while i < n and text[i] != '\n':
                    if text[i] == '\\' and i + 1 < n and text[i + 1] == '\n':
                        line += 1
                        i += 1
                    i += 1
            else:
                j = text.find('*/', i + 2)
                j = n if j < 0 else j + 2
                line += text.count('\n', i, j)
                i = j
            continue
        if c == '#' and at_line_start:
            # a directive runs to the end of the line, continued by backslash-newlines; a
            # comment inside it may span lines too
            while i < n and text[i] != '\n':
                if text[i] == '\\' and i + 1 < n and text[i + 1] == '\n':
                    line += 1
                    i += 2
                    continue
                if text.startswith('/*', i):
                    j = text.find('*/', i + 2)
                    j = n if j < 0 else j + 2
                    line += text.count('\n', i, j)
                    i = j
                    continue
                if text[i] in '"\'':
                    i = _skip_literal(text, i, text[i])
                    continue
                i += 1
            continue
        at_line_start = False
        if c in '"\'':
            j = _skip_literal(text, i, c)
            yield ('str', text[i:j], line)
            line += text.count('\n', i, j)
            i = j
            continue
        m = _ID.match(text, i)
        if m:
            yield ('id', m.group(), line)
            i = m.end()
            continue
        m = _NUM.match(text, i)
        if m:
            yield ('num', m.group(), line)
            i = m.end()
            continue
        for p in ('...', '->', '++', '--', '<<=', '>>=', '<<', '>>', '<=', '>=', '==', '!=',
                  '&&', '||', '+=', '-=', '*=', '/=', '%=', '&=', '^=', '|=', '##'):
            if text.startswith(p, i):
                yield ('punct', p, line)
                i += len(p)
                break
        else:
            yield ('punct', c, line)
            i += 1


_INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*([<"])([^>"\n]+)[>"]', re.M)


def includes(text):
    """[(line, delimiter, name)] of the #include directives of text, ignoring commented-out
    ones. delimiter is '"' or '<'."""
    clean = strip(text, strings=False)
    found = []
    for m in _INCLUDE.finditer(clean):
        found.append((clean.count('\n', 0, m.start()) + 1, m.group(1), m.group(2).strip()))
    return found
