# Shared by the bench scripts (sourced, not run): tools installed from Debian when missing, nginx static
# backends, and the figures read from wrk's output.

need() { command -v "$1" >/dev/null 2>&1 || { echo "installing $2..." >&2; apt-get update -qq >&2 && apt-get install -y -qq "$2" >&2; }; }
need nginx nginx
need wrk wrk
need python3 python3

# static_nginx WORK PORT ROOT [PORT ROOT ...]: one nginx worker serving each ROOT on 127.0.0.1:PORT,
# pid in WORK/nginx.pid (the caller's cleanup kills it)
static_nginx() {
  local work=$1 servers=""
  shift
  while [ $# -ge 2 ]; do servers+="  server { listen 127.0.0.1:$1; root $2; }"$'\n'; shift 2; done
  cat > "$work/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  default_type application/json;
  keepalive_requests 1000000;
$servers}
NGINX
  nginx -c "$work/nginx.conf" -p "$work"
}

# wrk's 99th percentile in milliseconds, and its requests per second
p99_ms() { awk '/^ +99%/ { v=$2; if (v ~ /us$/) { sub(/us/,"",v); print v/1000 } else if (v ~ /ms$/) { sub(/ms/,"",v); print v } else { sub(/s$/,"",v); print v*1000 } }'; }
rps() { awk '/^Requests\/sec/ { print $2 }'; }
