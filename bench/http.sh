#!/usr/bin/env bash
# bench/http.sh - Yoo's HTTP server side by side with nginx, then Yoo's own endpoints.
#
#  1. static files: ../shared/bench/bench-http.sh with SERVER=nginx, then with yoo (`yoo http`),
#     same knobs (300-byte file with wrk -c200, 512 MiB file with wrk -c16 and 16 parallel curls,
#     over the veth pair and over loopback; RSS of the server)
#  2. in a namespace of its own (loopback), `yoo http --demo-machines 100`:
#     - per-machine iPXE script endpoint, wrk -c200 rotating over the 100 machines' token URLs
#     - progress-event ingestion into the embedded H2 store, wrk -c50 POSTing unique events
#       (each answered only after its commit), RSS sampled during the load
# Prints a table and writes everything under $OUT. Needs root, nginx-light, wrk, curl, and the CLI
# jar: ./mvnw -B -pl installer-cli -am package -DskipTests
# Knobs: RUNS (3) DUR (15) BIG_MIB (512) EVENT_CONNS (50) SCRIPT_CONNS (200) JVM_OPTS OUT
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KIT=${KIT:-$(cd "$ROOT/../shared/bench" && pwd)}
JAR=${JAR:-$ROOT/installer-cli/target/yoo.jar}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
JVM_OPTS=${JVM_OPTS:-"-Xmx192m -XX:+UseSerialGC"}
export RUNS=${RUNS:-3} DUR=${DUR:-15}
EVENT_CONNS=${EVENT_CONNS:-50}
SCRIPT_CONNS=${SCRIPT_CONNS:-200}
OUT=${OUT:-/var/tmp/yoo-bench/results/http-yoo-vs-nginx-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
[ -f "$JAR" ] || { echo "build the CLI first: ./mvnw -B -pl installer-cli -am package -DskipTests" >&2; exit 2; }

# one benchmark at a time on this machine
exec 9>/tmp/yoo-bench.lock
flock 9

YOO_CMD="exec $JAVA $JVM_OPTS -jar $JAR http"

echo "== 1/2 static files: nginx" >&2
SERVER=nginx OUT_DIR="$OUT/nginx" "$KIT/bench-http.sh" >&2
echo "== 1/2 static files: yoo" >&2
SERVER=yoo OUT_DIR="$OUT/yoo" \
  SERVER_CMD="$YOO_CMD"' --http-root "$HTTP_ROOT" --http-port "$HTTP_PORT" --state-dir "$WORK_DIR/state"' \
  "$KIT/bench-http.sh" >&2

echo "== 2/2 yoo endpoints: per-machine iPXE scripts, progress events into H2" >&2
NS=yhb$$
W="$OUT/endpoints"; mkdir -p "$W/root"
cleanup() { [ -n "${SRV:-}" ] && kill "$SRV" 2>/dev/null; wait 2>/dev/null; ip netns del "$NS" 2>/dev/null || true; }
trap cleanup EXIT
ip netns add "$NS"
ip -n "$NS" link set lo up
ip netns exec "$NS" bash -c "$YOO_CMD --http-root '$W/root' --http-port 8080 --bind 127.0.0.1 --state-dir '$W/state' --demo-machines 100" \
  > "$W/server.out" 2>&1 &
SRV=$!
for _ in $(seq 600); do ip netns exec "$NS" curl -sf http://127.0.0.1:8080/healthz >/dev/null 2>&1 && break; sleep 0.1; done
PID=$SRV  # ip netns exec and bash -c both exec: this is the JVM
rss() { awk '/^VmRSS/{print $2}' "/proc/$PID/status" 2>/dev/null || echo 0; }
RSS_IDLE=$(rss)
wrk_in_ns() { ip netns exec "$NS" wrk "$@"; }
# warm up the JIT briefly, then measure
wrk_in_ns -t2 -c50 -d3s -s "$ROOT/bench/http-scripts.lua" http://127.0.0.1:8080 -- "$W/state/demo-urls.txt" > /dev/null
printf 'test\trun\tvalue\tunit\tp50\tp99\tnon2xx\trss_peak_kib\n' > "$W/results.tsv"
for run in $(seq 1 "$RUNS"); do
  wrk_in_ns -t2 -c"$SCRIPT_CONNS" -d"${DUR}s" --latency -s "$ROOT/bench/http-scripts.lua" http://127.0.0.1:8080 -- "$W/state/demo-urls.txt" > "$W/scripts-$run.txt"
  rps=$(awk '/^Requests\/sec/{print $2}' "$W/scripts-$run.txt")
  printf 'ipxe-script-c%s\t%s\t%s\treq/s\t%s\t%s\t%s\t\n' "$SCRIPT_CONNS" "$run" "$rps" \
    "$(awk '$1=="50%"{print $2}' "$W/scripts-$run.txt")" "$(awk '$1=="99%"{print $2}' "$W/scripts-$run.txt")" \
    "$(awk '/Non-2xx/{print $NF}' "$W/scripts-$run.txt")" >> "$W/results.tsv"
  peak=0
  ( while sleep 1; do rss; done > "$W/rss-events-$run.txt" ) & SAMPLER=$!
  wrk_in_ns -t2 -c"$EVENT_CONNS" -d"${DUR}s" --latency -s "$ROOT/bench/http-events.lua" http://127.0.0.1:8080 -- "$W/state/demo-urls.txt" > "$W/events-$run.txt"
  kill $SAMPLER 2>/dev/null; wait $SAMPLER 2>/dev/null || true
  peak=$(sort -n "$W/rss-events-$run.txt" | tail -1)
  eps=$(awk '/^Requests\/sec/{print $2}' "$W/events-$run.txt")
  printf 'events-c%s\t%s\t%s\tevents/s\t%s\t%s\t%s\t%s\n' "$EVENT_CONNS" "$run" "$eps" \
    "$(awk '$1=="50%"{print $2}' "$W/events-$run.txt")" "$(awk '$1=="99%"{print $2}' "$W/events-$run.txt")" \
    "$(awk '/Non-2xx/{print $NF}' "$W/events-$run.txt")" "$peak" >> "$W/results.tsv"
done
EVENTS_STORED=$(ip netns exec "$NS" curl -s -H "Authorization: Bearer $(cat "$W/state/admin-token")" http://127.0.0.1:8080/metrics \
  | awk '/^yoo_http_requests_total\{route="events",status="2xx"\}/{print $2}')

echo
echo "## yoo vs nginx, static files (median of $RUNS, DUR=${DUR}s)"
for s in nginx yoo; do echo "### $s"; cat "$OUT/$s/summary.txt"; done
echo
echo "## yoo endpoints (loopback in a private namespace, 100 demo machines)"
column -t -s $'\t' "$W/results.tsv"
echo "events answered 2xx (each committed before the answer): $EVENTS_STORED; server RSS idle ${RSS_IDLE} KiB"
echo "results: $OUT"
