#!/bin/bash
# image-test.sh: the container image built without a daemon (src/image/build-image.sh, umoci),
# loaded into a private podman store under OUT, run with podman's host network inside a network
# namespace this script creates (interface enp3s0 192.168.50.2 = the packaged descriptor's), and
# asked /healthz and, with the token it keeps in its /var/lib/yoo volume, the admin API.
# Usage: image-test.sh --stage DIR --out DIR   (root; needs umoci, podman, apt-get, curl, ip)
set -euo pipefail
stage="" out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --stage) stage=$(realpath "$2"); shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "usage: $0 --stage DIR --out DIR" >&2; exit 2 ;;
  esac
done
[ -d "$stage" ] && [ -n "$out" ] || { echo "usage: $0 --stage DIR --out DIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"; out=$(realpath "$out")
summary="$out/summary.txt"; : > "$summary"
fact() { echo "$*" | tee -a "$summary"; }
fail() { echo "FAIL: $*" | tee -a "$summary" >&2; exit 1; }
id=$$ ns=ypkg-img-$$ name=ypkg-img-$$ SRV=192.168.50.2
# a podman store of its own (nothing in the host's), vfs: works on any file system
runroot=$(mktemp -d /tmp/ypkg-podman.XXXXXX)   # podman wants a runroot path under 50 characters
P=(podman --root "$out/podman/root" --runroot "$runroot" --storage-driver vfs --cgroup-manager cgroupfs --events-backend file)
cleanup() {
  set +e
  ip netns exec "$ns" "${P[@]}" stop -t 10 "$name" > /dev/null 2>&1
  ip netns exec "$ns" "${P[@]}" rm -f "$name" > /dev/null 2>&1
  ip netns del "$ns" 2> /dev/null
  "${P[@]}" system reset -f > /dev/null 2>&1; rm -rf "$out/podman" "$runroot"
}
trap cleanup EXIT
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND" | tee -a "$summary" >&2' ERR

t=$(date +%s)
"$here/../../image/build-image.sh" "$stage" "$out/yoo-image.oci.tar" yoo > "$out/build.log" 2>&1 || { cat "$out/build.log"; fail "build-image.sh"; }
fact "image: $(stat -c %s "$out/yoo-image.oci.tar") bytes OCI archive, built in $(( $(date +%s) - t )) s (umoci, no daemon)"
"${P[@]}" load -q -i "$out/yoo-image.oci.tar" > "$out/load.log" 2>&1 || { cat "$out/load.log"; fail "podman load"; }
image=$("${P[@]}" images -q | head -1)
[ -n "$image" ] || fail "no image after podman load"

ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add enp3s0 type veth peer name "ypkgI$id"
ip -n "$ns" addr add "$SRV/24" dev enp3s0; ip -n "$ns" link set enp3s0 up; ip -n "$ns" link set "ypkgI$id" up
# podman's host network is the namespace's. crun wants a cgroup2 file system at /sys/fs/cgroup
# (hosts with cgroup v1 have a tmpfs there): a private mount namespace gets one; no cgroups are used.
# Explicit ulimits: the defaults (nofile/nproc 1048576) exceed what a sandboxed host allows
t=$(date +%s.%N)
ip netns exec "$ns" unshare -m --propagation private sh -c 'mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null; exec "$@"' sh \
  "${P[@]}" run -d --name "$name" --cgroups=disabled --ulimit nofile=4096:4096 --ulimit nproc=4096:4096 --network host \
  --cap-drop all --cap-add NET_BIND_SERVICE,NET_RAW "$image" > "$out/run.log" 2>&1 || { cat "$out/run.log"; fail "podman run"; }
ok=""
for _ in $(seq 300); do
  if ip netns exec "$ns" curl -sf -m 1 -o /dev/null "http://$SRV:8080/healthz"; then ok=1; break; fi
  sleep 0.2
done
"${P[@]}" logs "$name" > "$out/serve.log" 2>&1 || true
[ -n "$ok" ] || { tail -20 "$out/serve.log"; fail "no /healthz from the container"; }
fact "container: /healthz answered $(awk -v now="$(date +%s.%N)" -v t0="$t" 'BEGIN { printf "%.1f", now - t0 }') s after podman run (host network in namespace $ns)"
# the anonymous volume for /var/lib/yoo (VOLUME in the image) holds the token
vol=$("${P[@]}" inspect -f '{{range .Mounts}}{{if eq .Destination "/var/lib/yoo"}}{{.Source}}{{end}}{{end}}' "$name")
token=$(cat "$vol/admin-token")
ip netns exec "$ns" curl -sf -m 5 -H "Authorization: Bearer $token" "http://$SRV:8080/api/v1/machines" | grep -q devbox \
  || fail "admin API in the container: no machine devbox"
fact "container: admin API answers with the token from its /var/lib/yoo volume"
echo PASS | tee -a "$summary"
