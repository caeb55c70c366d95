#!/usr/bin/env bash
# Replay benchmark (issue 4): `parity replay` of a generated capture of N requests (default 1,000,000) against
# two local nginx static backends (OLD and NEW docroots), --concurrency 64. Prints compared requests per second
# and the replay's peak RSS (sampled from /proc every 0.5 s), against the targets (>= 10,000/s, < 300 MB), and,
# as a reference measured in the same run, what wrk gets from the same nginx OLD backend alone, before and after
# the replay (the machine drifts; their mean is the reference), and the ratio compared/s / reference (>= 0.15x).
# Usage: bench/replay.sh              (N=1000000 CONCURRENCY=64 REPLAY_JAVA_OPTS="...", default: the launcher's)
#        N=100000 bench/replay.sh     a quicker run
#        JAR=/tmp/old.jar bench/replay.sh   replays with that jar (a copy kept to compare builds), not the build's
# Installs nginx and wrk from Debian when missing. Uses loopback ports 18101-18102 only.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000000}
CONCURRENCY=${CONCURRENCY:-64}
REPLAY_JAVA_OPTS=${REPLAY_JAVA_OPTS:-}
JAR=${JAR:-}
WRK_SECONDS=${WRK_SECONDS:-10}

. bench/lib.sh   # need (installs nginx, wrk, python3), $work and cleanup, start_nginx, static_nginx, rps, p99_ms

# 200 products of about 1.5 KB as OLD serves them; NEW serves the same data with other key order, raw UTF-8
# instead of \u escapes and whole floats as integers (all forgiven by normalization), and a different price
# for every 10th product (a real mismatch). The capture asks for them round-robin, with a query string.
python3 - "$work" "$N" <<'PY'
import json, os, sys
work, n = sys.argv[1], int(sys.argv[2])
for side in ("old", "new"):
    os.makedirs(f"{work}/{side}/api/products", exist_ok=True)
for i in range(200):
    items = [{"sku": "SKU-%04d" % (i * 10 + k), "name": "Caf\u00e9 cr\u00e8me %d" % k, "price": 1250.0 + k,
              "qty": k % 7, "tags": ["coffee", "hot", "dairy"][: 1 + k % 3]} for k in range(10)]
    doc = {"id": i, "currency": "EUR", "total": sum(x["price"] for x in items), "items": items, "note": "ok"}
    open(f"{work}/old/api/products/{i}.json", "w").write(json.dumps(doc, ensure_ascii=True, sort_keys=True))
    new = dict(reversed(list(doc.items())))
    new["total"] = int(doc["total"])
    if i % 10 == 0:
        new["items"] = [dict(x, price=x["price"] + 1) for x in doc["items"]]
    open(f"{work}/new/api/products/{i}.json", "w", encoding="utf-8").write(json.dumps(new, ensure_ascii=False))
with open(f"{work}/capture.ndjson", "w") as f:
    line = ('{"ts":"2026-11-21T12:00:00Z","endpoint":"GET /api/products/{id}.json","request":{"method":"GET",'
            '"uri":"/api/products/%d.json?lang=fr&v=%d","headers":[["Host","shop.example"],["Accept","application/json"],'
            '["User-Agent","bench/1.0"]]}}\n')
    for k in range(n):
        f.write(line % (k % 200, k))
PY
chmod -R a+rX "$work"
echo "capture: $N requests, $(du -m "$work/capture.ndjson" | cut -f1) MB" >&2

static_nginx 18101 "$work/old" 18102 "$work/new"

PARITY_JAR="$JAR" ./parity --version >&2   # builds the jar when needed (not with JAR=)
reference() { wrk -t2 -c"$CONCURRENCY" -d"${WRK_SECONDS}s" "http://127.0.0.1:18101/api/products/7.json" | rps; }
ref_before=$(reference)

start=$(date +%s.%N)
PARITY_JAR="$JAR" PARITY_JAVA_OPTS="$REPLAY_JAVA_OPTS" ${TIME_CMD:-} ./parity replay "$work/capture.ndjson" --old http://127.0.0.1:18101 \
  --new http://127.0.0.1:18102 --concurrency "$CONCURRENCY" --json "$work/report.json" --fail-on never --progress log ${REPLAY_CONFIG:+--config "$REPLAY_CONFIG"} \
  > "$work/replay.out" 2> "$work/replay.err" &
launcher=$!
peak=0
samples=()
pid=""
while kill -0 "$launcher" 2>/dev/null; do
  [ -z "$pid" ] && pid=$(pgrep -f "jar replay $work" | head -1 || true)
  if [ -n "$pid" ] && [ -r "/proc/$pid/status" ]; then
    rss=$(awk '/VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
    [ -n "$rss" ] && [ "$rss" -gt "$peak" ] && peak=$rss
    samples+=("$rss")
  fi
  sleep 0.5
done
wait "$launcher" || { echo "replay failed:" >&2; cat "$work/replay.err" >&2; exit 1; }
end=$(date +%s.%N)
ref_after=$(reference)

read -r compared mismatched errors <<<"$(python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["totals"]; print(t["compared"], t["mismatched"], t["errors"])' "$work/report.json")"
# RSS over time: the first and last quarter of the samples, to show it stays flat
quarter=$(( ${#samples[@]} / 4 ))
first_q=$(printf '%s\n' "${samples[@]:0:$((quarter > 0 ? quarter : 1))}" | sort -n | tail -1)
last_q=$(printf '%s\n' "${samples[@]: -$((quarter > 0 ? quarter : 1))}" | sort -n | tail -1)
python3 - "$start" "$end" "$compared" "$mismatched" "$errors" "$peak" "$first_q" "$last_q" "$ref_before" "$ref_after" "$N" \
  "$CONCURRENCY" "${JAR:-cli/target/parity.jar}" <<'PY'
import sys
start, end, compared, mismatched, errors, peak, fq, lq, ref_b, ref_a, n, conc, jar = sys.argv[1:]
ref = (float(ref_b) + float(ref_a)) / 2
secs = float(end) - float(start)
rate = int(compared) / secs
print()
print("== bench/replay.sh, %s requests, --concurrency %s, jar %s, JVM: launcher default unless REPLAY_JAVA_OPTS" % (n, conc, jar))
print("wall time (JVM start to exit)   %8.1f s" % secs)
print("compared                        %8d  (mismatched %s, errors %s; expected mismatched = 1 in 10)" % (int(compared), mismatched, errors))
print("compared per second             %8.0f  (target >= 10,000: %s)" % (rate, "met" if rate >= 10000 else "NOT met"))
print("peak RSS                        %8.0f MB (target < 300 MB: %s)" % (int(peak) / 1024, "met" if int(peak) < 300 * 1024 else "NOT met"))
print("RSS max, first / last quarter   %8.0f / %.0f MB (flat if close)" % (int(fq) / 1024, int(lq) / 1024))
print("reference: wrk -> nginx OLD alone %8.0f req/s (mean of %.0f before and %.0f after the replay; replay sends 2 requests per compared one)" % (ref, float(ref_b), float(ref_a)))
ratio = rate / ref
print("ratio compared/s / reference    %8.3fx (target >= 0.15x: %s; %.3fx-%.3fx against the after/before reference)" % (ratio, "met" if ratio >= 0.15 else "NOT met", rate / max(float(ref_b), float(ref_a)), rate / min(float(ref_b), float(ref_a))))
PY
tail -3 "$work/replay.err" >&2
