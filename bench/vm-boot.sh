#!/bin/bash
# bench/vm-boot.sh — one real VM's PXE-to-callback time, yoo serve vs the e2e kit's stand-in
# (dnsmasq + a Python HTTP server), side by side in one run, alternating, RUNS times each.
# Firmware: SeaBIOS + iPXE ROM (bios) and OVMF PXE -> TFTP snponly.efi -> iPXE (uefi), TCG.
# usage: sudo bench/vm-boot.sh            (RUNS=3 MODES="bios uefi" OUT=/var/tmp/yoo-bench/vm-boot)
# Prints a table: median seconds from QEMU start to the test OS's success marker, per mode.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KIT=${YOO_E2E_KIT:-$ROOT/../shared/e2e}
RUNS=${RUNS:-3}; MODES=${MODES:-"bios uefi"}; OUT=${OUT:-/var/tmp/yoo-bench/vm-boot}; ACCEL=${ACCEL:-tcg}
TESTOS=${YOO_TESTOS:-/var/tmp/yoo-testos}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAR=$ROOT/installer-cli/target/yoo.jar
[ -f "$JAR" ] || (cd "$ROOT" && ./mvnw -B -q -DskipTests package -pl installer-cli -am) || exit 2
[ -s "$TESTOS/vmlinuz" ] || "$KIT/build-testos.sh" "$TESTOS" || exit 2
mkdir -p "$OUT"
export YOO_NS=yoo-vmb YOO_BR=yoo-vmbbr
STATE=$OUT/yoo
rm -rf "$STATE"; mkdir -p "$STATE/assets"
for f in vmlinuz initrd.gz; do
  "$JAVA_HOME/bin/java" -jar "$JAR" assets add "$TESTOS/$f" --as "testos/$f" --sha256 "$(sha256sum "$TESTOS/$f" | cut -d' ' -f1)" --asset-dir "$STATE/assets" >/dev/null || exit 2
done
# the machines run-e2e.sh boots (52:54:00:77:01:0N), the test OS's built-in report
cat > "$STATE/cluster.yml" <<YML
cluster: bench
architecture: devtest
network: { interface: $YOO_BR, server: 10.77.0.1, subnet: 10.77.0.0/24, dhcp: full, pool: 10.77.0.100-10.77.0.199 }
server: { httpPort: 8080, stateDir: state, assetDir: assets }
os: { version: 9999.0.0, kernel: testos/vmlinuz, initrd: testos/initrd.gz, kernelArgs: ["panic=-1", "console=ttyS0,115200", "yoo.script="] }
machines:
  - { name: vm-1, mac: "52:54:00:77:01:01", ip: 10.77.0.11, role: control-plane }
  - { name: vm-2, mac: "52:54:00:77:01:02", ip: 10.77.0.12, role: worker }
YML
START="ip netns exec $YOO_NS $JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED -jar $JAR serve $STATE/cluster.yml --tftp-root /usr/lib/ipxe > $OUT/yoo-serve.log 2>&1 & echo \$! > $OUT/yoo.pid; for i in \$(seq 100); do ip netns exec $YOO_NS curl -sf -o /dev/null http://10.77.0.1:8080/readyz && exit 0; sleep 0.2; done; exit 1"
STOP="kill \$(cat $OUT/yoo.pid) 2>/dev/null; sleep 1"
: > "$OUT/times.tsv"
for r in $(seq "$RUNS"); do
  for server in stand-in yoo; do
    rm -rf "$OUT/run"
    if [ $server = yoo ]; then
      # a fresh state each run: yoo remembers installed machines and would boot them from disk
      rm -rf "$STATE/state"
      YOO_SERVER_START=$START YOO_SERVER_STOP=$STOP "$KIT/run-e2e.sh" --modes "$MODES" --accel "$ACCEL" --no-pcap --testos "$TESTOS" --out "$OUT/run" > "$OUT/run.log" 2>&1
    else
      "$KIT/run-e2e.sh" --modes "$MODES" --accel "$ACCEL" --no-pcap --testos "$TESTOS" --out "$OUT/run" > "$OUT/run.log" 2>&1
    fi
    awk -v s=$server -v r=$r 'NR>1 {print s "\t" $1 "\t" r "\t" $2 "\t" $3}' "$OUT/run/summary.txt" >> "$OUT/times.tsv"
  done
done
python3 - "$OUT/times.tsv" <<'PY'
import sys, statistics, collections
t = collections.defaultdict(list); bad = collections.Counter()
for line in open(sys.argv[1]):
    server, mode, run, result, secs = line.split("\t")
    if result == "PASS": t[(server, mode)].append(float(secs))
    else: bad[(server, mode)] += 1
print("%-6s %-10s %-10s %-8s %s" % ("mode", "stand-in", "yoo", "ratio", "runs (failed)"))
for mode in sorted({m for _, m in t} | {m for _, m in bad}):
    a, b = t.get(("stand-in", mode), []), t.get(("yoo", mode), [])
    ma = statistics.median(a) if a else float("nan"); mb = statistics.median(b) if b else float("nan")
    print("%-6s %-10.2f %-10.2f %-8.3f %d/%d (%d/%d)" % (mode, ma, mb, mb / ma, len(a), len(b), bad[("stand-in", mode)], bad[("yoo", mode)]))
PY
