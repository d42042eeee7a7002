#!/usr/bin/env bash
# Thread page views: agorad beside Fossil's forum and nginx, measured in the same run.
#
# Usage: bench/thread.sh [WORK] [--no-peers] [--rounds N] [--close]
#
#   WORK         folder for everything this script writes (default /tmp/agora-bench)
#   --no-peers   measure agorad only (no Fossil, no nginx, no ratios)
#   --rounds N   repeat the whole set of measurements N times (default 1); with N > 1 the
#                summary gives the median of each number and of each ratio
#   --close      also measure agorad and nginx with "Connection: close", the way Fossil
#                serves every request (HTTP/1.0, one connection and one fork each)
#
# What it does: seeds a fresh data folder (board "bench", one thread of 100 posts), starts
# build/agorad (or $AGORAD) with --workers $(nproc) on 127.0.0.1, checks that
# /t/ID?per_page=100 and /api/v1/threads/ID?per_page=100 answer 200 with 100 posts, then
# runs `wrk -t2 -c64 -d10s --latency` against both. Unless --no-peers, it also runs the peer
# fixture ../shared/peers/fossil-forum.sh (WORK/peers) with --bench in the same run, so
# Fossil's thread page and nginx serving a static copy of it are measured beside agorad, and
# prints a table (requests/s, p50, p99, bytes per response) with the ratios agorad/nginx and
# agorad/fossil. agorad is stopped by pid, Fossil and nginx by the peer script's --stop.
#
# Environment: AGORAD (path to the binary), DURATION (wrk -d, default 10s),
# PEER_SCRIPT (path to fossil-forum.sh), FOSSIL_PORT / NGINX_PORT (passed to it).
# Builds nothing. Results: WORK/thread-YYYYmmdd-HHMMSS/ (raw wrk output and summary.md).
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"


PEERS=1
ROUNDS=1
CLOSE=0
parse_options --no-peers=PEERS=0 --close=CLOSE=1 --rounds=ROUNDS -- "$@"
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "thread.sh: --rounds wants a positive integer" >&2; exit 2; }

# shellcheck source-path=SCRIPTDIR

DURATION=${DURATION:-10s}
WRK_ARGS=(-t2 -c64 "-d$DURATION" --latency)
WORK=$(work_dir "$WORK")
RUN="$WORK/thread-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$RUN"
PEER_WORK="$WORK/peers"
if [ -z "${PEER_SCRIPT:-}" ]; then
  top=$(git -C "$REPO_ROOT" rev-parse --show-toplevel 2>/dev/null || echo "$REPO_ROOT")
  PEER_SCRIPT="$top/../shared/peers/fossil-forum.sh"
fi

check_agorad
AGORAD_INFO=$(agorad_line)  # taken now: the source tree may move on during the run
need_tools wrk curl awk
if [ "$PEERS" = 1 ]; then [ -r "$PEER_SCRIPT" ] || die "peer script not found at $PEER_SCRIPT (set PEER_SCRIPT, or use --no-peers)"; fi

PEERS_STARTED=0
stop_peers() {
  if [ "$PEERS_STARTED" = 1 ]; then
    bash "$PEER_SCRIPT" "$PEER_WORK" --stop >&2 || echo "peer --stop failed" >&2
  fi
}
stop_on_exit stop_agorad stop_peers

log "results in $RUN"
seed_data "$WORK/agora-data"
start_agorad "$WORK/agora-data" "$RUN/agorad"
ID=$(bench_thread_id)
SIZES=$(check_thread_pages "$ID" "$RUN")
read -r HTML_BYTES JSON_BYTES <<<"$SIZES"
HTML_URL="$AGORAD_URL/t/$ID?per_page=100"
JSON_URL="$AGORAD_URL/api/v1/threads/$ID?per_page=100"
log "thread $ID: HTML page $HTML_BYTES bytes, JSON $JSON_BYTES bytes, 100 posts each"

