#!/usr/bin/env bash
# bench/storm-pair.sh - the boot storm (bench/storm.sh) over a PAIR of `yoo serve` on one
# PostgreSQL (issue #16): N machines with both servers up, then N machines again with server A
# kill -9'ed once half of them are installed. Needs root, PostgreSQL's server binaries.
#
#   flock /tmp/yoo-bench.lock bench/storm-pair.sh            # N=10000
#   N=300 KILL=1 BOTH=0 bench/storm-pair.sh                  # only the kill run
#   PG_STATS=1 N=2000 KILL=0 bench/storm-pair.sh              # + PostgreSQL's time per statement: <run>/pg-statements.txt
#
# Topology: netns ysp-a (server A 10.79.0.1/32) and ysp-b (server B 10.79.0.3/32), each on its
# own veth to ysp-c (the generator, 10.79.0.2 on both veths, and PostgreSQL on 10.79.0.2:5432).
# The generator is the relay: it copies every request to A and B (`--also-server`, as dhcrelay
# A B), takes the first answer, and a machine whose step fails boots again from PXE
# (`--reboots`). Each server has its own descriptor (network.server = its own address, same
# machines), server.database = the PostgreSQL, one shared server.secretKeyFile.
# After each run: yoo_machine / yoo_event / yoo_lease in PostgreSQL are checked for machines not
# done (pg_installed: installed, or rebooting into its disk after it) and addresses held by two machines (the generator also counts addresses its DHCP ACKs
# gave to two MACs: address_conflicts), and for lost events: the generator writes every progress
# event a server answered 2xx to, each with a unique message (--acked-events); one that is no
# yoo_event row is lost. Server RSS (VmHWM) is read just before the storm ends (A: before the kill),
# and the CPU seconds each took during the storm: cpu_s_a/b (servers), cpu_s_pg (PostgreSQL, all
# backends), cpu_s_storm (the generator: it shares the 2 cores with the rest).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
BENCH_WORK=${BENCH_WORK:-/var/tmp/yoo-bench}
N=${N:-10000}
BOTH=${BOTH:-1} KILL=${KILL:-1}
CONCURRENCY=${CONCURRENCY:-200}
REBOOTS=${REBOOTS:-3}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
JAR=${STORM_JAR:-$REPO/installer-storm/target/yoo-storm.jar}
# the JVM options the launchers give `yoo serve` (installer-dist/src/deb: serve-jvm.options is C1 only), without
# the class-data-sharing archive (each run is a first start), and a heap bound
YOO_SERVE_JAVA_OPTS=${YOO_SERVE_JAVA_OPTS:-"-Xmx256m @$REPO/installer-dist/src/deb/jvm.options @$REPO/installer-dist/src/deb/serve-jvm.options"}
STORM_JAVA_OPTS=${STORM_JAVA_OPTS:-"-Xmx512m -XX:+UseSerialGC"}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
OUT=${OUT:-$BENCH_WORK/results/yoo-storm-pair-$(date +%Y%m%d-%H%M%S)}
A=ysp$$a B=ysp$$b C=ysp$$c A_IP=10.79.0.1 B_IP=10.79.0.3 C_IP=10.79.0.2
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
[ -s "$JAR" ] || { echo "storm-pair.sh: $JAR missing: ./mvnw -B -q -DskipTests package -pl installer-storm -am" >&2; exit 2; }
cp "$JAR" "$OUT/yoo-storm.jar"; JAR=$OUT/yoo-storm.jar

PIDS=() PG_DATA=
teardown() {
  local p ns
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null || true; done
  PIDS=()
  if [ -n "$PG_DATA" ]; then ip netns exec $C runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1 || true; PG_DATA=; fi
  for ns in $A $B $C; do
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
}
trap teardown EXIT
trap 'teardown; exit 130' INT TERM

