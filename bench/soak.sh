#!/usr/bin/env bash
# Soak test (not CI): the tap in front of a steady OLD (nginx) for DURATION seconds at RATE requests/s while NEW cycles,
# request by request, through clean answers, slow ones (past its timeout), resets, garbage and a gzip bomb (1 GiB
# inflated). Every minute: requests, client errors (must stay 0: the client always gets OLD's answer), client p99 and
# the tap's RSS (must stay flat); at the end, whether every request is counted exactly once in the tap's evidence.
# Usage: bench/soak.sh              (DURATION=1800 RATE=200, the launcher's tap JVM settings)
#        DURATION=120 bench/soak.sh  a short run
# Uses loopback ports 18101-18104 only. Installs nginx when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-1800}
RATE=${RATE:-200}
. bench/lib.sh
python3 - "$work" <<'PY'
import json, sys
doc = {"id": 42, "currency": "EUR", "items": [{"sku": "SKU-%04d" % i, "price": 1250 + i} for i in range(20)]}
open(sys.argv[1] + "/product.json", "w").write(json.dumps(doc))
PY
mkdir -p "$work/old/api/product"
for i in $(seq 0 49); do cp "$work/product.json" "$work/old/api/product/$i"; done
chmod -R a+rX "$work"
start_nginx "  server { listen 127.0.0.1:18101; default_type application/json; root $work/old; }"
python3 bench/soak/new_backend.py 18102 "$work/product.json" & new_pid=$!
cat > "$work/tap.yaml" <<YAML
timeouts: {new: 1s}
YAML
# the tap runs from a copy of the jar with the launcher's tap settings: a build during the soak (which rewrites
# cli/target/parity.jar) must not change the classes a running JVM still loads
./parity --help > /dev/null
cp cli/target/parity.jar "$work/parity.jar"
java $(launcher_opts tap) -jar "$work/parity.jar" tap --old http://127.0.0.1:18101 \
    --new http://127.0.0.1:18102 --listen 127.0.0.1:18103 --admin 127.0.0.1:18104 --store "$work/soak.db" \
    --config "$work/tap.yaml" > "$work/tap.log" 2>&1 & tap_pid=$!
trap 'kill $tap_pid $new_pid 2>/dev/null || true; cleanup' EXIT
for _ in $(seq 1 300); do curl -sf http://127.0.0.1:18104/health >/dev/null && break; sleep 0.2; done
java_pid=$tap_pid
echo "soak: $DURATION s at $RATE/s; machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores" >&2
python3 bench/soak/client.py 18103 18104 "$java_pid" "$RATE" "$DURATION" "$work/product.json"