if [ "$PEERS" = 1 ]; then
  # Set the peers up before measuring anything (it takes a minute: 100 posts through
  # Fossil's forms); --bench below then reuses the running servers.
  log "setting up the peers (Fossil forum + nginx) in $PEER_WORK"
  PEERS_STARTED=1
  bash "$PEER_SCRIPT" "$PEER_WORK" >"$RUN/peers-setup.log" 2>&1 \
    || die "peer setup failed: $(tail -n 5 "$RUN/peers-setup.log")"
fi

# results[round,name] = wrk output file; bytes[name] = response size
declare -A FILE BYTES
BYTES[agorad-html]=$HTML_BYTES
BYTES[agorad-json]=$JSON_BYTES
BYTES[agorad-html-close]=$HTML_BYTES

run_wrk() {  # run_wrk ROUND NAME URL [wrk args...]
  local r=$1 name=$2 url=$3 out; shift 3
  out="$RUN/r$r-$name.txt"
  wrk "${WRK_ARGS[@]}" "$@" "$url" >"$out" 2>&1 || die "wrk failed against $url (see $out)"
  agorad_alive "$RUN/agorad.err"
  FILE[$r,$name]=$out
  log "round $r $name: $(wrk_field "$out" rps) req/s, p99 $(wrk_field "$out" p99) ms"
}

warm_up "$HTML_URL"
for r in $(seq 1 "$ROUNDS"); do
  run_wrk "$r" agorad-html "$HTML_URL"
  sleep 2
  run_wrk "$r" agorad-json "$JSON_URL"
  if [ "$CLOSE" = 1 ]; then
    sleep 2
    run_wrk "$r" agorad-html-close "$HTML_URL" -H 'Connection: close'
  fi
  # Agorad pages must still be right after the load.
  check_thread_pages "$ID" "$RUN" >/dev/null
  if [ "$PEERS" = 1 ]; then
    sleep 2
    marker="$RUN/.before-peers-$r"; : >"$marker"
    BENCH_NGINX_CLOSE=$CLOSE bash "$PEER_SCRIPT" "$PEER_WORK" --bench >"$RUN/r$r-peers.log" 2>&1 \
      || die "peer benchmark failed: $(tail -n 5 "$RUN/r$r-peers.log")"
    for name in fossil nginx nginx-close; do
      f=$(find "$PEER_WORK/bench" -name "*-$name.txt" -newer "$marker" 2>/dev/null | sort | tail -n1)
      [ -n "$f" ] || continue
      cp "$f" "$RUN/r$r-$name.txt"
      FILE[$r,$name]="$RUN/r$r-$name.txt"
      b=$(grep -oE "^-- $name: .*\(([0-9]+) bytes/response\)" "$RUN/r$r-peers.log" | grep -oE '[0-9]+ bytes' | grep -oE '[0-9]+' || true)
      BYTES[$name]=${b:-?}
      log "round $r $name: $(wrk_field "$RUN/r$r-$name.txt" rps) req/s, p99 $(wrk_field "$RUN/r$r-$name.txt" p99) ms"
    done
  fi
  [ "$r" -eq "$ROUNDS" ] || sleep 2
done

# ---------------------------------------------------------------- report
NAMES=(agorad-html agorad-json)
if [ "$CLOSE" = 1 ]; then NAMES+=(agorad-html-close); fi
if [ "$PEERS" = 1 ]; then
  NAMES+=(fossil nginx)
  if [ "$CLOSE" = 1 ]; then NAMES+=(nginx-close); fi
fi
declare -A WHAT=(
  [agorad-html]="agorad \`/t/$ID?per_page=100\` (HTML)"
  [agorad-json]="agorad \`/api/v1/threads/$ID?per_page=100\` (JSON)"
  [agorad-html-close]="agorad HTML, \`Connection: close\`"
  [fossil]="Fossil \`/forumthread/…?t=h\`"
  [nginx]="nginx, static copy of Fossil's page"
  [nginx-close]="nginx static, \`Connection: close\`"
)

