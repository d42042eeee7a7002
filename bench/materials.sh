#!/usr/bin/env bash
# Materials: agorad's memory during a 50 MiB upload, and download throughput next to nginx
# serving the same file, measured in the same run.
#
# Usage: bench/materials.sh [WORK] [--rounds N]
#
#   WORK         folder for everything this script writes (default /tmp/agora-bench)
#   --rounds N   repeat the whole set N times (default 1); with N > 1 the summary gives the
#                median of each number and of each ratio (a ratio: median of per-round ratios)
#
# What it does: makes one file of 50 MiB random bytes and starts nginx (own nginx.conf under
# WORK, 127.0.0.1 only, sendfile on) serving it. Then, per round: a fresh data folder with an
# admin and a lecturer (`agorad user add`), build/agorad (or $AGORAD) started with
# --workers $(nproc) on 127.0.0.1, both log in (POST /api/v1/session), the admin creates board
# "lib", a warm-up request; then VmRSS/VmHWM of agorad are read from /proc/PID/status, the
# peak (VmHWM) is reset (`echo 5 > /proc/PID/clear_refs`, so the ~64 MiB Argon2id of the two
# logins is not counted) and the lecturer uploads the file once with curl
# (POST /api/v1/materials, multipart), timed, while VmRSS is sampled every 20 ms. Growth of
# peak RSS = VmHWM after the upload - VmRSS before it; goal: under 64 MiB. The download
# (GET /materials/ID/download) must be byte-identical (sha256sum). Then
# `wrk -t2 -c8 -d10s --latency --timeout 60s` against agorad's download URL and against nginx
# (the order alternates between rounds), and MiB/s of both and their ratio (goal: >= 0.5).
# Every agorad download also writes to SQLite (the download counters); that is part of what
# is measured, and the counter is checked against wrk's count afterwards.
#
# Environment: AGORAD (binary), DURATION (wrk -d, default 10s), CONNS (wrk -c, default 8),
# NGINX (binary, default: nginx on PATH or /usr/sbin/nginx; installs nginx-light if
# missing), NGINX_PORT (default: the first free port from 18480). FILE_MIB (default 50).
# Builds nothing. Results: WORK/materials-YYYYmmdd-HHMMSS/ (raw wrk output, RSS samples,
# logs and summary.md).
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"


ROUNDS=1
parse_options --rounds=ROUNDS -- "$@"
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "materials.sh: --rounds wants a positive integer" >&2; exit 2; }

# shellcheck source-path=SCRIPTDIR

DURATION=${DURATION:-10s}
CONNS=${CONNS:-8}
FILE_MIB=${FILE_MIB:-50}
GOAL_RSS_MIB=64
GOAL_RATIO=0.5
PASSWORD='a-long-password'
WRK_ARGS=(-t2 "-c$CONNS" "-d$DURATION" --latency --timeout 60s)
WORK=$(work_dir "$WORK")
RUN="$WORK/materials-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$RUN"

check_agorad
AGORAD_INFO=$(agorad_line)  # taken now: the source tree may move on during the run
need_tools wrk curl awk sha256sum head

# ---------------------------------------------------------------- nginx

NGINX=${NGINX:-$(command -v nginx || true)}
if [ -z "$NGINX" ] && [ -x /usr/sbin/nginx ]; then NGINX=/usr/sbin/nginx; fi
if [ -z "$NGINX" ]; then
  log "installing nginx-light"
  before=$(cat /run/nginx.pid 2>/dev/null || true)
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx-light >"$RUN/apt.log" 2>&1 \
    || die "apt-get install nginx-light failed (see $RUN/apt.log)"
  NGINX=/usr/sbin/nginx
  [ -x "$NGINX" ] || die "nginx-light installed but no $NGINX"
  # The package may start the system service (port 80): stop only one that the install started.
  after=$(cat /run/nginx.pid 2>/dev/null || true)
  if [ -z "$before" ] && [ -n "$after" ] && [ -r "/proc/$after/cmdline" ]; then
    log "stopping the system nginx the package started (pid $after)"
    kill -TERM "$after" 2>/dev/null || true
  fi
