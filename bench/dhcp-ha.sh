#!/usr/bin/env bash
# bench/dhcp-ha.sh - a Kea HA pair (load-balancing) vs a yoo pair (two `yoo serve` on one
# PostgreSQL), perfdhcp relayed, side by side in one run (issue #16, "Benchmarks").
#
#   sudo bench/dhcp-ha.sh                        # build the jar, Kea pair then yoo pair, print a table
#   SKIP_BUILD=1 STEP_SECS=5 RATES="1000 2000" bench/dhcp-ha.sh
#
# Topology (namespaces yha<PID>{l,a,b,d,c}, deleted at the end): a bridge in the "l" namespace
# joins server A 10.78.0.1/16, server B 10.78.0.3/16, PostgreSQL 10.78.0.4/16 (yoo pair only)
# and perfdhcp 10.78.0.2/16. perfdhcp plays a relay (giaddr 10.78.0.2, -l) and sends every packet
# to 10.78.0.100, which an iptables DNAT rule in the client namespace turns into the broadcast
# 255.255.255.255: the bridge floods each frame, so BOTH servers receive every DISCOVER and
# REQUEST, as from a relay configured with both servers (dhcrelay A B); the answers go back to
# the relay address by unicast. (perfdhcp cannot send to a broadcast address itself: no
# SO_BROADCAST, EACCES. Kea must use raw sockets: its UDP socket is bound to the interface
# address, and its raw (LPF) filter takes only that address or 255.255.255.255, not
# 10.78.255.255. A real dhcrelay in between would be the bottleneck: single-threaded, and it
# copies every packet twice.)
#
# Kea pair: Debian's kea-dhcp4 2.2 with libdhcp_lease_cmds.so + libdhcp_ha.so, mode
# load-balancing, raw sockets, memfile leases (as the single-server bench), the pool split in two halves by the
# HA_a / HA_b client classes (as Kea's ARM load-balancing example). In Kea 2.2 the peers talk
# either through kea-ctrl-agent (single-threaded Kea) or through the HA hook's own HTTP listener,
# which needs multi-threading: this script uses the dedicated listener (no control agent), so
# Kea runs multi-threaded (thread-pool-size KEA_THREADS). Each lease is sent to the partner
# (lease4-update) and the answer waits for the partner's ack, as the HA hook does by default.
#
# Yoo pair: two `yoo serve` (`yoo dhcp` has no shared lease ledger) with one descriptor, pool
# 10.78.1.0-10.78.255.254, server.database = the PostgreSQL, shared server.secretKeyFile.
# The pair load-balances (README "Several servers": RFC 3074 buckets while both are alive), so each
# DISCOVER is answered by one server, as in the Kea pair; the REQUEST names that server. (Before
# that change every server answered every client: two OFFERs per DISCOVER.) To profile the yoo
# servers, add e.g. -XX:StartFlightRecording=filename=yoo.jfr,settings=profile,dumponexit=true to
# YOO_JVM_OPTS: each server's recording lands in $OUT/yoo/{a,b}/.
#
# Rate: stepped through RATES (STEP_SECS each) until more than MAX_DROP_PCT % of the DISCOVERs
# get no ACK, then REFINE bisection steps (ISC's method, as ../shared/bench/bench-dhcp.sh).
# CPU per lease = CPU seconds of both servers (and, for yoo, of PostgreSQL in a second column)
# during the highest passing step / ACKs in that step. Nothing is pinned: on the 2 shared cores
# the servers, PostgreSQL and perfdhcp compete, so figures are the machine's, noisy.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAR=${YOO_JAR:-$ROOT/installer-cli/target/yoo.jar}
YOO_JVM_OPTS=${YOO_JVM_OPTS:-"-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms192m -Xmx192m"}
STEP_SECS=${STEP_SECS:-10}
RATES=${RATES:-"1000 2000 3000 4000 6000 8000 10000 12000 15000 20000"}
REFINE=${REFINE:-2}
MAX_DROP_PCT=${MAX_DROP_PCT:-2.5}
CLIENTS=${CLIENTS:-50000}
KEA_THREADS=${KEA_THREADS:-2}
PAIRS=${PAIRS:-"kea yoo"}
BENCH_WORK=${BENCH_WORK:-/var/tmp/yoo-bench}
OUT=${OUT:-$BENCH_WORK/results/dhcp-ha-$(date +%Y%m%d-%H%M%S)}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
KEA_HOOKS=${KEA_HOOKS:-/usr/lib/x86_64-linux-gnu/kea/hooks}
P=yha$$
NS_L=${P}l NS_A=${P}a NS_B=${P}b NS_D=${P}d NS_C=${P}c
IP_A=10.78.0.1 IP_C=10.78.0.2 IP_B=10.78.0.3 IP_D=10.78.0.4 IP_PAIR=10.78.0.100
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)

