#!/usr/bin/env bash
# Live updates: many Server-Sent Events clients on one thread — memory per client and the time
# one post takes to reach all of them.
#
# Usage: bench/sse.sh [WORK] [--clients N] [--posts K]
#
#   WORK          folder for everything this script writes (default /tmp/agora-bench)
#   --clients N   streams held open at once (default 10000)
#   --posts K     replies published while they listen (default 5)
#
# What it does: builds bench/sse_clients.c (cc, pkg-config libevent), seeds a fresh data folder
# (board "bench", one thread of 100 posts), adds a user, starts build/agorad (or $AGORAD) with
# --workers $(nproc) on 127.0.0.1 and reads its resident memory (VmRSS). The client opens N
# connections to /live/threads/ID and says when every stream is open; the resident memory is
# read again, and (after minus before) / N is the memory per client. Then K times: the script
# tells the client to start its clock, posts one reply through the API with curl, and the
# client reports when the first, the median and the last stream received it. agorad and the
# client are stopped by pid. Results: WORK/sse-YYYYmmdd-HHMMSS/ (client output, summary.md).
# Goal (issue 5): under 20 KiB per client; every client reached within 1 s.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"


CLIENTS=10000
POSTS=5
parse_options --clients=CLIENTS --posts=POSTS -- "$@"
[[ "$CLIENTS" =~ ^[1-9][0-9]*$ && "$POSTS" =~ ^[1-9][0-9]*$ ]] || { echo "sse.sh: --clients and --posts want positive integers" >&2; exit 2; }

# shellcheck source-path=SCRIPTDIR

need_tools curl cc pkg-config
check_agorad
WORK=$(work_dir "$WORK")
RUN="$WORK/sse-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$RUN"
DATA="$WORK/sse-data"
PASSWORD=bench-password-0123
CLIENT_PID=

stop_client() {
  exec 3>&- 2>/dev/null || true
  if [ -n "$CLIENT_PID" ] && running "$CLIENT_PID"; then kill -TERM "$CLIENT_PID" 2>/dev/null || true; fi
  [ -z "$CLIENT_PID" ] || wait "$CLIENT_PID" 2>/dev/null || true
}
stop_on_exit stop_client stop_agorad

# shellcheck disable=SC2046
cc -O2 -Wall -o "$WORK/sse_clients" "$REPO_ROOT/bench/sse_clients.c" $(pkg-config --cflags --libs libevent) \
  >"$RUN/build.log" 2>&1 || die "cannot build bench/sse_clients.c: $(cat "$RUN/build.log")"

seed_data "$DATA"
AGORA_PASSWORD=$PASSWORD "$AGORAD" user add ssebench --data "$DATA" >"$RUN/user.log" 2>&1 \
  || die "agorad user add failed: $(cat "$RUN/user.log")"
start_agorad "$DATA" "$RUN/agorad"
THREAD=$(bench_thread_id)
TOKEN=$(curl -sS -H 'Content-Type: application/json' \
  --data "{\"username\":\"ssebench\",\"password\":\"$PASSWORD\"}" "$AGORAD_URL/api/v1/session" |
  grep -oE '"token": *"[^"]+"' | grep -oE '"[^"]+"$' | tr -d '"')
[ -n "$TOKEN" ] || die "sign-in of ssebench failed"

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$AGORAD_PID/status"; }
# a first stream and reply, so that what every connection shares is counted in "before"
curl -sS -N --max-time 1 "$AGORAD_URL/live/threads/$THREAD" >/dev/null 2>&1 || true
sleep 0.5
RSS_BEFORE=$(rss_kib)

# wait_line PATTERN SECONDS: waits for a line of the client's output matching PATTERN.
wait_line() {
  local n=0
  until grep -qE "$1" "$RUN/clients.out" 2>/dev/null; do
    running "$CLIENT_PID" || die "sse_clients exited: $(cat "$RUN/clients.out" "$RUN/clients.err" 2>/dev/null)"
    [ "$n" -lt $(($2 * 20)) ] || die "no '$1' from sse_clients within $2 s: $(tail -n 3 "$RUN/clients.out")"
    sleep 0.05
    n=$((n + 1))
  done
}

mkfifo "$RUN/go"
PORT=${AGORAD_URL##*:}
"$WORK/sse_clients" "$HOST" "$PORT" "/live/threads/$THREAD" "$CLIENTS" <"$RUN/go" >"$RUN/clients.out" 2>"$RUN/clients.err" &
CLIENT_PID=$!
exec 3>"$RUN/go"
T0=$(date +%s%N)
wait_line '^ready ' 180
T1=$(date +%s%N)
read -r _ OPENED _ FAILED < <(grep -m1 '^ready ' "$RUN/clients.out")
log "$OPENED streams open ($FAILED failed) in $(awk -v a="$T0" -v b="$T1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }') s"
sleep 1
agorad_alive "$RUN/agorad.err"
RSS_AFTER=$(rss_kib)
THREADS_RSS=$(awk '/^Threads:/ { print $2 }' "/proc/$AGORAD_PID/status")

for k in $(seq 1 "$POSTS"); do
  echo go >&3
  code=$(curl -sS -o "$RUN/reply-$k.json" -w '%{http_code}' -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $TOKEN" --data "{\"body\":\"live bench reply $k\"}" \
    "$AGORAD_URL/api/v1/threads/$THREAD/posts")
  [ "$code" = 201 ] || die "reply $k answered $code: $(cat "$RUN/reply-$k.json")"
  wait_line "^post $k " 30
  grep -m1 "^post $k " "$RUN/clients.out" >&2
  sleep 0.5
done
exec 3>&-
wait_line '^closed ' 10
wait "$CLIENT_PID" 2>/dev/null || true
CLIENT_PID=
CLOSED=$(awk '/^closed / { print $2 }' "$RUN/clients.out")

LAST=$(awk '/^post / { print $8 }' "$RUN/clients.out" | tr '\n' ' ')
P50=$(awk '/^post / { print $6 }' "$RUN/clients.out" | tr '\n' ' ')
# shellcheck disable=SC2086
LAST_MED=$(median $LAST)
# shellcheck disable=SC2086
P50_MED=$(median $P50)
PER_CLIENT=$(awk -v a="$RSS_AFTER" -v b="$RSS_BEFORE" -v n="$OPENED" 'BEGIN { printf "%.1f", (a - b) / n }')

{
  echo "# Live updates: $OPENED SSE clients on one thread ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "$(agorad_line), --workers $(nproc), $(nproc) CPUs; the client on the same machine."
  echo
  echo "| clients open | failed | agorad RSS before | after | per client | reached last (median of $POSTS posts) | median client (median of $POSTS) | streams closed by the server |"
  echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  echo "| $OPENED | $FAILED | $RSS_BEFORE KiB | $RSS_AFTER KiB | $PER_CLIENT KiB | $LAST_MED ms | $P50_MED ms | ${CLOSED:-0} |"
  echo
  echo "Each post, the time until the last client had it (ms): $LAST"
  echo "agorad threads: $THREADS_RSS."
} >"$RUN/summary.md"
cat "$RUN/summary.md"
