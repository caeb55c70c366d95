#!/usr/bin/env bash
# Live tap benchmark, everything measured in one run on this machine so the ratios are fair:
#   1. wrk straight to an nginx static OLD
#   2. wrk through nginx as a plain reverse proxy to OLD, twice: in OLD's own nginx worker (the proxy hop costs no
#      switch between processes) and as an nginx of its own, a process apart from OLD as the tap is
#   3. wrk through nginx's `mirror` directive (OLD answers, NEW gets a copy), in OLD's worker and apart, the same way
#   4. wrk through the tap with sample-rate 0 (pure proxy)
#   5. wrk through the tap with sample-rate 1 (every request mirrored and compared)
#   6. a cold tap at sample-rate 1: from starting it to its first proxied answer, then its first 10 s under load
#   7. RSS of the tap at sample-rate 1 with 256 connections while NEW takes 2 s per answer
#   8. for information, the plain proxies and the tap at sample-rate 0 again at a paced load, under saturation: each
#      connection waits CONNS / (PACE x the nginx plain proxy's saturated req/s) between its requests (whole ms);
#      with the response time on top, the rate reached is lower than PACE of saturation (printed as a fraction of it).
#      Queueing behind the 63 other connections then takes less of the p99.
# Each target is measured ROUNDS times, interleaved, each tap between its two nginx; prints every round's requests/s, p99
# and the tap's CPU microseconds per request (its process alone, from /proc), the medians, and the ratios (the median
# of the rounds' ratios) against the targets of issue 22 (bench/README.md).
# Usage: bench/live.sh            (ROUNDS=5 DURATION=8s CONNS=64 WARMUP=60s TAP_JAVA_OPTS="...", default: the launcher's)
#        TARGETS="nginx-mirror tap-sample-1" QUICK=1 bench/live.sh   runs only those, and skips the memory test
#        (targets: nginx-direct nginx-proxy nginx-proxy-apart tap-sample-0 nginx-mirror nginx-mirror-apart
#        tap-sample-1 cold-tap paced-nginx-proxy paced-tap-sample-0 paced-nginx-proxy-apart)
# Installs nginx and wrk from Debian when missing. Uses loopback ports 18001-18015 only.
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
PACE=${PACE:-0.5}   # sets the paced load's wait between requests (step 8 above)
if ! awk -v p="$PACE" 'BEGIN { exit !(p + 0 > 0) }'; then echo "PACE must be a number over 0: '$PACE'" >&2; exit 2; fi
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

