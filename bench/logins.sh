#!/usr/bin/env bash
# Page views while many people log in: does Argon2id hashing stall the event loops?
#
# Usage: bench/logins.sh [WORK] [--users N] [--rounds N] [--page-conns C] [--close] [--no-ceiling]
#
#   WORK            folder for everything this script writes (default /tmp/agora-bench)
#   --users N       users created, and logins kept in flight at once (default 50)
#   --rounds N      repeat baseline + loaded measurement N times (default 1); with N > 1
#                   the summary gives medians (each ratio from its own round)
#   --page-conns C  wrk connections for the page views (default 64, as in thread.sh;
#                   wrk threads = 2, or 1 when C is 1)
#   --close         page views with "Connection: close" (one connection per request)
#   --no-ceiling    skip the Argon2id ceiling (see below)
#
# What it does: seeds a fresh data folder (board "bench", one thread of 100 posts), creates
# N users with `agorad user add`, starts build/agorad (or $AGORAD) with --workers $(nproc)
# on 127.0.0.1, checks the thread page and one login, then, per round:
#   1. baseline: `wrk -tT -cC -dD --latency` on GET /t/ID?per_page=100 alone;
#   2. under login load: wrk with bench/login.lua keeps N logins in flight (N connections,
#      each POSTs /api/v1/session with a correct password, again and again); after a
#      warm-up of WARMUP seconds the same page-view wrk runs again while the logins go on.
# It reports page-view p50/p99 alone and under load, their ratio, and the logins completed
# per second (with their latency and statuses). Unless --no-ceiling, each round also builds
# and runs bench/pwhash_rate.c (needs cc and libsodium's headers): libsodium alone, with
# agorad's Argon2id parameters on $(nproc) threads, to give the machine's ceiling for
# logins/s in the same run. Between phases it waits for agorad to go idle (it goes on
# hashing the logins that were in flight when the login wrk stopped). The goal: page views must not stall, i.e.
# p99 under login load stays in the same order as the baseline.
#
# Environment: AGORAD (path to the binary), DURATION (page-view wrk -d, default 10s),
# WARMUP (seconds of login load before the loaded page views start, default 3).
# Builds nothing. Results: WORK/logins-YYYYmmdd-HHMMSS/ (raw wrk output and summary.md).
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

USERS=50
ROUNDS=1
PAGE_CONNS=64
CLOSE=0
CEILING=1
parse_options --users=USERS:int --rounds=ROUNDS:int --page-conns=PAGE_CONNS:int --close=CLOSE=1 --no-ceiling=CEILING=0 -- "$@"
[ "$USERS" -le 100 ] || { echo "logins.sh: --users is at most 100" >&2; exit 2; }

DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3}
want_int WARMUP "$WARMUP"
DSEC=${DURATION%s}
[[ "$DSEC" =~ ^[0-9]+$ ]] || die "DURATION must be whole seconds, like 10s"
PAGE_THREADS=2
[ "$PAGE_CONNS" -ge 2 ] || PAGE_THREADS=1
PAGE_ARGS=("-t$PAGE_THREADS" "-c$PAGE_CONNS" "-d$DURATION" --latency --timeout 30s)
[ "$CLOSE" = 0 ] || PAGE_ARGS+=(-H 'Connection: close')
# The login load outlasts the page views: warm-up + page views + 2 s.
LOGIN_ARGS=(-t1 "-c$USERS" "-d$((WARMUP + DSEC + 2))s" --latency --timeout 60s -s "$REPO_ROOT/bench/login.lua")
PASSWORD=bench-password-0123
PREFIX=bench

WORK=$(work_dir "$WORK")
RUN="$WORK/logins-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$RUN"
check_agorad
AGORAD_INFO=$(agorad_line)  # taken now: the source tree may move on during the run
need_tools wrk curl awk
[ -r "$REPO_ROOT/bench/login.lua" ] || die "missing $REPO_ROOT/bench/login.lua"

LOGIN_WRK_PID=
stop_login_wrk() {
  if [ -n "$LOGIN_WRK_PID" ] && running "$LOGIN_WRK_PID"; then
    kill -TERM "$LOGIN_WRK_PID" 2>/dev/null || true
    wait "$LOGIN_WRK_PID" 2>/dev/null || true
  fi
}
stop_on_exit stop_login_wrk stop_agorad

log "results in $RUN"
PWHASH_RATE=
if [ "$CEILING" = 1 ]; then
  if command -v cc >/dev/null &&
    cc -O2 -o "$WORK/pwhash_rate" "$REPO_ROOT/bench/pwhash_rate.c" -lsodium -lpthread >"$RUN/pwhash_rate.build.log" 2>&1; then
    PWHASH_RATE="$WORK/pwhash_rate"
  else
    log "cannot build bench/pwhash_rate.c (cc, libsodium-dev?); no Argon2id ceiling (see $RUN/pwhash_rate.build.log)"
  fi
