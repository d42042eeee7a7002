#!/usr/bin/env bash
# Posting throughput with the three moderation plugins loaded versus none, in the same run.
#
# Usage: bench/plugins.sh [WORK] [--rounds N] [--users N] [--conns C] [--workers W] [--control]
#
#   WORK         folder for everything this script writes (default /tmp/agora-bench). Each
#                10 s run writes ~250 MB of posts; on a shared virtual disk the WAL checkpoints
#                add noise, so prefer a tmpfs: bench/plugins.sh /dev/shm/agora-bench
#   --rounds N   rounds (default 5); each round measures agorad without plugins and with the
#                three plugins, one after the other, alternating which goes first
#   --users N    members posting (default 200, at most 1000); each request takes the next
#                one's token. floodguard allows at most 1000 posts per author and minute, and
#                agorad takes several thousand posts a second here: keep N high enough that
#                no author reaches 1000 within one agorad's 13 s (a 429 fails the run)
#   --conns C    wrk connections (default 16; wrk threads: 2, or 1 when C is 1)
#   --workers W  agorad --workers (default 1). With one worker the single event loop is the
#                bottleneck (CPU-bound, ~100 % of one CPU), so every microsecond the plugins
#                take shows in posts/s: the strictest test of the goal, and the least noisy.
#                With 2 workers (what the other benchmarks use) the two workers' SQLite
#                connections wait for each other's write lock in SQLite's busy handler, which
#                sleeps on the event loop; posts/s then swings by ±50 % between runs of the
#                same binary (see docs/PERFORMANCE.md) and hides a 5 % effect
#   --control    A/A control: the second variant also runs WITHOUT plugins (everything else
#                the same), to show how far the ratio moves by noise alone
#
# What it does:
#  1. copies build/plugins/{wordfilter,linklimit,floodguard}.so (or $PLUGIN_BUILD/*.so) into
#     WORK/plugins with the configs of bench/plugins-conf/: wordfilter with 218 English and
#     Chinese words, none of which occurs in the posted text (checked); linklimit with its
#     defaults (the bench users are new accounts, so it checks every post; the body has 1 link);
#     floodguard with max_posts_per_minute 1000, so it keeps its per-author bookkeeping but
#     never refuses (a 429 would show as non-2xx).
#  2. seeds a template data folder (`agorad seed --threads 1 --posts 10`), adds N members with
#     `agorad user add`, starts agorad once to sign each one in (POST /api/v1/session) and keep
#     the bearer tokens, and stops it. Every measured agorad gets a fresh copy of this folder,
#     so both variants start from the same data and the same sessions.
#  3. sanity check on a throw-away copy, with a second plugin folder whose floodguard allows
#     2 posts a minute: the bench body is published (201), a body with a listed word is refused
#     (422, wordfilter), one with 3 links is held (202, linklimit), a third post within the
#     minute is refused with 429 (floodguard). So all three plugins are loaded and do their work.
#  4. per round, for each variant in turn: fresh data copy, `agorad serve --workers W
#     [--plugins WORK/plugins]`, 2 s of posting as warm-up, then
#     `wrk -tT -cC -dD --latency -s bench/post.lua` on POST /api/v1/threads/ID/posts (JSON
#     Markdown body bench/post.md, 1.5 KB: paragraphs, a list, a Chinese line, a link; bearer
#     tokens of the N members in turn). It counts the statuses (all must be 201), checks that
#     the thread's reply_count grew by at least the 201s and at most the requests sent (the
#     difference: posts whose answer wrk did not read before it stopped), reads agorad's CPU
#     time over the run, then stops agorad by pid.
#  5. unless cc or the plugin header is missing, builds bench/plugin_cost.c and measures the
#     plugins' check_post alone on the same body and configs (CPU ns per post), to set beside
#     agorad's CPU time per post.
# Report: posts/s without and with plugins, the ratio, p50/p99, agorad CPU time (all threads,
# from /proc) per post, per round and as medians (each ratio the median of the per-round
# ratios). Goal: under 5 % loss, judged on both the posts/s ratio (>= 0.95) and the CPU time
# per post (plugins / none <= 1/0.95); "unclear" when the two disagree.
#
# Environment: AGORAD (binary), PLUGIN_BUILD (folder with the three .so, default the plugins/
# folder of build/), DURATION (wrk -d, default 10s).
# Builds nothing of agorad. Results: WORK/plugins-YYYYmmdd-HHMMSS/ (raw wrk output, summary.md).
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROUNDS=5
USERS=200
CONNS=16
WORKERS=1
CONTROL=0
parse_options --rounds=ROUNDS:int --users=USERS:int --conns=CONNS:int --workers=WORKERS:int --control=CONTROL=1 -- "$@"
[ "$USERS" -le 1000 ] || { echo "plugins.sh: --users is at most 1000" >&2; exit 2; }

