#!/usr/bin/env bash
# Start-up of the tap (issue 22, item 2): from `java` starting to the first request proxied through it, ROUNDS times
# (default 5) each without and with an application class-data sharing archive (AppCDS: -XX:ArchiveClassesAtExit once,
# in the training run of the built-in demo that ./parity and the image use, then -XX:SharedArchiveFile), interleaved. OLD and NEW are Python's http.server on loopback. Prints each run and the
# medians. Usage: bench/startup.sh   (env: ROUNDS=5 JAR=cli/target/parity.jar)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
JAR=${JAR:-cli/target/parity.jar}
[ -f "$JAR" ] || mvn -q -B -o -DskipTests -pl cli -am package
. bench/lib.sh   # $work and cleanup, launcher_opts
cp "$JAR" "$work/parity.jar" # a build rewriting the jar mid-run must not change what is measured
free() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
mkdir -p "$work/www/api" && echo '{"ok":true}' > "$work/www/api/items.json"
old=$(free); new=$(free)
(cd "$work/www" && exec python3 -m http.server "$old" --bind 127.0.0.1 >/dev/null 2>&1) & pids+=($!)
(cd "$work/www" && exec python3 -m http.server "$new" --bind 127.0.0.1 >/dev/null 2>&1) & pids+=($!)
until curl -sf "http://127.0.0.1:$old/api/items.json" >/dev/null && curl -sf "http://127.0.0.1:$new/api/items.json" >/dev/null; do sleep 0.05; done
read -ra opts <<< "$(launcher_opts tap)"   # the launcher's options for the tap

# one run: milliseconds from starting java to the first 200 through the tap
run() {
  local port; port=$(free)
  local start; start=$(date +%s%N)
  java "$@" "${opts[@]}" -jar "$work/parity.jar" tap --old "http://127.0.0.1:$old" --new "http://127.0.0.1:$new" \
    --listen "127.0.0.1:$port" --admin 127.0.0.1:0 --store none >"$work/tap.log" 2>&1 &
  local pid=$!
  local deadline=$((start + 60000000000))
  until curl -sf -o /dev/null "http://127.0.0.1:$port/api/items.json"; do
    [ "$(date +%s%N)" -lt "$deadline" ] || { echo "no answer within 60 s" >&2; cat "$work/tap.log" >&2; exit 1; }
    sleep 0.01
  done
  local end; end=$(date +%s%N)
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  echo $(((end - start) / 1000000))
}

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; $(java -version 2>&1 | head -1)"
# the archive, written by the launcher itself (its training run of the built-in demo) next to the jar it runs
PARITY_JAR="$work/parity.jar" ./parity --version >/dev/null
[ -s "$work/parity.jsa" ] || { echo "the launcher wrote no archive $work/parity.jsa" >&2; exit 1; }
plain=(); cds=()
for i in $(seq "$ROUNDS"); do
  plain+=("$(run)")
  cds+=("$(run -XX:SharedArchiveFile="$work/parity.jsa")")
  echo "round $i: without AppCDS ${plain[-1]} ms, with ${cds[-1]} ms"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
echo "median start to first proxied request: without AppCDS $(median "${plain[@]}") ms, with $(median "${cds[@]}") ms"