fi
DATA="$WORK/agora-data-logins"
seed_data "$DATA"
log "creating $USERS users (${PREFIX}00 ..), one Argon2id hash each"
for i in $(seq 0 $((USERS - 1))); do
  name=$(printf '%s%02d' "$PREFIX" "$i")
  AGORA_PASSWORD=$PASSWORD "$AGORAD" user add "$name" --data "$DATA" >>"$RUN/users.log" 2>&1 \
    || die "agorad user add $name failed: $(tail -n 3 "$RUN/users.log")"
done
start_agorad "$DATA" "$RUN/agorad"
ID=$(bench_thread_id)
SIZES=$(check_thread_pages "$ID" "$RUN")
read -r HTML_BYTES _ <<<"$SIZES"
PAGE_URL="$AGORAD_URL/t/$ID?per_page=100"
code=$(curl -sS -o "$RUN/login.json" -w '%{http_code}' -H 'Content-Type: application/json' \
  --data "{\"username\":\"${PREFIX}00\",\"password\":\"$PASSWORD\"}" "$AGORAD_URL/api/v1/session")
[ "$code" = 201 ] || die "POST /api/v1/session for ${PREFIX}00 answered $code: $(cat "$RUN/login.json")"
grep -q '"token"' "$RUN/login.json" || die "login answer has no token: $(cat "$RUN/login.json")"
log "thread $ID page: $HTML_BYTES bytes; login of ${PREFIX}00: 201"

declare -A F   # F[round,kind] = wrk output; kind: base, load, logins
declare -A IDLE CEIL  # seconds agorad kept hashing after the login wrk; Argon2id checks/s

warm_up "$PAGE_URL"
for r in $(seq 1 "$ROUNDS"); do
  F[$r,base]="$RUN/r$r-pages-alone.txt"
  wrk "${PAGE_ARGS[@]}" "$PAGE_URL" >"${F[$r,base]}" 2>&1 || die "wrk (page views) failed; see ${F[$r,base]}"
  agorad_alive "$RUN/agorad.err"
  log "round $r page views alone: $(wrk_field "${F[$r,base]}" rps) req/s, p99 $(wrk_field "${F[$r,base]}" p99) ms"
  sleep 2

  F[$r,logins]="$RUN/r$r-logins.txt"
  LOGIN_USERS=$USERS LOGIN_PREFIX=$PREFIX LOGIN_PASSWORD=$PASSWORD \
    wrk "${LOGIN_ARGS[@]}" "$AGORAD_URL/api/v1/session" >"${F[$r,logins]}" 2>&1 &
  LOGIN_WRK_PID=$!
  sleep "$WARMUP"
  running "$LOGIN_WRK_PID" || die "the login wrk ended early; see ${F[$r,logins]}"
  F[$r,load]="$RUN/r$r-pages-under-logins.txt"
  wrk "${PAGE_ARGS[@]}" "$PAGE_URL" >"${F[$r,load]}" 2>&1 || die "wrk (page views) failed; see ${F[$r,load]}"
  wait "$LOGIN_WRK_PID" || die "the login wrk failed; see ${F[$r,logins]}"
  LOGIN_WRK_PID=
  agorad_alive "$RUN/agorad.err"
  IDLE[$r]=$(wait_idle)
  log "round $r page views under logins: $(wrk_field "${F[$r,load]}" rps) req/s, p99 $(wrk_field "${F[$r,load]}" p99) ms; logins $(wrk_field "${F[$r,logins]}" rps)/s; agorad busy ${IDLE[$r]} s more"
  if [ -n "$PWHASH_RATE" ]; then
    CEIL[$r]=$("$PWHASH_RATE" "$(nproc)" 5 | tee "$RUN/r$r-pwhash-rate.txt" | sed -nE 's/.* per_second=([0-9.]+).*/\1/p')
    log "round $r Argon2id ceiling (libsodium alone, $(nproc) threads): ${CEIL[$r]} checks/s"
  fi
  [ "$r" -eq "$ROUNDS" ] || sleep 2
done
SIZES=$(check_thread_pages "$ID" "$RUN")