DURATION=${DURATION:-10s}
THREADS=2
[ "$CONNS" -ge 2 ] || THREADS=1
WRK_ARGS=("-t$THREADS" "-c$CONNS" "-d$DURATION" --latency --timeout 30s -s "$REPO_ROOT/bench/post.lua")
PLUGIN_BUILD=${PLUGIN_BUILD:-$REPO_ROOT/build/plugins}
PLUGINS=(wordfilter linklimit floodguard)
PASSWORD=bench-password-0123
PREFIX=poster
BODY="$REPO_ROOT/bench/post.md"
CONF="$REPO_ROOT/bench/plugins-conf"

WORK=$(work_dir "$WORK")
RUN="$WORK/plugins-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$RUN"
check_agorad
AGORAD_INFO=$(agorad_line)  # taken now: the source tree may move on during the run
need_tools wrk curl awk jq
for f in "$REPO_ROOT/bench/post.lua" "$BODY" "$CONF/wordfilter.conf" "$CONF/linklimit.conf" "$CONF/floodguard.conf"; do
  [ -r "$f" ] || die "missing $f"
done

stop_on_exit stop_agorad

log "results in $RUN"

# ---------------------------------------------------------------- 1. plugin folders
PDIR="$WORK/plugins"         # the measured one
CDIR="$WORK/plugins-check"   # sanity check: floodguard at 2 posts a minute
rm -rf "$PDIR" "$CDIR"
mkdir -p "$PDIR" "$CDIR"
for p in "${PLUGINS[@]}"; do
  [ -r "$PLUGIN_BUILD/$p.so" ] || die "no $PLUGIN_BUILD/$p.so; build the tree first, or set PLUGIN_BUILD"
  cp "$PLUGIN_BUILD/$p.so" "$PDIR/" && cp "$PLUGIN_BUILD/$p.so" "$CDIR/"
  cp "$CONF/$p.conf" "$PDIR/"
done
cp "$CONF/wordfilter.conf" "$CONF/linklimit.conf" "$CDIR/"
echo "max_posts_per_minute 2" >"$CDIR/floodguard.conf"
NWORDS=$(grep -cE '^(reject|hold) ' "$PDIR/wordfilter.conf")
PLUGIN_INFO=$(for p in "${PLUGINS[@]}"; do printf '%s.so (%s) ' "$p" "$(date -u -r "$PLUGIN_BUILD/$p.so" '+%Y-%m-%d %H:%M UTC')"; done)

# No listed word may occur in the body (white space runs count as one space, ASCII case ignored).
sed -nE 's/^(reject|hold) +//p' "$PDIR/wordfilter.conf" | tr -s '[:space:]' ' ' | sed 's/ $//' >"$RUN/words.txt"
tr -s '[:space:]' ' ' <"$BODY" >"$RUN/body.flat"
if hits=$(grep -F -i -o -f "$RUN/words.txt" "$RUN/body.flat"); then
  die "words of wordfilter.conf occur in $BODY: $(echo "$hits" | sort -u | tr '\n' ' ')"
