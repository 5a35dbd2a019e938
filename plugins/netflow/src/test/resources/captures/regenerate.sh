#!/usr/bin/env bash
# Regenerates the captured-datagram fixtures of plugins/netflow and plugins/sflow from the exporters
# Debian packages (softflowd, fprobe, pmacct's pmacctd) and tshark's decode of what they send.
# Run by hand, as root (fprobe captures live), never in CI:
#
#   plugins/netflow/src/test/resources/captures/regenerate.sh
#
# Needs: apt-get install softflowd fprobe pmacct tshark python3 (and util-linux's unshare, iproute2).
# Everything runs in a network namespace of its own (unshare -n) with only its loopback up: the
# exporters send to a recorder on 127.0.0.1 there, and fprobe's input frames never leave it.
# See README.md beside this script for the format and the provenance it records.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../../../../.." && pwd)
cd "$ROOT"
export PATH="$PATH:/usr/sbin:/sbin"
for tool in softflowd fprobe pmacctd tshark python3 unshare ip; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install softflowd fprobe pmacct tshark)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "run as root: fprobe captures on a live interface" >&2; exit 1; }

./mvnw -B -o -q -pl plugins/netflow -am test-compile \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/capture-classpath.txt
CP="plugins/netflow/target/test-classes:plugins/netflow/target/classes:$(cat plugins/netflow/target/capture-classpath.txt)"
# Reactor modules resolve to their target/classes only within one Maven run; name them here.
CP="$CP:tools/traffic/target/classes:server/testkit/target/classes:server/api/target/classes"

NETFLOW=plugins/netflow/src/test/resources/captures/netflow
SFLOW=plugins/sflow/src/test/resources/captures/sflow
unshare -n sh -c "ip link set lo up && exec java -cp '$CP' io.caravan.netflow.captures.RegenerateCaptures '$NETFLOW' '$SFLOW'"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  for p in softflowd fprobe pmacct tshark; do
    echo "$p $(dpkg-query -W -f '${Version}' "$p" 2>/dev/null || echo '?')"
  done
} | tee "$NETFLOW/VERSIONS" > "$SFLOW/VERSIONS"
echo "regenerated: $NETFLOW $SFLOW (update the README tables if exporters' output changed)"