# ---------------------------------------------------------------- report
med() {  # med KIND KEY: median over rounds
  local k=$1 key=$2 r vals=()
  for r in $(seq 1 "$ROUNDS"); do vals+=("$(wrk_field "${F[$r,$k]}" "$key")"); done
  median "${vals[@]}"
}
medratio() {  # medratio KEY: median over rounds of load/base
  local key=$1 r vals=()
  for r in $(seq 1 "$ROUNDS"); do
    vals+=("$(ratio "$(wrk_field "${F[$r,load]}" "$key")" "$(wrk_field "${F[$r,base]}" "$key")")")
  done
  median "${vals[@]}"
}
medlogin() {  # median over rounds of logins/s ÷ ceiling
  local r vals=()
  for r in $(seq 1 "$ROUNDS"); do vals+=("$(ratio "$(wrk_field "${F[$r,logins]}" rps)" "${CEIL[$r]:-0}")"); done
  median "${vals[@]}"
}
sumall() {
  local k=$1 key=$2 r t=0
  for r in $(seq 1 "$ROUNDS"); do t=$((t + $(wrk_field "${F[$r,$k]}" "$key"))); done
  echo "$t"
}
statuses() {  # login statuses summed over rounds: "201: 123, 429: 4"
  cat "${F[@]}" 2>/dev/null | awk '/^login status [0-9]+:/ { sub(":", "", $3); n[$3] += $4 }
    END { s = ""; for (k in n) s = s (s == "" ? "" : ", ") k ": " n[k]; print (s == "" ? "none counted" : s) }'
}

P99R=$(medratio p99)
{
  echo "## Page views under login load ($(machine_line))"
  echo
  echo "Page views: \`wrk ${PAGE_ARGS[*]} /t/$ID?per_page=100\` ($HTML_BYTES bytes)."
  echo "Login load: \`wrk ${LOGIN_ARGS[*]/#$REPO_ROOT\//} /api/v1/session\` — $USERS logins in flight at once, correct passwords, $USERS users; it starts ${WARMUP} s before the loaded page views and ends 2 s after them."
  echo "agorad --workers $(nproc); client and server on the same machine."
  echo "$AGORAD_INFO."
  if [ "$ROUNDS" -gt 1 ]; then
    echo "$ROUNDS rounds; each number is the median over the rounds, each ratio the median of the per-round ratios."
  fi
  echo
  echo "| page views | req/s | p50 ms | p99 ms | max ms | non-2xx | socket errors |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  for k in base load; do
    label="alone (baseline)"; [ "$k" = base ] || label="under $USERS concurrent logins"
    echo "| $label | $(med "$k" rps) | $(med "$k" p50) | $(med "$k" p99) | $(med "$k" max) | $(sumall "$k" non2xx) | $(sumall "$k" errors) |"
  done
  echo "| ratio loaded / alone | $(medratio rps) | $(medratio p50) | $P99R | $(medratio max) | | |"
  echo
  echo "| logins | completed/s | p50 ms | p99 ms | statuses | socket errors |"
  echo "| --- | ---: | ---: | ---: | --- | ---: |"
  echo "| $USERS in flight | $(med logins rps) | $(med logins p50) | $(med logins p99) | $(statuses) | $(sumall logins errors) |"
  echo
  if [ -n "$PWHASH_RATE" ]; then
    echo "Argon2id ceiling of this machine, same run: libsodium alone (\`crypto_pwhash_str_verify\`, interactive limits, $(nproc) threads, bench/pwhash_rate.c) does $(median "${CEIL[@]}") checks/s; agorad's logins/s ÷ ceiling = $(medlogin) (the logins share the CPU with the page views for $DSEC of their $((WARMUP + DSEC + 2)) s)."
    echo
  fi
  echo "After the login wrk stopped, agorad went on hashing the logins left in flight for $(median "${IDLE[@]}") s (median)."
  echo
  if awk -v r="$P99R" 'BEGIN { exit !(r != "-" && r < 10) }'; then
    echo "Goal (page views must not stall: p99 under login load in the same order as alone): met, p99 ×$P99R."
  else
    echo "Goal (page views must not stall: p99 under login load in the same order as alone): NOT met, p99 ×$P99R."
  fi
  if [ "$ROUNDS" -gt 1 ]; then
    echo
    echo "| round | p99 alone ms | p99 under logins ms | ratio | logins/s | Argon2id ceiling/s |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: |"
    for r in $(seq 1 "$ROUNDS"); do
      a=$(wrk_field "${F[$r,base]}" p99); b=$(wrk_field "${F[$r,load]}" p99)
      echo "| $r | $a | $b | $(ratio "$b" "$a") | $(wrk_field "${F[$r,logins]}" rps) | ${CEIL[$r]:--} |"
    done
  fi
} | tee "$RUN/summary.md"
echo
echo "raw wrk output and logs: $RUN" >&2