# med NAME KEY: median over the rounds of one wrk number.
med() {
  local name=$1 k=$2 r vals=()
  for r in $(seq 1 "$ROUNDS"); do
    if [ -n "${FILE[$r,$name]:-}" ]; then vals+=("$(wrk_field "${FILE[$r,$name]}" "$k")"); fi
  done
  if [ ${#vals[@]} -gt 0 ]; then median "${vals[@]}"; else echo "-"; fi
}
# medratio A B KEY: median over the rounds of A/B (each round's ratio from that round).
medratio() {
  local a=$1 b=$2 k=$3 r vals=()
  for r in $(seq 1 "$ROUNDS"); do
    if [ -n "${FILE[$r,$a]:-}" ] && [ -n "${FILE[$r,$b]:-}" ]; then
      vals+=("$(ratio "$(wrk_field "${FILE[$r,$a]}" "$k")" "$(wrk_field "${FILE[$r,$b]}" "$k")")")
    fi
  done
  if [ ${#vals[@]} -gt 0 ]; then median "${vals[@]}"; else echo "-"; fi
}
sumall() {  # sumall NAME KEY: total over rounds (errors, non-2xx)
  local name=$1 k=$2 r t=0
  for r in $(seq 1 "$ROUNDS"); do
    if [ -n "${FILE[$r,$name]:-}" ]; then t=$((t + $(wrk_field "${FILE[$r,$name]}" "$k"))); fi
  done
  echo "$t"
}

{
  echo "## Thread page views ($(machine_line))"
  echo
  echo "\`wrk ${WRK_ARGS[*]}\`, client and servers on the same machine, agorad --workers $(nproc)."
  echo "$AGORAD_INFO."
  if [ "$ROUNDS" -gt 1 ]; then
    echo "$ROUNDS rounds; each number is the median over the rounds, each ratio the median of the per-round ratios."
  fi
  echo
  echo "| server and page | req/s | p50 ms | p99 ms | bytes/response | non-2xx | socket errors |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  for n in "${NAMES[@]}"; do
    echo "| ${WHAT[$n]} | $(med "$n" rps) | $(med "$n" p50) | $(med "$n" p99) | ${BYTES[$n]:-?} | $(sumall "$n" non2xx) | $(sumall "$n" errors) |"
  done
  if [ "$PEERS" = 1 ]; then
    echo
    echo "| ratio | req/s | p50 | p99 |"
    echo "| --- | ---: | ---: | ---: |"
    for a in agorad-html agorad-json; do
      for b in nginx fossil; do
        echo "| $a / $b | $(medratio "$a" "$b" rps) | $(medratio "$a" "$b" p50) | $(medratio "$a" "$b" p99) |"
      done
    done
    if [ "$CLOSE" = 1 ]; then
      echo "| agorad-html-close / nginx-close | $(medratio agorad-html-close nginx-close rps) | $(medratio agorad-html-close nginx-close p50) | $(medratio agorad-html-close nginx-close p99) |"
      echo "| agorad-html-close / fossil | $(medratio agorad-html-close fossil rps) | $(medratio agorad-html-close fossil p50) | $(medratio agorad-html-close fossil p99) |"
    fi
    echo
    echo "req/s ratio > 1: agorad serves more; p50/p99 ratio < 1: agorad answers faster."
  fi
  if [ "$ROUNDS" -gt 1 ]; then
    echo
    echo "Per round (req/s):"
    echo
    line="| round |"
    for n in "${NAMES[@]}"; do line+=" $n |"; done
    echo "$line"
    echo "| --- |$(printf ' ---: |%.0s' "${NAMES[@]}")"
    for r in $(seq 1 "$ROUNDS"); do
      line="| $r |"
      for n in "${NAMES[@]}"; do
        if [ -n "${FILE[$r,$n]:-}" ]; then line+=" $(wrk_field "${FILE[$r,$n]}" rps) |"; else line+=" - |"; fi
      done
      echo "$line"
    done
  fi
} | tee "$RUN/summary.md"
echo
echo "raw wrk output and logs: $RUN" >&2
