#!/usr/bin/env python3
"""Checks the message catalogs in web/i18n against en.json.

Every web/i18n/*.json must be a JSON object of nested objects whose leaves are
strings, with exactly en.json's dotted keys, and each message must hold as many
"{}" placeholders as its English original. Prints every problem found and exits
1 if there is any, 0 otherwise.

Also: every error code the daemon's sources give as a literal to ag_fail, ag_refused or
req_error must have its message, error.CODE, in en.json (a missing one reaches the user as
its key, or as an empty error object in a Debug build).

Usage: check_catalogs.py [I18N_DIR [SOURCE_DIR]]   (default: web/i18n and daemon/ of this repository)
"""

import glob
import json
import os
import re
import sys

PLACEHOLDER = "{}"


def no_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError("duplicate key %r" % key)
        seen[key] = value
    return seen


def flatten(obj, prefix, leaves, problems, name):
    """Collects dotted key -> value for every leaf; notes leaves that are not strings."""
    for key, value in obj.items():
        dotted = prefix + "." + key if prefix else key
        if isinstance(value, dict):
            flatten(value, dotted, leaves, problems, name)
        else:
            if not isinstance(value, str):
                problems.append("%s: %s is %s, not a string" % (name, dotted, type(value).__name__))
            leaves[dotted] = value


def load(path, problems):
    name = os.path.basename(path)
    try:
        with open(path, encoding="utf-8") as f:
            root = json.load(f, object_pairs_hook=no_duplicates)
    except (OSError, ValueError) as e:
        problems.append("%s: cannot load: %s" % (name, e))
        return None
    if not isinstance(root, dict):
        problems.append("%s: a catalog must be a JSON object" % name)
        return None
    leaves = {}
    flatten(root, "", leaves, problems, name)
    return leaves


ERROR_CALL = re.compile(r'\b(?:ag_fail|ag_refused|req_error)\s*\([^;]*?"([a-z0-9_]+)"\s*\)')


def error_codes(source_dir):
    """The error codes given as literals in the C sources under source_dir, with a file each."""
    codes = {}
    for path in sorted(glob.glob(os.path.join(source_dir, "**", "*.c"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            for m in ERROR_CALL.finditer(f.read()):
                codes.setdefault(m.group(1), os.path.relpath(path, source_dir))
    return codes


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    i18n_dir = argv[1] if len(argv) > 1 else os.path.join(here, "..", "..", "web", "i18n")
    i18n_dir = os.path.normpath(i18n_dir)
    problems = []

    en_path = os.path.join(i18n_dir, "en.json")
    en = load(en_path, problems)
    if en is None:
        print("\n".join(problems) or "en.json: not found", file=sys.stderr)
        return 1

    source_dir = argv[2] if len(argv) > 2 else os.path.join(here, "..", "..", "daemon")
    for code, where in sorted(error_codes(os.path.normpath(source_dir)).items()):
        if "error." + code not in en:
            problems.append("en.json: no message error.%s for the code in %s" % (code, where))

    files = sorted(f for f in os.listdir(i18n_dir) if f.endswith(".json") and not f.startswith("."))
    for fname in files:
        if fname == "en.json":
            continue
        cat = load(os.path.join(i18n_dir, fname), problems)
        if cat is None:
            continue
        for key in sorted(en.keys() - cat.keys()):
            problems.append("%s: missing key %s" % (fname, key))
        for key in sorted(cat.keys() - en.keys()):
            problems.append("%s: extra key %s" % (fname, key))
        for key in sorted(en.keys() & cat.keys()):
            want, got = en[key], cat[key]
            if not isinstance(want, str) or not isinstance(got, str):
                continue  # already reported as not a string
            if got.count(PLACEHOLDER) != want.count(PLACEHOLDER):
                problems.append("%s: %s has %d {} placeholder(s), en.json has %d"
                                % (fname, key, got.count(PLACEHOLDER), want.count(PLACEHOLDER)))

    if problems:
        print("Catalog check failed (%d problem(s)):" % len(problems), file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
        return 1
    print("OK: %d catalog(s) match en.json (%d keys): %s"
          % (len(files), len(en), ", ".join(files)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