fi
BODY_BYTES=$(wc -c <"$BODY")

# ---------------------------------------------------------------- 2. template data + tokens
TEMPLATE="$WORK/agora-data-posts"
seed_posts() {
  rm -rf "$TEMPLATE"
  "$AGORAD" seed --data "$TEMPLATE" --threads 1 --posts 10 >"$RUN/seed.log" 2>&1 \
    || die "agorad seed failed: $(cat "$RUN/seed.log")"
  log "creating $USERS members (${PREFIX}00 ..)"
  for i in $(seq 0 $((USERS - 1))); do
    AGORA_PASSWORD=$PASSWORD "$AGORAD" user add "$(printf '%s%02d' "$PREFIX" "$i")" --data "$TEMPLATE" >>"$RUN/users.log" 2>&1 \
      || die "agorad user add failed: $(tail -n 3 "$RUN/users.log")"
  done
}
seed_posts
start_agorad "$TEMPLATE" "$RUN/agorad-template" --workers "$WORKERS"
ID=$(bench_thread_id)
TOKENS="$RUN/tokens.txt"
: >"$TOKENS"
for i in $(seq 0 $((USERS - 1))); do
  name=$(printf '%s%02d' "$PREFIX" "$i")
  code=$(curl -sS -o "$RUN/login.json" -w '%{http_code}' -H 'Content-Type: application/json' \
    --data "{\"username\":\"$name\",\"password\":\"$PASSWORD\"}" "$AGORAD_URL/api/v1/session")
  [ "$code" = 201 ] || die "POST /api/v1/session for $name answered $code: $(cat "$RUN/login.json")"
  jq -er .token "$RUN/login.json" >>"$TOKENS" || die "no token in $(cat "$RUN/login.json")"
done
stop_agorad
log "thread $ID; $USERS members signed in (tokens in $TOKENS)"

fresh_copy() {  # fresh_copy DEST: a copy of the template data folder
  rm -rf "$1"
  cp -a "$TEMPLATE" "$1"
}
reply_count() {
  curl -sS --fail "$AGORAD_URL/api/v1/threads/$ID?per_page=1" | jq -er .thread.reply_count \
    || die "cannot read the reply_count of thread $ID"
}
post_once() {  # post_once TOKEN_INDEX JSON_BODY: prints the status
  local tok
  tok=$(sed -n "$(($1 + 1))p" "$TOKENS")
  curl -sS -o "$RUN/post.json" -w '%{http_code}' -H "Authorization: Bearer $tok" \
    -H 'Content-Type: application/json' --data "$2" "$AGORAD_URL/api/v1/threads/$ID/posts"
}

# ---------------------------------------------------------------- 3. sanity check
fresh_copy "$WORK/agora-data-posts-check"
start_agorad "$WORK/agora-data-posts-check" "$RUN/agorad-check" --workers "$WORKERS" --plugins "$CDIR"
BODY_JSON=$(jq -Rsc '{body: .}' "$BODY")
s1=$(post_once 0 "$BODY_JSON")
s2=$(post_once 1 '{"body":"Ask me about 代开发票 and more."}')
s3=$(post_once 2 '{"body":"See [a](https://a.example.org/), [b](https://b.example.org/) and [c](https://c.example.org/)."}')
s4=$(post_once 0 "$BODY_JSON")
s5=$(post_once 0 "$BODY_JSON")
stop_agorad
log "sanity check (floodguard at 2/min): bench body $s1, listed word $s2, 3 links $s3, same author again $s4 then $s5"
[ "$s1" = 201 ] || die "the bench body was not published with the plugins (status $s1: $(cat "$RUN/post.json"))"
[ "$s2" = 422 ] || die "wordfilter did not refuse a listed word (status $s2)"
[ "$s3" = 202 ] || die "linklimit did not hold a new member's post with 3 links (status $s3)"
if [ "$s4" != 201 ] || [ "$s5" != 429 ]; then
  die "floodguard did not refuse a third post within a minute (statuses $s4, $s5)"
