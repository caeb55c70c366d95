#!/usr/bin/env bash
# What a flush costs when a fleet of taps writes one PostgreSQL store (docs/fleet.md): a throwaway PostgreSQL from
# Debian's package on a temporary data directory (default settings, fsync on), then FleetFlush with 1 tap and with
# TAPS taps (default 10) writing it at once, ROUNDS times interleaved. Each line: mean and slowest flush
# transaction, rows per flush, and the CPU the database used.
# Usage: bench/fleet.sh            env: TAPS=10 ENDPOINTS=40 RATE=200 DURATION=30 WARMUP=10 ROUNDS=3
set -euo pipefail
cd "$(dirname "$0")/.."
TAPS=${TAPS:-10} ENDPOINTS=${ENDPOINTS:-40} RATE=${RATE:-200} DURATION=${DURATION:-30} WARMUP=${WARMUP:-10} ROUNDS=${ROUNDS:-3}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/postgres" ] || { echo "needs Debian's postgresql: apt-get install --no-install-recommends postgresql" >&2; exit 2; }
work=$(mktemp -d)
as=()
if [ "$(id -u)" -eq 0 ]; then as=(setpriv --reuid postgres --regid postgres --init-groups); chown postgres: "$work"; fi
cleanup() { "${as[@]}" "$bin/pg_ctl" -D "$work/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"${as[@]}" "$bin/initdb" -D "$work/data" -U parity --auth=trust -E UTF8 --no-locale >/dev/null
"${as[@]}" "$bin/pg_ctl" -D "$work/data" -l "$work/log" -w \
  -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c max_connections=100" start >/dev/null
"${as[@]}" "$bin/psql" -h 127.0.0.1 -p "$port" -U parity -d postgres -qc "CREATE DATABASE parity" >/dev/null
(mvn -q -B -o -DskipTests -pl bench -am package 2>/dev/null || mvn -q -B -DskipTests -pl bench -am package) >&2
jar=${BENCH_JAR:-bench/target/benchmarks.jar}
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; PostgreSQL $("$bin/postgres" --version | awk '{print $3}')"
for round in $(seq "$ROUNDS"); do
  for n in 1 "$TAPS"; do
    printf 'round %s: ' "$round"
    : > "$work/result.txt"
    java -XX:+UseSerialGC -Xmx1g -cp "$jar" dev.shadowparity.bench.FleetFlush \
      "postgresql://parity@127.0.0.1:$port/parity" "$n" "$ENDPOINTS" "$RATE" "$DURATION" "$WARMUP" "$work/data" \
      "$work/result.txt" 2>/dev/null
    cat "$work/result.txt"
  done
done
