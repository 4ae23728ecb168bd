#!/usr/bin/env bash
# bench/discovery-storm.sh - discovery storm (issue 17): N machines in no descriptor report their
# inventory to `yoo serve` (POST /api/v1/discovered) at once, played by `yoo storm discover`
# (installer-storm). Prints one table row per run: wall time from the start gate to the last
# answer, latency percentiles, how many the admin listing holds, server CPU and RSS (VmHWM).
#
#   flock /tmp/yoo-bench.lock bench/discovery-storm.sh          # SIZES="1000" RUNS=3
#
# The server runs on loopback (--unprivileged, DHCP off: only HTTP is measured), a fresh state dir
# per run (H2 file store, as yoo serve's default), JVM options YOO_SERVE_JAVA_OPTS; the generator
# sends every request from one JVM (virtual threads, java.net.http, HTTP/1.1, a connection each).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
BENCH_WORK=${BENCH_WORK:-/var/tmp/yoo-bench}
SIZES=${SIZES:-"1000"}
RUNS=${RUNS:-3}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
JAR=$REPO/installer-storm/target/yoo-storm.jar
# the JVM options the launchers give `yoo serve` (installer-dist/src/deb: serve-jvm.options is C1 only), without
# the class-data-sharing archive (each run is a first start), and a heap bound
YOO_SERVE_JAVA_OPTS=${YOO_SERVE_JAVA_OPTS:-"-Xmx256m @$REPO/installer-dist/src/deb/jvm.options @$REPO/installer-dist/src/deb/serve-jvm.options"}
STORM_JAVA_OPTS=${STORM_JAVA_OPTS:-"-Xmx512m -XX:+UseSerialGC"}
OUT=${OUT:-$BENCH_WORK/results/yoo-discovery-storm-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
if [ ! -f "$JAR" ]; then
  (cd "$REPO" && JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64} ./mvnw -B -q -DskipTests package -pl installer-storm -am)
fi
SERVER_PID=
stop() { if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi; SERVER_PID=; }
trap stop EXIT INT TERM
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

header_done=
for n in $SIZES; do
  for run in $(seq 1 "$RUNS"); do
    work=$OUT/n$n-r$run; mkdir -p "$work"
    port=$(free_port)
    cat > "$work/cluster.yml" <<YML
cluster: discovery-storm
architecture: devtest
network: { interface: lo, server: 10.81.0.1, subnet: 10.81.0.0/16, dhcp: off }
server: { httpPort: $port, stateDir: $work/state, assetDir: $work/assets, discovery: true }
os: { version: 4081.2.0 }
machines:
  - { name: cp-1, mac: "52:54:00:81:00:01", ip: 10.81.0.10, role: control-plane }
YML
    # shellcheck disable=SC2086 # word splitting of the JVM options is intended
    "$JAVA" $YOO_SERVE_JAVA_OPTS -jar "$JAR" serve "$work/cluster.yml" --unprivileged --tftp-port 0 --bind 127.0.0.1 > "$work/serve.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 240); do
      grep -qs "started in" "$work/serve.log" && break
      kill -0 $SERVER_PID 2>/dev/null || { echo "yoo serve died:"; cat "$work/serve.log"; exit 1; }
      sleep 0.5
    done
    # shellcheck disable=SC2086
    "$JAVA" $STORM_JAVA_OPTS -jar "$JAR" storm discover --url "http://127.0.0.1:$port" --state-dir "$work/state" \
      --machines "$n" --server-pid "$SERVER_PID" > "$work/storm.out" 2> "$work/storm.err" || echo "run $run of $n: not every machine accepted and listed (see $work)" >&2
    if [ -z "$header_done" ]; then head -2 "$work/storm.out" | tee "$OUT/table.md"; header_done=1; fi
    tail -1 "$work/storm.out" | tee -a "$OUT/table.md"
    stop
  done
done
echo "results: $OUT/table.md"