fi

port_free() { ! (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

NGINX_PID=
SAMPLER_PID=
stop_nginx() {
  local pid=$NGINX_PID n=0
  [ -n "$pid" ] || return 0
  NGINX_PID=
  if running "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    while running "$pid" && [ "$n" -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
    if running "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  wait "$pid" 2>/dev/null || true
}
stop_sampler() {
  local pid=$SAMPLER_PID
  [ -n "$pid" ] || return 0
  SAMPLER_PID=
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
stop_on_exit stop_sampler stop_agorad stop_nginx

log "results in $RUN"

# The file: random bytes (incompressible, no dedup), served by nginx from WWW.
WWW="$RUN/www"
mkdir -p "$WWW"
FILE="$WWW/material.bin"
head -c $((FILE_MIB * 1024 * 1024)) /dev/urandom >"$FILE"
FILE_BYTES=$(wc -c <"$FILE")
FILE_SHA=$(sha256sum "$FILE" | awk '{ print $1 }')
chmod 755 "$WWW"; chmod 644 "$FILE"
log "file: $FILE_BYTES bytes, sha256 $FILE_SHA"

NG="$RUN/nginx"
mkdir -p "$NG/tmp"
if [ -z "${NGINX_PORT:-}" ]; then
  for p in $(seq 18480 18580); do if port_free "$p"; then NGINX_PORT=$p; break; fi; done
  [ -n "${NGINX_PORT:-}" ] || die "no free port in 18480-18580 for nginx (set NGINX_PORT)"
fi
port_free "$NGINX_PORT" || die "port $NGINX_PORT on $HOST is in use (set NGINX_PORT)"
nv=$("$NGINX" -V 2>&1)
temps="client_body_temp_path $NG/tmp/body;"
grep -q -- '--without-http_proxy_module' <<<"$nv" || temps+=" proxy_temp_path $NG/tmp/proxy;"
grep -q -- '--without-http_fastcgi_module' <<<"$nv" || temps+=" fastcgi_temp_path $NG/tmp/fastcgi;"
grep -q -- '--without-http_uwsgi_module' <<<"$nv" || temps+=" uwsgi_temp_path $NG/tmp/uwsgi;"
grep -q -- '--without-http_scgi_module' <<<"$nv" || temps+=" scgi_temp_path $NG/tmp/scgi;"
userline=
# As root, workers would otherwise switch to www-data, which may not be able to read WORK.
[ "$(id -u)" -ne 0 ] || userline="user root;"
cat >"$NG/nginx.conf" <<EOF
# Generated by bench/materials.sh: the benchmark's file as a static download.
$userline
daemon off;
master_process on;
worker_processes auto;
pid $NG/nginx.pid;
error_log $NG/error.log warn;
events { worker_connections 1024; }
http {
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    $temps
    server {
        listen $HOST:$NGINX_PORT;
        server_name localhost;
        root $WWW;
    }
}
EOF
"$NGINX" -t -q -p "$NG/" -e "$NG/error.log" -c "$NG/nginx.conf" >"$NG/test.log" 2>&1 \
  || die "nginx rejected $NG/nginx.conf: $(cat "$NG/test.log")"
"$NGINX" -p "$NG/" -e "$NG/error.log" -c "$NG/nginx.conf" </dev/null >"$NG/stdout.log" 2>&1 &
NGINX_PID=$!
NGINX_URL="http://$HOST:$NGINX_PORT/material.bin"
ok=
for _ in $(seq 1 100); do
  if curl -sf -o /dev/null "$NGINX_URL"; then ok=1; break; fi
  running "$NGINX_PID" || die "nginx exited: $(cat "$NG/error.log" "$NG/stdout.log" 2>/dev/null)"
  sleep 0.1
done
[ -n "$ok" ] || die "nginx did not answer on $NGINX_URL"
[ "$(curl -sS "$NGINX_URL" | sha256sum | awk '{ print $1 }')" = "$FILE_SHA" ] || die "nginx does not serve the file unchanged"
log "nginx (pid $NGINX_PID, $("$NGINX" -v 2>&1 | sed 's/.*version: //')) on $NGINX_URL"

# ---------------------------------------------------------------- helpers

# kb PID KEY: one field of /proc/PID/status, in kB (VmRSS, VmHWM, RssAnon, RssFile).
kb() { awk -v k="$2:" '$1 == k { print $2; exit }' "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# session USER: a bearer token from POST /api/v1/session.
session() {
  local j t
  j=$(curl -sS -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$PASSWORD\"}" "$AGORAD_URL/api/v1/session") \
    || die "POST /api/v1/session for $1 failed"
  t=$(sed -nE 's/.*"token": *"([^"]+)".*/\1/p' <<<"$j")
  [ -n "$t" ] || die "no token for $1: $j"
  echo "$t"
}

# json_num FILE KEY: the first "KEY": NUMBER in a JSON file.
json_num() { grep -oE "\"$2\": *[0-9]+" "$1" | head -n1 | grep -oE '[0-9]+$' || true; }

# mibps FILE: wrk's Transfer/sec in MiB/s (wrk prints binary units: 1 MB = 2^20 bytes).
mibps() {
  awk '/^Transfer\/sec:/ { v = $2; n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "B") n /= 1048576; else if (u == "KB") n /= 1024; else if (u == "GB") n *= 1024; else if (u == "TB") n *= 1048576
    printf "%.0f", n; found = 1 } END { if (!found) print 0 }' "$1"
}

# sampler PID OUT INTERVAL: "ms VmRSS RssAnon RssFile" (kB, ms since start) every INTERVAL
# seconds, until killed.
sampler() {
  local pid=$1 out=$2 every=$3 t0 now
  t0=$(date +%s%N)
  while [ -r "/proc/$pid/status" ]; do
    now=$(date +%s%N)
    awk -v t=$(((now - t0) / 1000000)) '$1 == "VmRSS:" { a = $2 } $1 == "RssAnon:" { b = $2 }
      $1 == "RssFile:" { c = $2 } END { print t, a, b, c }' "/proc/$pid/status" >>"$out" 2>/dev/null || break
    sleep "$every"
  done
}
start_sampler() { : >"$2"; sampler "$1" "$2" "$3" & SAMPLER_PID=$!; }
# colmax FILE COLUMN: the largest value in that column of a sampler file.
colmax() { awk -v c="$2" 'BEGIN { m = 0 } $c + 0 > m { m = $c + 0 } END { print m }' "$1"; }

# cpu_ticks PID...: user + system CPU ticks of these processes, and of their children that are
# still running (nginx's workers are children of the master we started).
cpu_ticks() {
  local pids=("$@") p kids
  for p in "$@"; do
    kids=$(cat "/proc/$p/task/"*/children 2>/dev/null || true)
    # shellcheck disable=SC2206
    pids+=($kids)
  done
  for p in "${pids[@]}"; do awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || true; done |
    awk '{ t += $1 } END { print t + 0 }'
}
HZ=$(getconf CLK_TCK)

declare -A V  # V[round,key] = value
declare -A FILE_OF  # FILE_OF[round,name] = wrk output

run_wrk() {  # run_wrk ROUND NAME URL SERVER_PID: also the server's CPU seconds per GiB sent
  local r=$1 name=$2 url=$3 pid=$4 out c0 c1
  out="$RUN/r$r-$name.txt"
  c0=$(cpu_ticks "$pid")
  wrk "${WRK_ARGS[@]}" "$url" >"$out" 2>&1 || die "wrk failed against $url (see $out)"
  c1=$(cpu_ticks "$pid")
  FILE_OF[$r,$name]=$out
  # wrk's "Transfer/sec" x duration = bytes read; CPU s per GiB = ticks / HZ / GiB.
  V[$r,cpu_$name]=$(awk -v t=$((c1 - c0)) -v hz="$HZ" -v m="$(mibps "$out")" -v d="$(awk '/ requests in / { print $4 + 0; exit }' "$out")" \
    'BEGIN { g = m * d / 1024; if (g > 0) printf "%.2f", t / hz / g; else print "-" }')
  log "round $r $name: $(mibps "$out") MiB/s, $(wrk_field "$out" rps) downloads/s, p99 $(wrk_field "$out" p99) ms, non-2xx $(wrk_field "$out" non2xx), socket errors $(wrk_field "$out" errors), server CPU ${V[$r,cpu_$name]} s/GiB"
}

# ---------------------------------------------------------------- rounds

for r in $(seq 1 "$ROUNDS"); do
  DATA="$RUN/data-r$r"
  rm -rf "$DATA"
  for u in admin:admin lect:lecturer; do
    AGORA_PASSWORD=$PASSWORD "$AGORAD" user add "${u%%:*}" --role "${u#*:}" --data "$DATA" \
      >>"$RUN/r$r-users.log" 2>&1 || die "agorad user add ${u%%:*} failed: $(cat "$RUN/r$r-users.log")"
  done
  start_agorad "$DATA" "$RUN/r$r-agorad"
  ADMIN=$(session admin)
  code=$(curl -sS -o "$RUN/r$r-board.json" -w '%{http_code}' -H "Authorization: Bearer $ADMIN" \
    -H 'Content-Type: application/json' -d '{"slug":"lib","title":"Library"}' "$AGORAD_URL/api/v1/boards")
  [ "$code" = 201 ] || die "POST /api/v1/boards answered $code: $(cat "$RUN/r$r-board.json")"
  LECT=$(session lect)
  # Warm-up: a few ordinary requests, then let the pool threads settle.
  for path in /healthz /api/v1/boards /api/v1/materials?board=lib; do
    curl -sSf -o /dev/null "$AGORAD_URL$path" || die "warm-up GET $path failed"
  done
  sleep 1
  P=$AGORAD_PID
  V[$r,rss0]=$(kb "$P" VmRSS); V[$r,hwm0]=$(kb "$P" VmHWM)
  # Reset the peak so that VmHWM below is the peak of the upload alone (Linux >= 4.0).
  if echo 5 >"/proc/$P/clear_refs" 2>/dev/null; then V[$r,reset]=yes; else V[$r,reset]=no; fi
  V[$r,hwm_reset]=$(kb "$P" VmHWM)
  log "round $r before upload: VmRSS $(mib "${V[$r,rss0]}") MiB, VmHWM $(mib "${V[$r,hwm0]}") MiB (logins' Argon2id), after reset $(mib "${V[$r,hwm_reset]}") MiB"

  start_sampler "$P" "$RUN/r$r-rss-upload.txt" 0.02
  sleep 0.1
  code=$(curl -sS -o "$RUN/r$r-upload.json" -w '%{http_code} %{time_total} %{speed_upload}' \
    -H "Authorization: Bearer $LECT" -H 'Expect:' \
    -F title=Bench -F board=lib -F "file=@$FILE;type=application/octet-stream" \
    "$AGORAD_URL/api/v1/materials") || die "upload failed (curl)"
  read -r ucode utime uspeed <<<"$code"
  V[$r,upload_s]=$(awk -v t="$utime" 'BEGIN { printf "%.2f", t }')
  sleep 0.5  # a last sample or two after the answer
  stop_sampler
  [ "$ucode" = 201 ] || die "upload answered $ucode: $(cat "$RUN/r$r-upload.json")"
  V[$r,upload_mibps]=$(awk -v s="$uspeed" 'BEGIN { printf "%.0f", s / 1048576 }')
  V[$r,rss1]=$(kb "$P" VmRSS); V[$r,hwm1]=$(kb "$P" VmHWM)
  V[$r,growth]=$(awk -v a="${V[$r,hwm1]}" -v b="${V[$r,rss0]}" 'BEGIN { printf "%.1f", (a - b) / 1024 }')
  V[$r,sampled_max]=$(colmax "$RUN/r$r-rss-upload.txt" 2)
  sleep 1
  V[$r,rss2]=$(kb "$P" VmRSS)
  ID=$(json_num "$RUN/r$r-upload.json" id)
  size=$(json_num "$RUN/r$r-upload.json" size)
  sha=$(grep -oE '"sha256": *"[0-9a-f]+"' "$RUN/r$r-upload.json" | grep -oE '[0-9a-f]{64}' || true)
  [ -n "$ID" ] || die "no material id in $(cat "$RUN/r$r-upload.json")"
  [ "$size" = "$FILE_BYTES" ] || die "material $ID has size $size, expected $FILE_BYTES"
  [ "$sha" = "$FILE_SHA" ] || die "material $ID has sha256 $sha, expected $FILE_SHA"
  log "round $r upload: ${V[$r,upload_s]} s (${V[$r,upload_mibps]} MiB/s), VmHWM $(mib "${V[$r,hwm1]}") MiB, growth of peak RSS ${V[$r,growth]} MiB (goal < $GOAL_RSS_MIB), VmRSS after $(mib "${V[$r,rss1]}") MiB, 1 s later $(mib "${V[$r,rss2]}") MiB"

  URL="$AGORAD_URL/materials/$ID/download"
  got=$(curl -sS -D "$RUN/r$r-download.hdr" "$URL" | sha256sum | awk '{ print $1 }')
  [ "$got" = "$FILE_SHA" ] || die "download of material $ID is not byte-identical (sha256 $got)"
  grep -qi '^HTTP/1.1 200' "$RUN/r$r-download.hdr" || die "download did not answer 200: $(head -n1 "$RUN/r$r-download.hdr")"
  log "round $r download of material $ID is byte-identical"

  # Downloads: warm both up, then measure; the order alternates between rounds.
  warm_up "$URL" --timeout 60s
  warm_up "$NGINX_URL" --timeout 60s
  curl -sS -o "$RUN/r$r-before.json" "$AGORAD_URL/api/v1/materials/$ID"
  echo 5 >"/proc/$P/clear_refs" 2>/dev/null || true
  V[$r,rss3]=$(kb "$P" VmRSS); V[$r,file3]=$(kb "$P" RssFile)
  # agorad's RSS is sampled (every 0.2 s) during both wrk runs, so both carry the same cost.
  for name in $(if [ $((r % 2)) -eq 1 ]; then echo agorad nginx; else echo nginx agorad; fi); do
    start_sampler "$P" "$RUN/r$r-rss-$name.txt" 0.2
    if [ "$name" = agorad ]; then
      run_wrk "$r" agorad "$URL" "$P"; agorad_alive "$RUN/r$r-agorad.err"
      V[$r,hwm3]=$(kb "$P" VmHWM)
    else
      run_wrk "$r" nginx "$NGINX_URL" "$NGINX_PID"
    fi
    stop_sampler
    [ "$name" = "$(if [ $((r % 2)) -eq 1 ]; then echo nginx; else echo agorad; fi)" ] || sleep 2
  done
  V[$r,dl_growth]=$(awk -v a="${V[$r,hwm3]}" -v b="${V[$r,rss3]}" 'BEGIN { printf "%.1f", (a - b) / 1024 }')
  V[$r,dl_file]=$(awk -v a="$(colmax "$RUN/r$r-rss-agorad.txt" 4)" -v b="${V[$r,file3]}" 'BEGIN { printf "%.1f", (a - b) / 1024 }')
  # The download counter: one increment per download agorad started answering.
  curl -sS -o "$RUN/r$r-after.json" "$AGORAD_URL/api/v1/materials/$ID"
  c0=$(json_num "$RUN/r$r-before.json" downloads); c1=$(json_num "$RUN/r$r-after.json" downloads)
  V[$r,counted]=$((c1 - c0))
  V[$r,wrk_done]=$(wrk_field "${FILE_OF[$r,agorad]}" requests)
  got=$(curl -sS "$URL" | sha256sum | awk '{ print $1 }')
  [ "$got" = "$FILE_SHA" ] || die "after the load, the download is no longer byte-identical"
  log "round $r: downloads counted by agorad ${V[$r,counted]}, completed by wrk ${V[$r,wrk_done]}; peak RSS growth during downloads ${V[$r,dl_growth]} MiB (file-backed, sampled: ${V[$r,dl_file]} MiB)"

  stop_agorad
  V[$r,stop_s]=$AGORAD_STOP_SECONDS
  V[$r,err_lines]=$(wc -l <"$RUN/r$r-agorad.err")
  rm -rf "$DATA"  # 50 MiB per round
  [ "$r" -eq "$ROUNDS" ] || sleep 2
done

# ---------------------------------------------------------------- report

medv() {  # medv KEY: median over the rounds of V[r,KEY]
  local k=$1 r vals=()
  for r in $(seq 1 "$ROUNDS"); do vals+=("${V[$r,$k]}"); done
  median "${vals[@]}"
}
medk() {  # medk KEY: median over the rounds of V[r,KEY] (kB) in MiB
  local k=$1 r vals=()
  for r in $(seq 1 "$ROUNDS"); do vals+=("$(mib "${V[$r,$k]}")"); done
  median "${vals[@]}"
}
medw() {  # medw NAME KEY: median over the rounds of a wrk number (KEY mib: MiB/s)
  local n=$1 k=$2 r vals=()
  for r in $(seq 1 "$ROUNDS"); do
    if [ "$k" = mib ]; then vals+=("$(mibps "${FILE_OF[$r,$n]}")"); else vals+=("$(wrk_field "${FILE_OF[$r,$n]}" "$k")"); fi
  done
  if [ "$k" = mib ]; then median "${vals[@]}" | awk '{ printf "%.0f", $1 }'; else median "${vals[@]}"; fi
}
sumw() {  # sumw NAME KEY: total over the rounds (non2xx, errors)
  local n=$1 k=$2 r t=0
  for r in $(seq 1 "$ROUNDS"); do t=$((t + $(wrk_field "${FILE_OF[$r,$n]}" "$k"))); done
  echo "$t"
}
ratio_med() {  # ratio_med [KEY]: median of the per-round agorad/nginx ratios (default MiB/s; cpu: CPU s/GiB)
  local k=${1:-mib} r vals=() a b
  for r in $(seq 1 "$ROUNDS"); do
    case "$k" in
      mib) a=$(mibps "${FILE_OF[$r,agorad]}"); b=$(mibps "${FILE_OF[$r,nginx]}") ;;
      cpu) a=${V[$r,cpu_agorad]}; b=${V[$r,cpu_nginx]} ;;
      *) a=$(wrk_field "${FILE_OF[$r,agorad]}" "$k"); b=$(wrk_field "${FILE_OF[$r,nginx]}" "$k") ;;
    esac
    vals+=("$(ratio "$a" "$b")")
  done
  median "${vals[@]}"
}
verdict() { awk -v v="$1" -v g="$2" -v dir="$3" 'BEGIN { ok = (dir == "lt") ? (v < g) : (v >= g); print ok ? "met" : "**not met**" }'; }

