# shellcheck shell=bash
# Shared helpers for the agorad benchmarks (sourced by every bench/*.sh).
# Not meant to be run on its own.
#
# Conventions: everything listens on 127.0.0.1 only; every process a script starts is
# recorded by pid and stopped from the EXIT trap by that pid (never by name); every file
# written lives under WORK.

HOST=127.0.0.1
WORK=/tmp/agora-bench # the default work folder; a script's one argument (parse_options) overrides it
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
AGORAD=${AGORAD:-$REPO_ROOT/build/agorad}
AGORAD_PID=
AGORAD_URL=

die() { echo "${0##*/}: $*" >&2; exit 1; }
# usage: the script's header comment (line 2 up to `set -euo`), which is its --help.
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }
# want_int OPTION VALUE: a positive integer, or exit 2 naming the option.
want_int() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || { echo "${0##*/}: $1 wants a positive integer" >&2; exit 2; }; }

# parse_options SPEC... -- "$@": the command line of a bench script. Each SPEC is one of
#   --name=VAR       an option with a value (--name V or --name=V), stored in VAR
#   --name=VAR:int   the same, and the value must be a positive integer
#   --name=VAR=X     a flag that sets VAR to X
# and besides them: -h/--help (the usage, exit 0) and one positional argument, the work
# folder, stored in WORK. A missing value is the usage and exit 2; so is an unknown option.
# shellcheck disable=SC2034 # WORK is read by the script that sourced this file
parse_options() {
  local specs=() spec opt var kind val found
  while [ "$1" != -- ]; do specs+=("$1"); shift; done
  shift
  while [ $# -gt 0 ]; do
    case "$1" in
      -h|--help) usage; exit 0 ;;
      -*)
        found=
        for spec in "${specs[@]}"; do
          opt=${spec%%=*} var=${spec#*=}
          case "$var" in
            *=*) kind=flag val=${var#*=} var=${var%%=*} ;;
            *:int) kind=int var=${var%:int} ;;
            *) kind=value ;;
          esac
          if [ "$kind" = flag ]; then
            [ "$1" = "$opt" ] || continue
          elif [ "$1" = "$opt" ]; then
            [ $# -ge 2 ] || { usage >&2; exit 2; }
            val=$2
            shift
          elif [[ "$1" == "$opt="* ]]; then
            val=${1#"$opt="}
          else
            continue
          fi
          [ "$kind" != int ] || want_int "$opt" "$val"
          printf -v "$var" '%s' "$val"
          found=1
          break
        done
        [ -n "$found" ] || { echo "${0##*/}: unknown option $1" >&2; usage >&2; exit 2; } ;;
      *) WORK=$1 ;;
    esac
    shift
  done
}

# stop_on_exit FUNCTION...: however the script ends (done, failed, interrupted), run each
# FUNCTION (the stop_* of what it started, by pid) and keep the script's exit status.
stop_on_exit() {
  BENCH_STOPS=("$@")
  trap bench_stop_all EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}
bench_stop_all() {
  local rc=$? f
  trap - EXIT INT TERM
  for f in "${BENCH_STOPS[@]}"; do "$f"; done
  exit "$rc"
}
log() { echo "== $*" >&2; }

need_tools() {
  local t
  for t in "$@"; do
    command -v "$t" >/dev/null || die "$t is not installed (apt-get install -y $t)"
  done
}

# check_agorad: the binary exists (this script builds nothing).
check_agorad() {
  [ -x "$AGORAD" ] || die "no agorad at $AGORAD; build it first:
  cmake -S $REPO_ROOT -B $REPO_ROOT/build -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build $REPO_ROOT/build -j2
or point AGORAD=/path/to/agorad"
}

