#!/bin/bash
# Benchmark: `yoo ipmi-scan` vs an ipmitool-per-BMC shell loop over N simulated BMCs.
#
# Starts N OpenIPMI ipmi_sim BMCs (../shared/ipmi-sim/start-bmc.sh) in a network namespace, on
# the seed's chassis layout: BMC i at 10.77.(202 + i/28).(1 + i%28), and runs both clients from a
# second namespace joined by a veth pair (nothing touches host interfaces). Both collect the same
# facts per BMC: system GUID, FRU product serial, BMC MAC and IP.
#   ipmitool loop     : for each BMC: ipmitool mc guid; fru print 0; lan print 1   (what operators do)
#   ipmitool parallel : the same, PAR BMCs at a time with xargs -P                  (a fairer baseline)
#   yoo ipmi-scan     : one JVM, CONC BMCs at a time, writes machines: YAML with the seed's rule
# Usage (root):  [N=250] [CONC=64] [PAR=64] [SKIP_SEQ=0] bench/ipmi-scan.sh
# Run under the bench lock:  flock /tmp/yoo-bench.lock bench/ipmi-scan.sh
# shellcheck disable=SC2016  # single-quoted scripts expand inside the namespace shells
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
kit=${YOO_SHARED:-$here/../shared}/ipmi-sim/start-bmc.sh
N=${N:-250}
CONC=${CONC:-64}
PAR=${PAR:-64}
SKIP_SEQ=${SKIP_SEQ:-0}
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
jar=$here/installer-cli/target/yoo.jar
bns=yibb$$ cns=yibc$$

[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces)" >&2; exit 3; }
for c in ipmi_sim ipmitool python3 ip; do command -v $c >/dev/null || { echo "missing $c" >&2; exit 3; }; done
if [ ! -f "$jar" ]; then (cd "$here" && ./mvnw -B -q -DskipTests package -pl installer-cli -am >&2); fi

work=$(mktemp -d /var/tmp/yoo-ipmi-bench.XXXXXX)
cleanup() {
  for p in "$work"/bmc-*/ipmi_sim.pid; do
    if [ -f "$p" ]; then kill "$(cat "$p")" 2>/dev/null || true; fi
  done
  ip netns del "$bns" 2>/dev/null || true
  ip netns del "$cns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
cp "$jar" "$work/yoo.jar"; jar=$work/yoo.jar   # a rebuild during the run must not swap the jar under us

ip netns add "$bns"; ip netns add "$cns"
ip -n "$bns" link set lo up; ip -n "$cns" link set lo up
ip link add "vb$$" netns "$bns" type veth peer name "vc$$" netns "$cns"
ip -n "$bns" link set "vb$$" up; ip -n "$cns" link set "vc$$" up
ip -n "$cns" addr add 10.77.255.250/16 dev "vc$$"

addr() { echo "10.77.$((202 + $1 / 28)).$((1 + $1 % 28))"; }
: > "$work/targets.txt"
for i in $(seq 0 $((N - 1))); do
  a=$(addr "$i"); ip -n "$bns" addr add "$a/16" dev "vb$$"; echo "$a" >> "$work/targets.txt"
done

echo "starting $N ipmi_sim BMCs..." >&2
t0=$(date +%s)
export kit work bns
seq 0 $((N - 1)) | xargs -P 4 -I{} sh -c '
  i={}; a=$(echo "10.77.$((202 + i / 28)).$((1 + i % 28))")
  BMC_MAC=$(printf "02:77:00:00:%02x:%02x" $((i / 256)) $((i % 256))) \
    "$kit" "$work/bmc-$i" "$a" "$(printf "4a1f3c2e7b774e2a9c1d%012x" "$i")" "$(printf "SN%05d" "$i")" "$bns" >/dev/null'
echo "BMCs up in $(( $(date +%s) - t0 )) s; ipmi_sim RSS total: $(ps -o rss= -C ipmi_sim | awk '{s+=$1} END {printf "%d MiB", s/1024}')" >&2

one_bmc() { # ip -> "ip guid serial mac" from three ipmitool calls, like an operator's loop
  local ip=$1 t="ipmitool -I lanplus -C 3 -U admin -P secret -H $1"
  local g s m
  g=$($t mc guid 2>/dev/null | awk -F': ' '/System GUID/ {print $2}')
  s=$($t fru print 0 2>/dev/null | awk -F': ' '/Product Serial/ {print $2}')
  m=$($t lan print 1 2>/dev/null | awk -F': ' '/^MAC Address/ {print $2}')
  echo "$ip $g $s $m"
}
export -f one_bmc

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.3f", b - a}'; }
load0=$(cut -d' ' -f1-3 /proc/loadavg)
results=()
if [ "$SKIP_SEQ" != 1 ]; then
  t=$(now)
  ip netns exec "$cns" bash -c 'while read -r ip; do one_bmc "$ip"; done < "$1"' _ "$work/targets.txt" > "$work/seq.txt"
  results+=("ipmitool loop (sequential)|$(awk 'NF==4' "$work/seq.txt" | wc -l)|$(since "$t")")
fi
t=$(now)
ip netns exec "$cns" bash -c 'xargs -P "$2" -I{} bash -c "one_bmc {}" < "$1"' _ "$work/targets.txt" "$PAR" > "$work/par.txt"
results+=("ipmitool xargs -P $PAR|$(awk 'NF==4' "$work/par.txt" | wc -l)|$(since "$t")")
t=$(now)
YOO_BMC_PASSWORD=secret ip netns exec "$cns" "$JAVA_HOME/bin/java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "$jar" \
  ipmi-scan -f "$work/targets.txt" -c "$CONC" --machines "$work/machines.yml" > "$work/yoo.txt" 2> "$work/yoo.err"
results+=("yoo ipmi-scan -c $CONC|$(grep -c ' OK ' "$work/yoo.txt")|$(since "$t")")

# the two tools must agree: same GUID (ipmitool auto-decodes these GUIDs as SMBIOS), serial, MAC
agree=0
while read -r ip g s m; do
  grep -Eq "^$ip +OK +ipmi +$m +$g +$s " "$work/yoo.txt" && agree=$((agree + 1))
done < "$work/par.txt"

printf '\n%-28s %8s %9s %10s\n' "client ($N BMCs)" answered "wall s" "BMCs/s"
for r in "${results[@]}"; do
  IFS='|' read -r name ok secs <<< "$r"
  printf '%-28s %8s %9.2f %10.1f\n' "$name" "$ok" "$secs" "$(awk -v o="$ok" -v s="$secs" 'BEGIN {print o / s}')"
done
echo "yoo and ipmitool agree on GUID, serial and MAC for $agree of $N BMCs"
echo "machine: $(nproc) CPUs, load average before the clients ran: $load0, after: $(cut -d' ' -f1-3 /proc/loadavg) (shared with other builds)"
