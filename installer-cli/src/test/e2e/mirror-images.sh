#!/bin/bash
# mirror-images.sh JAVA JAR ASSETS K8S WORKDIR
#
# The e2e install's container images, the way an air-gapped site gets them: Debian's
# docker-registry on a free loopback port stands in for registry.k8s.io, docker.io and ghcr.io;
# one tiny image (a text file, built offline with umoci) is pushed with skopeo under every name
# `yoo assets images --kubernetes K8S` lists; then `yoo assets sync --images-only
# --registry-mirror ...` mirrors them into ASSETS (verified OCI archives, listed in SHA256SUMS).
# Needs docker-registry, skopeo, umoci.
set -euo pipefail
JAVA=$1; JAR=$2; ASSETS=$3; K8S=$4; W=$5
yoo() { "$JAVA" -jar "$JAR" "$@"; }
for c in docker-registry skopeo umoci python3; do command -v $c >/dev/null || { echo "mirror-images: missing $c" >&2; exit 2; }; done
rm -rf "$W"; mkdir -p "$W/storage"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'version: 0.1\nlog: {level: error}\nstorage:\n  filesystem: {rootdirectory: %s}\nhttp:\n  addr: 127.0.0.1:%s\n' "$W/storage" "$PORT" > "$W/registry.yml"
docker-registry serve "$W/registry.yml" > "$W/registry.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/v2/" && break; sleep 0.2; done
umoci init --layout "$W/layout"
umoci new --image "$W/layout:img"
umoci unpack --image "$W/layout:img" "$W/bundle" >/dev/null
echo "yoo e2e image" > "$W/bundle/rootfs/yoo-e2e-image"
umoci repack --image "$W/layout:img" "$W/bundle" >/dev/null
umoci config --image "$W/layout:img" --architecture amd64 --os linux --config.cmd /yoo-e2e-image
n=0
for name in $(yoo assets images --kubernetes "$K8S"); do
  skopeo copy --quiet --dest-tls-verify=false "oci:$W/layout:img" "docker://127.0.0.1:$PORT/${name#*/}"
  n=$((n + 1))
done
yoo assets sync --kubernetes "$K8S" --images-only --no-progress --asset-dir "$ASSETS" \
  --registry-mirror "registry.k8s.io=http://127.0.0.1:$PORT" --registry-mirror "docker.io=http://127.0.0.1:$PORT" \
  --registry-mirror "ghcr.io=http://127.0.0.1:$PORT"
echo "mirror-images: $n images mirrored into $ASSETS/kubernetes/$K8S/images"
