# Shared by the bench scripts (sourced, not run): tools installed from Debian when missing, nginx static
# backends, and the figures read from wrk's output.

need() { command -v "$1" >/dev/null 2>&1 || { echo "installing $2..." >&2; apt-get update -qq >&2 && apt-get install -y -qq "$2" >&2; }; }
need nginx nginx
need wrk wrk
need python3 python3

# The run's folder, $work, and $pids, the background processes it starts: at exit they are killed, with every
# nginx started by start_nginx, and the folder is removed.
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]:-}"; do kill "$p" 2>/dev/null || true; done
  for f in "$work"/nginx*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# start_nginx HTTP [NAME]: an nginx of one worker with the settings every bench shares and HTTP (upstreams and
# servers) in its http block; pid in $work/nginx.pid, or $work/nginx-NAME.pid for a second nginx named NAME
start_nginx() {
  local n=nginx${2:+-$2}
  cat > "$work/$n.conf" <<NGINX
worker_processes 1;
pid $work/$n.pid;
error_log $work/$n-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  default_type application/json;
  keepalive_requests 1000000;
$1
}
NGINX
  nginx -c "$work/$n.conf" -p "$work"
}

# launcher_opts COMMAND: the JVM options ./parity starts COMMAND with (its `case` of default_opts), so that a bench
# that starts java itself runs the tap as the launcher does
launcher_opts() {
  awk -v c="$1" -F'"' '/^ *[a-z*|]+\) *default_opts="/ {
    split($0, head, ")"); n = split(head[1], pats, "|")
    for (i = 1; i <= n; i++) { gsub(/ /, "", pats[i]); if (pats[i] == c || pats[i] == "*") { print $2; exit } } }' parity
}

# static_nginx PORT ROOT [PORT ROOT ...]: nginx serving each ROOT on 127.0.0.1:PORT
static_nginx() {
  local servers=""
  while [ $# -ge 2 ]; do servers+="  server { listen 127.0.0.1:$1; root $2; }"$'\n'; shift 2; done
  start_nginx "$servers"
}

# wrk's 99th percentile in milliseconds, and its requests per second
p99_ms() { awk '/^ +99%/ { v=$2; if (v ~ /us$/) { sub(/us/,"",v); print v/1000 } else if (v ~ /ms$/) { sub(/ms/,"",v); print v } else { sub(/s$/,"",v); print v*1000 } }'; }
rps() { awk '/^Requests\/sec/ { print $2 }'; }
