#!/usr/bin/env bash
# The organisation department's reports on a large site: the training report (this year, six
# years, its CSV) and the rotation report (first page, a region, overdue only, a deep page, the
# CSV of the overdue) over 100,000 members and 1,000 trainings, through the API as an admin;
# /healthz measured in the same run as the reference of what one request costs.
#
# Usage: bench/reports.sh [WORK] [--members N] [--trainings N] [--fresh]
#
#   WORK           folder for everything this script writes (default /tmp/agora-bench)
#   --members N    members to seed (default 100000)
#   --trainings N  trainings to seed (default 1000)
#   --fresh        seed again even when WORK holds a complete data folder of that size
#
# What it does: seeds WORK/reports-data-M-T with `agorad seed --threads 1 --posts 1 --members M
# --trainings T` (trainings over six years with lessons, attendance, ratings, completions and
# follow-up waves: daemon/cli/seed_trainings.c) unless a complete one is there, adds an admin
# with `agorad user add`, starts build/agorad (or $AGORAD) with --workers $(nproc) on
# 127.0.0.1, signs in for a bearer token, checks each URL answers 200, then runs
# `wrk -t1 -c2 -d$DURATION --latency` against each in turn and prints requests/s, p50 and p99,
# and p50 as a multiple of /healthz's. agorad is stopped by pid.
#
# Environment: AGORAD (path to the binary), DURATION (wrk -d, default 5s).
# Builds nothing. Results: WORK/reports-YYYYmmdd-HHMMSS/ (raw wrk output and summary.md).
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MEMBERS=100000
TRAININGS=1000
FRESH=0
parse_options --fresh=FRESH=1 --members=MEMBERS:int --trainings=TRAININGS:int -- "$@"

DURATION=${DURATION:-5s}
WRK_ARGS=(-t1 -c2 "-d$DURATION" --latency)
WORK=$(work_dir "$WORK")
RUN="$WORK/reports-$(date +%Y%m%d-%H%M%S)"
DATA="$WORK/reports-data-$MEMBERS-$TRAININGS"
PASSWORD="bench-admin-password"
mkdir -p "$RUN"

check_agorad
AGORAD_INFO=$(agorad_line)
need_tools wrk curl awk python3

stop_on_exit stop_agorad

# the benchmark's admin, made once with the data
seed_extra() {
  AGORA_PASSWORD=$PASSWORD "$AGORAD" user add benchadmin --role admin --data "$1" >>"$2" 2>&1 \
    || die "agorad user add failed: $(tail -n 5 "$2")"
}
log "seeding $MEMBERS members and $TRAININGS trainings into $DATA (unless already there)"
seed_once "$DATA" "$RUN/seed.log" --threads 1 --posts 1 --members "$MEMBERS" --trainings "$TRAININGS"

start_agorad "$DATA" "$RUN/agorad"
TOKEN=$(curl -sS -H 'Content-Type: application/json' \
  -d "{\"username\":\"benchadmin\",\"password\":\"$PASSWORD\"}" "$AGORAD_URL/api/v1/session" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])') || die "could not sign in"
AUTH=(-H "Authorization: Bearer $TOKEN")
YEAR=$(TZ=Asia/Shanghai date +%Y)
SIX=$((YEAR - 5))

# name|path
URLS=(
  "reference: /healthz|/healthz"
  "training report, this year|/api/v1/reports/trainings"
  "training report, six years|/api/v1/reports/trainings?from=$SIX-01-01&to=$YEAR-12-31"
  "training report CSV, six years|/api/v1/reports/trainings.csv?from=$SIX-01-01&to=$YEAR-12-31"
  "rotation report, first page|/api/v1/reports/rotation"
  "rotation report, one region|/api/v1/reports/rotation?region=henan"
  "rotation report, overdue|/api/v1/reports/rotation?overdue=1"
  "rotation report, overdue of a region, page 10|/api/v1/reports/rotation?region=henan&overdue=1&page=10"
)

declare -A FILE SIZE
i=0
warm_up "$AGORAD_URL/api/v1/reports/rotation" "${AUTH[@]}"
for entry in "${URLS[@]}"; do
  path=${entry#*|}
  status=$(curl -sS -o "$RUN/body" -w '%{http_code}' "${AUTH[@]}" "$AGORAD_URL$path")
  [ "$status" = 200 ] || die "GET $path answered $status: $(head -c 300 "$RUN/body")"
  SIZE[$path]=$(wc -c <"$RUN/body")
  i=$((i + 1))
  out="$RUN/url-$i.txt"
  wrk "${WRK_ARGS[@]}" "${AUTH[@]}" "$AGORAD_URL$path" >"$out" 2>&1 || die "wrk failed against $path (see $out)"
  agorad_alive "$RUN/agorad.err"
  FILE[$path]=$out
  log "${entry%%|*}: $(wrk_field "$out" rps) req/s, p50 $(wrk_field "$out" p50) ms, p99 $(wrk_field "$out" p99) ms"
done
REF=$(wrk_field "${FILE[/healthz]}" p50)

{
  echo "## Reports over $MEMBERS members and $TRAININGS trainings ($(machine_line))"
  echo
  echo "\`bench/reports.sh --members $MEMBERS --trainings $TRAININGS\`: \`wrk ${WRK_ARGS[*]}\` per URL, as an admin"
  echo "(bearer token), client and server on the same machine, agorad --workers $(nproc)."
  echo "$AGORAD_INFO. Database $DB_MB MiB, seeded in $SEED_SECONDS s."
  echo
  echo "| what | path | bytes | req/s | p50 ms | p99 ms | p50 / healthz p50 | non-2xx |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  for entry in "${URLS[@]}"; do
    path=${entry#*|}; f=${FILE[$path]}
    echo "| ${entry%%|*} | \`$path\` | ${SIZE[$path]} | $(wrk_field "$f" rps) | $(wrk_field "$f" p50) | $(wrk_field "$f" p99) | $(ratio "$(wrk_field "$f" p50)" "$REF") | $(wrk_field "$f" non2xx) |"
  done
} | tee "$RUN/summary.md"
echo
echo "raw wrk output and logs: $RUN" >&2
