#!/usr/bin/env bash
# Search latency over a million posts: single words (Chinese and English, common to rare),
# a single character, two words and phrases, through GET /api/v1/search; and the two slowest
# queries the limits allow (20 words, docs/SEARCH.md), which match nothing.
#
# Usage: bench/search.sh [WORK] [--posts N] [--fresh]
#
#   WORK       folder for everything this script writes (default /tmp/agora-bench)
#   --posts N  posts to seed, as N/100 threads of 100 posts (default 1000000)
#   --fresh    seed again even when WORK holds a complete data folder of that size
#
# What it does: seeds WORK/search-data-N with `agorad seed --threads N/100 --posts 100`
# (mixed Chinese and English text drawn from a Zipf-like vocabulary, see daemon/cli/tools.c;
# about 5 to 10 minutes for a million posts on 2 cores) unless a complete one is there
# already, starts build/agorad (or $AGORAD) with --workers $(nproc) on 127.0.0.1, checks
# that each query answers 200 (or 503 search_too_slow: "stopped") and notes how many posts
# match it (the total, "N+" when the count reached the ranked window), then runs `wrk -t2 -c4 -d$DURATION --latency` against
# each query in turn and prints a table of requests/s, p50 and p99. agorad is stopped by
# pid. Fossil's forum is not measured: see docs/PERFORMANCE.md section 5.
#
# Environment: AGORAD (path to the binary), DURATION (wrk -d, default 5s).
# Builds nothing. Results: WORK/search-YYYYmmdd-HHMMSS/ (raw wrk output and summary.md).
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"


POSTS=1000000
FRESH=0
parse_options --fresh=FRESH=1 --posts=POSTS -- "$@"
[[ "$POSTS" =~ ^[1-9][0-9]*00$ ]] || { echo "search.sh: --posts wants a positive multiple of 100" >&2; exit 2; }

# shellcheck source-path=SCRIPTDIR

DURATION=${DURATION:-5s}
WRK_ARGS=(-t2 -c4 "-d$DURATION" --latency)
WORK=$(work_dir "$WORK")
RUN="$WORK/search-$(date +%Y%m%d-%H%M%S)"
DATA="$WORK/search-data-$POSTS"
mkdir -p "$RUN"

check_agorad
AGORAD_INFO=$(agorad_line)
need_tools wrk curl awk python3

stop_on_exit stop_agorad

log "seeding $POSTS posts into $DATA (unless already there)"
seed_once "$DATA" "$RUN/seed.log" --threads $((POSTS / 100)) --posts 100

start_agorad "$DATA" "$RUN/agorad"

# kind|query: words of daemon/cli/tools.c's vocabularies at known Zipf ranks.
QUERIES=(
  "Chinese word, most common|工作"
  "Chinese word, rank 11|春耕"
  "Chinese word, rank 17|网格"
  "Chinese word, rank 160|分红"
  "Chinese word, rare|蝗灾"
  "Chinese single character|春"
  "English word, most common|the"
  "English word, rank 20|flood"
  "English word, last rank|sorghum"
  "English word, rare|zeolite"
  "English prefix|irrig"
  "two words, Chinese + English|春耕 village"
  "two words, both Chinese|防汛 医保"
  "phrase, 4 characters|乡村振兴"
  "phrase, 5 characters|高标准农田"
  "worst case: 20 prefixes that never meet|sc pl tr su me fa bu he wa ro ma gr in fl co se po re vo el"
  "worst case: 20 characters of one common bigram|工作工作工作工作工作工作工作工作工作工作"
)

urlq() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }

# matches URL: the total a query answers ("N+" when capped), or "stopped" when agorad gave up
# on it at its time limit (503 search_too_slow); dies on any other answer.
matches() {
  local body
  body=$(curl -sS "$1") || die "GET $1 failed"
  python3 -c '
import json, sys
d = json.loads(sys.argv[1])
if "error" in d:
    if d["error"]["code"] != "search_too_slow":
        sys.exit("search failed: %s" % d["error"])
    print("stopped")
else:
    print(str(d["total"]) + ("+" if d["total_capped"] else ""))' "$body" || die "GET $1 failed"
}

declare -A FILE TOTAL
warm_up "$AGORAD_URL/api/v1/search?q=$(urlq 春耕)"
for entry in "${QUERIES[@]}"; do
  q=${entry#*|}
  url="$AGORAD_URL/api/v1/search?q=$(urlq "$q")"
  TOTAL[$q]=$(matches "$url")
  out="$RUN/$(echo -n "$q" | od -An -tx1 | tr -d ' \n').txt"
  wrk "${WRK_ARGS[@]}" "$url" >"$out" 2>&1 || die "wrk failed against $url (see $out)"
  agorad_alive "$RUN/agorad.err"
  FILE[$q]=$out
  log "$q: ${TOTAL[$q]} matches, $(wrk_field "$out" rps) req/s, p50 $(wrk_field "$out" p50) ms, p99 $(wrk_field "$out" p99) ms"
done

{
  echo "## Search over $POSTS posts ($(machine_line))"
  echo
  echo "\`bench/search.sh --posts $POSTS\`: \`wrk ${WRK_ARGS[*]}\` per query against \`/api/v1/search?q=…\`"
  echo "(first page, 50 results with snippets), client and server on the same machine, agorad --workers $(nproc)."
  echo "$AGORAD_INFO. Database $DB_MB MiB, seeded in $SEED_SECONDS s."
  echo
  echo "| query | kind | matches | req/s | p50 ms | p99 ms | non-2xx | socket errors |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  for entry in "${QUERIES[@]}"; do
    kind=${entry%%|*}; q=${entry#*|}; f=${FILE[$q]}
    echo "| \`$q\` | $kind | ${TOTAL[$q]} | $(wrk_field "$f" rps) | $(wrk_field "$f" p50) | $(wrk_field "$f" p99) | $(wrk_field "$f" non2xx) | $(wrk_field "$f" errors) |"
  done
  echo
  echo "\"N+\": the query matched at least N visible posts; only the newest N are ranked (docs/SEARCH.md)."
  echo "\"stopped\": agorad gave up on the query at its time limit (503 \`search_too_slow\`); its times are those of the refusals."
} | tee "$RUN/summary.md"
echo
echo "raw wrk output and logs: $RUN" >&2
