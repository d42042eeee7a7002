#!/usr/bin/env python3
"""Runs Agora's black-box integration tests against a built agorad.

    python3 tests/integration/run.py --agorad build/agorad --web web [-k PATTERN] [-v] [NAME...]

NAME selects modules, classes or tests (e.g. test_accounts or test_forum.ReplyTree.test_tree_order_and_depth);
-k keeps the tests whose id contains PATTERN (as unittest's -k). Exits 0 only when every
selected test passed. AGORA_SLOWEST=N lists the N slowest tests (default 5).
"""

import argparse
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree

import agora_harness  # noqa: E402


class TimedResult(unittest.TextTestResult):
    """Remembers how long each test took, to name the slow ones in the summary."""

    def startTest(self, test):
        self._started = time.monotonic()
        super().startTest(test)

    def stopTest(self, test):
        super().stopTest(test)
        self.durations = getattr(self, "durations", [])
        self.durations.append((time.monotonic() - self._started, test.id()))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--agorad", required=True, help="path of the agorad binary")
    ap.add_argument("--web", required=True, help="path of the web/ folder")
    ap.add_argument("-k", dest="patterns", action="append", default=[],
                    help="only tests whose id contains this substring (repeatable)")
    ap.add_argument("-v", "--verbose", action="store_true", help="one line per test")
    ap.add_argument("-f", "--failfast", action="store_true", help="stop at the first failure")
    ap.add_argument("names", nargs="*", help="modules, classes or tests to run (default: all)")
    args = ap.parse_args()

    for path, what in ((args.agorad, "--agorad"), (args.web, "--web")):
        if not os.path.exists(path):
            print(f"run.py: {what} {path}: no such file or folder", file=sys.stderr)
            return 2
    agora_harness.CONFIG["agorad"] = os.path.abspath(args.agorad)
    agora_harness.CONFIG["web"] = os.path.abspath(args.web)

    loader = unittest.TestLoader()
    if args.patterns:
        loader.testNamePatterns = [f"*{p}*" for p in args.patterns]
    if args.names:
        suite = loader.loadTestsFromNames(args.names)
    else:
        suite = loader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)

    started = time.monotonic()
    runner = unittest.TextTestRunner(stream=sys.stdout, verbosity=2 if args.verbose else 1,
                                     failfast=args.failfast, resultclass=TimedResult)
    result = runner.run(suite)
    elapsed = time.monotonic() - started

    failed = [t for t, _ in result.failures] + [t for t, _ in result.errors] + \
             [t for t in result.unexpectedSuccesses]
    print()
    print("=" * 70)
    broken = {getattr(t, "test_case", t).id() for t in failed if hasattr(t, "id")}
    print(f"agora integration: {result.testsRun} tests in {elapsed:.1f}s — "
          f"{len(broken)} failing ({len(result.failures)} failures, {len(result.errors)} errors "
          f"counting subtests), {len(result.skipped)} skipped")
    slow = sorted(getattr(result, "durations", []), reverse=True)[:int(os.environ.get("AGORA_SLOWEST", "5"))]
    if slow:
        print("slowest: " + ", ".join(f"{name.split('.', 1)[1]} {secs:.1f}s" for secs, name in slow))
    for t in failed:
        print(f"  FAILED  {t.id() if hasattr(t, 'id') else t}")
    if result.testsRun == 0:
        print("no tests ran", file=sys.stderr)
        return 1
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
