#!/usr/bin/env python3
"""The soak test's client: a steady rate of GETs through the tap on keep-alive connections, for a duration; every
minute prints requests, client errors (anything but OLD's 200 and its body), client p99 and the tap's RSS; at the end
checks that the tap's evidence adds up. Usage: client.py TAP_PORT ADMIN_PORT TAP_PID RATE SECONDS BODY_FILE"""
import http.client, json, sys, threading, time

tap_port, admin_port, tap_pid, rate, seconds = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
body = open(sys.argv[6], "rb").read()
THREADS = 4
lock = threading.Lock()
minute = {"n": 0, "errors": 0, "lat": []}
totals = {"n": 0, "errors": 0}
stop = time.monotonic() + seconds

def rss_mb():
    for line in open("/proc/%d/status" % tap_pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return -1

def worker(k):
    conn = http.client.HTTPConnection("127.0.0.1", tap_port, timeout=30)
    interval = THREADS / rate
    nxt = time.monotonic() + k * interval / THREADS
    i = 0
    while True:
        now = time.monotonic()
        if now >= stop:
            return
        if nxt > now:
            time.sleep(nxt - now)
        nxt += interval
        t0 = time.monotonic()
        ok = False
        try:
            conn.request("GET", "/api/product/%d?t=%d" % (i % 50, k))
            r = conn.getresponse()
            data = r.read()
            ok = r.status == 200 and data == body
        except Exception:
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", tap_port, timeout=30)
        i += 1
        with lock:
            minute["n"] += 1
            minute["lat"].append((time.monotonic() - t0) * 1000)
            totals["n"] += 1
            if not ok:
                minute["errors"] += 1
                totals["errors"] += 1

threads = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(THREADS)]
for t in threads:
    t.start()
print("minute  requests  client-errors  p99-ms  rss-mb", flush=True)
m = 0
rss = []
while any(t.is_alive() for t in threads):
    time.sleep(min(60, max(0.1, stop - time.monotonic() + 0.5)))
    m += 1
    with lock:
        lat = sorted(minute["lat"])
        p99 = lat[int(len(lat) * 0.99)] if lat else 0
        n, e = minute["n"], minute["errors"]
        minute.update(n=0, errors=0, lat=[])
    r = rss_mb()
    rss.append(r)
    print("%6d  %8d  %13d  %6.1f  %6.0f" % (m, n, e, p99, r), flush=True)
for t in threads:
    t.join()
time.sleep(3)  # the last comparisons
c = http.client.HTTPConnection("127.0.0.1", admin_port, timeout=30)
c.request("GET", "/api/report")
doc = json.loads(c.getresponse().read())
t = doc["totals"]
accounted = t["compared"] + t["errors"] + t["notComparable"] + t["skipped"]
print("sent %d, client errors %d; tap: compared %d, errors %d, not comparable %d, skipped %d (sum %d)" % (
    totals["n"], totals["errors"], t["compared"], t["errors"], t["notComparable"], t["skipped"], accounted))
kinds = {}
for e in doc["endpoints"]:
    for k, v in e["errorKinds"].items():
        kinds[k] = kinds.get(k, 0) + v
    for k, v in e["notComparable"].items():
        kinds["not-comparable:" + k] = kinds.get("not-comparable:" + k, 0) + v
print("by kind:", json.dumps(kinds, sort_keys=True))
print("RSS MB: first minute %.0f, last %.0f, max %.0f" % (rss[0], rss[-1], max(rss)))
ok = totals["errors"] == 0 and accounted == totals["n"]
print("RESULT:", "OK" if ok else "NOT OK", "(client errors must be 0 and every request counted once)")
sys.exit(0 if ok else 1)
