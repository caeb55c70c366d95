#!/usr/bin/env bash
# Live tap benchmark, everything measured in one run on this machine so the ratios are fair:
#   1. wrk straight to an nginx static OLD
#   2. wrk through nginx as a plain reverse proxy to OLD
#   3. wrk through nginx's `mirror` directive (OLD answers, NEW gets a copy)
#   4. wrk through the tap with sample-rate 0 (pure proxy)
#   5. wrk through the tap with sample-rate 1 (every request mirrored and compared)
#   6. RSS of the tap at sample-rate 1 with 256 connections while NEW takes 2 s per answer
# Prints requests/s and p99 of each and the ratios against the targets (bench/README.md).
# Usage: bench/live.sh            (DURATION=15s CONNS=64 WARMUP=20s TAP_JAVA_OPTS="...", default: the launcher's)
#        TARGETS="nginx-mirror tap-sample-1" QUICK=1 bench/live.sh   runs only those, and skips the memory test
# Installs nginx and wrk from Debian when missing. Uses loopback ports 18001-18012 only.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-20s}   # the JVM's compiler needs this long on the comparison path before the tap runs at its steady speed
CONNS=${CONNS:-64}
RSS_CONNS=${RSS_CONNS:-256}
# empty: the launcher's sidecar defaults (./parity); set to compare JVM settings
TAP_JAVA_OPTS=${TAP_JAVA_OPTS:-}
TAP_CONFIG=${TAP_CONFIG:-}   # a config file for the taps, e.g. to try limits.event-loops

. bench/lib.sh   # need (installs nginx, wrk, python3), static_nginx, rps, p99_ms

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]:-}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A 2 KB JSON product as OLD serves it, and NEW's version of it (same data, other key order and spelling).
mkdir -p "$work/old/api" "$work/new/api"
python3 - "$work" <<'PY'
import json, sys, random
random.seed(1)
work = sys.argv[1]
items = [{"sku": "SKU-%04d" % i, "name": "Caf\u00e9 cr\u00e8me %d" % i, "price": 1250 + i, "qty": i % 7,
          "tags": ["coffee", "hot", "dairy"][: 1 + i % 3]} for i in range(14)]
doc = {"id": 42, "currency": "EUR", "total": sum(x["price"] for x in items), "items": items, "note": "ok"}
old = json.dumps(doc, ensure_ascii=True, sort_keys=True)
new = json.dumps({k: doc[k] for k in reversed(list(doc))}, ensure_ascii=False).replace('"total": %d' % doc["total"], '"total": %d.0' % doc["total"])
open(work + "/old/api/product.json", "w").write(old)
open(work + "/new/api/product.json", "w", encoding="utf-8").write(new)
PY
chmod -R a+rX "$work"   # nginx's worker user must read the files
echo "payload: $(wc -c < "$work/old/api/product.json") bytes of JSON" >&2

