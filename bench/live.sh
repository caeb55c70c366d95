#!/usr/bin/env bash
# Live tap benchmark, everything measured in one run on this machine so the ratios are fair:
#   1. wrk straight to an nginx static OLD
#   2. wrk through nginx as a plain reverse proxy to OLD
#   3. wrk through nginx's `mirror` directive (OLD answers, NEW gets a copy)
#   4. wrk through the tap with sample-rate 0 (pure proxy)
#   5. wrk through the tap with sample-rate 1 (every request mirrored and compared)
#   6. RSS of the tap at sample-rate 1 with 256 connections while NEW takes 2 s per answer
# Each target is measured ROUNDS times, interleaved, each tap next to its nginx; prints every round's requests/s and
# p99, the medians, and the ratios (the median of the rounds' ratios) against the targets (bench/README.md).
# Usage: bench/live.sh            (ROUNDS=5 DURATION=8s CONNS=64 WARMUP=60s TAP_JAVA_OPTS="...", default: the launcher's)
#        TARGETS="nginx-mirror tap-sample-1" QUICK=1 bench/live.sh   runs only those, and skips the memory test
# Installs nginx and wrk from Debian when missing. Uses loopback ports 18001-18012 only.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-8s}   # per target per round
ROUNDS=${ROUNDS:-5}
# Each tap is warmed up this long before the rounds: its JIT needs it. On a 2-core VM where the load competes with the
# compiler, the tap at sample-rate 1 settled only after about 50 s under load (165 CPU us per request after 20 s,
# 120-127 after 50-70 s); a sidecar runs for days, so its steady speed is what counts. nginx needs no warm-up
# (NGINX_WARMUP only opens its connections).
WARMUP=${WARMUP:-60s}
NGINX_WARMUP=${NGINX_WARMUP:-5s}
CONNS=${CONNS:-64}
RSS_CONNS=${RSS_CONNS:-256}
# empty: the launcher's sidecar defaults (./parity); set to compare JVM settings
TAP_JAVA_OPTS=${TAP_JAVA_OPTS:-}
TAP_CONFIG=${TAP_CONFIG:-}   # a config file for the taps, e.g. to try limits.event-loops

. bench/lib.sh   # need (installs nginx, wrk, python3), $work and cleanup, start_nginx, static_nginx, rps, p99_ms

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

