#!/usr/bin/env bash
# Flame graph of Caravan's default collector route under load: unzips the built distribution,
# starts it with the given encoding (PIN=1: on CPU 1, the generator on CPU 0), warms it up, then
# profiles its CPU with async-profiler while `caravan generate` sends at a steady rate, and writes
#   <out>/<name>.html       the flame graph, one tower per thread (the readers: caravan-udp-*-reader-*)
#   <out>/<name>.collapsed  the same stacks as text, one line each ("frame;frame;... samples")
# and prints the collector's CPU per datagram over the profiled run and the top frames of its
# reader threads.
#
#   bench/profile.sh [protocol] [encoding] [rate] [seconds] [out-dir]
#   defaults:         ipfix      json       20000  30        bench/profiles
#
# Environment: ZIP (the distribution to run, default distribution/target/caravan-*.zip: point it at
# another build to compare two), RECORDS (per datagram; the protocol's most, as bench/load.sh), PROPS (extra
# caravan.properties lines, separated by spaces, e.g. "caravan.collect.sockets=1"), NAME (file
# name, default <protocol>-<encoding>-<rate>), PIN (1 by default here), PRUNE (1 by default: closed
# files are deleted as they appear, as in bench/load.sh).
#
# Needs a built distribution and benchmarks module (./mvnw -B -DskipTests package: the benchmarks
# module unpacks async-profiler's library into benchmarks/target/async-profiler) and jcmd (the
# JDK's): the profiler is loaded into the running server with `jcmd JVMTI.agent_load` after the
# warm-up, so start-up and the JIT's first compilations are not in the graph. Traffic goes to
# 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
PROTOCOL=${1:-ipfix}
ENCODING=${2:-json}
RATE=${3:-20000}
SECONDS_=${4:-30}
OUT=$(realpath -m "${5:-bench/profiles}")
PIN=${PIN:-1}
. bench/lib.sh
MAX_RECORDS=$(max_records "$PROTOCOL") || exit 1
COLLECTOR=$(case "$PROTOCOL" in netflow-*) echo netflow ;; *) echo "$PROTOCOL" ;; esac)
RECORDS=${RECORDS:-$MAX_RECORDS}
NAME=${NAME:-$PROTOCOL-$ENCODING-$RATE}
LIB=$(realpath benchmarks/target/async-profiler/linux-x64/libasyncProfiler.so 2>/dev/null || true)
[ -f "$LIB" ] || { echo "no async-profiler library: ./mvnw -B -DskipTests package first" >&2; exit 1; }
ZIP=${ZIP:-$(ls distribution/target/caravan-*.zip 2>/dev/null | head -1)}
[ -n "$ZIP" ] || { echo "build first: ./mvnw -B -DskipTests package" >&2; exit 1; }
command -v jcmd >/dev/null || { echo "jcmd (the JDK's) is not on the PATH" >&2; exit 1; }
GEN_PIN=(); COLLECTOR_PIN=()
if [ "$PIN" = 1 ]; then GEN_PIN=(taskset -c 0); COLLECTOR_PIN=(taskset -c 1); fi

WORK=$(mktemp -d /tmp/caravan-profile.XXXXXX)
trap 'pkill -P $$ 2>/dev/null || true; rm -rf "$WORK"' EXIT
unzip -q "$ZIP" -d "$WORK"
HOME_DIR=$(ls -d "$WORK"/caravan-*)
HTTP=$(port); UDP=$(port)
{
  echo "caravan.http.port=$HTTP"
  echo "caravan.collect.bind=127.0.0.1"
  echo "caravan.collect.$COLLECTOR.port=$UDP"
  echo "caravan.collect.encoding=$ENCODING"
  echo "caravan.collect.rcvbuf=16777216"
  for p in ${PROPS:-}; do echo "$p"; done
} >> "$HOME_DIR/config/caravan.properties"
if [ "$(cat /proc/sys/net/core/rmem_max)" -lt 16777216 ]; then sysctl -q -w net.core.rmem_max=16777216 2>/dev/null || true; fi