for c in kea-dhcp4 perfdhcp curl iptables; do command -v $c >/dev/null || { echo "dhcp-ha.sh: $c missing" >&2; exit 2; }; done
[ -f "$KEA_HOOKS/libdhcp_ha.so" ] || { echo "dhcp-ha.sh: $KEA_HOOKS/libdhcp_ha.so missing" >&2; exit 2; }
if [ -z "${SKIP_BUILD:-}" ]; then (cd "$ROOT" && nice -n 10 ./mvnw -B -q -DskipTests package -pl installer-cli -am); fi
[ -s "$JAR" ] || { echo "dhcp-ha.sh: $JAR missing (build failed?)" >&2; exit 2; }
mkdir -p "$OUT"; cp "$JAR" "$OUT/yoo.jar"; JAR=$OUT/yoo.jar   # a rebuild during the run must not change the running servers' jar

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
PIDS=()
teardown() {
  local p ns
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null || true; done
  PIDS=()
  if [ -n "${PG_DATA:-}" ] && [ -d "$PG_DATA" ]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  for ns in $NS_A $NS_B $NS_D $NS_C $NS_L; do
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
}
trap teardown EXIT
trap 'teardown; exit 130' INT TERM

plug() { # $1=ns $2=address/prefix: a veth from ns to the bridge
  local ns=$1 addr=$2 n=${1: -1}
  ip link add "v$n" netns "$ns" type veth peer name "br-$n" netns "$NS_L"
  ip -n "$NS_L" link set "br-$n" master br0 up
  ip -n "$ns" addr add "$addr" dev "v$n"
  ip -n "$ns" link set "v$n" up
  ip -n "$ns" link set lo up
}
topology() {
  teardown
  for ns in $NS_L $NS_A $NS_B $NS_D $NS_C; do ip netns add "$ns"; done
  ip -n "$NS_L" link add br0 type bridge
  ip -n "$NS_L" link set br0 up
  plug "$NS_A" $IP_A/16; plug "$NS_B" $IP_B/16; plug "$NS_D" $IP_D/16; plug "$NS_C" $IP_C/16
  # perfdhcp sends to $IP_PAIR; the client namespace rewrites that to the broadcast
  ip netns exec "$NS_C" iptables -t nat -A OUTPUT -d $IP_PAIR -p udp --dport 67 -j DNAT --to-destination 255.255.255.255
  ip -n "$NS_C" route add 255.255.255.255/32 dev vc
  sleep 1
}

