#!/usr/bin/env bash
# Load benchmark: Caravan's default collector route writing protobuf files, the same route writing
# JSON lines, and a peer collector (nfcapd for NetFlow v5/v9 and IPFIX, sfacctd for sFlow), each
# fed by `caravan generate` at rising rates on loopback. Prints, per collector, every step, then one
# table of ratios against the peer: the highest rate with loss < 0.1%, and the CPU time per datagram
# at the highest rate every collector held loss-free (which does not depend on how much of the
# machine the generator takes), with Caravan's largest heap and its GC pauses (from -Xlog:gc).
#
#   bench/load.sh [protocol] [seconds-per-step] [rates...]
#   defaults:      ipfix      5                  40000 80000 120000 160000 200000 240000
#   protocol:      netflow-v5, netflow-v9, ipfix or sflow
#
# Environment: ZIP (the distribution to run, default distribution/target/caravan-*.zip: point it at
# another build to compare two), RECORDS (flow records, sFlow: flow samples, per datagram; defaults to the most one
# 1500-byte packet holds with the generator's templates: netflow-v5 30, netflow-v9 21, ipfix 18,
# sflow 5 -- see docs/performance.md for why IPFIX 25 and sFlow 8 do not fit), SOCKETS
# (caravan.collect.sockets, 2), WORKERS (caravan.collect.workers, 0), BATCH (caravan.collect.batch,
# 64), COALESCE (caravan.collect.coalesce.micros, 5000), TRANSPORT (caravan.collect.transport, nio
# or epoll; nio), OMITZERO (caravan.collect.json.omitzero for the JSON-lines run, true or false;
# false), COMPRESS (caravan.collect.compress for both Caravan runs: none, gzip or zstd; none; the
# run then also prints the bytes each Caravan run wrote per datagram), PRUNE (1: delete Caravan's closed files as they appear, 0: keep them; 1. On a virtual
# machine that hands its free memory back to the host, as this project's does, the first write into
# a page the page cache takes from free memory costs about ten times a write into a recycled one
# (dd: 0.55 against 5.2 GB/s), so a run that only grows the page cache measures the hypervisor more
# than the collector, and the more so the more bytes a route writes), EXPORTERS (distinct exporters the generator plays, 16: with few, SO_REUSEPORT's
# hash of their addresses may put most of them on one socket), GEN_SPLIT (above this rate two
# generator processes share it, 230000: one generator thread tops out near 240k datagrams/s on
# loopback), WARMUP (datagrams per warm-up round, 200000; rounds go on until the JIT's compiler
# threads are quiet, at most WARMUP_ROUNDS, 8), ONLY (caravan, json or
# peer -- nfcapd and sfacctd are accepted for peer: run one collector), PIN=1 (generators on CPU 0,
# the collector on CPU 1: each gets one core of its own, which makes runs on a 2-core machine
# repeatable; the collector's JVM then sees one processor).
#
# Needs: a built distribution (./mvnw -B -DskipTests package), nfcapd (apt-get install nfdump),
# sfacctd for sflow (apt-get install pmacct), curl. Traffic goes to 127.0.0.1 only. Rates are
# datagrams/s.
set -euo pipefail
cd "$(dirname "$0")/.."
PROTOCOL=${1:-ipfix}
STEP=${2:-5}
shift $(( $# > 2 ? 2 : $# )) || true
RATES=("$@")
[ ${#RATES[@]} -gt 0 ] || RATES=(40000 80000 120000 160000 200000 240000)
. bench/lib.sh
MAX_RECORDS=$(max_records "$PROTOCOL") || exit 1
PEER=$([ "$PROTOCOL" = sflow ] && echo sfacctd || echo nfcapd)
RECORDS=${RECORDS:-$MAX_RECORDS}
SOCKETS=${SOCKETS:-2}
WORKERS=${WORKERS:-0}
BATCH=${BATCH:-64}
COALESCE=${COALESCE:-5000}
TRANSPORT=${TRANSPORT:-nio}
OMITZERO=${OMITZERO:-false}
COMPRESS=${COMPRESS:-none}
PRUNE=${PRUNE:-1}
WARMUP=${WARMUP:-200000}
WARMUP_ROUNDS=${WARMUP_ROUNDS:-8}
EXPORTERS=${EXPORTERS:-16}
GEN_SPLIT=${GEN_SPLIT:-230000}
ONLY=${ONLY:-}
case "$ONLY" in nfcapd|sfacctd) ONLY=peer ;; esac
LOSS_LIMIT=0.001
PIN=${PIN:-0}
GEN_PIN=(); COLLECTOR_PIN=()
if [ "$PIN" = 1 ]; then GEN_PIN=(taskset -c 0); COLLECTOR_PIN=(taskset -c 1); fi
TICKS=$(getconf CLK_TCK)

ZIP=${ZIP:-$(ls distribution/target/caravan-*.zip 2>/dev/null | head -1)}
[ -n "$ZIP" ] || { echo "build first: ./mvnw -B -DskipTests package" >&2; exit 1; }
if [ -z "$ONLY" ] || [ "$ONLY" = peer ]; then
  if [ "$PEER" = nfcapd ]; then command -v nfcapd >/dev/null || { echo "nfcapd missing: apt-get install nfdump" >&2; exit 1; }
  else command -v sfacctd >/dev/null || { echo "sfacctd missing: apt-get install pmacct" >&2; exit 1; }; fi
fi
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

cpu_ticks() { # utime + stime of a process (all its threads) and of its living descendants
  local t c
  t=$(awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0)
  for c in $(pgrep -P "$1" 2>/dev/null); do t=$((t + $(cpu_ticks "$c"))); done
  echo "$t"
}
rxq() { # bytes queued on the UDP sockets bound to port $1 (SO_REUSEPORT: one or more), empty if none
  local q n=""
  for q in $(awk -v p=":$(printf '%04X' "$1")\$" '$2 ~ p {split($5, q, ":"); print q[2]}' /proc/net/udp); do
    n=$(( ${n:-0} + 16#$q ))
  done
  echo "$n"
}
drain() { # waits until the sockets on port $1 have been empty at two polls in a row
  local empty=0 q
  while [ $empty -lt 2 ]; do
    q=$(rxq "$1"); if [ -z "$q" ] || [ "$q" -eq 0 ]; then empty=$((empty + 1)); else empty=0; fi
    sleep 0.1
  done
}
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
caravan.collect.transport=$TRANSPORT
caravan.collect.json.omitzero=$OMITZERO
caravan.collect.compress=$COMPRESS
PROPS
  rm -rf "$HOME_DIR/data"
  JAVA_OPTS="-Xmx512m -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Xlog:gc:file=$WORK/gc-$encoding.log" \
    "${COLLECTOR_PIN[@]}" "$HOME_DIR/bin/caravan" run > "$WORK/caravan-$encoding.log" 2>&1 &
  local pid=$!
  : > "$WORK/pruned-$encoding"
  if [ "$PRUNE" = 1 ]; then prune_closed_files $pid "$HOME_DIR" "$WORK/pruned-$encoding"; fi
  for _ in $(seq 1 120); do curl -sf "localhost:$http/health/ready" >/dev/null && break; sleep 0.5; done
  received() { curl -s "localhost:$http/metrics" | awk '$1 ~ /^caravan_decoder_datagrams_total\{/ {s+=$NF} END {printf "%d", s}'; }
  heap() { curl -s "localhost:$http/metrics" | awk '/^jvm_memory_used_bytes\{area="heap"/ {s+=$NF} END {printf "%d", s/1048576}'; }
  # Warm-up, not measured: the JIT compiles the route's hot code. It goes on, in rounds of WARMUP
  # datagrams (at most WARMUP_ROUNDS), until the JIT's compiler threads took under 3 % of the
  # process's CPU in a round: compilations left over would be charged to the first step.
  local round=0 jit0 jit1 all0 all1
  while :; do
    round=$((round + 1)); jit0=$(jit_ticks $pid); all0=$(cpu_ticks $pid)
    generate "127.0.0.1:$udp" 40000 "$WARMUP" >/dev/null
    drain "$udp"; jit1=$(jit_ticks $pid); all1=$(cpu_ticks $pid)
    if [ $(( (jit1 - jit0) * 100 )) -lt $(( (all1 - all0) * 3 )) ] || [ $round -ge "$WARMUP_ROUNDS" ]; then break; fi
  done
  echo "caravan $encoding: warm-up $round round(s) of $WARMUP datagrams; JIT $((jit1 - jit0)) of $((all1 - all0)) ticks in the last" \
    > "$WORK/warmup-$encoding.txt"
  local prev=-1 now; now=$(received); while [ "$now" != "$prev" ]; do sleep 1; prev=$now; now=$(received); done
  local maxheap=0
  for rate in "${RATES[@]}"; do
    local before after count=$((rate * STEP)) cpu0 cpu1 achieved h
    before=$(received); cpu0=$(cpu_ticks $pid)
    achieved=$(generate "127.0.0.1:$udp" "$rate" "$count")
    # Drained when its sockets' queues are empty, as for the peers (a /metrics scrape costs the
    # server CPU of its own, so none is made inside the measured window). With WORKERS > 0 the
    # worker queue may still hold a few batches then: their CPU falls outside the window.
    drain "$udp"
    cpu1=$(cpu_ticks $pid)
    # Then count what the decoder took: stop when the counter stops moving.
    prev=-1; after=$(received)
    while [ "$after" != "$prev" ]; do sleep 0.5; prev=$after; after=$(received); done
    h=$(heap); [ "$h" -gt "$maxheap" ] && maxheap=$h
    step_line "$rate" "$achieved" "$count" "$((after - before))" "$((cpu1 - cpu0))" "$maxheap"
  done
  local total; total=$(received)
  kill -TERM $pid; wait $pid || true
  # Bytes in the flow files over the whole run (warm-up included; the files are closed at stop):
  # what was pruned plus what is left.
  { cat "$WORK/pruned-$encoding"; find "$HOME_DIR/data/flows" -type f -printf '%s\n'; } \
    | awk -v e="$encoding" -v c="$COMPRESS" -v n="$total" -v r="$RECORDS" '{b += $1}
      END {printf "caravan %s: %.0f bytes of flow files (compression %s) for %d datagrams: %.0f bytes per datagram, %.1f per record\n", e, b, c, n, b / (n ? n : 1), b / (n ? n : 1) / r}' \
    > "$WORK/bytes-$encoding.txt"
  # GC pauses over the whole run, warm-up included: "[..][info][gc] GC(n) Pause Young ... 3.456ms".
  awk -v e="$encoding" '/Pause/ && $NF ~ /ms$/ {v = $NF; sub(/ms$/, "", v); n++; t += v; if (v > m) m = v}
    END {printf "caravan %s: %d GC pauses, %.1f ms in all, longest %.1f ms\n", e, n, t, m}' "$WORK/gc-$encoding.log" \
    > "$WORK/gc-$encoding.txt"
  return 0
}

# --- nfcapd ------------------------------------------------------------------------------------
nfcapd_run() {
  for rate in "${RATES[@]}"; do
    local udp count=$((rate * STEP)) dir="$WORK/nfcapd-$rate" flows cpu0 cpu1 achieved
    udp=$(port); mkdir -p "$dir"
    "${COLLECTOR_PIN[@]}" nfcapd -w "$dir" -b 127.0.0.1 -p "$udp" -B $RCVBUF -t 3600 > "$dir/log" 2>&1 &
    local pid=$!
    for _ in $(seq 1 50); do grep -q ":$(printf '%04X' "$udp") " /proc/net/udp && break; sleep 0.1; done
    cpu0=$(cpu_ticks $pid)
    achieved=$(generate "127.0.0.1:$udp" "$rate" "$count")
    drain "$udp"
    cpu1=$(cpu_ticks $pid)
    kill -TERM $pid; wait $pid || true
    flows=$(grep -o 'Flows: [0-9]*' "$dir/log" | tail -1 | awk '{print $2}')
    # nfcapd reports flows; a datagram carries RECORDS of them.
    step_line "$rate" "$achieved" "$count" "$(( ${flows:-0} / RECORDS ))" "$((cpu1 - cpu0))" -
  done
}

# --- sfacctd (pmacct's sFlow collector, print plugin aggregating by protocol into a CSV file) ----
# Loss is what the kernel dropped on its socket (the drops column of /proc/net/udp) plus what its
# core process could not pass to the print plugin (the packets the plugin counted: every flow
# sample is one packet, sampled data is not renormalized), whichever says more.
udp_drops() { awk -v p=":$(printf '%04X' "$1")\$" '$2 ~ p {print $NF; exit}' /proc/net/udp; }
sfacctd_run() {
  for rate in "${RATES[@]}"; do
    local udp count=$((rate * STEP)) dir="$WORK/sfacctd-$rate" cpu0 cpu1 achieved drops samples
    udp=$(port); mkdir -p "$dir"
    cat > "$dir/sfacctd.conf" <<CONF
daemonize: false
sfacctd_ip: 127.0.0.1
sfacctd_port: $udp
sfacctd_pipe_size: $RCVBUF
plugin_pipe_size: 134217728
plugin_buffer_size: 65536
plugins: print
aggregate: proto
print_output: csv
print_output_file: $dir/out.csv
print_refresh_time: 3600
CONF
    "${COLLECTOR_PIN[@]}" sfacctd -f "$dir/sfacctd.conf" > "$dir/log" 2>&1 &
    local pid=$!
    for _ in $(seq 1 50); do grep -q ":$(printf '%04X' "$udp") " /proc/net/udp && break; sleep 0.1; done
    sleep 1 # its print plugin process starts after the socket is bound
    cpu0=$(cpu_ticks $pid)
    achieved=$(generate "127.0.0.1:$udp" "$rate" "$count")
    drain "$udp"
    sleep 1 # its core process hands what it read to the print plugin
    cpu1=$(cpu_ticks $pid); drops=$(udp_drops "$udp")
    kill -INT $pid; wait $pid || true
    # The print plugin writes its cache on exit: "PROTOCOL,PACKETS,BYTES" lines.
    samples=$(awk -F, 'NR > 1 && $2 ~ /^[0-9]+$/ {s += $2} END {printf "%d", s}' "$dir/out.csv" 2>/dev/null || echo 0)
    local got=$(( (count - ${drops:-0}) / 1 ))
    # datagrams the plugin saw: samples / RECORDS; the smaller of the two accountings wins.
    if [ "${samples:-0}" -gt 0 ] && [ $((samples / RECORDS)) -lt "$got" ]; then got=$((samples / RECORDS)); fi
    step_line "$rate" "$achieved" "$count" "$got" "$((cpu1 - cpu0))" -
  done
}

# The step with the highest achieved rate among those with loss under the limit: "rate cpu".
best() { awk -v lim=$LOSS_LIMIT '$3 < lim && $2 > b {b = $2; c = $4} END {printf "%d %s\n", b, (b ? c : "-")}'; }
# Requested rates at which a collector's steps were loss-free, one a line.
clean_rates() { awk -v lim=$LOSS_LIMIT '$3 < lim {print $1}'; }
# The CPU per datagram of a collector's step at requested rate $1 ("-" if there is none).
cpu_at() { awk -v r="$1" '$1 == r {c = $4} END {print (c == "" ? "-" : c)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "-" || b == "-" || b + 0 == 0) print "n/a"; else printf "%.2fx", a / b}'; }

echo "protocol $PROTOCOL, $STEP s per step, $RECORDS records per datagram, caravan sockets $SOCKETS workers $WORKERS batch $BATCH coalesce $COALESCE transport $TRANSPORT, omitzero $OMITZERO, compress $COMPRESS, prune $PRUNE, pinned $PIN, rates ${RATES[*]} datagrams/s"
echo "columns: requested-rate achieved-rate loss cpu-us-per-datagram heap-MB"
CP=""; CJ=""; PR=""
if [ -z "$ONLY" ] || [ "$ONLY" = caravan ]; then CP=$(caravan_run protobuf); printf '== caravan, default route, protobuf files\n%s\n' "$CP"; fi
if [ -z "$ONLY" ] || [ "$ONLY" = json ]; then CJ=$(caravan_run json); printf '== caravan, default route, JSON-lines files\n%s\n' "$CJ"; fi
if [ -z "$ONLY" ] || [ "$ONLY" = peer ]; then PR=$(${PEER}_run); printf '== %s\n%s\n' "$PEER" "$PR"; fi

# The highest requested rate every collector that ran held loss-free: where CPU is compared.
common=$(for r in "${RATES[@]}"; do
  ok=1
  for out in "$CP" "$CJ" "$PR"; do
    [ -n "$out" ] || continue
    echo "$out" | clean_rates | grep -qx "$r" || ok=0
  done
  if [ "$ok" = 1 ]; then echo "$r"; fi
done | tail -1)
read -r peer_rate _ <<< "$(echo "$PR" | best)"
peer_cpu=$( [ -n "$PR" ] && [ -n "$common" ] && echo "$PR" | cpu_at "$common" || echo -)
echo
echo "$PROTOCOL, $RECORDS records per datagram, pinned $PIN, transport $TRANSPORT: ratios against $PEER"
echo "(CPU compared at ${common:-no rate} datagrams/s, the highest requested rate every collector held with loss < 0.1 %)"
echo
echo "| collector | highest loss-free rate (datagrams/s) | flows/s | vs $PEER | CPU µs per datagram at ${common:-n/a} | vs $PEER |"
echo "|---|---|---|---|---|---|"
row() { # label steps
  local rate cpu
  read -r rate _ <<< "$(echo "$2" | best)"
  cpu=$( [ -n "$common" ] && echo "$2" | cpu_at "$common" || echo -)
  printf "| %s | %s | %s | %s | %s | %s |\n" "$1" "$rate" "$((rate * RECORDS))" \
    "$(ratio "$rate" "${peer_rate:--}")" "$cpu" "$(ratio "$cpu" "$peer_cpu")"
}
[ -n "$CP" ] && row "caravan, default route, protobuf files" "$CP"
[ -n "$CJ" ] && row "caravan, default route, JSON-lines files" "$CJ"
[ -n "$PR" ] && row "$PEER" "$PR"
heap=$(printf '%s\n%s\n' "$CP" "$CJ" | awk '$5 > h {h=$5} END {print h + 0}')
echo "caravan heap used at most: ${heap} MB (-Xmx512m)"
cat "$WORK"/gc-*.txt "$WORK"/warmup-*.txt "$WORK"/bytes-*.txt 2>/dev/null || true
