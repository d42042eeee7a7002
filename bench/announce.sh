#!/usr/bin/env bash
# An announcement to every member: how long the fan-out takes, what it costs page views
# meanwhile, and whether mail leaves at the configured rate — measured in one run.
#
# Usage: bench/announce.sh [WORK] [--members N] [--rate N] [--mail-seconds N]
#
#   WORK             folder for everything this script writes (default /tmp/agora-bench)
#   --members N      members to seed (default 100000); each has a confirmed address and
#                    every tenth wants notification e-mails at once
#   --rate N         agorad's --mail-rate, messages a minute (default 600)
#   --mail-seconds N how long the send rate is watched (default 60)
#
# What it does: seeds a data folder (the bench thread of 100 posts and N members with
# `agorad seed --members`), starts Debian's aiosmtpd as a sink on 127.0.0.1, starts agorad
# with --smtp at it and --mail-rate, and signs in the seed admin. Then: thread page views alone
# (wrk -t2 -c16 -d10s), and the same views while an announcement to everyone fans out (the POST
# is timed, then the fan-out until the announcement's done_at is set, polled every 100 ms);
# then agora_mail_sent_total over --mail-seconds against the configured rate. Prints a table.
# Every process it starts is stopped by pid. Results: WORK/announce-YYYYmmdd-HHMMSS/.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MEMBERS=100000
RATE=600
MAIL_SECONDS=60
parse_options --members=MEMBERS:int --rate=RATE:int --mail-seconds=MAIL_SECONDS:int -- "$@"
WORK=$(work_dir "$WORK")
RUN="$WORK/announce-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$RUN"
check_agorad
need_tools wrk curl awk sqlite3 /usr/bin/python3

SMTP_PID=
stop_smtp() { [ -z "$SMTP_PID" ] || { kill "$SMTP_PID" 2>/dev/null || true; wait "$SMTP_PID" 2>/dev/null || true; }; }
stop_on_exit stop_agorad stop_smtp

DATA="$WORK/announce-data"
rm -rf "$DATA"
log "seeding $MEMBERS members"
t0=$(date +%s%N)
"$AGORAD" seed --data "$DATA" --threads 1 --posts 100 --members "$MEMBERS" >"$RUN/seed.log" 2>&1 \
  || die "seed failed: $(cat "$RUN/seed.log")"
SEED_S=$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')

SMTP_PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
/usr/bin/python3 -m aiosmtpd -n -c aiosmtpd.handlers.Sink -l "$HOST:$SMTP_PORT" >"$RUN/smtp.log" 2>&1 &
SMTP_PID=$!
sleep 1
running "$SMTP_PID" || die "aiosmtpd did not start: $(cat "$RUN/smtp.log")"

start_agorad "$DATA" "$RUN/agorad" --smtp "smtp://$HOST:$SMTP_PORT" --base-url http://bench.example.org \
  --mail-from bench@example.org --mail-rate "$RATE"
ID=$(bench_thread_id)
URL="$AGORAD_URL/t/$ID?per_page=100"
TOKEN=$(curl -sS --fail -H 'Content-Type: application/json' \
  -d '{"username":"seed","password":"seed-password-not-for-login"}' "$AGORAD_URL/api/v1/session" |
  grep -oE '"token": *"[^"]+"' | sed 's/.*"\([^"]*\)"$/\1/')
[ -n "$TOKEN" ] || die "could not sign in as the seed admin"

warm_up "$URL"
wrk -t2 -c16 -d10s --latency "$URL" >"$RUN/alone.txt" 2>&1
log "alone: $(wrk_field "$RUN/alone.txt" rps) req/s, p99 $(wrk_field "$RUN/alone.txt" p99) ms"

wrk -t2 -c16 -d10s --latency "$URL" >"$RUN/during.txt" 2>&1 &
WRK_PID=$!
sleep 0.5
t0=$(date +%s%N)
curl -sS --fail -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"title":"防汛值班安排","body":"请各地按时报送值班表。","audience":{}}' \
  "$AGORAD_URL/api/v1/announcements" >"$RUN/post.json"
t1=$(date +%s%N)
AID=$(grep -oE '"id": *[0-9]+' "$RUN/post.json" | head -1 | grep -oE '[0-9]+')
RECIPIENTS=$(grep -oE '"recipients": *[0-9]+' "$RUN/post.json" | tail -1 | grep -oE '[0-9]+')
while [ "$(sqlite3 "$DATA/agora.db" "SELECT done_at IS NOT NULL FROM announcements WHERE id=$AID")" != 1 ]; do
  sleep 0.1
  agorad_alive "$RUN/agorad.err"
done
t2=$(date +%s%N)
wait "$WRK_PID" || die "wrk failed (see $RUN/during.txt)"
POST_MS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", (b - a) / 1e6 }')
FANOUT_S=$(awk -v a="$t0" -v b="$t2" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
log "POST $POST_MS ms for $RECIPIENTS recipients; fan-out done in $FANOUT_S s"
log "during: $(wrk_field "$RUN/during.txt" rps) req/s, p99 $(wrk_field "$RUN/during.txt" p99) ms"

sent() { curl -sS "$AGORAD_URL/metrics" | awk '$1 == "agora_mail_sent_total" { print $2 }'; }
s0=$(sent)
sleep "$MAIL_SECONDS"
s1=$(sent)
PER_MIN=$(awk -v a="$s0" -v b="$s1" -v s="$MAIL_SECONDS" 'BEGIN { printf "%.0f", (b - a) * 60 / s }')
QUEUED=$(curl -sS "$AGORAD_URL/metrics" | awk '$1 == "agora_mail_queued" { print $2 }')

{
  echo "# Announcement fan-out ($(agorad_line))"
  echo
  echo "| measure | value |"
  echo "| --- | --- |"
  echo "| members seeded | $MEMBERS (in $SEED_S s) |"
  echo "| recipients counted by the POST | $RECIPIENTS |"
  echo "| POST /api/v1/announcements | $POST_MS ms |"
  echo "| fan-out to every recipient (notifications, outbox rows) | $FANOUT_S s |"
  echo "| thread page p99 alone / during the fan-out | $(wrk_field "$RUN/alone.txt" p99) ms / $(wrk_field "$RUN/during.txt" p99) ms |"
  echo "| thread page req/s alone / during | $(wrk_field "$RUN/alone.txt" rps) / $(wrk_field "$RUN/during.txt" rps) |"
  echo "| mail sent per minute (configured $RATE) | $PER_MIN over ${MAIL_SECONDS} s; $QUEUED still queued |"
} | tee "$RUN/summary.md"