fi

# ---------------------------------------------------------------- 4. the rounds
# per round,variant: wrk output, agorad CPU µs per post, posts stored, requests sent, answers
# 201, seconds agorad took to exit after SIGTERM, posts per author (read through namerefs)
# shellcheck disable=SC2034
declare -A F CPU STORED SENT OK STOPS PER_AUTHOR
VARIANTS=(none plugins)

wrk_posts() {  # wrk_posts OUT DURATION
  POST_TOKENS=$TOKENS POST_BODY=$BODY POST_THREAD=$ID \
    wrk "-t$THREADS" "-c$CONNS" "-d$2" "${WRK_ARGS[@]:3}" "$AGORAD_URL/api/v1/threads/$ID/posts" >"$1" 2>&1 \
    || die "wrk failed; see $1"
}
lua_count() {  # lua_count FILE KEY: "sent" or a status
  local f=$1 k=$2
  if [ "$k" = sent ]; then awk '/^post requests sent:/ { print $4 }' "$f"
  else awk -v s="$k" '$1 == "post" && $2 == "status" && $3 == s ":" { print $4 }' "$f"; fi | awk '{ t += $1 } END { print t + 0 }'
}
statuses() {  # statuses FILE...: "201: 123, 429: 4"
  cat "$@" | awk '/^post status [0-9]+:/ { sub(":", "", $3); n[$3] += $4 }
    END { s = ""; for (k in n) s = s (s == "" ? "" : ", ") k ": " n[k]; print (s == "" ? "none counted" : s) }'
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$AGORAD_PID/stat"; }

# shellcheck disable=SC2034  # STOPS and PER_AUTHOR are read through namerefs (maxarr)
measure() {  # measure ROUND VARIANT
  local r=$1 v=$2 data="$WORK/agora-data-posts-$2" out before after c0 c1 n201 sent hz
  fresh_copy "$data"
  if [ "$v" = plugins ] && [ "$CONTROL" = 0 ]; then
    start_agorad "$data" "$RUN/r$r-agorad-$v" --workers "$WORKERS" --plugins "$PDIR"
  else
    start_agorad "$data" "$RUN/r$r-agorad-$v" --workers "$WORKERS"
  fi
  wrk_posts "$RUN/r$r-$v-warmup.txt" 2s
  sleep 1
  before=$(reply_count)
  out="$RUN/r$r-$v.txt"
  c0=$(cpu_ticks)
  wrk_posts "$out" "$DURATION"
  c1=$(cpu_ticks)
  agorad_alive "$RUN/r$r-agorad-$v.err"
  sleep 0.5
  after=$(reply_count)
  stop_agorad
  rm -rf "$data"  # ~250 MB of posts per 10 s; WORK may be a tmpfs
  STOPS[$r,$v]=$AGORAD_STOP_SECONDS
  F[$r,$v]=$out
  n201=$(lua_count "$out" 201)
  sent=$(lua_count "$out" sent)
  OK[$r,$v]=$n201
  SENT[$r,$v]=$sent
  STORED[$r,$v]=$((after - before))
  # posts each author sent to this agorad (warm-up included), rounded up: must stay under 1000
  PER_AUTHOR[$r,$v]=$(( ($(lua_count "$RUN/r$r-$v-warmup.txt" sent) + sent + USERS - 1) / USERS ))
  hz=$(getconf CLK_TCK)
  # agorad CPU (all threads) per published post, in microseconds
  CPU[$r,$v]=$(awk -v t=$((c1 - c0)) -v hz="$hz" -v n="$n201" 'BEGIN { if (n > 0) printf "%.0f", t / hz * 1e6 / n; else print "-" }')
  log "round $r $v: $(wrk_field "$out" rps) posts/s, p50 $(wrk_field "$out" p50) ms, p99 $(wrk_field "$out" p99) ms; 201: $n201 of $(wrk_field "$out" requests); stored $((after - before)) (sent $sent); agorad CPU ${CPU[$r,$v]} µs/post"
  if [ "$(statuses "$out" "$RUN/r$r-$v-warmup.txt")" != "201: $((n201 + $(lua_count "$RUN/r$r-$v-warmup.txt" 201)))" ]; then
    log "round $r $v: NOT every answer was 201: $(statuses "$out") (warm-up: $(statuses "$RUN/r$r-$v-warmup.txt"))"
    if grep -q '^post status 429:' "$out" "$RUN/r$r-$v-warmup.txt"; then
      log "429 = floodguard refused: more than 1000 posts per author and minute; raise --users"
    fi
  fi
  if [ $((after - before)) -lt "$n201" ] || [ $((after - before)) -gt "$sent" ]; then
    log "round $r $v: reply_count grew by $((after - before)), outside [201s = $n201, sent = $sent]"
  fi
}

for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then order=(none plugins); else order=(plugins none); fi
  for v in "${order[@]}"; do
    measure "$r" "$v"
    sleep 1
  done
done

# ---------------------------------------------------------------- 5. the plugins alone
COST_NS=
if command -v cc >/dev/null && [ -r "$REPO_ROOT/plugins/include/agora/plugin.h" ] &&
  cc -O2 -I"$REPO_ROOT/plugins/include" -o "$WORK/plugin_cost" "$REPO_ROOT/bench/plugin_cost.c" -ldl >"$RUN/plugin_cost.build.log" 2>&1; then
  "$WORK/plugin_cost" "$PDIR" "$BODY" 200000 "$USERS" >"$RUN/plugin_cost.txt" 2>&1 || die "plugin_cost failed: $(cat "$RUN/plugin_cost.txt")"
  COST_NS=$(awk '/^plugins total/ { sub("ns_per_call=", "", $3); print $3 }' "$RUN/plugin_cost.txt")
  log "plugins alone: $(tr '\n' ';' <"$RUN/plugin_cost.txt")"
else
  log "cannot build bench/plugin_cost.c (cc?); no direct measure of the plugins (see $RUN/plugin_cost.build.log)"
fi

# ---------------------------------------------------------------- report
med() {  # med VARIANT KEY
  local v=$1 k=$2 r vals=()
  for r in $(seq 1 "$ROUNDS"); do vals+=("$(wrk_field "${F[$r,$v]}" "$k")"); done
  median "${vals[@]}"
}
medratio() {  # medratio KEY: median over rounds of plugins/none
  local k=$1 r vals=()
  for r in $(seq 1 "$ROUNDS"); do vals+=("$(ratio "$(wrk_field "${F[$r,plugins]}" "$k")" "$(wrk_field "${F[$r,none]}" "$k")")"); done
  median "${vals[@]}"
}
medarr() {  # medarr ARRAYNAME VARIANT
  local -n a=$1; local r vals=()
  for r in $(seq 1 "$ROUNDS"); do vals+=("${a[$r,$2]}"); done
  median "${vals[@]}"
}
rpsrange() {  # lowest–highest per-round posts/s ratio
  local r vals=()
  for r in $(seq 1 "$ROUNDS"); do vals+=("$(ratio "$(wrk_field "${F[$r,plugins]}" rps)" "$(wrk_field "${F[$r,none]}" rps)")"); done
  printf '%s\n' "${vals[@]}" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "–" hi }'
}
cpuratio() {
  local r vals=()
  for r in $(seq 1 "$ROUNDS"); do vals+=("$(ratio "${CPU[$r,plugins]}" "${CPU[$r,none]}")"); done
  median "${vals[@]}"
}
total() {  # total ARRAYNAME VARIANT
  local -n a=$1; local r t=0
  # shellcheck disable=SC2004
  for r in $(seq 1 "$ROUNDS"); do t=$((t + a[$r,$2])); done
  echo "$t"
}
maxarr() {  # maxarr ARRAYNAME: the largest value
  local -n a=$1
  printf '%s\n' "${a[@]}" | sort -n | tail -n 1
}
files() {  # files VARIANT: the measured wrk outputs of every round
  local r
  for r in $(seq 1 "$ROUNDS"); do echo "${F[$r,$1]}"; done
}
sumwrk() {
  local v=$1 k=$2 r t=0
  for r in $(seq 1 "$ROUNDS"); do t=$((t + $(wrk_field "${F[$r,$v]}" "$k"))); done
  echo "$t"
}

