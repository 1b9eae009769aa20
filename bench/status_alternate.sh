#!/bin/bash
# The tenant's status read, two servers alternately (issue 15):
#   bench/status_alternate.sh TARGETS.lua ROUNDS LABEL_A PORT_A LABEL_B PORT_B [api|page]
# Each round runs wrk -t2 -c16 -d10s (bench/wrk.lua's status mode) against A, then B, 3 s apart,
# and prints requests/s, the server's CPU ms per request (utime+stime of the process that
# listens on the port and of its children, from /proc) and wrk's JSON line. The servers are
# `python -m service serve --workers 2 --port PORT --no-demo --no-worker`.
set -euo pipefail
targets=$1 rounds=$2 how=${7:-api}
here=$(dirname "$0")
cpu_ticks() {
  local master total=0
  master=$(pgrep -f -- "--port $1 " | head -1)
  [ -n "$master" ] || { echo "no server started with '--port $1 ...'" >&2; exit 1; }
  for p in $master $(pgrep -P "$master"); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo $total
}
for _ in $(seq 1 "$rounds"); do
  for pair in "$3 $4" "$5 $6"; do
    read -r label port <<< "$pair"
    before=$(cpu_ticks "$port")
    out=$(wrk -t2 -c16 -d10s "http://127.0.0.1:$port" -s "$here/wrk.lua" -- status "$targets" "$how")
    after=$(cpu_ticks "$port")
    json=$(echo "$out" | sed -n 's/^WRK_JSON //p')
    requests=$(echo "$json" | sed 's/.*"requests":\([0-9]*\).*/\1/')
    ms=$(python3 -c "print(f'{($after - $before) * 1000 / $(getconf CLK_TCK) / $requests:.3f}')")
    echo "$(date +%H:%M:%S) $label $(echo "$out" | grep Requests/sec) cpu_ms_per_request=$ms load=$(cut -d' ' -f1 /proc/loadavg) $json"
    sleep 3
  done
done
