#!/bin/bash
# Benchmark: `yoo assets sync` (download + OpenPGP/SHA-512 verification + atomic install) of a
# Flatcar release from nginx, side by side with the manual way the seed did it (curl, then
# gpg --verify and sha512sum). Server (nginx-light) and client run in two network namespaces
# joined by a veth pair (../shared/bench/common.sh), optionally through tinyproxy.
#
# Usage (root, from the repository root):  flock /tmp/yoo-bench.lock bench/bench-assets.sh
# Knobs: BIG_MIB (512: the install image), RUNS (3), PROXY (none|tinyproxy), PARALLEL (4), OUT_DIR,
# JAR (a prebuilt yoo.jar; default: build with ./yoo and copy it).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
KIT=${KIT:-$repo/../shared/bench}
source "$KIT/common.sh"
BIG_MIB=${BIG_MIB:-512}
RUNS=${RUNS:-3}
PROXY=${PROXY:-none}
PARALLEL=${PARALLEL:-4}
WORK=$BENCH_WORK/assets-$$
OUT_DIR=${OUT_DIR:-$BENCH_WORK/results/assets-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$WORK" "$OUT_DIR"
trap 'cleanup_all; rm -rf "$WORK"' EXIT INT TERM

JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
if [ -z "${JAR:-}" ]; then
  log "building yoo"
  "$repo/yoo" --version >/dev/null
  # a private copy: a rebuild in the worktree during the runs must not change what is measured
  cp "$repo/installer-cli/target/yoo.jar" "$WORK/yoo.jar"
  JAR=$WORK/yoo.jar
fi

log "making a signed fixture release (image $BIG_MIB MiB)"
V=9999.0.0
rel=$WORK/www/flatcar/stable/amd64-usr/$V
mkdir -p "$rel"
export GNUPGHOME=$WORK/gnupg; mkdir -m 700 "$GNUPGHOME"
gpg -q --batch --passphrase '' --quick-gen-key "Bench <bench@example.test>" rsa2048 sign never
gpg -q --batch --armor --export > "$WORK/key.asc"
printf 'FLATCAR_VERSION=%s\n' "$V" > "$rel/version.txt"
head -c $((40 << 20)) /dev/urandom > "$rel/flatcar_production_pxe.vmlinuz"
head -c $((80 << 20)) /dev/urandom > "$rel/flatcar_production_pxe_image.cpio.gz"
head -c $((BIG_MIB << 20)) /dev/urandom > "$rel/flatcar_production_image.bin.bz2"
for f in version.txt flatcar_production_pxe.vmlinuz flatcar_production_pxe_image.cpio.gz flatcar_production_image.bin.bz2; do
  gpg -q --batch --detach-sign -o "$rel/$f.sig" "$rel/$f"
done
(cd "$rel" && { echo "# SHA512 HASH"; sha512sum flatcar_production_image.bin.bz2; } > flatcar_production_image.bin.bz2.DIGESTS)
total_mib=$(du -m --apparent-size -c "$rel"/* | tail -1 | cut -f1)

ns_up
cat > "$WORK/nginx.conf" <<NGX
worker_processes 1; daemon off; pid $WORK/nginx.pid; error_log $WORK/nginx.err;
events { worker_connections 256; }
http { access_log off; sendfile on; tcp_nopush on;
  server { listen $SRV_IP:8080; root $WORK/www; } }
NGX
bg_in_ns "$NS_SRV" nginx -c "$WORK/nginx.conf" >/dev/null
wait_port "$NS_SRV" "$SRV_IP:8080" 15 t || { log "nginx did not start"; exit 1; }
proxy_opt=(); curl_proxy=()
if [ "$PROXY" = tinyproxy ]; then
  printf 'Port 3128\nListen %s\nTimeout 60\nMaxClients 50\nAllow %s\nUser nobody\nGroup nogroup\nLogLevel Error\n' "$SRV_IP" "$CLI_IP" > "$WORK/tp.conf"
  bg_in_ns "$NS_SRV" tinyproxy -d -c "$WORK/tp.conf" >/dev/null
  wait_port "$NS_SRV" "$SRV_IP:3128" 15 t || { log "tinyproxy did not start"; exit 1; }
  proxy_opt=(--proxy "http://$SRV_IP:3128"); curl_proxy=(-x "http://$SRV_IP:3128")
fi
base=http://$SRV_IP:8080/flatcar/stable/amd64-usr/$V

# one run: prints "seconds peak_rss_kib"
run_curl_gpg() {
  local d=$WORK/curl-$1; mkdir -p "$d"
  /usr/bin/time -f '%e %M' -o "$d.time" ip netns exec "$NS_CLI" bash -c '
    set -e; cd "$1"; shift; base=$1; shift
    for f in version.txt flatcar_production_pxe.vmlinuz flatcar_production_pxe_image.cpio.gz flatcar_production_image.bin.bz2; do
      curl -sf "$@" -O "$base/$f" -O "$base/$f.sig"
      gpg -q --batch --verify "$f.sig" "$f" 2>/dev/null
    done
    curl -sf "$@" -O "$base/flatcar_production_image.bin.bz2.DIGESTS"
    grep -A1 "SHA512" flatcar_production_image.bin.bz2.DIGESTS | tail -1 | sha512sum -c --quiet' _ "$d" "$base" "${curl_proxy[@]}"
  cat "$d.time"; rm -rf "$d"
}
run_yoo() {
  local d=$WORK/yoo-$1
  /usr/bin/time -f '%e %M' -o "$d.time" ip netns exec "$NS_CLI" "$JAVA" -XX:+UseSerialGC -jar "$JAR" assets sync \
    --asset-dir "$d" --no-progress --parallel "$PARALLEL" --flatcar "stable:$V" --flatcar-key "$WORK/key.asc" \
    --flatcar-url "http://$SRV_IP:8080/flatcar/{channel}/{arch}-usr/{version}/" "${proxy_opt[@]}" >/dev/null 2>&1
  cat "$d.time"; rm -rf "$d"
}

printf 'tool\trun\tseconds\tpeak_rss_kib\n' > "$OUT_DIR/runs.tsv"
for i in $(seq 1 "$RUNS"); do
  log "run $i/$RUNS"
  read -r s m < <(run_curl_gpg "$i"); printf 'curl+gpg+sha512sum\t%s\t%s\t%s\n' "$i" "$s" "$m" >> "$OUT_DIR/runs.tsv"
  read -r s m < <(run_yoo "$i");      printf 'yoo assets sync\t%s\t%s\t%s\n' "$i" "$s" "$m" >> "$OUT_DIR/runs.tsv"
done

{
  echo "Flatcar release sync: $total_mib MiB (image $BIG_MIB MiB), nginx -> veth -> client, proxy: $PROXY, runs: $RUNS"
  printf '%-22s %10s %10s %14s\n' tool "median s" "MiB/s" "peak RSS MiB"
  for tool in "curl+gpg+sha512sum" "yoo assets sync"; do
    med=$(awk -F'\t' -v t="$tool" '$1==t{print $3}' "$OUT_DIR/runs.tsv" | stats3 | sed 's/.*median=\([^ ]*\).*/\1/')
    rss=$(awk -F'\t' -v t="$tool" '$1==t{print $4}' "$OUT_DIR/runs.tsv" | sort -n | tail -1)
    printf '%-22s %10.2f %10.1f %14.0f\n' "$tool" "$med" "$(awk -v a="$total_mib" -v b="$med" 'BEGIN{print a/b}')" "$((rss / 1024))"
  done
} | tee "$OUT_DIR/summary.txt"
