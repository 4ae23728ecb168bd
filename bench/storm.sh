#!/usr/bin/env bash
# bench/storm.sh - boot storm: N machines doing the whole install exchange against `yoo serve`
# (PXE DORA through a relay -> TFTP undionly.kpxe -> iPXE DORA -> iPXE script -> live-config ->
# install.sh -> 5 phases started/succeeded -> installed), played by `yoo storm run`. Needs root.
#
#   flock /tmp/yoo-bench.lock bench/storm.sh
#
# Topology: netns ystorm-srv (yoo serve, 10.79.0.1/32) <-veth-> netns ystorm-cli (generator,
# 10.79.0.2/32). The generator is the relay (giaddr 10.79.0.2, like perfdhcp -l) and the router
# in front of the machines: the server routes 10.79.0.0/16 via it (one neighbour entry, as behind
# a real relay); the client namespace owns the machines' reserved addresses with a local route
# (AnyIP), so each machine's TFTP/HTTP socket is bound to its own address, which the HTTP server
# checks. Nothing outside the two namespaces is touched; both are deleted at the end.
#
# Knobs: SIZES ("100 1000 5000") CONCURRENCY (200) YOO_SERVE_JAVA_OPTS STORM_JAVA_OPTS BENCH_WORK
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
BENCH_WORK=${BENCH_WORK:-/var/tmp/yoo-bench}
SIZES=${SIZES:-"100 1000 5000"}
CONCURRENCY=${CONCURRENCY:-200}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
JAR=$REPO/installer-storm/target/yoo-storm.jar   # yoo.jar + the storm subcommand (serve and generator)
# the JVM options the launchers give `yoo serve` (installer-dist/src/deb: serve-jvm.options is C1 only), without
# the class-data-sharing archive (each run is a first start), and a heap bound
YOO_SERVE_JAVA_OPTS=${YOO_SERVE_JAVA_OPTS:-"-Xmx256m @$REPO/installer-dist/src/deb/jvm.options @$REPO/installer-dist/src/deb/serve-jvm.options"}
STORM_JAVA_OPTS=${STORM_JAVA_OPTS:-"-Xmx512m -XX:+UseSerialGC"}
OUT=${OUT:-$BENCH_WORK/results/yoo-storm-$(date +%Y%m%d-%H%M%S)}
SRV=ystorm-srv CLI=ystorm-cli SRV_IF=vstorm-s CLI_IF=vstorm-c SRV_IP=10.79.0.1 CLI_IP=10.79.0.2
mkdir -p "$OUT"

if [ ! -f "$JAR" ]; then
  (cd "$REPO" && JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64} ./mvnw -B -q -DskipTests package -pl installer-storm -am)
fi

SERVER_PID=
teardown() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  SERVER_PID=
  for ns in $SRV $CLI; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
}
trap teardown EXIT INT TERM

setup() {
  teardown
  ip netns add $SRV && ip netns add $CLI
  ip link add $SRV_IF netns $SRV type veth peer name $CLI_IF netns $CLI
  ip -n $SRV link set lo up && ip -n $CLI link set lo up
  ip -n $SRV addr add $SRV_IP/32 dev $SRV_IF && ip -n $SRV link set $SRV_IF up
  ip -n $CLI addr add $CLI_IP/32 dev $CLI_IF && ip -n $CLI link set $CLI_IF up
  ip -n $SRV route add $CLI_IP/32 dev $SRV_IF && ip -n $SRV route add 10.79.0.0/16 via $CLI_IP dev $SRV_IF
  ip -n $CLI route add $SRV_IP/32 dev $CLI_IF
  # machines live at 10.79.1.0 .. 10.79.63.255: local to the client namespace
  for p in 10.79.1.0/24 10.79.2.0/23 10.79.4.0/22 10.79.8.0/21 10.79.16.0/20 10.79.32.0/19; do
    ip -n $CLI route add local $p dev lo
  done
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

printf '%s\n' "N	wall_s	ok	failed	api_installed	cost_ms_per_machine	latency_ms	machines_per_s	dhcp_retries	srv_rss_peak_MiB	srv_cpu_s	storm_cpu_s" > "$OUT/table.tsv"
TCK=$(getconf CLK_TCK)
for n in $SIZES; do
  setup
  work=$OUT/n$n; mkdir -p "$work"
  "$JAVA" -jar "$JAR" storm descriptor "$work/cluster.yml" --machines "$n" --server $SRV_IP --interface $SRV_IF \
    --state-dir "$work/state" --asset-dir "$work/assets"
  # shellcheck disable=SC2086 # word splitting of the JVM options is intended
  ip netns exec $SRV "$JAVA" $YOO_SERVE_JAVA_OPTS -jar "$JAR" serve "$work/cluster.yml" --no-host-checks > "$work/serve.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 120); do
    grep -qs "started in" "$work/serve.log" && break
    kill -0 $SERVER_PID 2>/dev/null || { echo "yoo serve died:"; cat "$work/serve.log"; exit 1; }
    sleep 0.5
  done
  jpid=$(pgrep -P $SERVER_PID java || echo $SERVER_PID)
  c0=$(cpu_ticks "$jpid")
  # shellcheck disable=SC2086
  ip netns exec $CLI /usr/bin/time -f "%U %S" -o "$work/storm.time" "$JAVA" $STORM_JAVA_OPTS -jar "$JAR" storm run "$work/cluster.yml" \
    --relay $CLI_IP --concurrency "$CONCURRENCY" > "$work/storm.out" 2> "$work/storm.err" || true
  c1=$(cpu_ticks "$jpid")
  rss=$(awk '/VmHWM/{printf "%.0f", $2/1024}' "/proc/$jpid/status")
  line=$(grep '^storm:' "$work/storm.out" || echo "storm: FAILED")
  echo "N=$n $line" | tee -a "$OUT/raw.txt"
  head -5 "$work/storm.err"
  get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$(get wall_s)" "$(get ok)" "$(get failed)" "$(get api_installed)" \
    "$(awk -v w="$(get wall_s)" -v n="$n" 'BEGIN{printf "%.2f", w*1000/n}')" "$(get per_machine_ms)" "$(get throughput_per_s)" "$(get dhcp_retries)" "$rss" \
    "$(awk -v a="$c0" -v b="$c1" -v t="$TCK" 'BEGIN{printf "%.1f", (b-a)/t}')" \
    "$(tail -1 "$work/storm.time" | awk '{printf "%.1f", $1+$2}')" >> "$OUT/table.tsv"
  teardown
done
echo; echo "boot storm, concurrency $CONCURRENCY, results in $OUT"
column -t -s $'\t' "$OUT/table.tsv"