GROWTH=$(medv growth)
RATIO=$(ratio_med)
RESET_ALL=yes
for r in $(seq 1 "$ROUNDS"); do [ "${V[$r,reset]}" = yes ] || RESET_ALL=no; done
{
  echo "## Materials: 50 MiB upload and downloads ($(machine_line))"
  echo
  echo "File: $FILE_BYTES bytes of random data. agorad --workers $(nproc), max upload 50 MiB (default)."
  echo "$AGORAD_INFO. nginx $("$NGINX" -v 2>&1 | sed 's/.*version: //') (worker_processes auto, sendfile on)."
  echo "Downloads: \`wrk ${WRK_ARGS[*]}\`, client and servers on the same machine."
  if [ "$ROUNDS" -gt 1 ]; then
    echo "$ROUNDS rounds, each with a fresh agorad and data folder; each number is the median over the rounds, each ratio the median of the per-round ratios."
  fi
  echo
  echo "| upload (one per round) | value |"
  echo "| --- | ---: |"
  echo "| VmRSS after start-up, logins and warm-up, MiB | $(medk rss0) |"
  echo "| VmHWM at that point (the logins' Argon2id), MiB | $(medk hwm0) |"
  echo "| VmHWM after the upload (peak reset before it: $RESET_ALL), MiB | $(medk hwm1) |"
  echo "| **growth of peak RSS during the upload, MiB** (goal < $GOAL_RSS_MIB) | **$GROWTH** ($(verdict "$GROWTH" "$GOAL_RSS_MIB" lt)) |"
  echo "| highest VmRSS sampled every 20 ms, MiB | $(medk sampled_max) |"
  echo "| VmRSS right after the 201 / 1 s later, MiB | $(medk rss1) / $(medk rss2) |"
  echo "| upload time, s (curl, POST /api/v1/materials) | $(medv upload_s) |"
  echo "| upload rate, MiB/s | $(medv upload_mibps | awk '{ printf "%.0f", $1 }') |"
  echo "| download byte-identical (sha256) | yes, every round, also after the load |"
  if [ "$RESET_ALL" = no ]; then
    echo
    echo "Warning: /proc/PID/clear_refs could not reset the peak, so VmHWM after the upload may be the logins' Argon2id peak, not the upload's; trust the sampled VmRSS instead."
  fi
  echo
  echo "| downloads | MiB/s | downloads/s | p50 ms | p99 ms | server CPU s per GiB sent | non-2xx | socket errors |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  echo "| agorad \`/materials/ID/download\` | $(medw agorad mib) | $(medw agorad rps) | $(medw agorad p50) | $(medw agorad p99) | $(medv cpu_agorad) | $(sumw agorad non2xx) | $(sumw agorad errors) |"
  echo "| nginx, same file (static) | $(medw nginx mib) | $(medw nginx rps) | $(medw nginx p50) | $(medw nginx p99) | $(medv cpu_nginx) | $(sumw nginx non2xx) | $(sumw nginx errors) |"
  echo "| **ratio agorad / nginx** (goal >= $GOAL_RATIO) | **$RATIO** ($(verdict "$RATIO" "$GOAL_RATIO" ge)) | $(ratio_med rps) | $(ratio_med p50) | $(ratio_med p99) | $(ratio_med cpu) | | |"
  echo
  echo "agorad's peak RSS grew by $(medv dl_growth) MiB during its download run (median; of it file-backed, highest sample: $(medv dl_file) MiB)."
  echo
  echo "Per round:"
  echo
  echo "| round | RSS before MiB | upload: peak growth MiB | upload s | agorad MiB/s | nginx MiB/s | ratio | CPU s/GiB agorad / nginx | downloads counted / completed by wrk | downloads: peak RSS growth MiB (of it file-backed, sampled) | agorad exit s | agorad stderr lines |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for r in $(seq 1 "$ROUNDS"); do
    a=$(mibps "${FILE_OF[$r,agorad]}"); n=$(mibps "${FILE_OF[$r,nginx]}")
    echo "| $r | $(mib "${V[$r,rss0]}") | ${V[$r,growth]} | ${V[$r,upload_s]} | $a | $n | $(ratio "$a" "$n") | ${V[$r,cpu_agorad]} / ${V[$r,cpu_nginx]} | ${V[$r,counted]} / ${V[$r,wrk_done]} | ${V[$r,dl_growth]} (${V[$r,dl_file]}) | ${V[$r,stop_s]} | ${V[$r,err_lines]} |"
  done
} | tee "$RUN/summary.md"
echo
echo "raw wrk output, RSS samples and logs: $RUN" >&2
