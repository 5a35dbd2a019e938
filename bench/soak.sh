#!/usr/bin/env bash
# Soak test (on demand, not in CI): the assembled server's default routes for DURATION seconds
# under a steady mix of valid traffic (`caravan generate`: NetFlow v9, IPFIX and sFlow) and hostile
# traffic (bench/HostileSender.java: random bytes, truncated headers, template floods from many
# source ports, slow and oversized HTTP requests), all on 127.0.0.1. Every INTERVAL seconds it
# records heap used (before and after a forced GC), open file descriptors, threads, RSS and the
# time /health/live took, to a CSV. At the end it compares the first WINDOW seconds after warm-up
# with the last WINDOW seconds and prints whether heap after GC and file descriptors are flat.
#
#   bench/soak.sh                       # one hour
#   DURATION=300 bench/soak.sh          # five minutes
#
# Environment: DURATION (3600 s), INTERVAL (60 s between samples), WARMUP (60 s not compared),
# WINDOW (600 s, or a third of what follows warm-up if that is shorter), RATE (valid datagrams/s
# per protocol, 1000), HOSTILE_RATE (hostile datagrams/s, 300), SOURCES (hostile source ports, 64),
# HEAP_TOLERANCE_MB (8: heap after GC may grow this much plus 10% and still count as flat),
# FD_TOLERANCE (25: the hostile sender keeps up to 20 slow HTTP connections open at any time), OUT (where the CSV and logs go; default a new directory under /tmp).
#
# Needs: a built distribution (./mvnw -B -DskipTests package), a JDK (java, jcmd, jstat), curl,
# python3 (for free ports). Exit status: 0 flat, 1 not flat or the server died.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-3600}
INTERVAL=${INTERVAL:-60}
WARMUP=${WARMUP:-60}
RATE=${RATE:-1000}
HOSTILE_RATE=${HOSTILE_RATE:-300}
SOURCES=${SOURCES:-64}
HEAP_TOLERANCE_MB=${HEAP_TOLERANCE_MB:-8}
FD_TOLERANCE=${FD_TOLERANCE:-25}
REST=$(( DURATION > WARMUP ? DURATION - WARMUP : 0 ))
WINDOW=${WINDOW:-$(( REST / 3 < 600 ? REST / 3 : 600 ))}
[ "$WINDOW" -ge "$INTERVAL" ] || { echo "DURATION too short: need WARMUP + 3 * INTERVAL at least" >&2; exit 2; }

ZIP=$(ls distribution/target/caravan-*.zip 2>/dev/null | head -1)
[ -n "$ZIP" ] || { echo "build first: ./mvnw -B -DskipTests package" >&2; exit 2; }
for tool in java jcmd jstat curl python3; do
  command -v "$tool" >/dev/null || { echo "$tool missing" >&2; exit 2; }
done
OUT=${OUT:-$(mktemp -d /tmp/caravan-soak.XXXXXX)}
mkdir -p "$OUT"
WORK="$OUT/install"
rm -rf "$WORK"
mkdir -p "$WORK"
unzip -q "$ZIP" -d "$WORK"
HOME_DIR=$(ls -d "$WORK"/caravan-*)

port() { python3 -c 'import socket,sys;s=socket.socket(socket.AF_INET,getattr(socket,sys.argv[1]));s.bind(("127.0.0.1",0));print(s.getsockname()[1])' "$1"; }
HTTP=$(port SOCK_STREAM); NETFLOW=$(port SOCK_DGRAM); IPFIX=$(port SOCK_DGRAM); SFLOW=$(port SOCK_DGRAM)
cat >> "$HOME_DIR/config/caravan.properties" <<EOF

caravan.http.port=$HTTP
caravan.collect.bind=127.0.0.1
caravan.collect.netflow.port=$NETFLOW
caravan.collect.ipfix.port=$IPFIX
caravan.collect.sflow.port=$SFLOW
EOF

PIDS=()
SERVER=""
stop_all() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then
    kill -TERM "$SERVER"
    for _ in $(seq 1 60); do kill -0 "$SERVER" 2>/dev/null || break; sleep 1; done
  fi
}
trap stop_all EXIT

"$HOME_DIR/bin/caravan" run > "$OUT/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 90); do
  curl -sf "http://127.0.0.1:$HTTP/health/ready" >/dev/null && break
  kill -0 "$SERVER" 2>/dev/null || { echo "server died at start; see $OUT/server.log" >&2; exit 1; }
  sleep 1
done
curl -sf "http://127.0.0.1:$HTTP/health/ready" >/dev/null || { echo "server not ready after 90 s" >&2; exit 1; }
echo "soak: server pid $SERVER, HTTP $HTTP, NetFlow $NETFLOW, IPFIX $IPFIX, sFlow $SFLOW; $DURATION s; output in $OUT"

