#!/usr/bin/env bash
# bench/dhcp.sh - yoo's DHCP server and Kea side by side, through ../shared/bench/bench-dhcp.sh
# (perfdhcp in relay mode, rate stepped until > 2.5 % drops, ISC's method), in one run.
#
#   sudo bench/dhcp.sh                 # build the jar, Kea then yoo, RUNS=1, print a table
#   RUNS=3 SKIP_BUILD=1 bench/dhcp.sh  # knobs of bench-dhcp.sh pass through (RATES, STEP_SECS, ...)
#
# Server pinned to CPU 0, perfdhcp to CPU 1 (SERVER_PIN/CLIENT_PIN). Holds /tmp/yoo-bench.lock
# so that two benchmarks never share the machine. Needs root (namespaces), kea-dhcp4, perfdhcp.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KIT=${KIT:-$ROOT/../shared/bench}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAR=${YOO_JAR:-$ROOT/installer-cli/target/yoo.jar}
# one core for the server: SerialGC, a fixed 128 MiB heap (27 MiB live after a full GC with 50,000
# leases). With -Xms96m -Xmx160m the RSS peak reached 253-257 MiB, over the 256 MiB budget in one
# run; with 128 MiB fixed, 228 MiB.
# C1 only (-XX:TieredStopAtLevel=1), as the launchers run `yoo dhcp`: on the one pinned CPU a C2
# compilation holds the CPU for a scheduler slice and the DISCOVER->OFFER p99 paid for it (1.5-2 ms
# vs 0.3 ms with C1, same invocation); throughput went up too. BENCHMARKS.md "C1 only ...".
YOO_JVM_OPTS=${YOO_JVM_OPTS:-"-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms128m -Xmx128m -XX:+AlwaysPreTouch"}
if [ -z "${SKIP_BUILD:-}" ]; then (cd "$ROOT" && ./mvnw -B -q -DskipTests package -pl installer-cli -am); fi
[ -s "$JAR" ] || { echo "bench/dhcp.sh: $JAR missing (build failed?)" >&2; exit 2; }
OUT=${OUT:-${BENCH_WORK:-/var/tmp/yoo-bench}/results/dhcp-side-by-side-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
export RUNS=${RUNS:-1} SERVER_PIN=${SERVER_PIN:-0} CLIENT_PIN=${CLIENT_PIN:-1} PERFDHCP_EXTRA=${PERFDHCP_EXTRA:-"-g single"}

# max RSS (KiB) of the newest process whose command line matches $1, sampled every second
rss_watch() {
  local pat=$1 out=$2 max=0 pid r
  while sleep 1; do
    pid=$(pgrep -n -f "$pat" || true)
    [ -n "$pid" ] || continue
    r=$(awk '/^VmRSS/{print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    [ "${r:-0}" -gt "$max" ] && max=$r && echo "$max" > "$out"
  done
}

exec 9>/tmp/yoo-bench.lock
echo "waiting for /tmp/yoo-bench.lock ..." >&2
flock 9
echo "$(date -u +%FT%TZ) load before: $(cut -d' ' -f1-3 /proc/loadavg)" > "$OUT/conditions.txt"

rss_watch '^kea-dhcp4 ' "$OUT/kea.rss" & W1=$!
SERVER=kea OUT_DIR=$OUT/kea "$KIT/bench-dhcp.sh" || true
kill $W1 2>/dev/null || true

rss_watch "$JAR dhcp" "$OUT/yoo.rss" & W2=$!
SERVER=yoo OUT_DIR=$OUT/yoo SERVER_CMD="exec $JAVA_HOME/bin/java $YOO_JVM_OPTS -jar $JAR dhcp \
  --interface \"\$SRV_IF\" --server-address \"\$SRV_IP\" --subnet \"\$SUBNET\" --pool \"\$POOL_START-\$POOL_END\" \
  --lease-dir \"\$WORK_DIR/yoo-leases\" --lease-time 4000" "$KIT/bench-dhcp.sh" || true
kill $W2 2>/dev/null || true
echo "$(date -u +%FT%TZ) load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/conditions.txt"

row() { # $1=name $2=dir $3=rssfile
  local s=$2/summary.txt
  local rate cpu lat rss leases
  rate=$(sed -n 's/^max DORA\/s per run: //p' "$s" | xargs)
  cpu=$(sed -n 's/^srv CPU cost per DORA (us, passing steps): //p' "$s" | awk '{print $NF}')
  lat=$(sed -n 's/^  run [0-9]*: DO \([^ ]*\)  RA \([^ ]*\).*/DO \1 RA \2/p' "$s" | head -1)
  rss=$(awk '{printf "%.0f", $1/1024}' "$3" 2>/dev/null || echo NA)
  printf '| %s | %s | %s | %s | %s MiB |\n' "$1" "${rate:-NA}" "${lat:-NA}" "${cpu:-NA}" "${rss:-NA}"
}
{
  echo "| server | max DORA/s at <=2.5% drops (per run) | latency p50/p99 ms at 1000/s (DISCOVER-OFFER, REQUEST-ACK) | server CPU us per DORA (at the max passing step) | max RSS |"
  echo "|---|---|---|---|---|"
  row kea "$OUT/kea" "$OUT/kea.rss"
  row yoo "$OUT/yoo" "$OUT/yoo.rss"
  echo
  echo "yoo leases in the journal after the run: $(grep -c '^B ' "$OUT"/yoo/work/yoo-leases/leases.journal 2>/dev/null || echo NA)"
  cat "$OUT/conditions.txt"
  echo "raw: $OUT/{kea,yoo}/summary.txt, steps.tsv"
} | tee "$OUT/table.md"