# proxies PROXY-PORT MIRROR-PORT: nginx's plain proxy to OLD and its mirror (OLD answers, NEW gets a copy)
proxies() {
  cat <<NGINX
  upstream old { server 127.0.0.1:18001; keepalive 256; }
  upstream new { server 127.0.0.1:18002; keepalive 256; }
  server { listen 127.0.0.1:$1;
    location / { proxy_pass http://old; proxy_http_version 1.1; proxy_set_header Connection ""; } }
  server { listen 127.0.0.1:$2;
    location / { mirror /mirror; proxy_pass http://old; proxy_http_version 1.1; proxy_set_header Connection ""; }
    location = /mirror { internal; proxy_pass http://new\$request_uri; proxy_http_version 1.1; proxy_set_header Connection ""; } }
NGINX
}
# OLD and NEW, with the proxy and mirror in the same worker
start_nginx "$(proxies 18003 18004)
  server { listen 127.0.0.1:18001; root $work/old; }
  server { listen 127.0.0.1:18002; root $work/new; }"
# The same proxy and mirror in an nginx of their own: one worker, a process apart from OLD and NEW, as the tap is.
start_nginx "$(proxies 18014 18015)" apart

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
  for _ in $(seq 100); do
    kill -0 "$!" 2>/dev/null || break   # exited (a port taken by another process answers /health too)
    curl -sf "http://127.0.0.1:$2/health" >/dev/null 2>&1 && return
    sleep 0.2
  done
  echo "tap on $1 did not start:" >&2; cat "$work/tap-$1.log" >&2; exit 1
}
start_tap 18005 18006 http://127.0.0.1:18002 1
tap1_pid=${pids[-1]}
start_tap 18007 18008 http://127.0.0.1:18002 0
tap0_pid=${pids[-1]}
start_tap 18010 18011 http://127.0.0.1:18009 1
tap_slow_pid=${pids[-1]}


# Each target is warmed up once, then measured in ROUNDS rounds. A round measures every target once, each tap right
# between the two nginx it is compared with, which swap places from one round to the next; the ratios are the
# median of the rounds' ratios. This VM's speed drifts by 10-30% within minutes (nginx alone), so a tap and its nginx
# measured minutes apart gave ratios that moved by more than the margin being measured.
rounds="$work/rounds.tsv"
: > "$rounds"
wanted() { [ -z "${TARGETS:-}" ] || [[ " $TARGETS " == *" $1 "* ]]; }
declare -A URL PID
path=/api/product.json
URL[nginx-direct]="http://127.0.0.1:18001$path"
URL[nginx-proxy]="http://127.0.0.1:18003$path"
URL[nginx-mirror]="http://127.0.0.1:18004$path"
URL[nginx-proxy-apart]="http://127.0.0.1:18014$path"
URL[nginx-mirror-apart]="http://127.0.0.1:18015$path"
URL[tap-sample-0]="http://127.0.0.1:18007$path"
URL[tap-sample-1]="http://127.0.0.1:18005$path"
URL[cold-tap]="http://127.0.0.1:18012$path"
PID[tap-sample-1]=$tap1_pid
PID[tap-sample-0]=$tap0_pid
PID[paced-tap-sample-0]=$tap0_pid
for k in nginx-proxy nginx-proxy-apart tap-sample-0; do URL[paced-$k]=${URL[$k]}; done
order=(nginx-direct nginx-proxy nginx-proxy-apart tap-sample-0 nginx-mirror nginx-mirror-apart tap-sample-1
  paced-nginx-proxy paced-nginx-proxy-apart paced-tap-sample-0)
for t in ${TARGETS:-}; do
  [[ " ${order[*]} cold-tap " == *" $t "* ]] || { echo "TARGETS: unknown target '$t' (one of: ${order[*]} cold-tap)" >&2; exit 2; }
done
hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }   # utime + stime of a process, all its threads
# measure ROUND NAME [DURATION]: one wrk run; appends "round name req/s p99 cpu-us-per-request startup-ms" to $rounds
measure() {
  local out r p n c0="" c1 cpu="-" pid=${PID[$2]:-}
  [ -n "$pid" ] && c0=$(cpu_ticks "$pid")
  local script=()
  [[ $2 == paced-* ]] && script=(-s "$work/pace.lua")
  out=$(wrk -t2 -c"$CONNS" -d"${3:-$DURATION}" --latency ${script[@]+"${script[@]}"} "${URL[$2]}")
  if echo "$out" | grep -q -E 'Non-2xx|Socket errors'; then
    echo "$2: error responses or socket errors, the measurement is void:" >&2; echo "$out" >&2; exit 1
  fi
  r=$(echo "$out" | rps)
  p=$(echo "$out" | p99_ms)
  n=$(echo "$out" | awk '/ requests in / { print $1 }')
  if [ -n "$c0" ]; then
    c1=$(cpu_ticks "$pid")
    cpu=$(awk -v t=$((c1 - c0)) -v hz="$hz" -v n="$n" 'BEGIN { printf "%.1f", t * 1e6 / hz / n }')
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$r" "$p" "$cpu" "${startup_ms:--}" >> "$rounds"
  printf 'round %s %-23s %10.0f req/s   p99 %8.2f ms   tap CPU %6s us/request%s\n' "$1" "$2" "$r" "$p" "$cpu" \
    "${startup_ms:+   started in $startup_ms ms}" >&2
}
# cold ROUND: a new tap at sample-rate 1 (the launcher's settings, as a sidecar restarted by a rollout), timed from
# starting it to its first proxied answer, then loaded at once for 10 s: the throughput a rollout's first seconds get
cold() {
  local t0 pid
  t0=$(date +%s%N)
  PARITY_JAVA_OPTS="$TAP_JAVA_OPTS" ./parity tap --old http://127.0.0.1:18001 --new http://127.0.0.1:18002 \
    --listen 127.0.0.1:18012 --admin 127.0.0.1:18013 --sample-rate 1 --store "$work/parity-cold-$1.db" \
    ${TAP_CONFIG:+--config "$TAP_CONFIG"} > "$work/tap-cold.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "${URL[cold-tap]}"; do
    if ! kill -0 "$pid" 2>/dev/null || [ $(( $(date +%s%N) - t0 )) -gt 60000000000 ]; then
      echo "the cold tap did not answer within 60 s:" >&2; cat "$work/tap-cold.log" >&2; exit 1
    fi
    sleep 0.005
  done
  startup_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  PID[cold-tap]=$pid
  measure "$1" cold-tap 10s
  startup_ms=""
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
warmed=" "
for k in "${order[@]}"; do
  u=${k#paced-}   # a paced target is the same server as its unpaced one: warmed up once
  if wanted "$k" && [[ $warmed != *" $u "* ]]; then
    warmed+="$u "
    wrk -t2 -c"$CONNS" -d"$([[ $u == tap-* ]] && echo "$WARMUP" || echo "$NGINX_WARMUP")" "${URL[$u]}" > /dev/null
  fi
done
# The paced load: each connection waits CONNS / (PACE x nginx's plain proxy's saturated req/s) between its requests
# (wrk's delay(), whole milliseconds); the response time adds to the wait, so the rates reached are lower, printed as
# fractions of that saturated rate
pace=""
export PACE_MAX=""
if wanted paced-nginx-proxy || wanted paced-tap-sample-0 || wanted paced-nginx-proxy-apart; then
  probe=$(wrk -t2 -c"$CONNS" -d3s "${URL[nginx-proxy]}")
  PACE_MAX=$(echo "$probe" | rps)
  if echo "$probe" | grep -q -E 'Non-2xx|Socket errors' || ! awk -v m="$PACE_MAX" 'BEGIN { exit !(m + 0 > 0) }'; then
    echo "the paced load's probe of nginx-proxy failed:" >&2; echo "$probe" >&2; exit 1
  fi
  pace_ms=$(awk -v c="$CONNS" -v m="$PACE_MAX" -v p="$PACE" 'BEGIN { d = int(c * 1000 / (p * m) + 0.5); print (d < 1 ? 1 : d) }')
  printf 'local d = %s\nfunction delay() return d end\n' "$pace_ms" > "$work/pace.lua"
  pace="paced: each connection waits $pace_ms ms between requests (PACE=$PACE; nginx-proxy saturated: $PACE_MAX req/s)"
  echo "$pace" >&2
fi
for r in $(seq "$ROUNDS"); do
  wanted nginx-direct && measure "$r" nginx-direct
  # each tap between its two nginx, which swap places from one round to the next
  # the paced triple last, so that the cold tap still comes right after the warm tap@1 it is compared with
  for triple in "nginx-proxy tap-sample-0 nginx-proxy-apart" "nginx-mirror tap-sample-1 nginx-mirror-apart" cold \
      "paced-nginx-proxy paced-tap-sample-0 paced-nginx-proxy-apart"; do
    if [ "$triple" = cold ]; then
      if wanted cold-tap; then cold "$r"; fi
      continue
    fi
    read -r first tap last <<< "$triple"
    if [ $((r % 2)) -eq 0 ]; then read -r last tap first <<< "$triple"; fi
    for k in "$first" "$tap" "$last"; do if wanted "$k"; then measure "$r" "$k"; fi; done
  done
done
steady_rss=$(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$tap1_pid/status")
summary() {
  python3 - "$rounds" <<'PY'
import os, sys, statistics as st
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
by = {}
for r, name, rps, p99, cpu, startup in rows:
    by.setdefault(name, {})[int(r)] = (float(rps), float(p99), None if cpu == "-" else float(cpu),
                                       None if startup == "-" else float(startup))
print("%-23s %9s %9s %13s   %s" % ("target", "req/s", "p99 ms", "tap CPU us/req", "(medians of the rounds; every round's req/s)"))
for name in ["nginx-direct", "nginx-proxy", "nginx-proxy-apart", "nginx-mirror", "nginx-mirror-apart", "tap-sample-0",
             "tap-sample-1", "cold-tap", "paced-nginx-proxy", "paced-nginx-proxy-apart", "paced-tap-sample-0"]:
    if name in by:
        v = by[name]
        cpus = [x[2] for x in v.values() if x[2] is not None]
        print("%-23s %9.0f %9.2f %13s   %s" % (name, st.median(x[0] for x in v.values()), st.median(x[1] for x in v.values()),
              "%.1f" % st.median(cpus) if cpus else "-", " ".join("%.0f" % v[k][0] for k in sorted(v))))
def ratios(a, b, i):
    if a not in by or b not in by:
        return None
    return [by[a][k][i] / by[b][k][i] for k in sorted(by[a]) if k in by[b]]
print()
def line(label, rs, target, met):
    print("%-52s %6.3f  target %-7s %-8s rounds: %s" % (label, st.median(rs), target, "met" if met(st.median(rs)) else "NOT met",
          " ".join("%.3f" % x for x in rs)))
for label, a, b, i, target, met in [
        ("tap@1 / nginx-mirror, throughput", "tap-sample-1", "nginx-mirror", 0, ">= 1.5", lambda x: x >= 1.5),
        ("tap@1 / nginx-mirror, p99", "tap-sample-1", "nginx-mirror", 1, "<= 1.0", lambda x: x <= 1.0),
        ("tap@0 / nginx-proxy, throughput", "tap-sample-0", "nginx-proxy", 0, ">= 0.9", lambda x: x >= 0.9),
        ("tap@0 / nginx-proxy, p99", "tap-sample-0", "nginx-proxy", 1, "<= 1.2", lambda x: x <= 1.2),
        ("cold tap, first 10 s / warm tap@1", "cold-tap", "tap-sample-1", 0, ">= 0.7", lambda x: x >= 0.7)]:
    rs = ratios(a, b, i)
    if rs:
        line(label + ":", rs, target, met)
# For information, no target: against nginx in a process of its own, as the tap is, and what nginx itself gets when
# moved there from OLD's worker (the targets compare with nginx in OLD's worker, as issue 22 measured them).
# Each pair's throughput and p99; the paced ones had the same wait between requests each, and their throughput ratios
# show how close the loads they got were.
short = {"tap-sample-1": "tap@1", "tap-sample-0": "tap@0"}
info = []
for a, b in [("tap-sample-1", "nginx-mirror-apart"), ("tap-sample-0", "nginx-proxy-apart"),
             ("nginx-proxy-apart", "nginx-proxy"), ("nginx-mirror-apart", "nginx-mirror"),
             ("paced-tap-sample-0", "paced-nginx-proxy"), ("paced-nginx-proxy-apart", "paced-nginx-proxy"),
             ("paced-tap-sample-0", "paced-nginx-proxy-apart")]:
    pa, pb = a.removeprefix("paced-"), b.removeprefix("paced-")
    label = ("paced: " if a != pa else "") + short.get(pa, pa) + " / " + pb
    info += [(label + ", throughput", ratios(a, b, 0)), (label + ", p99", ratios(a, b, 1))]
for label, rs in info:
    if rs:
        print("%-52s %6.3f  (information)             rounds: %s" % (label + ":", st.median(rs), " ".join("%.3f" % x for x in rs)))
saturated = float(os.environ.get("PACE_MAX") or 0)
for name in ["paced-nginx-proxy", "paced-nginx-proxy-apart", "paced-tap-sample-0"]:
    if name in by and saturated:
        rps = st.median(x[0] for x in by[name].values())
        print("%-52s %6.3f  (information)             %.0f req/s of nginx-proxy's saturated %.0f (the probe)"
              % (name + ", load reached:", rps / saturated, rps, saturated))
if "cold-tap" in by:
    ms = [x[3] for x in by["cold-tap"].values()]
    print("%-52s %6.0f ms  target <= 1000 ms  %-8s rounds: %s" % ("start to first proxied answer:", st.median(ms),
          "met" if st.median(ms) <= 1000 else "NOT met", " ".join("%.0f" % x for x in ms)))
PY
}
header() {
  echo
  echo "== bench/live.sh $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), conns=$CONNS, $ROUNDS rounds of $DURATION after $WARMUP warm-up per tap, tap JVM: ${TAP_JAVA_OPTS:-launcher default}${TAP_CONFIG:+, config $TAP_CONFIG}"
  if [ -n "$pace" ]; then echo "$pace"; fi
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
echo "tap-sample-1 RSS after the rounds: $steady_rss MB"
echo "tap RSS peak, $RSS_CONNS conns, NEW at 2 s: $((peak / 1024)) MB (target < 512 MB); $rss_rps req/s to clients; $slow_totals"
