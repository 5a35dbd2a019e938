#!/usr/bin/env bash
# Load benchmark: Caravan's default collector route writing protobuf files, the same route
# writing JSON lines, and nfcapd writing its own binary files, each fed by `caravan generate` at
# rising rates on loopback. Reports, per collector, the highest rate with loss < 0.1%, its ratio to
# nfcapd's, and the collector's CPU time per datagram (which does not depend on how much of the
# machine the generator takes).
#
#   bench/load.sh [protocol] [seconds-per-step] [rates...]
#   defaults:      ipfix      5                  40000 80000 120000 160000 200000 240000
#
# Environment: RECORDS (flow records per datagram, 10; 5 for sflow), SOCKETS (caravan.collect.sockets, 2),
# WORKERS (caravan.collect.workers, 0), BATCH (caravan.collect.batch, 64), COALESCE
# (caravan.collect.coalesce.micros, 1000), EXPORTERS (distinct exporters the generator plays, 16: with
# few, SO_REUSEPORT's hash of their addresses may put most of them on one socket),
# GEN_SPLIT (above this rate two generator processes share it, 230000: one generator thread tops
# out near 240k datagrams/s on loopback), ONLY (caravan, json or nfcapd: run one collector), PIN=1
# (generators on CPU 0, the collector on CPU 1: each gets one core of its own, which makes runs on a
# 2-core machine repeatable; the collector's JVM then sees one processor).
#
# Needs: a built distribution (./mvnw -B -DskipTests package), nfcapd (apt-get install nfdump),
# curl. Traffic goes to 127.0.0.1 only. Rates are datagrams/s.
set -euo pipefail
cd "$(dirname "$0")/.."
PROTOCOL=${1:-ipfix}
STEP=${2:-5}
shift $(( $# > 2 ? 2 : $# )) || true
RATES=("$@")
[ ${#RATES[@]} -gt 0 ] || RATES=(40000 80000 120000 160000 200000 240000)
# sFlow datagrams hold at most 5 samples within one 1500-byte packet (caravan generate refuses more).
if [ "$PROTOCOL" = sflow ]; then RECORDS=${RECORDS:-5}; else RECORDS=${RECORDS:-10}; fi
SOCKETS=${SOCKETS:-2}
WORKERS=${WORKERS:-0}
BATCH=${BATCH:-64}
COALESCE=${COALESCE:-1000}
EXPORTERS=${EXPORTERS:-16}
GEN_SPLIT=${GEN_SPLIT:-230000}
ONLY=${ONLY:-}
LOSS_LIMIT=0.001
PIN=${PIN:-0}
GEN_PIN=(); COLLECTOR_PIN=()
if [ "$PIN" = 1 ]; then GEN_PIN=(taskset -c 0); COLLECTOR_PIN=(taskset -c 1); fi
TICKS=$(getconf CLK_TCK)

ZIP=$(ls distribution/target/caravan-*.zip 2>/dev/null | head -1)
[ -n "$ZIP" ] || { echo "build first: ./mvnw -B -DskipTests package" >&2; exit 1; }
command -v nfcapd >/dev/null || { echo "nfcapd missing: apt-get install nfdump" >&2; exit 1; }
WORK=$(mktemp -d /tmp/caravan-load.XXXXXX)
trap 'pkill -P $$ 2>/dev/null || true; rm -rf "$WORK"' EXIT
unzip -q "$ZIP" -d "$WORK"
HOME_DIR=$(ls -d "$WORK"/caravan-*)
GEN="$HOME_DIR/bin/caravan"
# Same socket buffer for everyone; the kernel caps SO_RCVBUF at rmem_max.
RCVBUF=16777216
if [ "$(cat /proc/sys/net/core/rmem_max)" -lt "$RCVBUF" ]; then
  sysctl -q -w net.core.rmem_max=$RCVBUF 2>/dev/null || echo "note: net.core.rmem_max is $(cat /proc/sys/net/core/rmem_max); run as root to raise it" >&2
fi

port() { python3 -c 'import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime of a process, all its threads
generate() { # target rate count -> prints the achieved datagrams/s
  local procs=1 i pids=()
  [ "$2" -gt "$GEN_SPLIT" ] && procs=2
  for i in $(seq 1 $procs); do
    JAVA_OPTS="-Xmx256m" "${GEN_PIN[@]}" "$GEN" generate -p "$PROTOCOL" -t "$1" -r $(($2 / procs)) -n $(($3 / procs)) -e "$EXPORTERS" \
      --records "$RECORDS" --seed "$i" > "$WORK/gen-$i.out" 2>&1 &
    pids+=($!)
  done
  wait "${pids[@]}"
  # "sent N datagrams (...) in S s: R datagrams/s" -> total sent / slowest elapsed
  cat "$WORK"/gen-*.out | awk '/^sent/ {n += $2; if ($(NF-3) > t) t = $(NF-3)} END {printf "%d", n / t}'
  rm -f "$WORK"/gen-*.out
}
# requested achieved lost-fraction cpu-µs-per-datagram heap-MB
step_line() { awk -v rq="$1" -v a="$2" -v s="$3" -v r="$4" -v t="$5" -v tk="$TICKS" -v h="$6" \
  'BEGIN {printf "%d %d %.5f %.2f %s\n", rq, a, (s - r) / s, t / tk * 1e6 / (r > 0 ? r : 1), h}'; }

# --- Caravan -----------------------------------------------------------------------------------
caravan_run() { # encoding -> prints one step_line per rate
  local encoding=$1 http udp collector
  http=$(port); udp=$(port)
  collector=$([ "$PROTOCOL" = ipfix ] && echo ipfix || ([ "$PROTOCOL" = sflow ] && echo sflow || echo netflow))
  cat >> "$HOME_DIR/config/caravan.properties" <<PROPS
caravan.http.port=$http
caravan.collect.bind=127.0.0.1
caravan.collect.$collector.port=$udp
caravan.collect.encoding=$encoding
caravan.collect.rcvbuf=$RCVBUF
caravan.collect.sockets=$SOCKETS
caravan.collect.workers=$WORKERS
caravan.collect.batch=$BATCH
caravan.collect.coalesce.micros=$COALESCE
PROPS
  rm -rf "$HOME_DIR/data"
  JAVA_OPTS="-Xmx512m -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError" "${COLLECTOR_PIN[@]}" "$HOME_DIR/bin/caravan" run > "$WORK/caravan-$encoding.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 120); do curl -sf "localhost:$http/health/ready" >/dev/null && break; sleep 0.5; done
  received() { curl -s "localhost:$http/metrics" | awk '$1 ~ /^caravan_decoder_datagrams_total\{/ {s+=$NF} END {printf "%d", s}'; }
  heap() { curl -s "localhost:$http/metrics" | awk '/^jvm_memory_used_bytes\{area="heap"/ {s+=$NF} END {printf "%d", s/1048576}'; }
  # Warm-up, not measured: the JIT compiles the route's hot code.
  generate "127.0.0.1:$udp" 40000 200000 >/dev/null
  local prev=-1 now; now=$(received); while [ "$now" != "$prev" ]; do sleep 1; prev=$now; now=$(received); done
  local maxheap=0
  for rate in "${RATES[@]}"; do
    local before after count=$((rate * STEP)) cpu0 cpu1 achieved h
    before=$(received); cpu0=$(cpu_ticks $pid)
    achieved=$(generate "127.0.0.1:$udp" "$rate" "$count")
    # Let the collector drain: stop when the counter stops moving.
    prev=-1; after=$(received)
    while [ "$after" != "$prev" ]; do sleep 1; prev=$after; after=$(received); done
    cpu1=$(cpu_ticks $pid)
    h=$(heap); [ "$h" -gt "$maxheap" ] && maxheap=$h
    step_line "$rate" "$achieved" "$count" "$((after - before))" "$((cpu1 - cpu0))" "$maxheap"
  done
  kill -TERM $pid; wait $pid || true
  return 0
}

# --- nfcapd ------------------------------------------------------------------------------------
rxq() { # bytes queued on the UDP socket bound to port $1, in hex (empty if none)
  awk -v p=":$(printf '%04X' "$1")\$" '$2 ~ p {split($5, q, ":"); print q[2]; exit}' /proc/net/udp
}
nfcapd_run() {
  for rate in "${RATES[@]}"; do
    local udp count=$((rate * STEP)) dir="$WORK/nfcapd-$rate" flows cpu0 cpu1 achieved
    udp=$(port); mkdir -p "$dir"
    "${COLLECTOR_PIN[@]}" nfcapd -w "$dir" -b 127.0.0.1 -p "$udp" -B $RCVBUF -t 3600 > "$dir/log" 2>&1 &
    local pid=$!
    for _ in $(seq 1 50); do grep -q ":$(printf '%04X' "$udp") " /proc/net/udp && break; sleep 0.1; done
    cpu0=$(cpu_ticks $pid)
    achieved=$(generate "127.0.0.1:$udp" "$rate" "$count")
    # Drained when its socket queue is empty.
    while q=$(rxq "$udp"); [ -n "$q" ] && [ $((16#$q)) -gt 0 ]; do sleep 0.2; done
    cpu1=$(cpu_ticks $pid)
    kill -TERM $pid; wait $pid || true
    flows=$(grep -o 'Flows: [0-9]*' "$dir/log" | tail -1 | awk '{print $2}')
    # nfcapd reports flows; a datagram carries RECORDS of them.
    step_line "$rate" "$achieved" "$count" "$(( ${flows:-0} / RECORDS ))" "$((cpu1 - cpu0))" -
  done
}

# The step with the highest achieved rate among those with loss under the limit: "rate cpu".
best() { awk -v lim=$LOSS_LIMIT '$3 < lim && $2 > b {b = $2; c = $4} END {printf "%d %s\n", b, (b ? c : "-")}'; }
row() { # label best-line nfcapd-rate
  local rate cpu; read -r rate cpu <<< "$2"
  printf "| %s | %s | %s | %s | %s |\n" "$1" "$rate" "$((rate * RECORDS))" \
    "$(awk -v a="$rate" -v b="$3" 'BEGIN {printf (b ? "%.2fx" : "n/a"), a / b}')" "$cpu"
}

echo "protocol $PROTOCOL, $STEP s per step, $RECORDS records per datagram, caravan sockets $SOCKETS workers $WORKERS batch $BATCH, pinned $PIN, rates ${RATES[*]} datagrams/s"
echo "columns: requested-rate achieved-rate loss cpu-us-per-datagram heap-MB"
CP=""; CJ=""; NF=""
if [ -z "$ONLY" ] || [ "$ONLY" = caravan ]; then CP=$(caravan_run protobuf); printf '== caravan, default route, protobuf files\n%s\n' "$CP"; fi
if [ -z "$ONLY" ] || [ "$ONLY" = json ]; then CJ=$(caravan_run json); printf '== caravan, default route, JSON-lines files\n%s\n' "$CJ"; fi
if [ -z "$ONLY" ] || [ "$ONLY" = nfcapd ]; then NF=$(nfcapd_run); printf '== nfcapd\n%s\n' "$NF"; fi
bn=$(echo "$NF" | best | cut -d' ' -f1)
echo
echo "| collector | highest loss-free achieved rate (datagrams/s) | flows/s | vs nfcapd | CPU µs per datagram there |"
echo "|---|---|---|---|---|"
[ -n "$CP" ] && row "caravan, default route, protobuf files" "$(echo "$CP" | best)" "$bn"
[ -n "$CJ" ] && row "caravan, default route, JSON-lines files" "$(echo "$CJ" | best)" "$bn"
[ -n "$NF" ] && row "nfcapd" "$(echo "$NF" | best)" "$bn"
heap=$(printf '%s\n%s\n' "$CP" "$CJ" | awk '$5 > h {h=$5} END {print h + 0}')
echo "caravan heap used at most: ${heap} MB (-Xmx512m)"