# work_dir DIR: absolute, created, never "/".
work_dir() {
  local w=$1
  case "$w" in /*) ;; *) w="$PWD/$w";; esac
  [ "$w" != / ] || die "refusing to use / as the work folder"
  mkdir -p "$w"
  (cd "$w" && pwd -P)
}

# seed_data DIR: a fresh data folder with board "bench", one thread of 100 posts.
seed_data() {
  local data=$1
  rm -rf "$data"
  "$AGORAD" seed --data "$data" --threads 1 --posts 100 >"$data.seed.log" 2>&1 \
    || die "agorad seed failed: $(cat "$data.seed.log")"
}

# seed_once DATA LOG SEED_ARGS...: `agorad seed --data DATA SEED_ARGS` unless DATA holds a
# complete seeding already (seeding is the slow part of the big benchmarks; a marker file
# says it finished, so an interrupted one is never reused; FRESH=1 seeds again). Extra set-up
# of the folder may follow in the caller's seed_extra function, when it defines one. Sets
# SEED_SECONDS and DB_MB.
seed_once() {
  local data=$1 log=$2
  shift 2
  if [ "${FRESH:-0}" = 1 ] || [ ! -e "$data/.seeded" ]; then
    rm -rf "$data"
    local t0
    t0=$(date +%s)
    "$AGORAD" seed --data "$data" "$@" >"$log" 2>&1 || die "agorad seed failed: $(tail -n 5 "$log")"
    if declare -F seed_extra >/dev/null; then seed_extra "$data" "$log"; fi
    echo "$(($(date +%s) - t0))" >"$data/.seeded"
    log "seeded in $(cat "$data/.seeded") s"
  fi
  SEED_SECONDS=$(cat "$data/.seeded")
  DB_MB=$(du -m "$data/agora.db" | awk '{ print $1 }')
}

# start_agorad DATA LOGPREFIX [SERVE ARGS...]: starts `agorad serve` on a free port with
# --workers $(nproc) (and any further arguments, e.g. --plugins DIR), waits for its
# "listening on HOST:PORT" line, sets AGORAD_PID and AGORAD_URL.
start_agorad() {
  local data=$1 pre=$2 line=
  shift 2
  "$AGORAD" serve --listen "$HOST:0" --data "$data" --workers "$(nproc)" --rate-limits 0,0,0 "$@" \
    </dev/null >"$pre.out" 2>"$pre.err" &
  AGORAD_PID=$!
  for _ in $(seq 1 100); do
    line=$(grep -m1 '^listening on ' "$pre.out" 2>/dev/null || true)
    [ -z "$line" ] || break
    running "$AGORAD_PID" || die "agorad exited at start: $(cat "$pre.err")"
    sleep 0.1
  done
  [ -n "$line" ] || die "agorad printed no 'listening on' line within 10 s (see $pre.out, $pre.err)"
  AGORAD_URL="http://${line#listening on }"
  log "agorad (pid $AGORAD_PID, $(nproc) workers${*:+, $*}) on $AGORAD_URL"
}

# running PID: the process exists and is not a zombie (a child of ours that has exited
# stays in /proc as a zombie until we wait for it).
running() {
  local st
  st=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# stop_agorad: SIGTERM by pid, SIGKILL after 15 s (agorad itself gives requests in
# flight a 10 s grace). Reports, on stderr, a stop that took more than 2 s or a non-zero
# exit status, and leaves the time it took in AGORAD_STOP_SECONDS.
AGORAD_STOP_SECONDS=
stop_agorad() {
  local pid=$AGORAD_PID rc=0 t0 t1 n=0
  [ -n "$pid" ] || return 0
  AGORAD_PID=
  t0=$(date +%s%N)
  if running "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    while running "$pid" && [ "$n" -lt 300 ]; do sleep 0.05; n=$((n + 1)); done
    if running "$pid"; then
      echo "agorad (pid $pid) did not stop within 15 s of SIGTERM; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || rc=$?
  t1=$(date +%s%N)
  AGORAD_STOP_SECONDS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
  if awk -v s="$AGORAD_STOP_SECONDS" 'BEGIN { exit !(s > 2) }'; then
    echo "note: agorad (pid $pid) took $AGORAD_STOP_SECONDS s to exit after SIGTERM" >&2
  fi
  [ "$rc" -eq 0 ] || echo "note: agorad (pid $pid) exited with status $rc" >&2
}

# wait_idle: waits (at most 60 s) until agorad uses less than 5% of a CPU over half a
# second, e.g. while it still hashes the passwords of logins whose clients have gone.
# Prints the seconds it waited.
wait_idle() {
  local pid=$AGORAD_PID a b n=0 hz
  hz=$(getconf CLK_TCK)
  while [ "$n" -lt 120 ] && running "$pid"; do
    a=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
    sleep 0.5
    b=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo "$a")
    [ $(((b - a) * 100)) -ge $((hz * 5 / 2)) ] || break
    n=$((n + 1))
  done
  awk -v n="$n" 'BEGIN { printf "%.1f", n * 0.5 }'
}

# agorad_alive: dies with the tail of the log when the server is gone.
agorad_alive() {
  if [ -n "$AGORAD_PID" ] && running "$AGORAD_PID"; then return 0; fi
  die "agorad is no longer running; stderr tail: $(tail -n 20 "$1" 2>/dev/null)"
}

# bench_thread_id: the id of the seeded thread, from GET /api/v1/boards/bench.
bench_thread_id() {
  local j id
  j=$(curl -sS --fail "$AGORAD_URL/api/v1/boards/bench") || die "GET /api/v1/boards/bench failed"
  id=$(grep -oE '"threads": *\[ *\{ *"id": *[0-9]+' <<<"$j" | grep -oE '[0-9]+$' || true)
  [ -n "$id" ] || die "no thread in board bench: $j"
  echo "$id"
}

# check_thread_pages ID OUTDIR: both pages answer 200 and carry 100 posts.
# Prints "HTML_BYTES JSON_BYTES".
check_thread_pages() {
  local id=$1 dir=$2 code n hb jb
  code=$(curl -sS -o "$dir/thread.html" -w '%{http_code}' "$AGORAD_URL/t/$id?per_page=100")
  [ "$code" = 200 ] || die "GET /t/$id?per_page=100 answered $code"
  n=$(grep -o '<article class="post ' "$dir/thread.html" | wc -l)
  [ "$n" -eq 100 ] || die "/t/$id?per_page=100 shows $n posts, expected 100 (see $dir/thread.html)"
  code=$(curl -sS -o "$dir/thread.json" -w '%{http_code}' "$AGORAD_URL/api/v1/threads/$id?per_page=100")
  [ "$code" = 200 ] || die "GET /api/v1/threads/$id?per_page=100 answered $code"
  n=$(grep -o '"body_html":' "$dir/thread.json" | wc -l)
  [ "$n" -eq 100 ] || die "/api/v1/threads/$id?per_page=100 has $n posts, expected 100 (see $dir/thread.json)"
  hb=$(wc -c <"$dir/thread.html"); jb=$(wc -c <"$dir/thread.json")
  echo "$hb $jb"
}

# to_ms VALUE: a wrk duration (850.00us, 12.3ms, 1.20s, 2.00m) in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.2f", n }'
}

# wrk_field FILE KEY: one number out of a wrk --latency report, in ms for latencies.
#   KEY: rps, p50, p75, p90, p99, avg, max, requests, non2xx, errors (all socket errors summed)
wrk_field() {
  local f=$1 k=$2 v
  case "$k" in
    rps) v=$(awk '/^Requests\/sec:/ {print $2}' "$f") ;;
    p50|p75|p90|p99) v=$(awk -v p="${k#p}%" '$1 == p {print $2; exit}' "$f"); v=$(to_ms "${v:-0}") ;;
    avg) v=$(awk '$1 == "Latency" && $2 ~ /^[0-9]/ {print $2; exit}' "$f"); v=$(to_ms "${v:-0}") ;;
    max) v=$(awk '$1 == "Latency" && $2 ~ /^[0-9]/ {print $4; exit}' "$f"); v=$(to_ms "${v:-0}") ;;
    requests) v=$(awk '/ requests in / {print $1; exit}' "$f") ;;
    non2xx) v=$(awk -F: '/Non-2xx or 3xx responses/ {gsub(/ /, "", $2); print $2}' "$f") ;;
    errors) v=$(awk '/Socket errors:/ {gsub(/,/, ""); print $4 + $6 + $8 + $10}' "$f") ;;
    *) die "wrk_field: unknown key $k" ;;
  esac
  echo "${v:-0}"
}

# ratio A B: A/B with two decimals, three below 0.1 ("-" when B is 0 or missing).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else if (a / b < 0.1) printf "%.3f", a / b; else printf "%.2f", a / b }'; }

# median of the arguments (numbers; "-" ignored).
median() {
  printf '%s\n' "$@" | grep -vx -- '-' | sort -g | awk '{ a[NR] = $1 } END {
    if (NR == 0) { print "-"; exit }
    m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
    printf (m < 0.1 && m > -0.1 && m != 0) ? "%.3f" : "%.2f", m }'
}

# warm_up URL [wrk args...]: 2 s of wrk whose numbers are thrown away (caches, first
# connections, CPU frequency), so the first measured run is not the odd one out.
warm_up() {
  local url=$1; shift
  wrk -t2 -c16 -d2s "$@" "$url" >/dev/null 2>&1 || die "wrk (warm-up) failed against $url"
  sleep 1
}

# agorad_line: which agorad was measured (path, git commit of the source tree when the run
# starts, modification time of the binary).
agorad_line() {
  local c d=""
  c=$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
  d=$(git -C "$REPO_ROOT" status --porcelain -- daemon web plugins 2>/dev/null | awk '{ print $NF }' | head -n 5 | tr '\n' ' ' | sed 's/ $//')
  [ -z "$d" ] || d=" + uncommitted changes ($d)"
  echo "agorad: $AGORAD, source at commit $c$d, binary dated $(date -u -r "$AGORAD" '+%Y-%m-%d %H:%M UTC')"
}

# machine_line: what the numbers were measured on.
machine_line() {
  echo "$(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || echo unknown)), Linux $(uname -r), $(date -u '+%Y-%m-%d %H:%M UTC')"
}