setup() { # $1 = work dir
  teardown
  ip netns add $A; ip netns add $B; ip netns add $C
  local s ip
  for s in a b; do
    ns=$A ip=$A_IP; [ $s = b ] && ns=$B ip=$B_IP
    ip link add vs$s netns "$ns" type veth peer name vc$s netns $C
    ip -n "$ns" link set lo up; ip -n "$ns" addr add $ip/32 dev vs$s; ip -n "$ns" link set vs$s up
    ip -n $C addr add $C_IP/32 dev vc$s; ip -n $C link set vc$s up
    ip -n "$ns" route add $C_IP/32 dev vs$s; ip -n "$ns" route add 10.79.0.0/16 via $C_IP dev vs$s
    ip -n $C route add $ip/32 dev vc$s
  done
  ip -n $C link set lo up
  for p in 10.79.1.0/24 10.79.2.0/23 10.79.4.0/22 10.79.8.0/21 10.79.16.0/20 10.79.32.0/19; do ip -n $C route add local $p dev lo; done
  PG_DATA=$1/pg
  mkdir -p "$PG_DATA"; chown postgres "$1" "$PG_DATA"; chmod 700 "$PG_DATA"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DATA" -U yoo --auth=trust -E UTF8 >/dev/null
  echo "host all all 10.79.0.0/16 trust" >> "$PG_DATA/pg_hba.conf"
  ip netns exec $C runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$1/pg.log" -w -t 60 \
    -o "-p 5432 -k $1 -c listen_addresses=$C_IP -c max_connections=200${PG_STATS:+ -c shared_preload_libraries=pg_stat_statements}" start >/dev/null
  [ -z "${PG_STATS:-}" ] || sql "create extension pg_stat_statements" >/dev/null
  head -c 32 /dev/urandom > "$1/secret.key"; chmod 600 "$1/secret.key"
}
sql() { ip netns exec $C "$PG_BIN/psql" -h $C_IP -U yoo -d postgres -Atc "$1"; }
# $1 = the storm's acked-events file, $2 = query over yoo_event and the temp table "acked" (its content)
sql_acked() {
  ip netns exec $C "$PG_BIN/psql" -h $C_IP -U yoo -d postgres -qAt -v ON_ERROR_STOP=1 \
    -c "create temp table acked (machine text, phase text, status text, message text, outcome text)" \
    -c "\\copy acked from '$1'" -c "$2"
}
hwm() { awk '/^VmHWM/ {printf "%d", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }
# CPU seconds (user + system) a process has used so far, with its reaped children (PostgreSQL's backends)
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15 + $16 + $17) / hz}' "/proc/$1/stat" 2>/dev/null || echo "?"; }
# PostgreSQL's CPU seconds: the postmaster with its reaped backends, plus the live ones
pg_cpu_s() {
  local pm; pm=$(head -1 "$PG_DATA/postmaster.pid" 2>/dev/null) || { echo "?"; return; }
  local t=0 p; for p in $pm $(pgrep -P "$pm"); do t=$(awk -v a="$t" -v b="$(cpu_s "$p")" 'BEGIN{printf "%.1f", a + b}'); done; echo "$t"
}

serve() { # $1 = a|b $2 = work dir -> pid in SRV_<name>
  local s=$1 w=$2 ns=$A ip=$A_IP
  [ "$s" = b ] && ns=$B ip=$B_IP
  "$JAVA" -jar "$JAR" storm descriptor "$w/$s.yml" --machines "$N" --server $ip --interface vs$s \
    --state-dir "$w/state-$s" --asset-dir "$w/assets"
  sed -i "s|^server:$|server:\n  database: \"jdbc:postgresql://$C_IP:5432/postgres\"\n  secretKeyFile: \"$w/secret.key\"|" "$w/$s.yml"
  # shellcheck disable=SC2086 # word splitting of the JVM options is intended
  ip netns exec "$ns" "$JAVA" $YOO_SERVE_JAVA_OPTS -jar "$JAR" serve "$w/$s.yml" --no-host-checks > "$w/serve-$s.log" 2>&1 &
  PIDS+=($!); eval "SRV_$s=\$!"
}
await() { # $1 = log $2 = text $3 = seconds
  local i; for i in $(seq 1 $(($3 * 2))); do grep -qs "$2" "$1" && return 0; sleep 0.5; done
  echo "no '$2' in $1 after $3 s:"; tail -20 "$1"; return 1
}