cat > "$work/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  default_type application/json;
  keepalive_requests 1000000;
  upstream old { server 127.0.0.1:18001; keepalive 256; }
  upstream new { server 127.0.0.1:18002; keepalive 256; }
  server { listen 127.0.0.1:18001; root $work/old; }
  server { listen 127.0.0.1:18002; root $work/new; }
  server { listen 127.0.0.1:18003;
    location / { proxy_pass http://old; proxy_http_version 1.1; proxy_set_header Connection ""; } }
  server { listen 127.0.0.1:18004;
    location / { mirror /mirror; proxy_pass http://old; proxy_http_version 1.1; proxy_set_header Connection ""; }
    location = /mirror { internal; proxy_pass http://new\$request_uri; proxy_http_version 1.1; proxy_set_header Connection ""; } }
}
NGINX
nginx -c "$work/nginx.conf" -p "$work"

# NEW that takes 2 s per answer, for the memory test.
python3 - <<'PY' > /dev/null 2>&1 &
import http.server, socketserver, time
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        time.sleep(2)
        body = open("/dev/null").read() or '{"slow": true}'
        self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body.encode())
    def log_message(self, *a): pass
class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 1024
S(("127.0.0.1", 18009), H).serve_forever()
PY
pids+=($!)

./parity --version >&2   # builds the jar when needed
start_tap() { # listen admin new sample-rate
  PARITY_JAVA_OPTS="$TAP_JAVA_OPTS" ./parity tap --old http://127.0.0.1:18001 --new "$3" --listen "127.0.0.1:$1" --admin "127.0.0.1:$2" \
    --sample-rate "$4" --store "$work/parity-$1.db" ${TAP_CONFIG:+--config "$TAP_CONFIG"} > "$work/tap-$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$2/health" >/dev/null 2>&1 && return; sleep 0.2; done
  echo "tap on $1 did not start:" >&2; cat "$work/tap-$1.log" >&2; exit 1
}
start_tap 18005 18006 http://127.0.0.1:18002 1
tap1_pid=${pids[-1]}
start_tap 18007 18008 http://127.0.0.1:18002 0
start_tap 18010 18011 http://127.0.0.1:18009 1
tap_slow_pid=${pids[-1]}


declare -A RPS P99
run() { # name url
  if [ -n "${TARGETS:-}" ] && [[ " $TARGETS " != *" $1 "* ]]; then return; fi
  wrk -t2 -c"$CONNS" -d"$WARMUP" "$2" > /dev/null
  out=$(wrk -t2 -c"$CONNS" -d"$DURATION" --latency "$2")
  RPS[$1]=$(echo "$out" | rps)
  P99[$1]=$(echo "$out" | p99_ms)
  errs=$(echo "$out" | awk '/Non-2xx|Socket errors/')
  if echo "$out" | grep -q 'Non-2xx'; then echo "$1: error responses, the measurement is void:" >&2; echo "$out" >&2; exit 1; fi
  printf '%-22s %10.0f req/s   p99 %8.2f ms   %s\n' "$1" "${RPS[$1]}" "${P99[$1]}" "$errs" >&2
  echo "$out" | grep -A4 "Latency Distribution" | tr -s " " | tr "\n" " " >&2; echo >&2
}
path=/api/product.json
run nginx-direct      "http://127.0.0.1:18001$path"
run nginx-proxy       "http://127.0.0.1:18003$path"
run nginx-mirror      "http://127.0.0.1:18004$path"
run tap-sample-0      "http://127.0.0.1:18007$path"
run tap-sample-1      "http://127.0.0.1:18005$path"
if [ -n "${QUICK:-}" ]; then exit 0; fi
compared=$(curl -s http://127.0.0.1:18006/api/report | python3 -c 'import json,sys; t=json.load(sys.stdin)["totals"]; print(t["compared"], t["matched"], t["mismatched"], t["skipped"])')

# Memory: 256 connections through the tap while NEW needs 2 s per answer.
peak=0
wrk -t2 -c"$RSS_CONNS" -d20s "http://127.0.0.1:18010$path" > "$work/wrk-rss.txt" &
wrk_pid=$!
while kill -0 "$wrk_pid" 2>/dev/null; do
  rss=$(awk '/VmRSS/ { print $2 }' "/proc/$tap_slow_pid/status")
  [ "$rss" -gt "$peak" ] && peak=$rss
  sleep 0.5
done
rss_rps=$(rps < "$work/wrk-rss.txt")
slow_totals=$(curl -s http://127.0.0.1:18011/api/report | python3 -c 'import json,sys; r=json.load(sys.stdin); t=r["totals"]; s={}
for e in r["endpoints"]:
    for k,v in e["skipped"].items(): s[k]=s.get(k,0)+v
print("compared", t["compared"], "errors", t["errors"], "skipped", s)')

ratio() { python3 -c "print('%.2f' % ($1 / $2))"; }
echo
echo "== bench/live.sh $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), conns=$CONNS duration=$DURATION, tap JVM: ${TAP_JAVA_OPTS:-launcher default}"
printf '%-22s %12s %12s\n' target "req/s" "p99 ms"
for k in nginx-direct nginx-proxy nginx-mirror tap-sample-0 tap-sample-1; do printf '%-22s %12.0f %12.2f\n' "$k" "${RPS[$k]}" "${P99[$k]}"; done
echo "tap-sample-1 totals (compared matched mismatched skipped): $compared"
echo
t1=$(ratio "${RPS[tap-sample-1]}" "${RPS[nginx-mirror]}")
t0=$(ratio "${RPS[tap-sample-0]}" "${RPS[nginx-proxy]}")
p=$(ratio "${P99[tap-sample-1]}" "${P99[nginx-mirror]}")
echo "tap@1 / nginx-mirror throughput: $t1 (target >= 1.5)"
echo "tap@1 / nginx-mirror p99:        $p (target <= 1.0)"
echo "tap@0 / nginx-proxy throughput:  $t0 (target >= 0.8)"
echo "tap RSS peak, $RSS_CONNS conns, NEW at 2 s: $((peak / 1024)) MB (target < 512 MB); $rss_rps req/s to clients; $slow_totals"