JAVA_OPTS="-Xmx512m -XX:+UseG1GC" "${COLLECTOR_PIN[@]}" "$HOME_DIR/bin/caravan" run > "$WORK/caravan.log" 2>&1 &
PID=$!
if [ "${PRUNE:-1}" = 1 ]; then prune_closed_files $PID "$HOME_DIR"; fi
for _ in $(seq 1 120); do curl -sf "localhost:$HTTP/health/ready" >/dev/null && break; sleep 0.5; done
curl -sf "localhost:$HTTP/health/ready" >/dev/null || { echo "the server did not get ready:" >&2; tail -20 "$WORK/caravan.log" >&2; exit 1; }
# The JVM is the java process the launcher execs (or its child).
JPID=$(pgrep -f "caravan.home=$HOME_DIR" | head -1)
generate() { JAVA_OPTS="-Xmx256m" "${GEN_PIN[@]}" "$HOME_DIR/bin/caravan" generate -p "$PROTOCOL" \
  -t "127.0.0.1:$UDP" -r "$1" -n "$2" -e 16 --records "$RECORDS"; }
received() { curl -s "localhost:$HTTP/metrics" | awk '$1 ~ /^caravan_decoder_datagrams_total\{/ {s+=$NF} END {printf "%d", s}'; }
# Warm-up, not profiled: rounds of 200k datagrams until the JIT's compiler threads took under 3 %
# of a round's CPU (at most 8), as in bench/load.sh.
for round in $(seq 1 8); do
  jit0=$(jit_ticks "$JPID"); all0=$(awk '{print $14 + $15}' "/proc/$JPID/stat")
  generate 40000 200000 >/dev/null
  jit1=$(jit_ticks "$JPID"); all1=$(awk '{print $14 + $15}' "/proc/$JPID/stat")
  [ $(( (jit1 - jit0) * 100 )) -lt $(( (all1 - all0) * 3 )) ] && break
done
echo "warm-up: $round round(s) of 200000 datagrams"
# The warm-up's datagrams are all counted before the profiled run starts.
before=-1; now=$(received)
while [ "$now" != "$before" ]; do sleep 0.5; before=$now; now=$(received); done
mkdir -p "$OUT"
# jcmd parses name=value arguments itself: the agent's options go in quotes of their own.
profiler() { jcmd "$JPID" JVMTI.agent_load "$LIB" "\"$1\"" | grep -q 'return code: 0' || { echo "async-profiler: $1 failed" >&2; exit 1; }; }
profiler "start,event=cpu,interval=1ms,threads"
cpu0=$(awk '{print $14 + $15}' "/proc/$JPID/stat")
generate "$RATE" $((RATE * SECONDS_)) | sed 's/^/generator: /'
cpu1=$(awk '{print $14 + $15}' "/proc/$JPID/stat")
profiler "dump,collapsed,file=$OUT/$NAME.collapsed"
profiler "stop,flamegraph,file=$OUT/$NAME.html"
after=$(received)
kill -TERM "$PID"; wait "$PID" || true
ticks=$(getconf CLK_TCK)
awk -v t=$((cpu1 - cpu0)) -v hz="$ticks" -v n=$((RATE * SECONDS_)) -v got=$((after - before)) \
  'BEGIN {printf "collector CPU: %.2f us per datagram over %d datagrams sent, %d counted by the decoder\n", t / hz * 1e6 / n, n, got}'
echo "flame graph: $OUT/$NAME.html, stacks: $OUT/$NAME.collapsed"
# Samples per thread (digits folded, so a pool is one line: where CPU outside the readers goes),
# then the reader threads' top frames, inclusive, as shares of their samples.
python3 - "$OUT/$NAME.collapsed" <<'PY'
import collections, re, sys
total = 0; inclusive = collections.Counter(); self_ = collections.Counter(); threads = collections.Counter()
for line in open(sys.argv[1]):
    stack, n = line.rsplit(' ', 1)
    frames = stack.split(';')
    threads[re.sub(r'\d+', 'N', frames[0])] += int(n)
    if '-reader-' not in frames[0]:
        continue
    n = int(n); total += n; self_[frames[-1]] += n
    for f in set(frames[1:]):
        inclusive[f] += n
every = sum(threads.values())
print(f"all threads: {every} samples")
for t, n in threads.most_common(12):
    print(f"{100 * n / every:6.2f}%  {t}")
if total:
    print(f"reader threads: {total} samples")
    for label, c in (("self", self_), ("inclusive", inclusive)):
        print(f"-- {label}")
        for f, n in c.most_common(25):
            print(f"{100 * n / total:6.2f}%  {f}")
PY