run() { # $1 = both|kill
  local mode=$1 w=$OUT/$1; mkdir -p "$w"
  setup "$w"
  serve a "$w"; await "$w/serve-a.log" "started in" 120
  await "$w/serve-a.log" "cluster secrets" 120 || true
  serve b "$w"; await "$w/serve-b.log" "started in" 120
  local t0 killed_at=
  t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  # the storm checks the installs through the REST API of its descriptor's server, with that server's
  # admin token (a per-server file): B's in the kill run, where A dies
  local first=a other=$B_IP; [ "$mode" = kill ] && first=b other=$A_IP
  local cpu_a0 cpu_b0 cpu_pg0; cpu_a0=$(cpu_s "$SRV_a") cpu_b0=$(cpu_s "$SRV_b") cpu_pg0=$(pg_cpu_s)
  ip netns exec $C /usr/bin/time -f "%U %S" -o "$w/storm.cpu" "$JAVA" $STORM_JAVA_OPTS -jar "$JAR" storm run "$w/$first.yml" --relay $C_IP --also-server $other \
    --reboots "$REBOOTS" --concurrency "$CONCURRENCY" --acked-events "$w/acked.tsv" > "$w/storm.out" 2> "$w/storm.err" &
  local storm=$!
  local rss_a="?" rss_b="?" cpu_a="?" cpu_b="?" cpu_pg="?"
  if [ "$mode" = kill ]; then
    while kill -0 $storm 2>/dev/null; do
      local done_; done_=$(sql "select count(*) from yoo_machine where lower(machine_state) = 'installed'" 2>/dev/null || echo 0)
      if [ "${done_:-0}" -ge $((N / 2)) ]; then
        rss_a=$(hwm "$SRV_a"); cpu_a=$(cpu_s "$SRV_a"); kill -9 "$SRV_a"; killed_at=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
        echo "kill -9 of server A at ${killed_at} s, $done_ machines installed" | tee "$w/kill.txt"; break
      fi
      sleep 0.2
    done
  fi
  # the servers' peak RSS, read while the storm's last machines (and its API check) are still in flight
  while kill -0 $storm 2>/dev/null; do
    if [ "$mode" != kill ]; then rss_a=$(hwm "$SRV_a"); cpu_a=$(cpu_s "$SRV_a"); fi
    rss_b=$(hwm "$SRV_b"); cpu_b=$(cpu_s "$SRV_b"); cpu_pg=$(pg_cpu_s); sleep 0.5
  done
  wait $storm || true
  # CPU seconds during the storm (server A: until its kill in the kill run; PostgreSQL: to the storm's last half second)
  local cpu; cpu="cpu_s_a=$(awk -v a="$cpu_a0" -v b="$cpu_a" 'BEGIN{printf "%.1f", b - a}') cpu_s_b=$(awk -v a="$cpu_b0" -v b="$cpu_b" 'BEGIN{printf "%.1f", b - a}')"
  cpu="$cpu cpu_s_pg=$(awk -v a="$cpu_pg0" -v b="$cpu_pg" 'BEGIN{printf "%.1f", b - a}') cpu_s_storm=$(awk '{printf "%.1f", $1 + $2}' "$w/storm.cpu" 2>/dev/null || echo "?")"
  local line; line=$(grep '^storm:' "$w/storm.out" || echo "storm: FAILED $(head -3 "$w/storm.err" | tr '\n' ' ')")
  # what PostgreSQL says
  local installed dup lost
  # done as MachineState.isDone says: installed, or rebooting into its disk after (a machine whose
  # "installed" answer the kill lost boots again and is sent to its disk: from_disk), or running
  installed=$(sql "select count(*) from yoo_machine where lower(machine_state) in ('installed', 'rebooting', 'running')")
  dup=$(sql "select count(*) from (select last_ip from yoo_machine where last_ip is not null group by last_ip having count(*) > 1) d")
  dup=$((dup + $(sql "select count(*) from (select mac from yoo_lease group by mac having count(*) > 1) d")))
  # lost: a 2xx-acknowledged event (unique message) that is no yoo_event row; extra: rows whose answer never arrived (the kill)
  local lost extra
  if [ -s "$w/acked.tsv" ]; then
    lost=$(sql_acked "$w/acked.tsv" "select count(*) from acked a where not exists (select 1 from yoo_event e where e.machine = a.machine
        and e.event_source = 'callback' and e.phase_name = a.phase and e.event_status = a.status and e.detail = a.message)")
    extra=$(sql_acked "$w/acked.tsv" "select count(*) from yoo_event e where e.event_source = 'callback' and not exists
        (select 1 from acked a where a.machine = e.machine and a.message = e.detail)")
  else
    lost="? (no $w/acked.tsv)" extra="?"
  fi
  echo "$mode N=$N $line killed_at_s=${killed_at:-none} pg_installed=$installed pg_duplicate_addresses=$dup pg_lost_events=$lost pg_events_unacknowledged=$extra rss_peak_mib_a=$rss_a rss_peak_mib_b=$rss_b $cpu" | tee -a "$OUT/raw.txt"
  head -5 "$w/storm.err"
  # PG_STATS=1: where PostgreSQL's time went, per statement (pg_stat_statements, the whole run)
  [ -z "${PG_STATS:-}" ] || sql "select calls, round(total_exec_time::numeric, 1) as ms, rows, left(regexp_replace(query, '\s+', ' ', 'g'), 150)
      from pg_stat_statements order by total_exec_time desc limit 25" > "$w/pg-statements.txt" || true
  teardown
}

echo "$(date -u +%FT%TZ) load before: $(cut -d' ' -f1-3 /proc/loadavg)" > "$OUT/conditions.txt"
[ "$BOTH" = 1 ] && run both
[ "$KILL" = 1 ] && run kill
echo "$(date -u +%FT%TZ) load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/conditions.txt"
cat "$OUT/conditions.txt"; echo "results in $OUT"