RPS_RATIO=$(medratio rps)
ALL_OK=1
for v in "${VARIANTS[@]}"; do
  for r in $(seq 1 "$ROUNDS"); do
    [ "$(wrk_field "${F[$r,$v]}" non2xx)" = 0 ] && [ "$(wrk_field "${F[$r,$v]}" errors)" = 0 ] || ALL_OK=0
    [ "${STORED[$r,$v]}" -ge "${OK[$r,$v]}" ] && [ "${STORED[$r,$v]}" -le "${SENT[$r,$v]}" ] || ALL_OK=0
  done
done
{
  echo "## Posting with and without the moderation plugins ($(machine_line))"
  echo
  echo "Load: \`wrk ${WRK_ARGS[*]/#$REPO_ROOT\//} /api/v1/threads/$ID/posts\` — authenticated replies (bearer tokens of $USERS members in turn), JSON body from bench/post.md ($BODY_BYTES bytes of Markdown, 1 link), after 2 s of warm-up posting."
  echo "Each variant runs on a fresh copy of the same data folder (\`agorad seed --threads 1 --posts 10\` + $USERS members), agorad --workers $WORKERS; the two variants alternate which goes first; client and server on the same machine."
  echo "Plugins: ${PLUGIN_INFO}with bench/plugins-conf/: wordfilter $NWORDS words (English and Chinese, none in the body), linklimit defaults, floodguard max_posts_per_minute 1000."
  echo "$AGORAD_INFO."
  echo "$ROUNDS rounds; each number is the median over the rounds, each ratio the median of the per-round ratios."
  if [ "$CONTROL" = 1 ]; then
    echo
    echo "**Control run (--control): the \"plugins\" variant ran WITHOUT plugins too.** The ratios below show the noise of this set-up, not the plugins."
  fi
  echo
  echo "| agorad | posts/s | p50 ms | p99 ms | agorad CPU µs/post | 201 | non-2xx | socket errors |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for v in "${VARIANTS[@]}"; do
    label="no plugins"; [ "$v" = none ] || label="wordfilter + linklimit + floodguard"
    [ "$CONTROL" = 0 ] || [ "$v" = none ] || label="no plugins either (control)"
    echo "| $label | $(med "$v" rps) | $(med "$v" p50) | $(med "$v" p99) | $(medarr CPU "$v") | $(total OK "$v") | $(sumwrk "$v" non2xx) | $(sumwrk "$v" errors) |"
  done
  echo "| **ratio plugins / none** | **$RPS_RATIO** | $(medratio p50) | $(medratio p99) | $(cpuratio) | | | |"
  echo
  echo "| round | first | posts/s none | posts/s plugins | ratio | p99 none | p99 plugins | CPU µs/post none | CPU µs/post plugins | CPU ratio |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for r in $(seq 1 "$ROUNDS"); do
    first=none; [ $((r % 2)) = 1 ] || first=plugins
    a=$(wrk_field "${F[$r,none]}" rps); b=$(wrk_field "${F[$r,plugins]}" rps)
    echo "| $r | $first | $a | $b | $(ratio "$b" "$a") | $(wrk_field "${F[$r,none]}" p99) | $(wrk_field "${F[$r,plugins]}" p99) | ${CPU[$r,none]} | ${CPU[$r,plugins]} | $(ratio "${CPU[$r,plugins]}" "${CPU[$r,none]}") |"
  done
  echo
  mapfile -t NONE_FILES < <(files none)
  mapfile -t PLUGIN_FILES < <(files plugins)
  echo "Statuses over all rounds: no plugins $(statuses "${NONE_FILES[@]}"); plugins $(statuses "${PLUGIN_FILES[@]}")."
  echo "Stored: the thread's reply_count grew by $(total STORED none) / $(total STORED plugins) (none / plugins) for $(total OK none) / $(total OK plugins) answers 201 and $(total SENT none) / $(total SENT plugins) requests sent (the difference: answers wrk did not read before it stopped, at most one per connection)."
  echo "Each author sent at most $(maxarr PER_AUTHOR) posts to one agorad (floodguard's limit: 1000 a minute). Every agorad exited within $(maxarr STOPS) s of SIGTERM."
  if [ -n "$COST_NS" ]; then
    NONE_CPU=$(medarr CPU none)
    echo
    echo "The plugins alone (bench/plugin_cost.c, same body and configs, one thread): $(awk '/^plugin / { sub("ns_per_call=", "", $3); printf "%s%s %s ns", sep, $2, $3; sep = ", " }' "$RUN/plugin_cost.txt"); together $COST_NS ns per post = $(awk -v c="$COST_NS" -v n="$NONE_CPU" 'BEGIN { if (n + 0 > 0) printf "%.2f", c / 10 / n; else print "-" }') % of agorad's CPU time per post without plugins ($NONE_CPU µs)."
  fi
  echo
  CPU_RATIO=$(cpuratio)
  RANGE=$(rpsrange)
  # Two measures of the loss: posts/s (plugins / none), and agorad's CPU time per post
  # (none / plugins: what posts/s would become if agorad were CPU-bound). Under 5 % loss
  # means a posts/s ratio of at least 0.95 and a CPU ratio of at most 1/0.95 = 1.053.
  T_OK=$(awk -v r="$RPS_RATIO" 'BEGIN { print (r >= 0.95) ? 1 : 0 }')
  C_OK=$(awk -v r="$CPU_RATIO" 'BEGIN { print (r <= 1 / 0.95) ? 1 : 0 }')
  C_LOSS=$(awk -v r="$CPU_RATIO" 'BEGIN { printf "%.1f", (1 - 1 / r) * 100 }')
  T_LOSS=$(awk -v r="$RPS_RATIO" 'BEGIN { printf "%.1f", (1 - r) * 100 }')
  WHAT="posts/s ratio $RPS_RATIO (loss $T_LOSS %; per round $RANGE), CPU per post ×$CPU_RATIO (loss $C_LOSS % when CPU-bound)"
  if [ "$CONTROL" = 1 ]; then
    echo "Control run, no goal to check: $WHAT."
  elif [ "$ALL_OK" = 0 ]; then
    echo "Goal: cannot tell — some answers were not 201, or the stored posts do not match (see above)."
  elif [ "$T_OK$C_OK" = 11 ]; then
    echo "Goal (under 5 % loss of posting throughput with the plugins): **met**: $WHAT."
  elif [ "$T_OK$C_OK" = 00 ]; then
    echo "Goal (under 5 % loss of posting throughput with the plugins): **NOT met**: $WHAT."
  else
    echo "Goal (under 5 % loss of posting throughput with the plugins): **unclear**, the two measures disagree: $WHAT. Compare with a --control run, use more rounds or a tmpfs WORK."
  fi
} | tee "$RUN/summary.md"
echo
echo "raw wrk output and logs: $RUN" >&2
[ "$ALL_OK" = 1 ]