COUNT=$(( RATE * DURATION ))
gen() { JAVA_OPTS="-Xmx128m" "$HOME_DIR/bin/caravan" generate -p "$1" -t "127.0.0.1:$2" -r "$RATE" -n "$COUNT" -e 4 --seed "$3" \
  > "$OUT/gen-$1.log" 2>&1 & PIDS+=($!); }
gen netflow-v9 "$NETFLOW" 1
gen ipfix "$IPFIX" 2
gen sflow "$SFLOW" 3
java -Xmx128m bench/HostileSender.java "$NETFLOW" "$IPFIX" "$SFLOW" "$HTTP" "$HOSTILE_RATE" "$DURATION" "$SOURCES" \
  > "$OUT/hostile.log" 2>&1 &
PIDS+=($!)

# The default routes write every flow to data/flows (about 13 MB/s of JSON at the default rates):
# closed files are deleted as they age, so an hour's soak does not fill the disk.
( while kill -0 "$SERVER" 2>/dev/null; do
    find "$HOME_DIR/data/flows" -type f -mmin +1 -delete 2>/dev/null || true
    sleep 10
  done ) &
PIDS+=($!)

CSV="$OUT/soak.csv"
echo "seconds,heap_used_kb,heap_after_gc_kb,fds,threads,rss_kb,live_ms,datagrams,decode_errors,ready" > "$CSV"
jstat_heap() { jstat -gc "$SERVER" | awk 'NR == 2 {printf "%d", $3 + $4 + $6 + $8}'; } # S0U S1U EU OU, KB
metric_sum() { curl -s --max-time 10 "http://127.0.0.1:$HTTP/metrics" | awk -v m="$1" 'index($0, m) == 1 {s += $NF} END {printf "%d", s}'; }
START=$(date +%s)
while :; do
  sleep "$INTERVAL"
  NOW=$(( $(date +%s) - START ))
  kill -0 "$SERVER" 2>/dev/null || { echo "soak: the server died after $NOW s; see $OUT/server.log" >&2; exit 1; }
  HEAP=$(jstat_heap)
  jcmd "$SERVER" GC.run >/dev/null
  AFTER=$(jstat_heap)
  FDS=$(ls "/proc/$SERVER/fd" | wc -l)
  THREADS=$(ls "/proc/$SERVER/task" | wc -l)
  RSS=$(awk '/^VmRSS/ {print $2}' "/proc/$SERVER/status")
  LIVE=$(curl -s -o /dev/null --max-time 10 -w '%{time_total}' "http://127.0.0.1:$HTTP/health/live" | awk '{printf "%d", $1 * 1000}')
  DATAGRAMS=$(metric_sum caravan_decoder_datagrams_total)
  ERRORS=$(metric_sum caravan_decoder_errors_total)
  READY=$(curl -s --max-time 10 "http://127.0.0.1:$HTTP/health/ready" | python3 -c 'import json,sys;print(json.load(sys.stdin)["status"])' 2>/dev/null || echo "?")
  echo "$NOW,$HEAP,$AFTER,$FDS,$THREADS,$RSS,$LIVE,$DATAGRAMS,$ERRORS,$READY" | tee -a "$CSV"
  [ "$NOW" -lt "$DURATION" ] || break
done

RESULT=0
awk -F, -v w="$WARMUP" -v win="$WINDOW" -v end="$NOW" -v ht="$HEAP_TOLERANCE_MB" -v ft="$FD_TOLERANCE" '
  NR == 1 { next }
  $1 > w && $1 <= w + win { fh += $3; ff += $4; fn++ }
  $1 > end - win { lh += $3; lf += $4; ln++ }
  END {
    if (fn == 0 || ln == 0) { print "soak: not enough samples to compare"; exit 1 }
    fh /= fn; ff /= fn; lh /= ln; lf /= ln
    heapFlat = lh <= fh * 1.10 + ht * 1024
    fdFlat = lf <= ff + ft
    printf "soak: heap after GC %.1f MB (first %d s after warm-up) -> %.1f MB (last %d s): %s\n", fh / 1024, win, lh / 1024, win, heapFlat ? "flat" : "GROWING"
    printf "soak: open file descriptors %.1f -> %.1f: %s\n", ff, lf, fdFlat ? "flat" : "GROWING"
    exit (heapFlat && fdFlat) ? 0 : 1
  }' "$CSV" || RESULT=1
cat "$OUT"/gen-*.log "$OUT/hostile.log" 2>/dev/null | grep -E '^(sent|hostile)' || true
echo "soak: CSV $CSV"
exit $RESULT
