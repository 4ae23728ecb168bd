#!/usr/bin/env bash
# bench/tftp.sh - yoo's TFTP server side by side with tftpd-hpa and atftpd, through the shared kit
# (../shared/bench/bench-tftp.sh: two namespaces on a veth pair, tftp-hpa/curl/atftp clients,
# N concurrent curl clients), then one table. Needs root. Run from anywhere:
#
#   flock /tmp/yoo-bench.lock bench/tftp.sh
#
# Knobs (passed through to the kit): RUNS (3) CONC_LIST ("50 200") PATHS ("veth lo") BIG_MIB (64)
# CLIENTS, SERVERS ("tftpd-hpa atftpd yoo"), YOO_JAVA_OPTS, YOO_TFTP_ARGS, BENCH_WORK.
# The yoo jar is built if missing: ./mvnw -B -q -DskipTests package -pl installer-cli -am
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
KIT=${KIT:-$REPO/../shared/bench}
BENCH_WORK=${BENCH_WORK:-/var/tmp/yoo-bench}; export BENCH_WORK
SERVERS=${SERVERS:-"tftpd-hpa atftpd yoo"}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
JAR=$REPO/installer-cli/target/yoo.jar
YOO_JAVA_OPTS=${YOO_JAVA_OPTS:-"-Xmx64m -Xms16m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=64m -Xss512k"}
YOO_TFTP_ARGS=${YOO_TFTP_ARGS:-"--max-windowsize 64"}
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=${OUT:-$BENCH_WORK/results/yoo-tftp-side-by-side-$STAMP}
mkdir -p "$OUT"

if [ ! -f "$JAR" ]; then
  (cd "$REPO" && JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64} ./mvnw -B -q -DskipTests package -pl installer-cli -am)
fi
# atftpd is not installed as a service: unpack the Debian package (bench README)
if [ ! -x "$BENCH_WORK/debs/x/usr/sbin/atftpd" ] && ! command -v atftpd >/dev/null; then
  mkdir -p "$BENCH_WORK/debs" && (cd "$BENCH_WORK/debs" && apt-get download atftpd && dpkg-deb -x atftpd_*.deb x)
fi

# peak RSS (VmHWM) of the yoo server process while the kit runs
watch_rss() {
  local out=$1 peak=0 pid hwm
  while :; do
    for pid in $(pgrep -f "yoo.jar tftp" || true); do
      hwm=$(awk '/VmHWM/{print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
      [ "${hwm:-0}" -gt "$peak" ] && peak=$hwm && echo "$peak" > "$out"
    done
    sleep 1
  done
}

for s in $SERVERS; do
  d=$OUT/$s
  if [ "$s" = yoo ]; then
    watch_rss "$OUT/yoo.rss_kib" & W=$!
    SERVER=yoo OUT_DIR=$d \
      SERVER_CMD="exec $JAVA $YOO_JAVA_OPTS -jar $JAR tftp --port 69 $YOO_TFTP_ARGS \"\$TFTP_ROOT\"" \
      "$KIT/bench-tftp.sh" || echo "yoo run failed" >&2
    kill "$W" 2>/dev/null || true
  else
    SERVER=$s OUT_DIR=$d "$KIT/bench-tftp.sh" || echo "$s run failed" >&2
  fi
done

# one table: single transfers (median MB/s) and concurrent runs (wall seconds)
{
  echo "TFTP side by side ($STAMP), RUNS=${RUNS:-3} BIG_MIB=${BIG_MIB:-64} CONC_LIST=\"${CONC_LIST:-50 200}\" PATHS=\"${PATHS:-veth lo}\""
  echo
  printf '| %-5s | %-16s |' path client; for s in $SERVERS; do printf ' %-10s |' "$s"; done; echo
  printf '|-------|------------------|'; for s in $SERVERS; do printf '%s' '------------|'; done; echo
  keys=$(cat "$OUT"/*/single.tsv 2>/dev/null | awk -F'\t' 'NR>1 && $1!="server"{print $2"\t"$3}' | sort -u)
  while IFS=$'\t' read -r p c; do
    [ -n "$p" ] || continue
    printf '| %-5s | %-16s |' "$p" "$c"
    for s in $SERVERS; do
      v=$(awk -F'\t' -v p="$p" -v c="$c" 'NR>1 && $2==p && $3==c && $5==1 {print $8}' "$OUT/$s/single.tsv" 2>/dev/null | sort -n |
          awk '{a[NR]=$1} END{if(NR==0) print "FAIL"; else print a[int((NR+1)/2)]}')
      printf ' %-10s |' "$v MB/s"
    done; echo
  done <<< "$keys"
  echo
  printf '| %-24s |' "concurrent curl (veth)"; for s in $SERVERS; do printf ' %-22s |' "$s"; done; echo
  printf '|--------------------------|'; for s in $SERVERS; do printf '%s' '------------------------|'; done; echo
  for n in ${CONC_LIST:-50 200}; do
    printf '| %-24s |' "$n x ${CONC_MIB:-30} MiB"
    for s in $SERVERS; do
      v=$(awk -F'\t' -v n="$n" 'NR>1 && $3==n {printf "%ss ok=%s fail=%s", $5, $6, $7}' "$OUT/$s/conc.tsv" 2>/dev/null)
      printf ' %-22s |' "${v:-n/a}"
    done; echo
  done
  [ -f "$OUT/yoo.rss_kib" ] && echo && echo "yoo server peak RSS (VmHWM): $(( $(cat "$OUT/yoo.rss_kib") / 1024 )) MiB"
  echo "results: $OUT"
} | tee "$OUT/table.md"
