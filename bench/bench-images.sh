#!/bin/bash
# Benchmark: `yoo assets sync --images-only` (OCI distribution API, token-less local registry,
# manifests + blobs verified, OCI archives installed) side by side with `skopeo copy` of the same
# images to oci-archive: files, both from one Debian docker-registry on loopback.
#
# Images: the set `yoo assets images --kubernetes $K8S` lists (kubeadm's 7 + flannel's 2 +
# kube-vip), each built offline with umoci: busybox-static plus LAYER_MIB of random data (so
# nothing compresses and no two images share their big layer).
#
# Usage (root, from the repository root):  bench/bench-images.sh
# Knobs: K8S (1.32.3), LAYER_MIB (32), RUNS (3), PARALLEL (4: yoo's --parallel and skopeo's -P),
# JAR (a prebuilt yoo.jar; default: build with ./yoo and copy it).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
K8S=${K8S:-1.32.3}
LAYER_MIB=${LAYER_MIB:-32}
RUNS=${RUNS:-3}
PARALLEL=${PARALLEL:-4}
for c in docker-registry skopeo umoci busybox; do command -v $c >/dev/null || { echo "missing $c (apt-get install docker-registry skopeo umoci busybox-static)" >&2; exit 2; }; done
WORK=$(mktemp -d /tmp/yoo-bench-images.XXXXXX)
REG_PID=
cleanup() { [ -n "$REG_PID" ] && kill "$REG_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
if [ -z "${JAR:-}" ]; then
  "$repo/yoo" --version >/dev/null
  cp "$repo/installer-cli/target/yoo.jar" "$WORK/yoo.jar"
  JAR=$WORK/yoo.jar
fi
yoo() { "$JAVA" -XX:+UseSerialGC -jar "$JAR" "$@"; }

# ---- registry on a free loopback port, its own config and storage
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$WORK/storage"
cat > "$WORK/registry.yml" <<YML
version: 0.1
log: {level: error}
storage:
  filesystem: {rootdirectory: $WORK/storage}
http:
  addr: 127.0.0.1:$PORT
YML
docker-registry serve "$WORK/registry.yml" > "$WORK/registry.log" 2>&1 &
REG_PID=$!
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/v2/" && break; sleep 0.2; done
REG=127.0.0.1:$PORT

# ---- images: one umoci layout, one tag per image, pushed under the names yoo expects
mapfile -t IMAGES < <(yoo assets images --kubernetes "$K8S")
L=$WORK/layout
umoci init --layout "$L"
i=0
for name in "${IMAGES[@]}"; do
  i=$((i + 1))
  umoci new --image "$L:t$i"
  umoci unpack --image "$L:t$i" "$WORK/b$i" >/dev/null
  mkdir -p "$WORK/b$i/rootfs/bin"; cp "$(command -v busybox)" "$WORK/b$i/rootfs/bin/busybox"
  head -c $((LAYER_MIB << 20)) /dev/urandom > "$WORK/b$i/rootfs/data"
  umoci repack --image "$L:t$i" "$WORK/b$i" >/dev/null
  umoci config --image "$L:t$i" --architecture amd64 --os linux --config.cmd /bin/busybox
  rm -rf "$WORK/b$i"
  repo_tag=${name#*/}   # registry.k8s.io/kube-apiserver:v1.32.3 -> kube-apiserver:v1.32.3
  skopeo copy --quiet --dest-tls-verify=false "oci:$L:t$i" "docker://$REG/$repo_tag"
done
total=$(du -sb "$WORK/storage" | cut -f1)
echo "registry: ${#IMAGES[@]} images, $((total >> 20)) MiB stored, at $REG"

secs() { awk "BEGIN{printf \"%.2f\", $2 - $1}"; }
now() { date +%s.%N; }
rows=()
for run in $(seq "$RUNS"); do
  rm -rf "$WORK/assets" "$WORK/skopeo"; mkdir -p "$WORK/skopeo"
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  t0=$(now)
  yoo assets sync --kubernetes "$K8S" --images-only --no-progress --parallel "$PARALLEL" --asset-dir "$WORK/assets" \
    --registry-mirror "registry.k8s.io=http://$REG" --registry-mirror "docker.io=http://$REG" --registry-mirror "ghcr.io=http://$REG" \
    > "$WORK/yoo.out" 2>&1 || { cat "$WORK/yoo.out"; exit 1; }
  t1=$(now)
  yoo_s=$(secs "$t0" "$t1")
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  t0=$(now)
  printf '%s\n' "${IMAGES[@]}" | xargs -P "$PARALLEL" -I{} sh -c \
    'n={}; r=${n#*/}; skopeo copy --quiet --src-tls-verify=false "docker://'"$REG"'/$r" "oci-archive:'"$WORK"'/skopeo/$(echo "$r" | tr "/:" "__").tar"'
  t1=$(now)
  sk_s=$(secs "$t0" "$t1")
  yoo_b=$(du -sb "$WORK/assets/kubernetes/$K8S/images" | cut -f1)
  sk_b=$(du -sb "$WORK/skopeo" | cut -f1)
  rows+=("$run $yoo_s $sk_s $yoo_b $sk_b")
done
echo
printf '| run | yoo assets sync (s) | yoo MiB/s | skopeo copy -P%s (s) | skopeo MiB/s | archives MiB yoo / skopeo |\n' "$PARALLEL"
echo '|---|---|---|---|---|---|'
for r in "${rows[@]}"; do
  set -- $r
  awk -v run="$1" -v y="$2" -v s="$3" -v yb="$4" -v sb="$5" 'BEGIN{printf "| %s | %.2f | %.1f | %.2f | %.1f | %.0f / %.0f |\n", run, y, yb/1048576/y, s, sb/1048576/s, yb/1048576, sb/1048576}'
done
echo
echo "yoo verifies every blob's SHA-256 and size against its manifest and installs archives atomically;"
echo "skopeo copy verifies digests too. Images: ${#IMAGES[@]}, layer ${LAYER_MIB} MiB random each, K8S $K8S."
