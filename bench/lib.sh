# Shared by bench/load.sh and bench/profile.sh (sourced, not run).

# The most records (sFlow: flow samples) one 1500-byte datagram holds with the generator's
# templates, templates included (caravan generate refuses more); fails on an unknown protocol.
max_records() {
  case "$1" in
    netflow-v5) echo 30 ;;
    netflow-v9) echo 21 ;;
    ipfix) echo 18 ;;
    sflow) echo 5 ;;
    *) echo "protocol: netflow-v5, netflow-v9, ipfix or sflow; got $1" >&2; return 1 ;;
  esac
}

# A free UDP port on 127.0.0.1.
port() { python3 -c 'import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# utime + stime, in clock ticks, of a JVM's JIT compiler threads (C1, C2).
jit_ticks() {
  local t=0 task
  for task in /proc/"$1"/task/*; do
    case "$(cat "$task/comm" 2>/dev/null)" in
      C1\ Compi*|C2\ Compi*) t=$((t + $(sed 's/.*) //' "$task/stat" | awk '{print $12 + $13}'))) ;;
    esac
  done
  echo "$t"
}

# In the background while process $1 lives: deletes the closed flow files under $2/data/flows as
# they appear (in-progress ones start with '.'), so the page cache recycles its pages as on a
# server that has run a while (see PRUNE in bench/load.sh). With $3, each deleted file's size is
# appended to that file, one a line, so the bytes written can still be counted.
prune_closed_files() {
  local sizes=${3:-/dev/null}
  ( while kill -0 "$1" 2>/dev/null; do
      find "$2/data/flows" -type f ! -name '.*' -printf '%s\n' -delete >> "$sizes" 2>/dev/null || true; sleep 0.5
    done ) &
}
