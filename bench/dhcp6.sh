#!/usr/bin/env bash
# bench/dhcp6.sh - yoo dhcp6 and kea-dhcp6 (memfile) side by side in one run: perfdhcp -6
# 4-way exchanges (SOLICIT-ADVERTISE-REQUEST-REPLY, "SARR") at stepped rates, each STEP_SECS
# long, new clients every exchange; the best rate whose drops are <= MAX_DROP_PCT (2.5 %, ISC's
# method) is the server's SARR/s. Prints a table: SARR/s, server CPU per lease, peak RSS.
#
#   sudo bench/dhcp6.sh                       # build the jar, Kea then yoo
#   SKIP_BUILD=1 RATES="1000 2000 4000" STEP_SECS=10 bench/dhcp6.sh
#   SERVERS=yoo UDP_TRACE=1 ...               # yoo only; perfdhcp's receive-buffer drops over time
#   SERVER_CPU_QUOTA=50 ...                   # each server capped at 50 % of one CPU (cgroup v1 cpu)
#
# SERVER_CPU_QUOTA: on 2 cores perfdhcp, alone on its CPU, cannot send much more than ~22,000
# SARR/s (at 24,000/s it sent 222,359 of 240,000 SOLICITs, 2026-12-05 08:12), so a server faster
# than that is measured against the client, not its own ceiling. Capping both servers to the same
# share of a CPU (the kernel's CFS quota, in a cgroup of their own) keeps the client the faster
# side and compares what each server does with the same CPU.
#
# UDP_TRACE=1 writes OUT/<server>-client-drops.txt: every 20 ms in which perfdhcp's namespace
# counted new Udp6RcvbufErrors, "<unix time with ms> <total so far>" (to line up with a GC log).
#
# Server pinned to CPU 0, perfdhcp to CPU 1. Namespaces yb6<PID>s / yb6<PID>c joined by one
# veth (fd00:b6::1/64 server, client link-local only: perfdhcp sends to ff02::1:2). Holds
# /tmp/yoo-bench.lock. Needs root, perfdhcp (kea-admin), kea-dhcp6 (kea-dhcp6-server).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAR=${YOO_JAR:-$ROOT/installer-cli/target/yoo.jar}
# SerialGC with a small fixed young generation and room to grow: the ramp leaves every exchange's
# lease behind (perfdhcp uses new clients every exchange): ~700,000 by the 24,000/s step, 2.25
# million after a 2,000-step ramp to 30,000 (~295 bytes each). The former -Xmx256m ran out at
# ~700,000 and yoo collapsed there in full GCs (2026-12-05 08:12-08:25: 42-60 % drops at the step
# after 16,000-20,000 whatever the rate; with -Xmx1g the same jar answered 27,913/s at 0.31 %).
# The old generation grows on demand, so the RSS follows the leases held (127 MiB at 50,000);
# the 16 MiB young generation keeps pauses short (BENCHMARKS.md, "DHCPv6 bursts").
YOO_JVM_OPTS=${YOO_JVM_OPTS:-"-XX:+UseSerialGC -Xms32m -Xmx2g -Xmn16m"}
RATES=${RATES:-"1000 2000 4000 8000 12000 14000 16000 18000 20000 22000 24000 26000 28000 30000"}
STEP_SECS=${STEP_SECS:-10}
MAX_DROP_PCT=${MAX_DROP_PCT:-2.5}
SERVERS=${SERVERS:-"kea yoo"}
SERVER_PIN=${SERVER_PIN:-0} CLIENT_PIN=${CLIENT_PIN:-1}
SERVER_CPU_QUOTA=${SERVER_CPU_QUOTA:-}
[ -z "$SERVER_CPU_QUOTA" ] || [[ "$SERVER_CPU_QUOTA" =~ ^[1-9][0-9]?$|^100$ ]] || { echo "SERVER_CPU_QUOTA: a percentage of one CPU, 1-100" >&2; exit 2; }
OUT=${OUT:-${BENCH_WORK:-/var/tmp/yoo-bench}/results/dhcp6-side-by-side-$(date +%Y%m%d-%H%M%S)}
if [ -z "${SKIP_BUILD:-}" ]; then (cd "$ROOT" && ./mvnw -B -q -DskipTests package -pl installer-cli -am); fi
[ -s "$JAR" ] || { echo "bench/dhcp6.sh: $JAR missing (build failed?)" >&2; exit 2; }
command -v perfdhcp >/dev/null && command -v kea-dhcp6 >/dev/null || { echo "needs perfdhcp and kea-dhcp6" >&2; exit 2; }
mkdir -p "$OUT"
NS_SRV=yb6$$s NS_CLI=yb6$$c IF_SRV=vb6s$$ IF_CLI=vb6c$$
CG=/sys/fs/cgroup/cpu/yoo-bench-dhcp6-$$
cleanup() {
  [ -n "${SRV:-}" ] && kill "$SRV" 2>/dev/null && wait "$SRV" 2>/dev/null; [ -n "${TRACE:-}" ] && kill "$TRACE" 2>/dev/null
  ip netns del "$NS_SRV" 2>/dev/null; ip netns del "$NS_CLI" 2>/dev/null; [ -d "$CG" ] && rmdir "$CG" 2>/dev/null; true
}
trap cleanup EXIT INT TERM
exec 9>/tmp/yoo-bench.lock; echo "waiting for /tmp/yoo-bench.lock ..." >&2; flock 9
echo "$(date -u +%FT%TZ) load before: $(cut -d' ' -f1-3 /proc/loadavg)${SERVER_CPU_QUOTA:+; each server capped at $SERVER_CPU_QUOTA % of one CPU}" > "$OUT/conditions.txt"
ip netns add "$NS_SRV"; ip netns add "$NS_CLI"
for ns in "$NS_SRV" "$NS_CLI"; do
  ip netns exec "$ns" sysctl -q -w net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0
  ip netns exec "$ns" ip link set lo up