# CPU seconds (utime+stime, all threads) of the processes given
cpu_of() { local t p s=0; t=$(getconf CLK_TCK); for p in "$@"; do s=$((s + $(awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; awk -v s=$s -v t="$t" 'BEGIN{printf "%.3f", s/t}'; }
wait_udp67() { local ns=$1 i; for i in $(seq 1 1200); do ip netns exec "$ns" ss -lnu | awk '{print $4}' | grep -q ':67$' && return 0; sleep 0.1; done; return 1; }

# ---------------- Kea pair ----------------
kea_conf() { # $1 = this server's name (a|b) $2 = its interface
  local me=$1 dir=$OUT/kea/$1
  mkdir -p "$dir"
  cat > "$dir/kea-dhcp4.json" <<EOF
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["$2"], "dhcp-socket-type": "raw"},
  "lease-database": {"type": "memfile", "persist": true, "name": "$dir/leases4.csv", "lfc-interval": 0},
  "multi-threading": {"enable-multi-threading": true, "thread-pool-size": $KEA_THREADS, "packet-queue-size": 64},
  "valid-lifetime": 4000, "renew-timer": 1000, "rebind-timer": 2000,
  "client-classes": [{"name": "HA_a"}, {"name": "HA_b"}],
  "hooks-libraries": [
    {"library": "$KEA_HOOKS/libdhcp_lease_cmds.so"},
    {"library": "$KEA_HOOKS/libdhcp_ha.so", "parameters": {"high-availability": [{
      "this-server-name": "$me", "mode": "load-balancing",
      "heartbeat-delay": 10000, "max-response-delay": 60000, "max-ack-delay": 10000, "max-unacked-clients": 0,
      "multi-threading": {"enable-multi-threading": true, "http-dedicated-listener": true, "http-listener-threads": 0, "http-client-threads": 0},
      "peers": [
        {"name": "a", "url": "http://$IP_A:8001/", "role": "primary", "auto-failover": true},
        {"name": "b", "url": "http://$IP_B:8001/", "role": "secondary", "auto-failover": true}]}]}}],
  "subnet4": [{"id": 1, "subnet": "10.78.0.0/16", "pools": [
    {"pool": "10.78.1.0 - 10.78.127.255", "client-class": "HA_a"},
    {"pool": "10.78.128.0 - 10.78.255.254", "client-class": "HA_b"}]}],
  "loggers": [{"name": "kea-dhcp4", "output_options": [{"output": "$dir/kea.log"}], "severity": "WARN"}]
}}
EOF
}
ha_state() { ip netns exec "$1" curl -s -m 2 -X POST -H 'Content-Type: application/json' \
  -d '{"command": "ha-heartbeat"}' "http://$2:8001/" | sed -n 's/.*"state": *"\([^"]*\)".*/\1/p'; }
