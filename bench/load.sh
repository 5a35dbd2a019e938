#!/usr/bin/env bash
# Load benchmark: Caravan's default collector route (protobuf files, then JSON-lines files) and
# nfcapd (its own binary files), each fed by `caravan generate` at rising rates on loopback.
# Reports, per collector, the highest rate with loss < 0.1% and the ratio to nfcapd's.
#
#   bench/load.sh [protocol] [seconds-per-step] [rates...]
#   defaults:      ipfix      5                  20000 40000 60000 80000 100000 120000 140000 160000 200000
#
# Needs: a built distribution (./mvnw -B -DskipTests package), nfcapd (apt-get install nfdump),
# curl. Traffic goes to 127.0.0.1 only. Rates are datagrams/s of 10 flow records each.
set -euo pipefail
cd "$(dirname "$0")/.."
PROTOCOL=${1:-ipfix}
STEP=${2:-5}
shift $(( $# > 2 ? 2 : $# )) || true
RATES=("$@")
[ ${#RATES[@]} -gt 0 ] || RATES=(20000 40000 60000 80000 100000 120000 140000 160000 200000)
RECORDS=${RECORDS:-10}
LOSS_LIMIT=0.001

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
generate() { # target rate count -> prints the achieved datagrams/s
  # Above 100k/s one generator thread cannot keep up: two processes share the rate.
  local procs=1 out i pids=()
  [ "$2" -gt 100000 ] && procs=2
  for i in $(seq 1 $procs); do
    JAVA_OPTS="-Xmx256m" "$GEN" generate -p "$PROTOCOL" -t "$1" -r $(($2 / procs)) -n $(($3 / procs)) -e 4 \
      --records $RECORDS --seed "$i" > "$WORK/gen-$i.out" 2>&1 &
    pids+=($!)
  done
  wait "${pids[@]}"
  # "sent N datagrams (...) in S s: R datagrams/s" -> total sent / slowest elapsed
  cat "$WORK"/gen-*.out | awk '/^sent/ {n += $2; if ($(NF-3) > t) t = $(NF-3)} END {printf "%d", n / t}'
  rm -f "$WORK"/gen-*.out
}

# --- Caravan -----------------------------------------------------------------------------------
caravan_run() { # encoding [default|netty] -> prints "rate achieved loss heapMB" lines
  local encoding=$1 source=${2:-default} http udp collector
  http=$(port); udp=$(port)
  collector=$([ "$PROTOCOL" = ipfix ] && echo ipfix || ([ "$PROTOCOL" = sflow ] && echo sflow || echo netflow))
  cat >> "$HOME_DIR/config/caravan.properties" <<PROPS
caravan.http.port=$http
caravan.collect.bind=127.0.0.1
caravan.collect.$collector.port=$udp
caravan.collect.encoding=$encoding
caravan.collect.rcvbuf=$RCVBUF
PROPS
  rm -rf "$HOME_DIR/data/flows"
  rm -f "$HOME_DIR/routes/bench-netty.yaml"
  if [ "$source" = netty ]; then
    # The same pipeline behind camel-netty (an unbounded hand-off queue) instead of the udp component.
    mv "$HOME_DIR/routes/collect-$collector.yaml" "$WORK/collect-$collector.yaml.off"
    cat > "$HOME_DIR/routes/bench-netty.yaml" <<ROUTE
- route:
    id: bench-netty
    from:
      uri: "netty:udp://127.0.0.1:$udp"
      parameters: {udpByteArrayCodec: true, sync: false, receiveBufferSizePredictor: 65535, receiveBufferSize: $RCVBUF}
      steps:
        - to: {uri: stage:$([ "$collector" = sflow ] && echo decode-sflow || echo decode-netflow)}
        - to: {uri: stage:encode, parameters: {format: $encoding}}
        - to: {uri: "flowfile:$HOME_DIR/data/flows/bench", parameters: {prefix: bench, suffix: ".$encoding"}}
ROUTE
  fi
  JAVA_OPTS="-Xmx512m -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError" "$HOME_DIR/bin/caravan" run > "$WORK/caravan-$encoding.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 120); do curl -sf "localhost:$http/health/ready" >/dev/null && break; sleep 0.5; done
  local metric="caravan_decoder_datagrams_total"
  received() { curl -s "localhost:$http/metrics" | awk -v m="$metric" '$1 ~ "^"m"\\{" {s+=$NF} END {printf "%d", s}'; }
  heap() { curl -s "localhost:$http/metrics" | awk '/^jvm_memory_used_bytes\{area="heap"/ {s+=$NF} END {printf "%d", s/1048576}'; }
  local maxheap=0
  for rate in "${RATES[@]}"; do
    local before after count=$((rate * STEP)) prev
    before=$(received)
    local achieved; achieved=$(generate "127.0.0.1:$udp" "$rate" "$count")
    # Let the collector drain: stop when the counter stops moving.
    prev=-1; after=$(received)
    while [ "$after" != "$prev" ]; do sleep 1; prev=$after; after=$(received); done
    local h; h=$(heap); [ "$h" -gt "$maxheap" ] && maxheap=$h
    echo "$rate $achieved $(awk -v s="$count" -v r="$((after - before))" 'BEGIN {printf "%.5f", (s - r) / s}') $maxheap"
  done
  kill -TERM $pid; wait $pid || true
  [ -f "$WORK/collect-$collector.yaml.off" ] && mv "$WORK/collect-$collector.yaml.off" "$HOME_DIR/routes/collect-$collector.yaml"
  return 0
}

# --- nfcapd ------------------------------------------------------------------------------------
rxq() { # bytes queued on the UDP socket bound to port $1, in hex (empty if none)
  awk -v p=":$(printf '%04X' "$1")\$" '$2 ~ p {split($5, q, ":"); print q[2]; exit}' /proc/net/udp
}
nfcapd_run() {
  for rate in "${RATES[@]}"; do
    local udp count=$((rate * STEP)) dir="$WORK/nfcapd-$rate" flows
    udp=$(port); mkdir -p "$dir"
    nfcapd -w "$dir" -b 127.0.0.1 -p "$udp" -B $RCVBUF -t 3600 > "$dir/log" 2>&1 &
    local pid=$!
    for _ in $(seq 1 50); do grep -q ":$(printf '%04X' "$udp") " /proc/net/udp && break; sleep 0.1; done
    local achieved; achieved=$(generate "127.0.0.1:$udp" "$rate" "$count")
    # Drained when its socket queue is empty.
    while q=$(rxq "$udp"); [ -n "$q" ] && [ $((16#$q)) -gt 0 ]; do sleep 0.2; done
    kill -TERM $pid; wait $pid || true
    flows=$(grep -o 'Flows: [0-9]*' "$dir/log" | tail -1 | awk '{print $2}')
    echo "$rate $achieved $(awk -v s="$((count * RECORDS))" -v r="${flows:-0}" 'BEGIN {printf "%.5f", (s - r) / s}') -"
  done
}

# Highest achieved rate among steps with loss under the limit.
best() { awk -v lim=$LOSS_LIMIT '$3 < lim && $2 > b {b = $2} END {print b + 0}'; }

echo "protocol $PROTOCOL, $STEP s per step, $RECORDS records per datagram, rates ${RATES[*]} datagrams/s"
echo "columns: requested-rate achieved-rate loss heap-MB"
echo "== caravan, default route (udp component), protobuf files"; CP=$(caravan_run protobuf | tee -a /dev/stderr)
echo "== caravan, camel-netty route, protobuf files"; CU=$(caravan_run protobuf netty | tee -a /dev/stderr)
echo "== caravan, default route, json files"; CJ=$(caravan_run json | tee -a /dev/stderr)
echo "== nfcapd"; NF=$(nfcapd_run | tee -a /dev/stderr)
bp=$(echo "$CP" | best); bu=$(echo "$CU" | best); bj=$(echo "$CJ" | best); bn=$(echo "$NF" | best)
heap=$(printf '%s\n%s\n' "$CP" "$CU" | awk '$4 > h {h=$4} END {print h}')
echo
echo "| collector | highest loss-free achieved rate (datagrams/s) | flows/s | vs nfcapd |"
echo "|---|---|---|---|"
printf "| caravan, default route, protobuf files | %s | %s | %s |\n" "$bp" "$((bp * RECORDS))" "$(awk -v a="$bp" -v b="$bn" 'BEGIN {printf (b ? "%.2fx" : "n/a"), a / b}')"
printf "| caravan, camel-netty route, protobuf files | %s | %s | %s |\n" "$bu" "$((bu * RECORDS))" "$(awk -v a="$bu" -v b="$bn" 'BEGIN {printf (b ? "%.2fx" : "n/a"), a / b}')"
printf "| caravan, default route, JSON-lines files | %s | %s | %s |\n" "$bj" "$((bj * RECORDS))" "$(awk -v a="$bj" -v b="$bn" 'BEGIN {printf (b ? "%.2fx" : "n/a"), a / b}')"
printf "| nfcapd | %s | %s | 1.00x |\n" "$bn" "$((bn * RECORDS))"
echo "caravan heap used at most: ${heap} MB (-Xmx512m)"
