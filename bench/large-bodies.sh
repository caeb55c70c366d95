#!/usr/bin/env bash
# What mirroring large JSON answers costs the clients of the tap, measured in one run:
#   1. wrk through the tap at sample-rate 0 (the reference: no copies, no comparisons)
#   2. wrk through the tap at sample-rate 1 (every answer copied and, where memory allows, compared)
# for a 1.4 MB and a 7 MB JSON answer (OLD and NEW serve the same file from nginx). Prints the clients'
# req/s and p99 of each, the ratio sample-rate 1 / sample-rate 0, the tap's GC pauses (from -Xlog:gc),
# whether it ran out of memory, and what it compared or skipped. bench/README.md has the figures.
# Usage: bench/large-bodies.sh        (DURATION=10s, TAP_JAVA_OPTS="..." default: the launcher's)
# Installs nginx and wrk from Debian when missing. Uses loopback ports 18101-18106 only.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}

. bench/lib.sh   # need (installs nginx, wrk, python3), $work and cleanup, start_nginx, static_nginx, rps, p99_ms
TAP_JAVA_OPTS=${TAP_JAVA_OPTS:-$(launcher_opts tap)}   # default: the launcher's

mkdir -p "$work/www/api"
python3 - "$work/www/api" <<'PY'
import json, sys
d = sys.argv[1]
open(d + "/big.json", "w").write(json.dumps([{"i": i, "v": str(i % 7)} for i in range(60000)]))
open(d + "/huge.json", "w").write(json.dumps([{"i": i, "v": str(i % 7), "name": "item %d" % i} for i in range(160000)]))
PY
chmod -R a+rX "$work"
static_nginx 18101 "$work/www" 18102 "$work/www"

./parity --version >&2   # builds the jar when needed
start_tap() { # name listen admin sample-rate
  PARITY_JAVA_OPTS="$TAP_JAVA_OPTS -Xlog:gc:file=$work/gc-$1.log" ./parity tap --old http://127.0.0.1:18101 \
    --new http://127.0.0.1:18102 --listen "127.0.0.1:$2" --admin "127.0.0.1:$3" --sample-rate "$4" \
    --store "$work/parity-$1.db" > "$work/tap-$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$3/health" >/dev/null 2>&1 && return; sleep 0.2; done
  echo "tap $1 did not start:" >&2; cat "$work/tap-$1.log" >&2; exit 1
}
stop_last() { kill "${pids[-1]}" 2>/dev/null || true; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'; }


declare -A RPS P99 GC OOM SEEN
measure() { # name file conns sample-rate
  start_tap "$1" 18103 18104 "$4"
  wrk -t2 -c"$3" -d3s --timeout 10s "http://127.0.0.1:18103/api/$2" > /dev/null   # warm-up
  out=$(wrk -t2 -c"$3" -d"$DURATION" --timeout 10s --latency "http://127.0.0.1:18103/api/$2")
  RPS[$1]=$(echo "$out" | rps)
  P99[$1]=$(echo "$out" | p99_ms)
  SEEN[$1]=$(curl -s http://127.0.0.1:18104/api/report | python3 -c 'import json,sys; r=json.load(sys.stdin); t=r["totals"]
s={}
for e in r["endpoints"]:
    for k,v in e["skipped"].items(): s[k]=s.get(k,0)+v
print("compared", t["compared"], "errors", t["errors"], "skipped", s)')
  stop_last
  GC[$1]=$(grep Pause "$work/gc-$1.log" | grep -o '[0-9.]*ms$' | awk '{ s += $1 } END { printf "%.0f", s }')
  OOM[$1]=$(grep -c OutOfMemoryError "$work/tap-$1.log" || true)
  printf '%-14s %8.1f req/s   p99 %8.1f ms   GC paused %6s ms   OOM lines %s   %s\n' "$1" "${RPS[$1]}" "${P99[$1]}" \
    "${GC[$1]}" "${OOM[$1]}" "${SEEN[$1]}" >&2
}

echo "== bench/large-bodies.sh $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, duration=$DURATION, tap JVM: $TAP_JAVA_OPTS"
measure big-0 big.json 30 0
measure big-1 big.json 30 1
measure huge-0 huge.json 8 0
measure huge-1 huge.json 8 1
ratio() { python3 -c "print('%.2f' % ($1 / $2))"; }
echo
printf '%-14s %10s %10s %14s %5s\n' target "req/s" "p99 ms" "GC paused ms" OOM
for k in big-0 big-1 huge-0 huge-1; do printf '%-14s %10.1f %10.1f %14s %5s\n' "$k" "${RPS[$k]}" "${P99[$k]}" "${GC[$k]}" "${OOM[$k]}"; done
echo "1.4 MB answers, 30 conns: sample-rate 1 / sample-rate 0 throughput $(ratio "${RPS[big-1]}" "${RPS[big-0]}"); ${SEEN[big-1]}"
echo "7 MB answers, 8 conns:    sample-rate 1 / sample-rate 0 throughput $(ratio "${RPS[huge-1]}" "${RPS[huge-0]}"); ${SEEN[huge-1]}"