start_kea() {
  kea_conf a va; kea_conf b vb
  local s
  for s in a b; do
    local ns=$NS_A; [ $s = b ] && ns=$NS_B
    KEA_PIDFILE_DIR=$OUT/kea/$s KEA_LOCKFILE_DIR=$OUT/kea/$s ip netns exec "$ns" kea-dhcp4 -c "$OUT/kea/$s/kea-dhcp4.json" > "$OUT/kea/$s/out.log" 2>&1 &
    PIDS+=($!); eval "SRV_$s=\$!"
  done
  wait_udp67 "$NS_A" && wait_udp67 "$NS_B" || { log "kea did not bind udp/67"; tail "$OUT"/kea/*/out.log; return 1; }
  local i
  for i in $(seq 1 120); do
    [ "$(ha_state "$NS_A" $IP_A)" = load-balancing ] && [ "$(ha_state "$NS_B" $IP_B)" = load-balancing ] && { log "kea pair: both load-balancing"; return 0; }
    sleep 0.5
  done
  log "kea pair never reached load-balancing: a=$(ha_state "$NS_A" $IP_A) b=$(ha_state "$NS_B" $IP_B)"; return 1
}

# ---------------- yoo pair ----------------
start_pg() {
  PG_DATA=$OUT/yoo/pg
  mkdir -p "$PG_DATA"; chown postgres "$OUT/yoo" "$PG_DATA"; chmod 700 "$PG_DATA"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DATA" -U yoo --auth=trust -E UTF8 >/dev/null
  echo "host all all 10.78.0.0/16 trust" >> "$PG_DATA/pg_hba.conf"
  ip netns exec "$NS_D" runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$OUT/yoo/pg.log" -w -t 60 \
    -o "-p 5432 -k $OUT/yoo -c listen_addresses=$IP_D" start >/dev/null
}
yoo_conf() { # $1 = name $2 = interface $3 = address
  local d=$OUT/yoo/$1
  mkdir -p "$d"
  cat > "$d/cluster.yml" <<EOF
cluster: habench
architecture: dev
network: { interface: $2, server: $3, subnet: 10.78.0.0/16, pool: 10.78.1.0-10.78.255.254, dhcp: full }
server: { httpPort: 8080, stateDir: state, assetDir: assets, database: "jdbc:postgresql://$IP_D:5432/postgres", secretKeyFile: "$OUT/yoo/secret.key" }
os: { version: 4081.2.0 }
machines:
  - { name: m1, mac: "52:54:00:99:00:11", ip: 10.78.0.11 }
EOF
}
start_yoo() {
  start_pg
  head -c 32 /dev/urandom > "$OUT/yoo/secret.key"; chmod 600 "$OUT/yoo/secret.key"
  yoo_conf a va $IP_A; yoo_conf b vb $IP_B
  local s ns
  for s in a b; do
    ns=$NS_A; [ $s = b ] && ns=$NS_B
    # shellcheck disable=SC2086 # word splitting of the JVM options is intended
    (cd "$OUT/yoo/$s" && exec ip netns exec "$ns" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED $YOO_JVM_OPTS \
      -jar "$JAR" serve cluster.yml --no-tftp --no-host-checks > out.log 2>&1) &
    PIDS+=($!); eval "SRV_$s=\$!"
    sleep 2   # the first creates the schema and the shared secrets; the second reads them
  done
  wait_udp67 "$NS_A" && wait_udp67 "$NS_B" || { log "yoo did not bind udp/67"; tail -20 "$OUT"/yoo/*/out.log; return 1; }
  local i
  for i in $(seq 1 240); do
    grep -qs "started in" "$OUT/yoo/a/out.log" && grep -qs "started in" "$OUT/yoo/b/out.log" && return 0
    sleep 0.5
  done
  log "yoo pair did not start"; tail -20 "$OUT"/yoo/*/out.log; return 1
}

# ---------------- load ----------------
step() { # $1 = pair $2 = rate -> prints "pass loss acks_per_s cpu_servers_us cpu_db_us"
  local pair=$1 rate=$2 raw=$OUT/$1/raw-r$2-$(date +%s%N).txt c0 d0 c1 d1
  c0=$(cpu_of "${SRVPIDS[@]}"); d0=$(cpu_of $(ip netns pids "$NS_D" 2>/dev/null))
  timeout -k 5 $((STEP_SECS + 20)) ip netns exec "$NS_C" perfdhcp -4 -l $IP_C -r "$rate" -R "$CLIENTS" -p "$STEP_SECS" \
    -W 1000000 -g single $IP_PAIR > "$raw" 2>&1 || true
  c1=$(cpu_of "${SRVPIDS[@]}"); d1=$(cpu_of $(ip netns pids "$NS_D" 2>/dev/null))
  awk -v rate="$rate" -v d="$STEP_SECS" -v m="$MAX_DROP_PCT" -v c="$(awk -v a="$c0" -v b="$c1" 'BEGIN{print b-a}')" \
      -v db="$(awk -v a="$d0" -v b="$d1" 'BEGIN{print b-a}')" '
    /^\*\*\*Statistics for: DISCOVER-OFFER/ {s="do"} /^\*\*\*Statistics for: REQUEST-ACK/ {s="ra"}
    s!="" && /^sent packets:/ {sent[s]=$3} s!="" && /^received packets:/ {recv[s]=$3}
    END { loss = sent["do"] ? (sent["do"]-recv["ra"])*100/sent["do"] : 100
          pass = (loss <= m && sent["do"] >= 0.95*rate*d) ? 1 : 0
          acks = recv["ra"]+0
          printf "%d %.2f %.0f %.0f %.0f %d\n", pass, loss, acks/d, acks ? c*1e6/acks : 0, acks ? db*1e6/acks : 0, sent["do"]+0 }' "$raw"
}
ramp() { # $1 = pair; appends to $OUT/$1/steps.tsv, prints the best passing line
  local pair=$1 best=0 fail=0 r line bestline="0 NA 0 NA NA 0"
  printf 'rate\tpass\tloss_pct\tacks_per_s\tsrv_cpu_us_per_ack\tdb_cpu_us_per_ack\tdiscovers_sent\n' > "$OUT/$pair/steps.tsv"
  try() {
    line=$(step "$pair" "$1"); set -- "$1" $line
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$OUT/$pair/steps.tsv"
    log "$pair rate=$1 pass=$2 loss=$3% acks/s=$4 servers_us/ack=$5 pg_us/ack=$6"
    sleep 2
    [ "$2" = 1 ]
  }
  for r in $RATES; do
    if try "$r"; then best=$r; bestline=$line; else fail=$r; break; fi
  done
  local i mid
  for i in $(seq 1 "$REFINE"); do
    [ "$fail" -gt 0 ] || break
    mid=$(( (best + fail) / 2 / 100 * 100 )); [ "$mid" -le "$best" ] && break
    if try "$mid"; then best=$mid; bestline=$line; else fail=$mid; fi
  done
  echo "$best $bestline" > "$OUT/$pair/best.txt"
}

exec 9>/tmp/yoo-bench.lock
log "waiting for /tmp/yoo-bench.lock ..."
flock 9
echo "$(date -u +%FT%TZ) load before: $(cut -d' ' -f1-3 /proc/loadavg)" > "$OUT/conditions.txt"
for pair in $PAIRS; do
  mkdir -p "$OUT/$pair"
  topology
  SRV_a= SRV_b=
  if [ "$pair" = kea ]; then start_kea || continue; SRVPIDS=("$SRV_a" "$SRV_b")
  else start_yoo || continue; SRVPIDS=("$SRV_a" "$SRV_b"); fi
  log "$pair pair up (pids ${SRVPIDS[*]}), ramping"
  ramp "$pair"
  if [ "$pair" = yoo ]; then
    ip netns exec "$NS_D" "$PG_BIN/../bin/psql" -h $IP_D -U yoo -d postgres -Atc \
      "select count(*), count(distinct ip), count(distinct mac) from yoo_lease" > "$OUT/yoo/ledger.txt" 2>&1 || true
  fi
  teardown
done
echo "$(date -u +%FT%TZ) load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/conditions.txt"

row() {
  local f=$OUT/$1/best.txt
  [ -s "$f" ] || { printf '| %s | failed to start (see %s) | | | |\n' "$2" "$OUT/$1"; return; }
  read -r best _pass loss acks cpu db _sent < "$f"
  printf '| %s | %s | %s | %s | %s |\n' "$2" "$best" "$loss" "$cpu" "$([ "$1" = yoo ] && echo "$db" || echo "none")"
}
{
  echo "| pair | max DORA/s at <= ${MAX_DROP_PCT}% drops | drops at that rate % | CPU us per lease, both servers | CPU us per lease, PostgreSQL |"
  echo "|---|---|---|---|---|"
  row kea "Kea 2.2 HA load-balancing (MT, dedicated listener, memfile)"
  row yoo "yoo serve x2 + PostgreSQL ledger"
  echo
  [ -s "$OUT/yoo/ledger.txt" ] && echo "yoo_lease after the run (rows, distinct ip, distinct mac): $(cat "$OUT/yoo/ledger.txt")"
  cat "$OUT/conditions.txt"
  echo "step ${STEP_SECS}s, clients $CLIENTS; raw: $OUT/{kea,yoo}/steps.tsv"
} | tee "$OUT/table.md"
