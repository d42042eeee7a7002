#!/usr/bin/env python3
"""Agora's Markdown renderer (md_render, through md_stdin) against the examples of the
CommonMark spec 0.31.2 (npm commonmark-spec, a devDependency of tests/e2e: `npm ci` there).

Examples whose expected HTML passes raw HTML through (71) are not compared: Agora never passes
raw HTML (DESIGN.md), it escapes it, by design; for them the test asserts that our output holds
no tag that Markdown does not make. On the others (581), both HTML texts are normalised
(as the spec's own normalize.py does: attribute order, entities, void tags, whitespace between
blocks) and the attributes Agora adds on purpose (rel on links, loading on images) are dropped.
The test asserts that at least 96 % agree and that every example that disagrees is listed in
EXPECTED_DIFFERENCES, with the reason; an example listed there that starts agreeing fails the
test too, so the list stays true."""

import argparse
import html
import re
import subprocess
import sys
from html.parser import HTMLParser

MIN_AGREEMENT = 0.96

# Why we render these differently from the spec. Every reason is a choice of ours.
GFM = "GitHub extensions on (DESIGN.md): permissive autolinks, strikethrough, tables, task lists"
MENTION = "@name in text links to /u/name (mentions)"
SCHEME = "refused link scheme: only http, https, mailto and relative URLs become links"
RAW = "raw HTML inline (a tag the spec passes through) is escaped as text, by design"
LANG = "a code block's language becomes a class only when it is a plain name (letters, digits, _+-)"
PUNCT = ("md4c 0.4.8 does not count currency symbols as punctuation for emphasis (CommonMark 0.31 "
         "does); its own HTML renderer does the same")
EXPECTED_DIFFERENCES = {
    21: RAW, 31: RAW, 344: RAW, 475: RAW, 476: RAW, 477: RAW, 642: RAW, 643: RAW,
    34: LANG, 144: LANG,
    354: PUNCT,
    596: SCHEME, 598: SCHEME, 599: SCHEME, 601: SCHEME,
    606: MENTION,
    608: GFM, 611: GFM, 612: GFM,
}


def examples(spec_path):
    """The spec's examples as spec.txt holds them (the regular expression of commonmark-spec's
    index.js), with its → marking a tab."""
    text = open(spec_path, encoding="utf-8").read().replace("\r\n", "\n")
    text = re.split(r"^<!-- END TESTS -->", text, flags=re.M)[0]
    pattern = re.compile(r"^`{32} example\n([\s\S]*?)^\.\n([\s\S]*?)^`{32}$|^#{1,6} *(.*)$", re.M)
    section, number = "", 0
    for m in pattern.finditer(text):
        if m.group(3) is not None:
            section = m.group(3)
            continue
        number += 1
        yield {"number": number, "section": section, "markdown": m.group(1).replace("→", "\t"),
               "html": m.group(2).replace("→", "\t")}


MARKDOWN_TAGS = {"p", "em", "strong", "code", "pre", "a", "img", "h1", "h2", "h3", "h4", "h5", "h6", "ul",
                 "ol", "li", "blockquote", "hr", "br"}


def needs_raw_html(ex):
    """An example whose expected HTML carries a tag that no Markdown construct makes (raw HTML
    passed through), or that comes from the spec's sections on raw HTML."""
    if ex["section"] in ("HTML blocks", "Raw HTML"):
        return True
    tags = re.findall(r"<\s*/?\s*([A-Za-z][A-Za-z0-9-]*)", ex["html"])
    return any(t.lower() not in MARKDOWN_TAGS for t in tags) or "<!--" in ex["html"] or "<?" in ex["html"]


VOID = {"br", "hr", "img", "input"}
BLOCK = {"p", "pre", "ul", "ol", "li", "blockquote", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "table",
         "thead", "tbody", "tr", "th", "td"}
DROPPED_ATTRS = {"rel", "loading"}


class Normaliser(HTMLParser):
    """HTML as a canonical string: tags with sorted attributes (ours dropped), text with its
    entities decoded, whitespace around block tags removed, runs of spaces as one outside <pre>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.pre = [], 0

    def handle_starttag(self, tag, attrs):
        if tag == "pre":
            self.pre += 1
        kept = sorted((k, v or "") for k, v in attrs if k not in DROPPED_ATTRS)
        self.out.append("<" + tag + "".join(f' {k}="{html.escape(v)}"' for k, v in kept) + ">")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "pre":
            self.pre -= 1
        if tag not in VOID:
            self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if not self.pre:
            data = re.sub(r"\s+", " ", data)
        self.out.append(html.escape(data, quote=False))

    def text(self):
        s = "".join(self.out)
        block = "|".join(sorted(BLOCK))
        s = re.sub(rf"\s*(</?(?:{block})(?: [^>]*)?>)\s*", r"\1", s)
        return s.strip()


OUR_TAGS = MARKDOWN_TAGS | {"table", "thead", "tbody", "tr", "th", "td", "del", "input"}


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)

    def handle_comment(self, data):
        self.tags.add("!--")

    def handle_pi(self, data):
        self.tags.add("?")


def raw_html_kept(h):
    """The tags of h that no Markdown construct of ours makes (raw HTML let through)."""
    t = Tags()
    t.feed(h)
    t.close()
    return t.tags - OUR_TAGS


def normalise(h):
    n = Normaliser()
    n.feed(h)
    n.close()
    return n.text()


def render(binary, markdown):
    return subprocess.run([binary], input=markdown.encode(), capture_output=True, check=True,
                          timeout=10).stdout.decode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--render", required=True, help="the md_stdin program")
    ap.add_argument("--spec", required=True, help="commonmark-spec's spec.txt")
    ap.add_argument("--show", action="store_true", help="print every disagreement")
    args = ap.parse_args()
    try:
        every = list(examples(args.spec))
    except FileNotFoundError:
        print(f"spec_test: {args.spec} missing: run `npm ci` in tests/e2e", file=sys.stderr)
        return 1
    exs = [e for e in every if not needs_raw_html(e)]
    leaked = [(e["number"], sorted(raw_html_kept(render(args.render, e["markdown"]))))
              for e in every if needs_raw_html(e)]
    leaked = [x for x in leaked if x[1]]
    if leaked:
        print(f"raw HTML let through: {leaked}")
    failing = []
    for e in exs:
        got = render(args.render, e["markdown"])
        if normalise(got) != normalise(e["html"]):
            failing.append(e["number"])
            if args.show:
                print(f"--- example {e['number']} ({e['section']})\n{e['markdown']!r}\n"
                      f"want {normalise(e['html'])!r}\ngot  {normalise(got)!r}")
    agree = len(exs) - len(failing)
    print(f"CommonMark 0.31.2: {agree} of {len(exs)} examples without raw HTML agree "
          f"({100.0 * agree / len(exs):.1f} %)")
    unexpected = [n for n in failing if n not in EXPECTED_DIFFERENCES]
    healed = sorted(set(EXPECTED_DIFFERENCES) - set(failing))
    ok = agree >= MIN_AGREEMENT * len(exs) and not unexpected and not healed and not leaked
    if unexpected:
        print(f"disagree and are not listed in EXPECTED_DIFFERENCES: {unexpected}")
    if healed:
        print(f"listed in EXPECTED_DIFFERENCES but agree now (remove them): {healed}")
    if agree < MIN_AGREEMENT * len(exs):
        print(f"below {MIN_AGREEMENT:.0%}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