start_nginx "$(cat <<NGINX
  upstream old { server 127.0.0.1:18001; keepalive 256; }
  upstream new { server 127.0.0.1:18002; keepalive 256; }
  server { listen 127.0.0.1:18001; root $work/old; }
  server { listen 127.0.0.1:18002; root $work/new; }
  server { listen 127.0.0.1:18003;
    location / { proxy_pass http://old; proxy_http_version 1.1; proxy_set_header Connection ""; } }
  server { listen 127.0.0.1:18004;
    location / { mirror /mirror; proxy_pass http://old; proxy_http_version 1.1; proxy_set_header Connection ""; }
    location = /mirror { internal; proxy_pass http://new\$request_uri; proxy_http_version 1.1; proxy_set_header Connection ""; } }
NGINX
)"

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


# Each target is warmed up once, then measured in ROUNDS rounds. A round measures every target once, each tap right
# next to the nginx it is compared with, the pair's order swapped from one round to the next; the ratios are the
# median of the rounds' ratios. This VM's speed drifts by 10-30% within minutes (nginx alone), so a tap and its nginx
# measured minutes apart gave ratios that moved by more than the margin being measured.
rounds="$work/rounds.tsv"
: > "$rounds"
wanted() { [ -z "${TARGETS:-}" ] || [[ " $TARGETS " == *" $1 "* ]]; }
declare -A URL
path=/api/product.json
URL[nginx-direct]="http://127.0.0.1:18001$path"
URL[nginx-proxy]="http://127.0.0.1:18003$path"
URL[nginx-mirror]="http://127.0.0.1:18004$path"
URL[tap-sample-0]="http://127.0.0.1:18007$path"
URL[tap-sample-1]="http://127.0.0.1:18005$path"
order=(nginx-direct nginx-proxy tap-sample-0 nginx-mirror tap-sample-1)
for t in ${TARGETS:-}; do
  [[ " ${order[*]} " == *" $t "* ]] || { echo "TARGETS: unknown target '$t' (one of: ${order[*]})" >&2; exit 2; }
done
measure() { # round name
  local out r p
  out=$(wrk -t2 -c"$CONNS" -d"$DURATION" --latency "${URL[$2]}")
  if echo "$out" | grep -q -E 'Non-2xx|Socket errors'; then
    echo "$2: error responses or socket errors, the measurement is void:" >&2; echo "$out" >&2; exit 1
  fi
  r=$(echo "$out" | rps)
  p=$(echo "$out" | p99_ms)
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$r" "$p" >> "$rounds"
  printf 'round %s %-16s %10.0f req/s   p99 %8.2f ms\n' "$1" "$2" "$r" "$p" >&2
}
for k in "${order[@]}"; do
  if wanted "$k"; then
    wrk -t2 -c"$CONNS" -d"$([[ $k == tap-* ]] && echo "$WARMUP" || echo "$NGINX_WARMUP")" "${URL[$k]}" > /dev/null
  fi
done
for r in $(seq "$ROUNDS"); do
  wanted nginx-direct && measure "$r" nginx-direct
  for pair in "nginx-proxy tap-sample-0" "nginx-mirror tap-sample-1"; do
    read -r first second <<< "$pair"
    if [ $((r % 2)) -eq 0 ]; then read -r second first <<< "$pair"; fi
    if wanted "$first"; then measure "$r" "$first"; fi
    if wanted "$second"; then measure "$r" "$second"; fi
  done
done
summary() {
  python3 - "$rounds" <<'PY'
import sys, statistics as st
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
by = {}
for r, name, rps, p99 in rows:
    by.setdefault(name, {})[int(r)] = (float(rps), float(p99))
print("%-22s %12s %12s   %s" % ("target", "req/s", "p99 ms", "(median of the rounds; every round's req/s)"))
for name in ["nginx-direct", "nginx-proxy", "nginx-mirror", "tap-sample-0", "tap-sample-1"]:
    if name in by:
        v = by[name]
        print("%-22s %12.0f %12.2f   %s" % (name, st.median(x[0] for x in v.values()), st.median(x[1] for x in v.values()),
              " ".join("%.0f" % v[k][0] for k in sorted(v))))
def ratios(a, b, i):
    if a not in by or b not in by:
        return None
    return [by[a][k][i] / by[b][k][i] for k in sorted(by[a]) if k in by[b]]
print()
for label, a, b, i, target in [("tap@1 / nginx-mirror throughput", "tap-sample-1", "nginx-mirror", 0, ">= 1.5"),
                               ("tap@1 / nginx-mirror p99", "tap-sample-1", "nginx-mirror", 1, "<= 1.0"),
                               ("tap@0 / nginx-proxy throughput", "tap-sample-0", "nginx-proxy", 0, ">= 0.8")]:
    rs = ratios(a, b, i)
    if rs:
        print("%-32s %.3f (target %s; rounds: %s)" % (label + ":", st.median(rs), target, " ".join("%.3f" % x for x in rs)))
PY
}
header() {
  echo
  echo "== bench/live.sh $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), conns=$CONNS, $ROUNDS rounds of $DURATION after $WARMUP warm-up per tap, tap JVM: ${TAP_JAVA_OPTS:-launcher default}${TAP_CONFIG:+, config $TAP_CONFIG}"
}
if [ -n "${QUICK:-}" ]; then header; summary; exit 0; fi
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

header
summary
echo "tap-sample-1 totals (compared matched mismatched skipped): $compared"
echo "tap RSS peak, $RSS_CONNS conns, NEW at 2 s: $((peak / 1024)) MB (target < 512 MB); $rss_rps req/s to clients; $slow_totals"
