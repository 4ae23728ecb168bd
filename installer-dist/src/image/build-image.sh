#!/bin/bash
# build-image.sh STAGE OUT.tar [TAG]: the yoo container image, an OCI image archive built without
# any container daemon (umoci): glibc (libc6, libgcc-s1 from the host's Debian archive, via
# apt-get download), the iPXE boot files (ipxe) + the package's tree from STAGE (installer-dist/target/stage: the jlink'd
# runtime, yoo.jar, /etc/yoo/cluster.yml). No shell, no package manager in the image.
# Entry point: java @jvm.options @serve-jvm.options -jar yoo.jar (the launchers' option files: the image serves); command: serve /etc/yoo/cluster.yml. State: volume /var/lib/yoo.
# Load it with `podman load -i OUT.tar`.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 STAGE OUT.tar [TAG]" >&2; exit 2; }
stage=$(realpath "$1") out=$2 tag=${3:-latest}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && apt-get download -q libc6 libgcc-s1 ipxe > /dev/null 2>&1) || { echo "apt-get download libc6 libgcc-s1 ipxe failed (a Debian host with its archive is needed)" >&2; exit 3; }
umoci init --layout "$work/oci"
umoci new --image "$work/oci:$tag"
umoci unpack --image "$work/oci:$tag" "$work/bundle" > /dev/null
rootfs="$work/bundle/rootfs"
for d in "$work"/*.deb; do dpkg-deb -x "$d" "$rootfs"; done
rm -rf "$rootfs/usr/share/doc" "$rootfs/usr/share/lintian" "$rootfs/usr/share/locale"
mkdir -p "$rootfs/usr/lib/yoo" "$rootfs/etc/yoo" "$rootfs/var/lib/yoo" "$rootfs/tmp"
cp -a "$stage/usr/lib/yoo/." "$rootfs/usr/lib/yoo/"
cp "$stage/etc/yoo/cluster.yml" "$rootfs/etc/yoo/cluster.yml"
cp -a "$stage/usr/share/doc/yoo/examples" "$rootfs/etc/yoo/examples"
chmod 1777 "$rootfs/tmp"; chmod 700 "$rootfs/var/lib/yoo"
printf 'root:x:0:0:root:/root:/nonexistent\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\n' > "$rootfs/etc/group"
umoci repack --image "$work/oci:$tag" "$work/bundle"
umoci config --image "$work/oci:$tag" \
  --config.entrypoint /usr/lib/yoo/runtime/bin/java --config.entrypoint @/usr/lib/yoo/jvm.options \
  --config.entrypoint @/usr/lib/yoo/serve-jvm.options \
  --config.entrypoint -jar --config.entrypoint /usr/lib/yoo/yoo.jar \
  --config.cmd serve --config.cmd /etc/yoo/cluster.yml \
  --config.workingdir /var/lib/yoo --config.volume /var/lib/yoo \
  --config.exposedports 8080/tcp --config.exposedports 67/udp --config.exposedports 69/udp \
  --config.label org.opencontainers.image.title=yoo \
  --config.label "org.opencontainers.image.description=Yoo Installer provisioning server (DHCP, TFTP, HTTP)"
umoci gc --layout "$work/oci"
tar -C "$work/oci" -cf "$out.tmp" . && mv "$out.tmp" "$out"
echo "image: $out ($(du -m "$out" | cut -f1) MiB, OCI archive, tag $tag)"