done
ip link add "$IF_SRV" netns "$NS_SRV" type veth peer name "$IF_CLI" netns "$NS_CLI"
ip netns exec "$NS_SRV" ip addr add fd00:b6::1/64 dev "$IF_SRV"
ip netns exec "$NS_SRV" ip link set "$IF_SRV" up; ip netns exec "$NS_CLI" ip link set "$IF_CLI" up

# the kernel's UDP drops (receive buffer full, ...) in each namespace since the start: server and perfdhcp's
udp6_errors() {
  local ns; for ns in "$NS_SRV" "$NS_CLI"; do
    printf '%s: ' "${ns: -1}"; ip netns exec "$ns" awk '/^Udp6(InErrors|RcvbufErrors|SndbufErrors)/{printf "%s %s ", $1, $2}' /proc/net/snmp6
  done
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
rss_kib() { awk '/^VmHWM/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

start() { # $1=name $2=command
  rm -rf "$OUT/$1.work"; mkdir -p "$OUT/$1.work"
  ip netns exec "$NS_SRV" taskset -c "$SERVER_PIN" bash -c "$2" >"$OUT/$1.out" 2>&1 & SRV=$!
  if [ -n "$SERVER_CPU_QUOTA" ]; then # the whole process (ip netns exec, taskset and bash exec it: one pid) and its later threads
    # a 10 ms period: the throttled pauses stay short (at most 10 ms minus the quota), so neither server
    # sees a backlog that a 100 ms period (up to 50 ms paused at a 50 % cap) would leave
    mkdir -p "$CG"; echo 10000 > "$CG/cpu.cfs_period_us"; echo $((SERVER_CPU_QUOTA * 100)) > "$CG/cpu.cfs_quota_us"
    echo "$SRV" > "$CG/cgroup.procs"
  fi
  for _ in $(seq 120); do kill -0 "$SRV" 2>/dev/null || break; ip netns exec "$NS_SRV" ss -Hlun "sport = :547" | grep -q . && break; sleep 0.5; done
  kill -0 "$SRV" 2>/dev/null || { echo "$1 did not start:" >&2; tail -5 "$OUT/$1.out" >&2; exit 3; }
  sleep 2
  PID=$(pgrep -P "$SRV" | head -1 || true); PID=${PID:-$SRV}
}

# UDP_TRACE=1: perfdhcp's receive-buffer drops as they happen (bash builtins only: no fork per sample)
trace_client_drops() { # $1=file
  ip netns exec "$NS_CLI" taskset -c "$SERVER_PIN" bash -c 'last=0; exec 3<> <(:)
    while :; do
      while read -r k v; do [ "$k" = Udp6RcvbufErrors ] && break; done </proc/net/snmp6
      if [ "$v" != "$last" ]; then last=$v; echo "${EPOCHREALTIME/[.,]/.} $v"; fi
      read -rt 0.02 -u 3 || true
    done' >"$1" 2>/dev/null & TRACE=$!
}

measure() { # $1=name -> prints best rate, cpu us per lease at it, peak RSS MiB
  local best=0 best_cpu=NA rate hz; hz=$(getconf CLK_TCK)
  if [ -n "${UDP_TRACE:-}" ]; then trace_client_drops "$OUT/$1-client-drops.txt"; fi
  for rate in $RATES; do
    local c0 c1 raw sent got drop
    raw="$OUT/$1-r$rate.txt"; c0=$(cpu_ticks "$PID")
    timeout -k 5 $((STEP_SECS + 30)) ip netns exec "$NS_CLI" taskset -c "$CLIENT_PIN" \
      perfdhcp -6 -l "$IF_CLI" -r "$rate" -R 10000000 -p "$STEP_SECS" -g single >"$raw" 2>&1 || true
    c1=$(cpu_ticks "$PID")
    sent=$(awk '/Statistics for: SOLICIT-ADVERTISE/{f=1} f&&/sent packets:/{print $3; exit}' "$raw")
    got=$(awk '/Statistics for: REQUEST-REPLY/{f=1} f&&/received packets:/{print $3; exit}' "$raw")
    [ -n "$sent" ] && [ "$sent" -gt 0 ] || { echo "  $1 rate $rate: no perfdhcp figures" >&2; break; }
    drop=$(awk -v s="$sent" -v g="${got:-0}" 'BEGIN{printf "%.2f", (s-g)*100/s}')
    echo "  $1 rate $rate: sent $sent SOLICITs, $got REPLYs, drops $drop %, server CPU $(( (c1-c0)*1000000/hz )) us," \
      "kernel UDP errors so far (s = server, c = client namespace): $(udp6_errors)" >&2
    if awk -v d="$drop" -v m="$MAX_DROP_PCT" 'BEGIN{exit !(d<=m)}'; then
      best=$(( got / STEP_SECS )); best_cpu=$(( (c1-c0)*1000000/hz / (got>0?got:1) ))
    else
      break
    fi
  done
  if [ -n "${TRACE:-}" ]; then kill "$TRACE" 2>/dev/null; TRACE=; fi
  echo "$best $best_cpu $(( $(rss_kib "$PID") / 1024 ))"
}

KEA="- - -" YOO="- - -"
if [[ " $SERVERS " == *" kea "* ]]; then
echo "kea-dhcp6 ..." >&2
cat > "$OUT/kea.work.json" <<JSON
{"Dhcp6": {
  "data-directory": "$OUT/kea.work",
  "interfaces-config": {"interfaces": ["$IF_SRV"]},
  "lease-database": {"type": "memfile", "persist": true, "name": "$OUT/kea.work/leases6.csv", "lfc-interval": 0},
  "preferred-lifetime": 3000, "valid-lifetime": 4000, "renew-timer": 1000, "rebind-timer": 2000,
  "subnet6": [{"id": 1, "subnet": "fd00:b6::/64", "interface": "$IF_SRV", "pools": [{"pool": "fd00:b6::1:0 - fd00:b6::ffff:ffff"}]}],
  "loggers": [{"name": "kea-dhcp6", "output_options": [{"output": "$OUT/kea.log"}], "severity": "WARN"}]
}}
JSON
start kea "KEA_PIDFILE_DIR=$OUT KEA_LOCKFILE_DIR=$OUT exec kea-dhcp6 -c $OUT/kea.work.json"
KEA=$(measure kea); kill "$SRV"; wait "$SRV" 2>/dev/null || true; SRV=
fi

if [[ " $SERVERS " == *" yoo "* ]]; then
echo "yoo dhcp6 ..." >&2
start yoo "exec $JAVA_HOME/bin/java $YOO_JVM_OPTS -jar $JAR dhcp6 --interface $IF_SRV --server-address fd00:b6::1 \
  --subnet fd00:b6::/64 --range fd00:b6::1:0-fd00:b6::ffff:ffff --lease-dir $OUT/yoo.work \
  --preferred-lifetime 3000 --valid-lifetime 4000"
YOO=$(measure yoo); kill "$SRV"; wait "$SRV" 2>/dev/null || true; SRV=
fi
echo "$(date -u +%FT%TZ) load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/conditions.txt"

{
  echo "| server | SARR/s at <= $MAX_DROP_PCT % drops | server CPU per lease (us) | peak RSS |"
  echo "|---|---|---|---|"
  read -r r c m <<<"$KEA"; echo "| kea-dhcp6 (memfile) | $r | $c | $m MiB |"
  read -r r c m <<<"$YOO"; echo "| yoo dhcp6 | $r | $c | $m MiB |"
} | tee "$OUT/table.md"
cat "$OUT/conditions.txt"
