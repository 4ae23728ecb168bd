#!/bin/bash
# run-scenarios.sh — issue 8's end-to-end scenarios: `yoo serve` PXE-boots real firmware (QEMU
# SeaBIOS+iPXE and OVMF) in an isolated network namespace built by ../shared/e2e.
#
#   1  BIOS and UEFI machines boot the test OS from yoo serve (the kit's own run-e2e.sh with
#      YOO_SERVER_START/STOP/CHECK); the server records them installed (REST API check).
#   2  the generated install script runs in the VM against a virtual disk (BIOS and UEFI): test
#      image written by the flatcar-install fixture, Kubernetes test bundle installed and
#      verified, every phase reported; the disk image and the event history are inspected.
#      The bundle's container images come from a local docker-registry through `yoo assets
#      sync` (mirror-images.sh); the installed system's preload-images imports them through the
#      ctr stand-in, and the kubeadm stand-in refuses to run before that import; then the
#      installed kubeadm-up runs against the asserting kubeadm/kubelet stand-ins with a failure
#      injected into the first join: reported with its phase, reset, retried, joined.
#      A variant whose install disk does not exist must end failed, phase named, never installed.
#   3  the BIOS machine of 2 reboots: yoo answers "boot from disk" (no install loop), the
#      installed image boots and reports running.
#   4  a rack: three ipmi_sim BMCs whose power-on hook starts a VM; yoo ipmi-scan builds the
#      machine list (matched by SMBIOS UUID = BMC GUID), the descriptor is reloaded, yoo
#      reprovision powers them on, all three install concurrently.
#   5  machines whose MAC is in no descriptor (server.allowUnknown: true), BIOS (SeaBIOS + iPXE
#      ROM) and UEFI (OVMF + snponly.efi over TFTP): a pool lease, /boot.ipxe, whose by-MAC request
#      is answered with the iPXE boot menu, its default
#      entry (production-worker) boots the test OS, which reports to the entry's report URL; every
#      URL in the served menu answers 200; no machine record and no token are created for them.
#   6  UEFI Secure Boot (issue 18): OVMF with Secure Boot enforced and Microsoft's keys enrolled
#      (OVMF_CODE_4M.secboot.fd + a copy of OVMF_VARS_4M.ms.fd per VM, q35 with SMM). A
#      secureBoot machine PXE-boots Debian's signed shim -> signed GRUB (from the verified asset
#      mirror) -> Debian's signed kernel + the test initrd, and reports; the same VM with Secure
#      Boot off boots the iPXE path (timings side by side); negative: a machine handed
#      snponly.efi under Secure Boot is refused by the firmware ("Access Denied"), and an unsigned
#      kernel behind the signed GRUB is refused ("bad shim signature").
#   7  discovery: a MAC in no descriptor reports its inventory, is enrolled through the API, installs.
#   8  day two (issue 17) with s2-fail, whose descriptor entry has an ipmi_sim BMC that starts its VM:
#      `yoo logs` prints its failed attempt's whole log (uploaded by the real install script in the
#      VM); its disk fixed, `yoo reprovision --label day2=fix-me` goes through the server, which sets
#      network boot once and powers it on through the BMC: it installs; `yoo change-ip` moves it to
#      10.77.0.28 (descriptor rewritten in place, reloaded, reprovisioned through the BMC): it
#      reinstalls there, and powered on again boots its disk and reports running from 10.77.0.28.
#   9  a far segment behind a router (issue 16): its own namespace with a bridge for the VMs' taps,
#      IP forwarding and ISC dhcrelay forwarding to yoo serve; the descriptor switched (reloaded
#      live) to the network.subnets form with the far subnet and its relay; a BIOS and a UEFI VM
#      there PXE-boot (DHCP through the relay, UEFI: TFTP snponly.efi through the router, iPXE,
#      HTTP) and run the install script on a virtual disk; their addresses are the far subnet's,
#      dhcrelay forwarded their requests and replies, the server's segment never saw their frames.
#  10  an IPv6-only UEFI machine (issue 19): the bridge gets IPv6 and router advertisements with
#      M=1 (ra-managed.py in place of the kit's responder), yoo serve restarts on a descriptor with
#      network.ipv6 and a machine with ipv6 and no ip; OVMF (IPv4 PXE off through fw_cfg) does
#      DHCPv6 -> option 59 -> snponly.efi by TFTP over IPv6 -> iPXE DHCPv6 (user class iPXE) ->
#      its script, kernel and initrd over IPv6 -> the test OS (make-testos-v6.sh: the reserved
#      address from yoo.ip6=) reports installed over IPv6. No DHCPv4 reply ever reaches it.
#      YOO_S10_NO_DHCP6=1: the same with DHCPv6 dropped in the server's namespace (ip6tables, UDP 547):
#      the negative check, it must fail (no IPv4 path to fall back on).
#  11  a dual-stack UEFI machine (issue 19: ip and ipv6) on scenario 10's link and descriptor, Yoo serving
#      DHCPv4 and DHCPv6 there: OVMF boots over IPv6 (IPv4 PXE off) -> snponly.efi by TFTP over IPv6 ->
#      iPXE chains its DHCPv6 boot URL -> what Yoo serves it over IPv6 names only http://[fd00:77::1]:8080
#      (kernel, initrd, callback), so everything goes over IPv6 although the test OS has its DHCPv4 lease
#      too (yoo.dhcp4=1): no HTTP over IPv4 in the capture, no http://10.77.0.1 URL on its console; it
#      reports installed. iPXE (Debian's 2019 snponly.efi) prefers DHCPv4's boot file when it has both
#      leases, so iPXE's own DHCPv4 (user class iPXE) is dropped in the server's namespace (iptables
#      string match); the test OS's DHCPv4 is answered.
#  12  network.serviceAddress (issue 16): one yoo serve holding service address 10.77.0.5 (PostgreSQL
#      in its namespace, own descriptor and state); a UEFI VM (OVMF fetches snponly.efi by TFTP; a
#      BIOS VM's iPXE ROM never uses TFTP) boots through it and is recorded installed; every TFTP and
#      HTTP packet from the server comes from 10.77.0.5 (pcap), none from 10.77.0.1 but DHCP.
#      (With TFTP answering from 10.77.0.1, OVMF ignores the OACK and gives up: PXE-E18.)
#
# usage: run-scenarios.sh --jar YOO_JAR --testos DIR --out DIR [--scenarios "1 2 3 4 5 6 7 8 9 10 11 12"]
# Needs root, qemu-system-x86, ovmf, ipxe, openipmi, ipmitool, e2fsprogs, extlinux, curl, python3,
# docker-registry, skopeo, umoci, busybox-static; 6: shim-signed, grub-efi-amd64-signed, sbsigntool;
# 9: isc-dhcp-relay; 10 and 11: tcpdump; 12: postgresql, tcpdump.
# exit 0 = every scenario passed; OUT/summary.txt has a line (and timings) per scenario.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../../.." && pwd)
KIT=${YOO_E2E_KIT:-$ROOT/../shared/e2e}
BMCKIT=${YOO_IPMI_KIT:-$ROOT/../shared/ipmi-sim}
JAR=; TESTOS=; OUT=; SCENARIOS="1 2 3 4 5 6 7 8 9 10 11 12"
while [ $# -gt 0 ]; do
  case $1 in
    --jar) JAR=$2; shift 2 ;; --testos) TESTOS=$2; shift 2 ;; --out) OUT=$2; shift 2 ;;
    --scenarios) SCENARIOS=$2; shift 2 ;;
    *) echo "run-scenarios: unknown arg $1" >&2; exit 2 ;;
  esac
done
[ -f "$JAR" ] && [ -s "$TESTOS/vmlinuz" ] && [ -n "$OUT" ] || { echo "usage: $0 --jar JAR --testos DIR --out DIR" >&2; exit 2; }
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd); JAR=$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")

# our own namespace/bridge names, so that nothing collides with another run of the kit
export YOO_NS=${YOO_NS:-yoo-e2e} YOO_BR=${YOO_BR:-yoo-e2ebr} YOO_TAPS="yoo-tap0 yoo-tap1 yoo-tap2 yoo-tap3"
export YOO_SRV_ADDR=10.77.0.1 YOO_SRV_IP=10.77.0.1/24 YOO_HTTP_PORT=8080 YOO_RUN_DIR=$OUT/run
SRV=http://10.77.0.1:8080
# TCG by default: nested KVM on cloud machines often fails (QEMU aborts on "failed to set MSR")
ACCEL=${YOO_E2E_ACCEL:-tcg}
CLUSTER=$OUT/cluster.yml
STATE=$OUT/state
# Every run starts from an empty state store: a second run in the same checkout would otherwise
# find scenario 1's machines "installed" and tell them to boot from their (new, empty) disks.
rm -rf "$STATE"
ASSETS=$OUT/assets
SUMMARY=$OUT/summary.txt
: > "$SUMMARY"
nsx() { ip netns exec "$YOO_NS" "$@"; }
yoo() { "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$JAR" "$@"; }
note() { echo "== $(date +%T) $*"; }
result() { printf '%-3s %-5s %s\n' "$1" "$2" "$3" | tee -a "$SUMMARY"; }
RC=0
fail() { result "$1" FAIL "$2"; RC=1; }

cleanup() {
  stop_server
  for d in "$OUT"/bmc*/; do [ -f "$d/ipmi_sim.pid" ] && kill "$(cat "$d/ipmi_sim.pid")" 2>/dev/null; done
  pkill -f "yoo-e2e-rack" 2>/dev/null
  pkill -f "yoo-e2e-s8vm" 2>/dev/null
  far_down
  timeout 60 "$KIT/netns-down.sh" >/dev/null 2>&1 </dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- assets and descriptor
K8S=1.32.3; OSVER=9999.0.0
prepare_assets() {
  note "preparing assets in $ASSETS (every file registered as verified with yoo assets add)"
  rm -rf "$ASSETS"; rm -f "$OUT/files/secureboot-ready"; mkdir -p "$OUT/files/bin" "$OUT/files/cni"
  "$HERE/make-test-image.sh" "$TESTOS" "$OUT/files/image.bin.bz2" >/dev/null || return 1
  # kubeadm and kubelet: the stand-ins that assert what kubeadm-up gives them (installer-core's
  # KubeadmUpScriptTest runs them too); ctr: imports the image archives and logs their names, which
  # the kubeadm stand-in requires before init/join; kubectl and crictl only say who they are
  cp "$ROOT/installer-core/src/test/resources/e2e-assets/kubernetes/kubeadm" "$ROOT/installer-core/src/test/resources/e2e-assets/kubernetes/kubelet" "$HERE/standins/ctr" "$OUT/files/bin/"
  for b in kubectl crictl; do printf '#!/bin/sh\necho "%s (yoo e2e test bundle) $*"\n' "$b" > "$OUT/files/bin/$b"; done
  printf '#!/bin/sh\necho bridge\n' > "$OUT/files/cni/bridge"
  tar -czf "$OUT/files/cni-plugins.tgz" -C "$OUT/files/cni" bridge
  add() { yoo assets add "$1" --as "$2" --sha256 "$(sha256sum "$1" | cut -d' ' -f1)" --asset-dir "$ASSETS" >/dev/null || { echo "assets add $2 failed" >&2; return 1; }; }
  add "$TESTOS/vmlinuz" testos/vmlinuz && add "$TESTOS/initrd.gz" testos/initrd.gz &&
  add "$OUT/files/image.bin.bz2" "flatcar/stable/$OSVER/flatcar_production_image.bin.bz2" &&
  add "$ROOT/installer-core/src/test/resources/e2e-assets/tools/flatcar-install" tools/flatcar-install &&
  add "$HERE/report-running.sh" tools/report-running.sh &&
  for b in kubeadm kubelet kubectl crictl ctr; do add "$OUT/files/bin/$b" "kubernetes/$K8S/bin/$b" || return 1; done &&
  add "$OUT/files/cni-plugins.tgz" "kubernetes/$K8S/cni/cni-plugins.tgz" || return 1
  # scenario 6: the Secure Boot chain from Debian's signed packages, and the test kernel with its
  # signature removed (sbattach --remove) for the negative check; without them only scenario 6 fails
  if { add /usr/lib/shim/shimx64.efi.signed secureboot/shimx64.efi &&
       add /usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed secureboot/grubx64.efi &&
       add /usr/lib/shim/mmx64.efi.signed secureboot/mmx64.efi &&
       cp "$TESTOS/vmlinuz" "$OUT/files/vmlinuz-unsigned" && sbattach --remove "$OUT/files/vmlinuz-unsigned" >/dev/null &&
       add "$OUT/files/vmlinuz-unsigned" testos/vmlinuz-unsigned; } 2>/dev/null; then
    touch "$OUT/files/secureboot-ready"
  else
    echo "Secure Boot chain not mirrored (apt-get install shim-signed grub-efi-amd64-signed sbsigntool): scenario 6 will fail" >&2
  fi
  # the container images from a local registry through `yoo assets sync`, which also writes
  # kubernetes/$K8S/SHA256SUMS from every verified file of the bundle
  "$HERE/mirror-images.sh" "$JAVA" "$JAR" "$ASSETS" "$K8S" "$OUT/registry" > "$OUT/mirror-images.log" 2>&1 \
    || { echo "mirroring the images failed (see $OUT/mirror-images.log)" >&2; return 1; }
}

write_descriptor() {
  cat > "$CLUSTER" <<YML
# end-to-end test cluster: the busybox test OS stands in for Flatcar's PXE image
cluster: e2e
architecture: devtest
network:
  interface: $YOO_BR
  server: 10.77.0.1
  subnet: 10.77.0.0/24
  dhcp: full
  pool: 10.77.0.100-10.77.0.199
server:
  httpPort: 8080
  stateDir: state
  assetDir: assets
  allowUnknown: true   # scenario 5: machines in no descriptor get the boot menu
os:
  channel: stable
  version: $OSVER
  installDisk: /dev/vda
  kernel: testos/vmlinuz
  initrd: testos/initrd.gz
  kernelArgs: ["panic=-1", "console=ttyS0,115200"]
kubernetes:
  version: $K8S
sshKeys:
  - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHq0kYv3n2hJ7x8bD5mWcE1pQ9rT4sU6vX0yZ2aB3cD4 e2e@yoo
machines:
  # scenario 1: an empty yoo.script= (last one wins) makes the test OS send its built-in report
  - { name: s1-bios, mac: "52:54:00:77:01:01", ip: 10.77.0.11, role: control-plane, kernelArgs: ["yoo.script="] }
  - { name: s1-uefi, mac: "52:54:00:77:01:02", ip: 10.77.0.12, role: worker, kernelArgs: ["yoo.script="] }
  # scenarios 2 and 3: the real install script on a virtual disk
  - { name: s2-bios, mac: "52:54:00:77:02:01", ip: 10.77.0.21, role: worker }
  - { name: s2-uefi, mac: "52:54:00:77:02:02", ip: 10.77.0.22, role: worker }
  - { name: s2-fail, mac: "52:54:00:77:02:03", ip: 10.77.0.23, role: worker, installDisk: /dev/vdz, labels: { day2: fix-me }, bmc: { address: "10.77.0.208", protocol: ipmi, username: admin, password: secret } }
  # scenario 6: Secure Boot (the signed chain) and the same VM on the iPXE path; the negative checks
  - { name: s6-sb, mac: "52:54:00:77:06:01", ip: 10.77.0.61, role: worker, kernelArgs: ["yoo.script="], secureBoot: true }
  - { name: s6-ipxe, mac: "52:54:00:77:06:02", ip: 10.77.0.62, role: worker, kernelArgs: ["yoo.script="], secureBoot: false }
  - { name: s6-unsigned, mac: "52:54:00:77:06:03", ip: 10.77.0.63, role: worker, kernelArgs: ["yoo.script="], secureBoot: true }
  - { name: s6-refused, mac: "52:54:00:77:06:05", ip: 10.77.0.65, role: worker, kernelArgs: ["yoo.script="] }
YML
}

# ---------------------------------------------------------------- server
start_server() {
  note "starting yoo serve in $YOO_NS"
  # `ip netns exec` directly, not through the nsx function: `func &` forks a subshell whose pid is
  # $!, and killing that subshell left java running (holding the H2 state database); ip execs java,
  # so $! is the server's own pid
  ip netns exec "$YOO_NS" "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$JAR" serve "$CLUSTER" --tftp-root /usr/lib/ipxe \
      >> "$OUT/server.log" 2>&1 < /dev/null &
  echo $! > "$OUT/server.pid"
  for _ in $(seq 100); do
    if nsx curl -sf -o /dev/null "$SRV/readyz" && nsx ss -lnu | grep -q ':67 '; then note "server ready"; return 0; fi
    kill -0 "$(cat "$OUT/server.pid")" 2>/dev/null || break
    sleep 0.2
  done
  echo "yoo serve did not become ready; log:" >&2; tail -30 "$OUT/server.log" >&2; return 1
}
stop_server() {
  [ -f "$OUT/server.pid" ] || return 0
  local pid; pid=$(cat "$OUT/server.pid"); rm -f "$OUT/server.pid"
  kill "$pid" 2>/dev/null; for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null; for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
}
api() { nsx curl -sf -H "Authorization: Bearer $(cat "$STATE/admin-token")" "$SRV$1"; }
# state NAME -> prints the machine's state
state_of() { api "/api/v1/machines/$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])'; }
phases_of() { api "/api/v1/machines/$1" | python3 -c '
import json,sys
m=json.load(sys.stdin)
# the install script reports, oldest first
ev=sorted((e for e in m.get("history", []) if e.get("source") == "callback"), key=lambda e: e["id"])
print(" ".join("%s:%s" % (e["phase"], e["status"]) for e in ev))'; }
wait_state() {  # NAME STATE TIMEOUT
  local s; for _ in $(seq "$3"); do s=$(state_of "$1" 2>/dev/null); [ "$s" = "$2" ] && return 0; sleep 1; done
  echo "machine $1 is '$s', expected '$2'" >&2; return 1
}
boot() {  # NAME MODE MAC UUID LOG [disk]
  local args=(--mode "$2" --mac "$3" --uuid "$4" --tap "${TAP:-yoo-tap0}" --timeout "${BOOT_TIMEOUT:-300}" --log "$5" --accel "$ACCEL")
  # the disk comes after the NIC in the boot order: an installed machine's iPXE exits to it
  if [ -n "${6:-}" ]; then args+=(-- -drive "file=$6,if=none,id=disk0,format=raw" -device "virtio-blk-pci,drive=disk0,bootindex=2"); fi
  YOO_NS=$YOO_NS YOO_BR=$YOO_BR "$KIT/boot-vm.sh" "${args[@]}" 2> "$5.boot-vm.log"
}
# UEFI on q35 with SMM (what Secure Boot needs), firmware "secure" (Secure Boot enforced,
# Microsoft's keys enrolled) or "plain" (the same VM without Secure Boot); boot-vm.sh copies the
# VARS file for each VM.  boot_q35 FIRMWARE MAC UUID LOG TIMEOUT [MARKER]
SB_CODE=/usr/share/OVMF/OVMF_CODE_4M.secboot.fd SB_VARS=/usr/share/OVMF/OVMF_VARS_4M.ms.fd
boot_q35() {
  local code=/usr/share/OVMF/OVMF_CODE_4M.fd vars=/usr/share/OVMF/OVMF_VARS_4M.fd sec=()
  if [ "$1" = secure ]; then code=$SB_CODE; vars=$SB_VARS; sec=(-global "driver=cfi.pflash01,property=secure,value=on"); fi
  local args=(--mode uefi --mac "$2" --uuid "$3" --tap "${TAP:-yoo-tap0}" --timeout "$5" --log "$4" --accel "$ACCEL")
  [ -n "${6:-}" ] && args+=(--marker "$6")
  OVMF_CODE=$code OVMF_VARS=$vars YOO_NS=$YOO_NS YOO_BR=$YOO_BR "$KIT/boot-vm.sh" "${args[@]}" -- -machine q35,smm=on "${sec[@]}" 2> "$4.boot-vm.log"
}
at_event() { awk -v e="$2" '$2 == e { print $1; exit }' "$1.events" 2>/dev/null; }
secs() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }
disk_file() {  # IMG PATH -> contents of PATH in the image's first partition (ext4 at 1 MiB)
  dd if="$1" of="$1.p1" bs=1M skip=1 status=none && debugfs -R "cat $2" "$1.p1" 2>/dev/null
}
# disk_has IMG PATH PATTERN: PATH in the image contains PATTERN. Not `disk_file | grep -q`: under
# pipefail, grep -q leaving at the first match can SIGPIPE debugfs while it still writes a file
# larger than the pipe (config.ign) and the check fails although the file is there.
disk_has() {
  disk_file "$1" "$2" > "$1.file" && grep -q -- "$3" "$1.file"
}

# check_kubeadm_up IMG NAME IP: the installed system's own preload-images and kubeadm-up (from its
# /oem/config.ign) run with the disk's /opt in a busybox chroot (plus the host's curl), in a network
# namespace of its own that holds the machine's address on the test bridge (the VM is off by now;
# yoo serve takes per-machine requests only from the reserved address):
#   1 the kubeadm stand-in refuses join before the images are imported (air-gapped: no pull)
#   2 preload-images imports every archive on the disk through the ctr stand-in
#   3 kubeadm-up, with a failure injected into the first join and its pauses shortened through
#     the environment (the unit sets neither): the failure is reported with kubeadm's phase,
#     `kubeadm reset -f` runs, the second attempt joins and is reported; the stand-in's asserts
#     (PATH with /opt/bin, --config path, no certificateKey, images imported) hold throughout
check_kubeadm_up() {
  local r=$OUT/$2.root log=$OUT/$2.kubeadm-up.log ns=yoo-e2e-m$$ veth=yoo-m$$
  rm -rf "$r"; mkdir -p "$r/bin" "$r/tmp" "$r/var/lib" "$r/var/log" "$r/dev" "$r/etc/kubernetes/yoo"
  cp "$(command -v busybox)" "$r/bin/busybox" && chroot "$r" /bin/busybox --install -s /bin
  mknod -m 666 "$r/dev/null" c 1 3
  local f; for f in "$(command -v curl)" $(ldd "$(command -v curl)" | grep -o '/[^ ]*'); do
    mkdir -p "$r$(dirname "$f")"; cp -L "$f" "$r$f"
  done
  dd if="$1" of="$1.p1" bs=1M skip=1 status=none && debugfs -R "rdump /opt $r" "$1.p1" >/dev/null 2>&1
  disk_file "$1" /oem/config.ign > "$r/config.ign"
  python3 - "$r" <<'PY' || return 1
import base64, json, os, sys
root = sys.argv[1]
for f in json.load(open(root + "/config.ign"))["storage"]["files"]:
    if f["path"] in ("/opt/yoo/bin/preload-images", "/opt/yoo/bin/kubeadm-up", "/etc/kubernetes/yoo/kubeadm.yaml", "/etc/kubernetes/yoo/kube-vip.yaml"):
        p = root + f["path"]; os.makedirs(os.path.dirname(p), exist_ok=True)
        open(p, "wb").write(base64.b64decode(f["contents"]["source"].split(",", 1)[1])); os.chmod(p, 0o755)
PY
  local n; n=$(ls "$r"/opt/yoo/images/*.tar 2>/dev/null | wc -l)
  # the machine's address on the bridge, from a namespace of our own (removed below, whatever happens)
  ip netns add "$ns" && ip link add "$veth" type veth peer name eth0 netns "$ns" &&
    ip link set "$veth" netns "$YOO_NS" && ip -n "$YOO_NS" link set "$veth" master "$YOO_BR" up &&
    ip -n "$ns" addr add "$3/24" dev eth0 && ip -n "$ns" link set eth0 up && ip -n "$ns" link set lo up &&
    ip -n "$YOO_NS" neigh flush to "$3" 2>/dev/null
  local rc=1
  (
    set -e
    echo "== 1 kubeadm join before the import (must refuse)"
    if chroot "$r" /bin/env PATH=/opt/bin:/bin kubeadm join --config /etc/kubernetes/yoo/kubeadm.yaml; then echo "kubeadm ran before the import"; exit 1; fi
    grep -q "was not imported before kubeadm join" "$r/var/log/yoo-kubeadm-standin.log"
    echo "== 2 preload-images"
    chroot "$r" /bin/env PATH=/opt/bin:/bin /opt/yoo/bin/preload-images
    echo "== 3 kubeadm-up with a failure injected into the first join"
    touch "$r/etc/kubernetes/yoo/fail-first-attempt"
    ip netns exec "$ns" chroot "$r" /bin/env -i PATH=/bin YOO_KUBEADM_BACKOFF=1 YOO_KUBEADM_API_WAIT=0 /bin/sh /opt/yoo/bin/kubeadm-up
  ) > "$log" 2>&1 && rc=0
  ip -n "$YOO_NS" link del "$veth" 2>/dev/null; ip netns del "$ns" 2>/dev/null
  [ $rc = 0 ] || return 1
  if grep -q STANDIN-ASSERT "$log" "$r/var/log/yoo-kubeadm-standin.log"; then echo "a stand-in assertion failed" >> "$log"; return 1; fi
  local got; got=$(sort -u "$r/var/lib/yoo-e2e/ctr-imports" | wc -l)
  echo "$got" > "$OUT/$2.imports.count"
  [ "$n" -ge 10 ] && [ "$got" = "$n" ] || { echo "archives on disk: $n, imported: $got" >> "$log"; return 1; }
  local hist; hist=$(tr '\n' ' ' < "$r/var/lib/yoo-standin/history")
  [ "$hist" = "join-failed reset join-ok " ] || { echo "stand-in history: [$hist], want [join-failed reset join-ok ]" >> "$log"; return 1; }
  # the server has the failure with kubeadm's phase, then the success; the machine is still installed
  api "/api/v1/machines/$2" > "$OUT/$2.machine.json" || return 1
  python3 - "$OUT/$2.machine.json" >> "$log" 2>&1 <<'PY' || return 1
import json, sys
m = json.load(open(sys.argv[1]))
ev = sorted((e for e in m.get("history", []) if e.get("phase") == "kubeadm-join"), key=lambda e: e["id"])
seq = [e["status"] for e in ev]
print("server: state", m["state"], "kubeadm-join events", seq)
failed = [e for e in ev if e["status"] == "failed"]
assert failed and "failed in kubeadm phase wait-control-plane" in failed[0].get("message", ""), "no failure report with the phase"
assert seq and seq[-1] == "succeeded", "last kubeadm-join report is not succeeded"
assert seq.index("failed") < len(seq) - 1
assert m["state"] == "installed", "state " + m["state"]
PY
}

# ---------------------------------------------------------------- scenarios
scenario1() {
  note "scenario 1: kit run-e2e.sh (bios + uefi) against yoo serve"
  local t0; t0=$(date +%s.%N)
  YOO_SERVER_START="$(declare -f nsx start_server note); JAVA='$JAVA' JAR='$JAR' CLUSTER='$CLUSTER' OUT='$OUT' SRV='$SRV' start_server" \
  YOO_SERVER_STOP="kill \$(cat '$OUT/server.pid') 2>/dev/null; rm -f '$OUT/server.pid'" \
  YOO_SERVER_CHECK="$(declare -f nsx api state_of wait_state); STATE='$STATE' SRV='$SRV' YOO_NS='$YOO_NS'; n=s1-\$YOO_MODE; wait_state \$n installed 10 && echo \"check: \$n installed\"" \
    "$KIT/run-e2e.sh" --modes "bios uefi" --accel "$ACCEL" --testos "$TESTOS" --out "$OUT/s1" > "$OUT/s1.log" 2>&1
  local r=$?
  cat "$OUT/s1/summary.txt" 2>/dev/null | sed 's/^/    /' | tee -a "$SUMMARY"
  [ $r = 0 ] && result 1 PASS "bios+uefi booted from yoo serve, recorded installed ($(secs "$t0") s)" || fail 1 "run-e2e.sh exit $r (see $OUT/s1.log)"
}

scenario2() {
  note "scenario 2: install script in the VM (bios, uefi, failing disk)"
  local ok=1 t0
  for v in "bios 01 s2-bios 10.77.0.21" "uefi 02 s2-uefi 10.77.0.22"; do
    set -- $v; truncate -s 256M "$OUT/$3.img"; rm -f "$OUT/$3.img.p1"
    t0=$(date +%s.%N)
    if ! boot "$3" "$1" "52:54:00:77:02:$2" "4a1f3c2e-7b77-4e2a-9c1d-0000000002$2" "$OUT/$3.serial.log" "$OUT/$3.img"; then
      fail 2 "$3: VM did not finish ok (see $OUT/$3.serial.log)"; ok=0; continue
    fi
    local took; took=$(secs "$t0")
    local st; st=$(state_of "$3"); local ph; ph=$(phases_of "$3")
    local want="time-sync:succeeded fetch-config:succeeded install-os:succeeded kubernetes-bundle:succeeded finalize:succeeded installed:succeeded"
    local got; got=$(echo "$ph" | tr ' ' '\n' | grep -E ':(succeeded|failed)$' | tr '\n' ' ' | sed 's/ $//')
    if [ "$st" != installed ] || [ "$got" != "$want" ]; then fail 2 "$3: state=$st phases=[$got]"; ok=0; continue; fi
    if ! disk_has "$OUT/$3.img" /opt/bin/kubeadm "yoo e2e test bundle" || ! disk_has "$OUT/$3.img" /etc/yoo-test-image "yoo test OS image" \
       || ! disk_has "$OUT/$3.img" /opt/bin/kubeadm "STANDIN-ASSERT" \
       || ! disk_has "$OUT/$3.img" /oem/config.ign '"/opt/yoo/bin/kubeadm-up"'; then
      fail 2 "$3: the disk image lacks the installed files"; ok=0; continue
    fi
    result 2 PASS "$3 ($1): installed in ${took} s; disk has image, /oem/config.ign with kubeadm-up, the asserting /opt/bin/kubeadm stand-in; phases in order"
    if check_kubeadm_up "$OUT/$3.img" "$3" "$4"; then
      result 2 PASS "$3: $(cat "$OUT/$3.imports.count") mirrored images imported through the ctr stand-in (kubeadm refused before); kubeadm-up: injected join failure reported (phase wait-control-plane), reset, retried, joined; state still installed"
    else
      fail 2 "$3: installed kubeadm-up check failed (see $OUT/$3.kubeadm-up.log)"; ok=0
    fi
  done
  # both VMs' iPXE fetched the kernel (and initrd) over plain HTTP: those bytes leave with sendfile
  local sent kernel; kernel=$(stat -c %s "$TESTOS/vmlinuz")
  sent=$(nsx curl -sf "$SRV/metrics" | awk '$1 == "yoo_http_sendfile_bytes_total" { printf "%.0f", $2 }')
  if [ "${sent:-0}" -ge $((2 * kernel)) ]; then
    result 2 PASS "firmware downloads went out with sendfile ($sent bytes, >= 2 kernels of $kernel)"
  else
    fail 2 "sendfile bytes ${sent:-none} < 2 kernels of $kernel"; ok=0
  fi
  truncate -s 64M "$OUT/s2-fail.img"
  boot s2-fail bios 52:54:00:77:02:03 4a1f3c2e-7b77-4e2a-9c1d-000000000203 "$OUT/s2-fail.serial.log" "$OUT/s2-fail.img"
  local st; st=$(state_of s2-fail); local ph; ph=$(phases_of s2-fail)
  if [ "$st" = failed ] && echo "$ph" | grep -q "install-os:failed" && ! echo "$ph" | grep -q "installed:"; then
    result 2 PASS "s2-fail: failed at install-os, never installed"
  else
    fail 2 "s2-fail: state=$st phases=[$ph]"; ok=0
  fi
  return $((1 - ok))
}

scenario3() {
  note "scenario 3: s2-bios reboots into its installed disk"
  local t0; t0=$(date +%s.%N)
  local before; before=$(phases_of s2-bios | tr ' ' '\n' | grep -c '^install-os:')
  if ! boot s2-bios bios 52:54:00:77:02:01 4a1f3c2e-7b77-4e2a-9c1d-000000000201 "$OUT/s3.serial.log" "$OUT/s2-bios.img"; then
    fail 3 "the installed disk did not boot and report (see $OUT/s3.serial.log)"; return 1
  fi
  local st; st=$(state_of s2-bios)
  local after; after=$(phases_of s2-bios | tr ' ' '\n' | grep -c '^install-os:')
  if [ "$st" = running ] && [ "$before" = "$after" ] && grep -a -q "yoo.installed=1" "$OUT/s3.serial.log"; then
    result 3 PASS "booted from disk (no reinstall), reported running in $(secs "$t0") s"
  else
    fail 3 "state=$st install-os events before/after=$before/$after"
  fi
}

scenario4() {
  note "scenario 4: a rack of three BMCs (ipmi_sim), scan, reprovision, concurrent installs"
  command -v ipmi_sim >/dev/null || { fail 4 "ipmi_sim missing"; return 1; }
  local t0 i; t0=$(date +%s.%N)
  for i in 1 2 3; do
    local uuid=4a1f3c2e-7b77-4e2a-9c1d-00000000040$i
    # ipmi_sim stores the GUID as it goes on the wire: the first three fields byte-swapped
    local guid; guid=$(python3 -c "import uuid,sys; print(uuid.UUID(sys.argv[1]).bytes_le.hex())" "$uuid")
    nsx ip addr add "10.77.0.20$i/24" dev "$YOO_BR" 2>/dev/null
    truncate -s 256M "$OUT/rack-$i.img"
    BMC_MAC="02:00:00:00:04:0$i" \
    BMC_POWER_ON_CMD="YOO_NS=$YOO_NS YOO_BR=$YOO_BR exec $KIT/boot-vm.sh --mode bios --accel $ACCEL --mac 52:54:00:77:04:0$i --uuid $uuid --serial-no YOO-RACK-$i --tap yoo-tap$i --timeout 400 --log $OUT/rack-$i.serial.log -- -drive file=$OUT/rack-$i.img,if=none,id=disk0,format=raw -device virtio-blk-pci,drive=disk0,bootindex=2 # yoo-e2e-rack" \
      "$BMCKIT/start-bmc.sh" "$OUT/bmc$i" "10.77.0.20$i" "$guid" "YOO-RACK-$i" "$YOO_NS" || { fail 4 "BMC $i did not start"; return 1; }
  done
  YOO_BMC_PASSWORD=secret nsx "$JAVA" -jar "$JAR" ipmi-scan 10.77.0.201-10.77.0.203 -U admin --password-env YOO_BMC_PASSWORD \
      --no-progress --index 'o4 - 200' --address '10.77.0.{40 + index}' --name 'rack-{index}' --role worker \
      --machines "$OUT/rack-machines.yml" --machines-password-env YOO_BMC_PASSWORD > "$OUT/ipmi-scan.txt" 2>&1 \
      || { fail 4 "ipmi-scan failed: $(tail -3 "$OUT/ipmi-scan.txt")"; return 1; }
  # merge the scanned machines into the descriptor; yoo serve reloads it on change
  grep -v '^machines:' "$OUT/rack-machines.yml" | grep -v '^#' >> "$CLUSTER"
  yoo validate "$CLUSTER" > "$OUT/validate.txt" 2>&1 || { fail 4 "merged descriptor invalid: $(cat "$OUT/validate.txt")"; return 1; }
  for _ in $(seq 50); do state_of rack-1 >/dev/null 2>&1 && break; sleep 0.2; done
  state_of rack-1 > /dev/null || { fail 4 "yoo serve did not reload the descriptor"; return 1; }
  for i in 1 2 3; do
    YOO_BMC_PASSWORD=secret nsx "$JAVA" -jar "$JAR" reprovision "rack-$i" -d "$CLUSTER" > "$OUT/reprovision-$i.txt" 2>&1 \
      || { fail 4 "reprovision rack-$i: $(tail -2 "$OUT/reprovision-$i.txt")"; return 1; }
  done
  local all=1
  for i in 1 2 3; do wait_state "rack-$i" installed 420 || all=0; done
  grep -q "pxe" "$OUT/bmc1/chassis/calls.log" 2>/dev/null || all=0
  if [ $all = 1 ]; then
    result 4 PASS "3 machines scanned by UUID, powered on over IPMI, installed concurrently in $(secs "$t0") s"
  else
    fail 4 "rack: states $(for i in 1 2 3; do printf '%s ' "$(state_of rack-$i)"; done)"
  fi
  # The rack VMs go on running from their disks and hold yoo-tap1..3, which scenario 5 needs.
  pkill -f "yoo-e2e-rack" 2>/dev/null
  for _ in $(seq 100); do pgrep -f "yoo-e2e-rack" >/dev/null || break; sleep 0.1; done
  # The web UI's live table is tested in a real headless Chromium by installer-http's UI test;
  # here the same data is checked through the REST API (Chromium inside this namespace hangs).
}

scenario5() {
  note "scenario 5: machines in no descriptor boot the menu's default entry (bios, uefi)"
  local ok=1 t0 v
  # what the menu promises: every URL in it answers 200 (the report URL takes a POST)
  local menu; menu=$(nsx curl -sf "$SRV/boot/menu.ipxe") || { fail 5 "GET /boot/menu.ipxe failed"; return 1; }
  local n=0 bad=
  for u in $(echo "$menu" | grep -o 'http://[^ ]*' | sort -u); do
    n=$((n + 1))
    case $u in
      */report) nsx curl -sf -o /dev/null -H 'Content-Type: application/json' --data '{}' "$u" || bad="$bad $u" ;;
      *) nsx curl -sf -o /dev/null "$u" || bad="$bad $u" ;;
    esac
  done
  if [ -n "$bad" ] || [ "$n" -lt 14 ]; then fail 5 "menu URLs ($n) not answering 200:$bad"; ok=0; fi
  # both firmwares at once (two taps): the menu's 10 s wait overlaps instead of adding up
  t0=$(date +%s.%N)
  local pids=() tap=0
  for v in "bios 01" "uefi 02"; do
    set -- $v
    ( TAP=yoo-tap$tap BOOT_TIMEOUT=240 boot "s5-$1" "$1" "52:54:00:77:05:$2" "4a1f3c2e-7b77-4e2a-9c1d-0000000005$2" \
        "$OUT/s5-$1.serial.log"; echo $? > "$OUT/s5-$1.rc" ) &
    pids+=($!); tap=$((tap + 1))
  done
  wait "${pids[@]}"
  local took; took=$(secs "$t0")
  for v in "bios 01" "uefi 02"; do
    set -- $v
    local mac=52:54:00:77:05:$2 log=$OUT/s5-$1.serial.log
    if [ "$(cat "$OUT/s5-$1.rc" 2>/dev/null)" != 0 ]; then
      fail 5 "$1 stranger $mac: VM did not finish ok (see $log)"; ok=0; continue
    fi
    local lease; lease=$(api /api/v1/leases | python3 -c '
import json,sys
mac=sys.argv[1].replace(":","").lower()
for l in json.load(sys.stdin):
    if str(l.get("mac","")).replace(":","").lower() == mac: print(l.get("ip")); break' "$mac")
    local why=
    # DHCP gave iPXE the chain script; its by-MAC request (MAC with hyphens) was answered with the menu
    grep -a -q "/boot/by-mac/$(echo "$mac" | tr : -).ipxe" "$log" || why="$why; iPXE did not go through the by-MAC chain"
    grep -a -q "booting menu entry 6) Production Cluster - Worker" "$log" || why="$why; the menu's default entry did not run"
    grep -a -q "yoo.profile=production-worker" "$log" || why="$why; kernel line lacks yoo.profile=production-worker"
    grep -a -q "callback=$SRV/profiles/production-worker/report" "$log" || why="$why; test OS had no profile report URL"
    grep -q "MAC $mac at .*booted menu profile production-worker" "$OUT/server.log" || why="$why; no report line in server.log"
    case $lease in 10.77.0.1[0-9][0-9]) ;; *) why="$why; no pool lease (got '$lease')";; esac
    api /api/v1/machines | grep -ci "$mac" >/dev/null && why="$why; a machine record was created for it"  # -c reads it all: no SIGPIPE
    grep -a -q "/m/" "$log" && why="$why; a per-machine URL reached it"
    if [ -n "$why" ]; then fail 5 "$1 stranger $mac${why}"; ok=0; continue; fi
    local at; at=$(awk '$2 == "result" { print $1 }' "$log.events" 2>/dev/null)
    result 5 PASS "$1 stranger $mac: pool lease $lease, menu default production-worker booted and reported ${at:-?} s after power-on"
  done
  [ $ok = 1 ] && result 5 PASS "all $n URLs of the served menu answered 200; both strangers done in $took s (concurrent)"
  return $((1 - ok))
}

scenario6() {
  note "scenario 6: UEFI Secure Boot: shim -> signed GRUB -> signed kernel; snponly.efi and an unsigned kernel refused"
  [ -f "$SB_CODE" ] && [ -f "$SB_VARS" ] || { fail 6 "OVMF Secure Boot firmware missing ($SB_CODE, $SB_VARS: apt-get install ovmf)"; return 1; }
  [ -f "$OUT/files/secureboot-ready" ] || { fail 6 "the Secure Boot chain is not in the mirror (apt-get install shim-signed grub-efi-amd64-signed sbsigntool)"; return 1; }
  local ok=1 t0 log why
  # 6a the signed chain over TFTP
  log=$OUT/s6-sb.serial.log; t0=$(date +%s.%N)
  if boot_q35 secure 52:54:00:77:06:01 4a1f3c2e-7b77-4e2a-9c1d-000000000601 "$log" 300; then
    local took; took=$(secs "$t0"); why=
    grep -a -q "Fetching Netboot Image grubx64.efi" "$log" || why="$why; shim did not fetch grubx64.efi"
    grep -a -q "EFI stub: UEFI Secure Boot is enabled" "$log" || why="$why; the kernel did not see Secure Boot enabled"
    grep -a -q "secureboot: Secure boot enabled" "$log" || why="$why; no 'secureboot: Secure boot enabled' from the kernel"
    grep -a -q "BOOT_IMAGE=(tftp,10.77.0.1)/assets/testos/vmlinuz" "$log" || why="$why; the kernel was not loaded by GRUB from yoo's TFTP"
    grep -a -q "iPXE" "$log" && why="$why; iPXE ran"
    wait_state s6-sb installed 10 >/dev/null 2>&1 || why="$why; s6-sb not recorded installed"
    # what the UI shows in the machine's history: the chain it booted
    api /api/v1/machines/s6-sb | grep -q "shimx64.efi: Secure Boot chain" || why="$why; its history does not name the Secure Boot chain"
    if [ -z "$why" ]; then
      result 6 PASS "s6-sb: OVMF Secure Boot -> shimx64.efi -> grubx64.efi (signed, from the verified mirror) -> signed kernel over TFTP -> test OS reported; installed in $took s (result at $(at_event "$log" result) s after power-on)"
    else fail 6 "s6-sb${why} (see $log)"; ok=0; fi
  else fail 6 "s6-sb: VM did not finish ok (see $log)"; ok=0; fi
  # 6b the same VM with Secure Boot off, on the iPXE path: the timing next to 6a
  log=$OUT/s6-ipxe.serial.log; t0=$(date +%s.%N)
  if boot_q35 plain 52:54:00:77:06:02 4a1f3c2e-7b77-4e2a-9c1d-000000000602 "$log" 300 && wait_state s6-ipxe installed 10 >/dev/null 2>&1; then
    result 6 PASS "s6-ipxe: same VM, Secure Boot off, snponly.efi -> iPXE -> HTTP: installed in $(secs "$t0") s (result at $(at_event "$log" result) s after power-on)"
  else fail 6 "s6-ipxe: the iPXE path did not finish (see $log)"; ok=0; fi
  # 6c negative: Secure Boot enforced and the machine handed snponly.efi (secureBoot not set): refused
  log=$OUT/s6-refused.serial.log
  if boot_q35 secure 52:54:00:77:06:05 4a1f3c2e-7b77-4e2a-9c1d-000000000605 "$log" 150 \
       'failed to load Boot[0-9A-F]+ "UEFI PXEv4[^"]*" from .*: Access Denied' \
     && grep -a -q "NBP filename is snponly.efi" "$log" && ! grep -a -q "iPXE" "$log" && ! grep -a -q "Linux version" "$log"; then
    result 6 PASS "s6-refused: snponly.efi under Secure Boot: the firmware refused it (Access Denied), iPXE never ran"
  else fail 6 "s6-refused: no firmware refusal of snponly.efi seen (see $log)"; ok=0; fi
  # 6d negative: an unsigned kernel behind the signed GRUB (the descriptor is reloaded with it)
  local before; before=$(grep -c "descriptor .* reloaded:" "$OUT/server.log")
  sed -i 's#^  kernel: testos/vmlinuz$#  kernel: testos/vmlinuz-unsigned#' "$CLUSTER"
  for _ in $(seq 100); do [ "$(grep -c "descriptor .* reloaded:" "$OUT/server.log")" -gt "$before" ] && break; sleep 0.1; done
  log=$OUT/s6-unsigned.serial.log
  if boot_q35 secure 52:54:00:77:06:03 4a1f3c2e-7b77-4e2a-9c1d-000000000603 "$log" 240 'error: bad shim signature' \
     && grep -a -q "Fetching Netboot Image grubx64.efi" "$log" && ! grep -a -q "Linux version" "$log"; then
    result 6 PASS "s6-unsigned: the signed GRUB refused the unsigned kernel (bad shim signature); Linux never started"
  else fail 6 "s6-unsigned: no refusal of the unsigned kernel seen (see $log)"; ok=0; fi
  sed -i 's#^  kernel: testos/vmlinuz-unsigned$#  kernel: testos/vmlinuz#' "$CLUSTER"
  return $((1 - ok))
}

scenario7() {
  note "scenario 7: discovery: a MAC in no descriptor reports its inventory, is enrolled through the API, installs"
  local mac=52:54:00:77:07:01 uuid=4a1f3c2e-7b77-4e2a-9c1d-000000000701 img=$OUT/s7.img t0 why='' id='' vm rc
  t0=$(date +%s.%N)
  truncate -s 256M "$img"; rm -f "$img.p1" "$OUT/enrolled.yml"
  # discovery on (with allowUnknown too, it wins over scenario 5's menu); enrolled machines go to enrolled.yml
  local before; before=$(grep -c "descriptor .* reloaded:" "$OUT/server.log")
  sed -i -e 's/^  allowUnknown: true.*$/&\n  discovery: true/' -e 's/^machines:$/machinesFrom: enrolled.yml\n&/' "$CLUSTER"
  for _ in $(seq 100); do [ "$(grep -c "descriptor .* reloaded:" "$OUT/server.log")" -gt "$before" ] && break; sleep 0.1; done
  # the VM boots discovery; the test OS runs yoo-discover (yoo.script=) which reports, polls, and
  # once enrolled says so and reboots (QEMU runs with -no-reboot: the VM ends there)
  YOO_NS=$YOO_NS YOO_BR=$YOO_BR "$KIT/boot-vm.sh" --mode bios --mac "$mac" --uuid "$uuid" --tap yoo-tap0 --timeout 400 \
      --log "$OUT/s7-discover.serial.log" --accel "$ACCEL" --marker 'yoo-discover: enrolled; rebooting' \
      -- -drive "file=$img,if=none,id=disk0,format=raw" -device virtio-blk-pci,drive=disk0,bootindex=2 \
      2> "$OUT/s7-discover.boot-vm.log" &
  vm=$!
  for _ in $(seq 300); do
    id=$(api /api/v1/discovered 2>/dev/null | python3 -c '
import json,sys
for d in json.load(sys.stdin):
    if d["mac"] == sys.argv[1]: print(d["id"]); break' "$mac")
    [ -n "$id" ] && break
    kill -0 "$vm" 2>/dev/null || break
    sleep 1
  done
  if [ -z "$id" ]; then fail 7 "$mac never reported its inventory (see $OUT/s7-discover.serial.log)"; kill "$vm" 2>/dev/null; return 1; fi
  # its inventory against the VM: the NIC's MAC, the 256 MiB disk, the SMBIOS UUID
  api /api/v1/discovered > "$OUT/s7-discovered.json"
  why=$(python3 - "$OUT/s7-discovered.json" "$mac" "$uuid" "$(stat -c %s "$img")" <<'PY'
import json,sys
path, mac, uuid, size = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
d = next(x for x in json.load(open(path)) if x["mac"] == mac)
inv = d["inventory"]; why = []
if mac not in [n.get("mac") for n in inv.get("nics", [])]: why.append("NIC MAC %s not in %s" % (mac, inv.get("nics")))
if size not in [k.get("sizeBytes") for k in inv.get("disks", [])]: why.append("no disk of %d bytes in %s" % (size, inv.get("disks")))
if inv.get("system", {}).get("uuid") != uuid: why.append("SMBIOS UUID %s, expected %s" % (inv.get("system", {}).get("uuid"), uuid))
if d["status"] != "new": why.append("status " + d["status"])
print("; ".join(why))
PY
)
  if [ -n "$why" ]; then fail 7 "inventory: $why"; kill "$vm" 2>/dev/null; return 1; fi
  result 7 PASS "$mac reported its inventory ($(secs "$t0") s after power-on): NIC MAC, the $(stat -c %s "$img")-byte disk and the SMBIOS UUID match the VM"
  # enroll it through the API: the server writes enrolled.yml, reloads, the machine's next poll sees it
  if ! nsx curl -sf -H "Authorization: Bearer $(cat "$STATE/admin-token")" -H 'Content-Type: application/json' \
      --data '{"name": "s7-found", "role": "worker", "labels": {"found": "discovery"}, "ip": "10.77.0.71"}' \
      "$SRV/api/v1/discovered/$id/enroll" > "$OUT/s7-enroll.json"; then
    fail 7 "enroll #$id refused: $(nsx curl -s -H "Authorization: Bearer $(cat "$STATE/admin-token")" -H 'Content-Type: application/json' \
      --data '{"name": "s7-found", "role": "worker", "ip": "10.77.0.71"}' "$SRV/api/v1/discovered/$id/enroll")"
    kill "$vm" 2>/dev/null; return 1
  fi
  grep -q '+  - name: \\"s7-found\\"' "$OUT/s7-enroll.json" || { fail 7 "the enroll answer has no diff: $(cat "$OUT/s7-enroll.json")"; return 1; }
  grep -q 'name: "s7-found"' "$OUT/enrolled.yml" || { fail 7 "enrolled.yml lacks s7-found"; return 1; }
  wait "$vm"; rc=$?
  [ "$rc" = 0 ] || { fail 7 "the waiting machine did not see it was enrolled (boot-vm exit $rc, see $OUT/s7-discover.serial.log)"; return 1; }
  result 7 PASS "enrolled through the API as s7-found (enrolled.yml written, diff answered); the waiting machine saw it and rebooted"
  # its next boot: a listed machine, it installs
  if ! boot s7-found bios "$mac" "$uuid" "$OUT/s7-install.serial.log" "$img" || ! wait_state s7-found installed 10; then
    fail 7 "s7-found did not install after enrollment (see $OUT/s7-install.serial.log)"; return 1
  fi
  result 7 PASS "s7-found installed at 10.77.0.71 after enrollment, $(secs "$t0") s after its first power-on"
  # discovery off again: later scenarios' strangers get the menu
  sed -i '/^  discovery: true$/d' "$CLUSTER"
}

# s8_vm_gone: the VM the BMC hook started has exited (QEMU runs with -no-reboot), so the tap is free
s8_vm_gone() { for _ in $(seq 120); do pgrep -f "yoo-e2e-s8vm" >/dev/null || return 0; sleep 0.5; done; return 1; }
scenario8() {
  note "scenario 8: day two: the failed machine's log, reprovision by label through its BMC, change-ip"
  command -v ipmi_sim >/dev/null || { fail 8 "ipmi_sim missing"; return 1; }
  local mac=52:54:00:77:02:03 uuid=4a1f3c2e-7b77-4e2a-9c1d-000000000203 img=$OUT/s2-fail.img t0 before out why
  local vmlog=$OUT/s8-vm.serial.log
  t0=$(date +%s.%N)
  # the failed attempt: scenario 2's, or booted here when 2 did not run
  if [ "$(state_of s2-fail 2>/dev/null)" != failed ]; then
    truncate -s 64M "$img"
    boot s2-fail bios "$mac" "$uuid" "$OUT/s2-fail.serial.log" "$img"
  fi
  [ "$(state_of s2-fail)" = failed ] || { fail 8 "s2-fail is $(state_of s2-fail), not failed"; return 1; }
  out=$OUT/s8-logs-failed.txt
  nsx "$JAVA" -jar "$JAR" logs s2-fail --url "$SRV" --state-dir "$STATE" > "$out" 2>&1
  if ! grep -q "yoo\[s2-fail\]: install of s2-fail started" "$out" || ! grep -q "install-os: FAILED" "$out"; then
    fail 8 "yoo logs s2-fail: not the failed attempt's log: $(head -c 400 "$out")"; return 1
  fi
  result 8 PASS "yoo logs s2-fail: the failed attempt's whole log from the VM's install script ($(wc -l < "$out") lines, ends: $(grep -a 'install-os: FAILED' "$out" | head -1))"
  # fixed: its install disk exists now (the descriptor's /dev/vdz goes; the default /dev/vda stays)
  before=$(grep -c "descriptor .* reloaded:" "$OUT/server.log")
  sed -i 's#^\(  - { name: s2-fail, .*\), installDisk: /dev/vdz#\1#' "$CLUSTER"
  for _ in $(seq 100); do [ "$(grep -c "descriptor .* reloaded:" "$OUT/server.log")" -gt "$before" ] && break; sleep 0.1; done
  truncate -s 256M "$img"; rm -f "$img.p1"
  # its BMC: power on starts the VM (the tag in the command lets s8_vm_gone find it)
  local guid; guid=$(python3 -c "import uuid,sys; print(uuid.UUID(sys.argv[1]).bytes_le.hex())" "$uuid")
  nsx ip addr add 10.77.0.208/24 dev "$YOO_BR" 2>/dev/null
  BMC_MAC="02:00:00:00:08:01" \
  BMC_POWER_ON_CMD="YOO_NS=$YOO_NS YOO_BR=$YOO_BR exec $KIT/boot-vm.sh --mode bios --accel $ACCEL --mac $mac --uuid $uuid --tap yoo-tap1 --timeout 400 --log $vmlog -- -drive file=$img,if=none,id=disk0,format=raw -device virtio-blk-pci,drive=disk0,bootindex=2 -name yoo-e2e-s8vm" \
    "$BMCKIT/start-bmc.sh" "$OUT/bmc8" 10.77.0.208 "$guid" "YOO-S8" "$YOO_NS" || { fail 8 "s2-fail's BMC did not start"; return 1; }
  # reprovision by label, through the server: reset, network boot once, power on through the BMC
  out=$OUT/s8-reprovision.txt
  nsx "$JAVA" -jar "$JAR" reprovision --label day2=fix-me --reason "install disk replaced" --url "$SRV" --state-dir "$STATE" > "$out" 2>&1 \
    || { fail 8 "yoo reprovision --label day2=fix-me: $(tail -3 "$out")"; return 1; }
  grep -q "s2-fail: reset (attempt 1); BMC ipmi://admin@10.77.0.208: network boot once, power cycled" "$out" \
    || { fail 8 "reprovision did not go through the BMC: $(cat "$out")"; return 1; }
  if ! wait_state s2-fail installed 420; then fail 8 "s2-fail did not install after the reprovision (see $vmlog)"; return 1; fi
  grep -q "set boot pxe" "$OUT/bmc8/chassis/calls.log" || { fail 8 "the BMC was not told to network boot"; return 1; }
  nsx "$JAVA" -jar "$JAR" logs s2-fail --url "$SRV" --state-dir "$STATE" > "$OUT/s8-logs-attempt1.txt" 2>&1
  nsx "$JAVA" -jar "$JAR" logs s2-fail --attempt 0 --url "$SRV" --state-dir "$STATE" > "$OUT/s8-logs-attempt0.txt" 2>&1
  if ! grep -q "installed; rebooting" "$OUT/s8-logs-attempt1.txt" || ! grep -q "install-os: FAILED" "$OUT/s8-logs-attempt0.txt"; then
    fail 8 "yoo logs: attempt 1 should be the install, attempt 0 the failure"; return 1
  fi
  cp "$vmlog" "$OUT/s8-reprovision.serial.log"
  result 8 PASS "s2-fail reprovisioned by label through its BMC (boot pxe + power on over IPMI) and installed, $(secs "$t0") s; yoo logs: attempt 1 installed, attempt 0 the failure"
  # change-ip: the installed machine moves to 10.77.0.28 and reinstalls there through its BMC
  s8_vm_gone || { fail 8 "the VM of the install did not exit"; return 1; }
  t0=$(date +%s.%N)
  out=$OUT/s8-change-ip.txt
  nsx "$JAVA" -jar "$JAR" change-ip s2-fail 10.77.0.28 --url "$SRV" --state-dir "$STATE" > "$out" 2>&1 \
    || { fail 8 "yoo change-ip s2-fail 10.77.0.28: $(tail -3 "$out")"; return 1; }
  why=
  grep -q "+  - { name: s2-fail, mac: \"52:54:00:77:02:03\", ip: 10.77.0.28, role: worker" "$out" || why="$why; no diff of the descriptor line"
  grep -q "s2-fail: reset (attempt 2); BMC ipmi://admin@10.77.0.208: network boot once, power cycled" "$out" || why="$why; not reprovisioned through the BMC"
  grep -q "ip: 10.77.0.28, role: worker, labels: { day2: fix-me }" "$CLUSTER" || why="$why; the descriptor does not say 10.77.0.28"
  [ -z "$why" ] || { fail 8 "change-ip${why}: $(cat "$out")"; return 1; }
  if ! wait_state s2-fail installed 420; then fail 8 "s2-fail did not reinstall after change-ip (see $vmlog)"; return 1; fi
  grep -a -q "yoo-testos: got 10.77.0.28 " "$vmlog" || { fail 8 "the reinstall did not get 10.77.0.28 from DHCP (see $vmlog)"; return 1; }
  cp "$vmlog" "$OUT/s8-change-ip.serial.log"
  # powered on again it boots its disk; the report is taken only from the machine's reserved address
  s8_vm_gone || { fail 8 "the VM of the reinstall did not exit"; return 1; }
  nsx "$JAVA" -jar "$JAR" power "$CLUSTER" s2-fail cycle > "$OUT/s8-power.txt" 2>&1 || { fail 8 "yoo power cycle: $(tail -2 "$OUT/s8-power.txt")"; return 1; }
  if ! wait_state s2-fail running 300; then fail 8 "s2-fail did not report running after change-ip (see $vmlog)"; return 1; fi
  grep -a -q "yoo-testos: got 10.77.0.28 " "$vmlog" && grep -a -q "yoo.installed=1" "$vmlog" || { fail 8 "the running report did not come from the installed disk at 10.77.0.28 (see $vmlog)"; return 1; }
  api /api/v1/machines/s2-fail | grep -q '"lastIp":"10.77.0.28"' || { fail 8 "the server's record of s2-fail has not 10.77.0.28 as last address"; return 1; }
  result 8 PASS "yoo change-ip s2-fail 10.77.0.28: descriptor line rewritten, reloaded, reprovisioned through the BMC, reinstalled at 10.77.0.28 and reported running from it, $(secs "$t0") s"
  pkill -f "yoo-e2e-s8vm" 2>/dev/null
  return 0
}

# ---------------------------------------------------------------- scenario 9: a far segment
# The far segment is a rack behind a router: namespace $FAR_NS is the router, with veth yoo-up
# (10.77.0.254) on the server's bridge, bridge yoo-far (10.78.0.1, the far segment) holding the
# VMs' taps, IP forwarding, ISC dhcrelay (downstream yoo-far, upstream yoo-up, to 10.77.0.1) and
# the far segment's own IPv6 RA responder (else iPXE waits ~13 s there). yoo serve's namespace
# gets a route to 10.78.0.0/24 through the router (replies to the relay go to its giaddr).
FAR_NS=yoo-e2e-far$$ FAR_UP=10.77.0.254 FAR_RELAY=10.78.0.1 FAR_NET=10.78.0.0/24 FAR_TAPS="yoo-tap8 yoo-tap9"
fx() { ip netns exec "$FAR_NS" "$@"; }
far_up() {
  ip netns add "$FAR_NS" || return 1
  fx sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 &&
    ip -n "$FAR_NS" link set lo up &&
    ip -n "$FAR_NS" link add yoo-up type veth peer name yoo-rt8 netns "$YOO_NS" &&
    ip -n "$YOO_NS" link set yoo-rt8 master "$YOO_BR" up &&
    ip -n "$FAR_NS" addr add "$FAR_UP/24" dev yoo-up && ip -n "$FAR_NS" link set yoo-up up &&
    ip -n "$FAR_NS" link add yoo-far type bridge stp_state 0 forward_delay 0 &&
    ip -n "$FAR_NS" addr add "$FAR_RELAY/24" dev yoo-far && ip -n "$FAR_NS" link set yoo-far up &&
    ip -n "$YOO_NS" route replace "$FAR_NET" via "$FAR_UP" dev "$YOO_BR" || return 1
  local t; for t in $FAR_TAPS; do
    ip -n "$FAR_NS" tuntap add dev "$t" mode tap && ip -n "$FAR_NS" link set "$t" master yoo-far up || return 1
  done
  rm -f "$OUT/s9-ra.pid"
  fx python3 "$KIT/ra-responder.py" yoo-far --pidfile "$OUT/s9-ra.pid" --log "$OUT/s9-ra.log" </dev/null >/dev/null 2>&1 &
  fx dhcrelay -4 -d --no-pid -iu yoo-up -id yoo-far "$YOO_SRV_ADDR" </dev/null > "$OUT/s9-dhcrelay.log" 2>&1 &
  for _ in $(seq 100); do grep -q "Listening on LPF/yoo-far" "$OUT/s9-dhcrelay.log" && [ -s "$OUT/s9-ra.pid" ] && return 0; sleep 0.1; done
  echo "dhcrelay or the RA responder did not start: $(tail -5 "$OUT/s9-dhcrelay.log")" >&2; return 1
}
# far_down: stops what runs in the router namespace (dhcrelay, RA responder, VMs) and deletes it;
# its bridge, taps and veth pair (yoo-rt8 on the server's bridge too) go with it. Idempotent.
far_down() {
  ip netns list | awk '{print $1}' | grep -qx "$FAR_NS" || return 0
  local pids; pids=$(ip netns pids "$FAR_NS" 2>/dev/null)
  if [ -n "$pids" ]; then
    kill $pids 2>/dev/null
    for _ in $(seq 30); do [ -z "$(ip netns pids "$FAR_NS" 2>/dev/null)" ] && break; sleep 0.1; done
    pids=$(ip netns pids "$FAR_NS" 2>/dev/null); [ -n "$pids" ] && kill -9 $pids 2>/dev/null
  fi
  ip -n "$YOO_NS" route del "$FAR_NET" 2>/dev/null
  ip netns del "$FAR_NS"
}
# reloads_of: how many reloads the server took (not "NOT reloaded: ...")
reloads_of() { grep -c -E "descriptor .* reloaded: [0-9]+ machines" "$OUT/server.log"; }
# put_descriptor FILE: serve FILE as the descriptor (atomic rename, as an editor's save), wait for the reload
put_descriptor() {
  local before; before=$(reloads_of)
  cp "$1" "$CLUSTER.new" && mv "$CLUSTER.new" "$CLUSTER" || return 1
  for _ in $(seq 100); do [ "$(reloads_of)" -gt "$before" ] && return 0; sleep 0.1; done
  echo "yoo serve did not reload $1: $(grep "NOT reloaded" "$OUT/server.log" | tail -1)" >&2; return 1
}

scenario9() {
  note "scenario 9: a far segment behind ISC dhcrelay: BIOS and UEFI VMs there PXE-boot and install through the relay"
  command -v dhcrelay >/dev/null || { fail 9 "dhcrelay missing (apt-get install isc-dhcp-relay)"; return 1; }
  local rc=1
  cp "$CLUSTER" "$OUT/cluster.before-s9.yml"
  if far_up; then scenario9_run && rc=0; else fail 9 "the far segment could not be set up (see $OUT/s9-dhcrelay.log)"; fi
  # as it was for later scenarios: the one-subnet descriptor, no router
  cmp -s "$CLUSTER" "$OUT/cluster.before-s9.yml" || put_descriptor "$OUT/cluster.before-s9.yml" || { fail 9 "descriptor not restored"; rc=1; }
  far_down
  return $rc
}

scenario9_run() {
  local t0 ok=1 v why
  # the descriptor in the network.subnets form: the server's segment and the far one with its relay,
  # and the two far machines (reserved addresses in the far subnet)
  python3 - "$CLUSTER" > "$OUT/cluster.s9.yml" <<'PY' || { fail 9 "the descriptor is not in the expected one-subnet form"; return 1; }
import sys
text = open(sys.argv[1]).read()
one = "  subnet: 10.77.0.0/24\n  dhcp: full\n  pool: 10.77.0.100-10.77.0.199\n"
several = """  dhcp: full
  subnets:
    - cidr: 10.77.0.0/24          # the server's own segment
      pool: 10.77.0.100-10.77.0.199
    - cidr: 10.78.0.0/24          # scenario 9: the far segment, behind the router
      relay: 10.78.0.1            # dhcrelay's address there: the giaddr of what it forwards
      gateway: 10.78.0.1
      pool: 10.78.0.100-10.78.0.150
      leaseSeconds: 600
"""
machines = """machines:
  # scenario 9: on the far segment
  - { name: s9-bios, mac: "52:54:00:77:08:01", ip: 10.78.0.81, role: worker }
  - { name: s9-uefi, mac: "52:54:00:77:08:02", ip: 10.78.0.82, role: worker }
"""
if one not in text or "\nmachines:\n" not in text:
    sys.exit("no one-subnet network block or machines list in " + sys.argv[1])
sys.stdout.write(text.replace(one, several).replace("\nmachines:\n", "\n" + machines, 1))
PY
  # yoo validate on the server (its route to the relay is checked) says nothing but OK
  nsx "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$JAR" validate "$OUT/cluster.s9.yml" > "$OUT/s9-validate.txt" 2>&1
  if [ $? != 0 ] || grep -q -i warning "$OUT/s9-validate.txt" || ! grep -q OK "$OUT/s9-validate.txt"; then
    fail 9 "the subnets descriptor does not validate cleanly: $(cat "$OUT/s9-validate.txt")"; return 1
  fi
  put_descriptor "$OUT/cluster.s9.yml" || { fail 9 "the subnets descriptor was not reloaded"; return 1; }
  grep -q "DHCP reconfigured in place: 2 subnet(s)" "$OUT/server.log" || { fail 9 "DHCP was not reconfigured for the two subnets"; return 1; }
  # both VMs at once on the far segment's taps (QEMU in the router namespace, where the taps are)
  t0=$(date +%s.%N)
  local pids=()
  set -- $FAR_TAPS
  for v in "bios 01 $1" "uefi 02 $2"; do
    set -- $v; truncate -s 256M "$OUT/s9-$1.img"; rm -f "$OUT/s9-$1.img.p1"
    ( YOO_NS=$FAR_NS TAP=$3 BOOT_TIMEOUT=300 boot "s9-$1" "$1" "52:54:00:77:08:$2" "4a1f3c2e-7b77-4e2a-9c1d-0000000008$2" \
        "$OUT/s9-$1.serial.log" "$OUT/s9-$1.img"; echo $? > "$OUT/s9-$1.rc" ) &
    pids+=($!)
  done
  wait "${pids[@]}"
  local took; took=$(secs "$t0")
  # the server's segment: the router's port learned, never a VM's MAC (their frames stayed on the far side)
  local fdb; fdb=$(nsx bridge fdb show br "$YOO_BR" 2>&1)
  local upmac; upmac=$(ip -n "$FAR_NS" -o link show yoo-up | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2)
  for v in "bios 01 10.78.0.81" "uefi 02 10.78.0.82"; do
    set -- $v
    local n=s9-$1 mac=52:54:00:77:08:$2 ip=$3 log=$OUT/s9-$1.serial.log; why=
    if [ "$(cat "$OUT/$n.rc" 2>/dev/null)" != 0 ]; then fail 9 "$n: VM did not finish ok (see $log)"; ok=0; continue; fi
    local st; st=$(state_of "$n")
    local got; got=$(phases_of "$n" | tr ' ' '\n' | grep -E ':(succeeded|failed)$' | tr '\n' ' ' | sed 's/ $//')
    [ "$st" = installed ] || why="$why; state $st"
    [ "$got" = "time-sync:succeeded fetch-config:succeeded install-os:succeeded kubernetes-bundle:succeeded finalize:succeeded installed:succeeded" ] \
      || why="$why; phases [$got]"
    disk_has "$OUT/$n.img" /etc/yoo-test-image "yoo test OS image" || why="$why; the disk lacks the installed image"
    # its addresses: iPXE's and the test OS's lease are its reservation in the far subnet, with the far router
    grep -a -q "net0: $ip/255.255.255.0 gw $FAR_RELAY" "$log" || why="$why; iPXE did not get $ip/24 gw $FAR_RELAY"
    grep -a -q "yoo-testos: got $ip from $YOO_SRV_ADDR" "$log" || why="$why; the test OS did not get $ip from $YOO_SRV_ADDR"
    # UEFI: OVMF's own PXE got the far address too, and fetched snponly.efi by TFTP from the server through the router
    if [ "$1" = uefi ]; then
      grep -a -q "Station IP address is $ip" "$log" || why="$why; OVMF's PXE did not get $ip"
      grep -a -q "Server IP address is $YOO_SRV_ADDR" "$log" && grep -a -q "NBP filename is snponly.efi" "$log" \
        && grep -q "nbp-downloaded" "$log.events" || why="$why; no snponly.efi by TFTP from $YOO_SRV_ADDR"
    fi
    # through the relay: dhcrelay forwarded its requests to the server, and the server's replies to
    # it at its far address (a reserved address is no pool lease: /api/v1/leases does not list it)
    grep -q "Forwarded BOOTREQUEST for $mac to $YOO_SRV_ADDR" "$OUT/s9-dhcrelay.log" || why="$why; dhcrelay forwarded no request of $mac"
    grep -q "Forwarded BOOTREPLY for $mac to $ip" "$OUT/s9-dhcrelay.log" || why="$why; dhcrelay forwarded no reply to $mac at $ip"
    echo "$fdb" | grep -q -i "^$upmac " || why="$why; the server's bridge did not learn the router's port ($upmac): fdb check void"
    echo "$fdb" | grep -q -i "^$mac " && why="$why; $mac was seen on the server's segment"
    if [ -n "$why" ]; then fail 9 "$n${why} (see $log)"; ok=0; continue; fi
    local reqs; reqs=$(grep -c "Forwarded BOOTREQUEST for $mac" "$OUT/s9-dhcrelay.log")
    result 9 PASS "$n ($1) on the far segment: $ip/24 gw $FAR_RELAY through dhcrelay ($reqs requests forwarded)$([ "$1" = uefi ] && echo ", snponly.efi by TFTP through the router"), installed, every phase succeeded; result at $(at_event "$log" result) s after power-on"
  done
  [ $ok = 1 ] && result 9 PASS "both far-segment machines installed through the relay in $took s (concurrent)"
  return $((1 - ok))
}

# ---------------------------------------------------------------- scenarios 10 and 11: IPv6
# yoo serve restarts on its own descriptor (network.ipv6 cannot be added by a reload), in the same
# state directory; afterwards it is stopped, the kit's RA responder is back, and a later scenario
# starts the server again on the main descriptor. Scenario 11 uses the same link and descriptor.
S10_CLUSTER=$OUT/cluster.s10.yml
S10_MAC=52:54:00:77:0a:01 S10_UUID=4a1f3c2e-7b77-4e2a-9c1d-000000000a01 S10_IP6=fd00:77::a1
S11_MAC=52:54:00:77:0b:01 S11_UUID=4a1f3c2e-7b77-4e2a-9c1d-000000000b01 S11_IP=10.77.0.91 S11_IP6=fd00:77::b1
write_s10_descriptor() {
  cat > "$S10_CLUSTER" <<YML
# scenarios 10 and 11: an IPv6-only and a dual-stack machine on the e2e bridge
cluster: e2e
architecture: devtest
network:
  interface: $YOO_BR
  server: 10.77.0.1
  subnet: 10.77.0.0/24
  dhcp: full
  pool: 10.77.0.100-10.77.0.199   # the IPv6-only machine must get no lease from it
  ipv6:
    server: "fd00:77::1"
    prefix: "fd00:77::/64"
server:
  httpPort: 8080
  stateDir: state
  assetDir: assets
os:
  channel: stable
  version: $OSVER
  installDisk: /dev/vda
  kernel: testos/vmlinuz
  initrd: testos/initrd6.gz
  kernelArgs: ["panic=-1", "console=ttyS0,115200"]
kubernetes:
  version: $K8S
machines:
  # edk2 and iPXE send a DUID-UUID: Yoo reserves the ipv6 by the machine's uuid too
  - { name: s10-v6, mac: "$S10_MAC", uuid: $S10_UUID, ipv6: "$S10_IP6", role: control-plane, kernelArgs: ["yoo.script=", "yoo.ip6=$S10_IP6/64"] }
  # scenario 11: dual-stack; its test OS takes the IPv6 address and runs DHCPv4 too (yoo.dhcp4=1)
  - { name: s11-ds, mac: "$S11_MAC", uuid: $S11_UUID, ip: $S11_IP, ipv6: "$S11_IP6", role: worker, kernelArgs: ["yoo.script=", "yoo.ip6=$S11_IP6/64", "yoo.dhcp4=1"] }
YML
}

v6_down() {
  stop_server
  [ -f "$OUT/v6-ra.pid" ] && kill "$(cat "$OUT/v6-ra.pid")" 2>/dev/null; rm -f "$OUT/v6-ra.pid"
  ip -n "$YOO_NS" addr del fd00:77::1/64 dev "$YOO_BR" 2>/dev/null
  nsx sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 "net.ipv6.conf.$YOO_BR.disable_ipv6=1"
  "$KIT/netns-up.sh" >> "$OUT/netns.log" 2>&1   # the kit's RA responder again
}

# v6_up N: the IPv6 test OS initrd, IPv6 on the server's bridge with RAs M=1, yoo serve on the
# scenario 10/11 descriptor with DHCPv6 running; failures are scenario N's
v6_up() {
  local n=$1
  "$HERE/make-testos-v6.sh" "$TESTOS/initrd.gz" "$OUT/files/initrd6.gz" &&
    yoo assets add "$OUT/files/initrd6.gz" --as testos/initrd6.gz --sha256 "$(sha256sum "$OUT/files/initrd6.gz" | cut -d' ' -f1)" \
      --asset-dir "$ASSETS" > /dev/null || { fail "$n" "the IPv6 test OS initrd could not be made"; return 1; }
  write_s10_descriptor
  # the link: IPv6 on the server's bridge (the kit turns it off), RAs with M=1 instead of the kit's flagless ones
  stop_server
  local ra; ra=$(cat "$YOO_RUN_DIR/ra.pid" 2>/dev/null) && [ -n "$ra" ] && kill "$ra" 2>/dev/null; rm -f "$YOO_RUN_DIR/ra.pid"
  nsx sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.disable_ipv6=0 "net.ipv6.conf.$YOO_BR.disable_ipv6=0" \
    net.ipv6.conf.all.accept_dad=0 "net.ipv6.conf.$YOO_BR.accept_dad=0" || { fail "$n" "cannot turn IPv6 on in $YOO_NS"; return 1; }
  ip -n "$YOO_NS" addr replace fd00:77::1/64 dev "$YOO_BR" nodad || { fail "$n" "cannot add fd00:77::1 to $YOO_BR"; return 1; }
  [ -f "$OUT/v6-ra.pid" ] && kill "$(cat "$OUT/v6-ra.pid")" 2>/dev/null; rm -f "$OUT/v6-ra.pid"
  nsx python3 "$HERE/ra-managed.py" "$YOO_BR" fd00:77::/64 --pidfile "$OUT/v6-ra.pid" --log "$OUT/v6-ra.log" </dev/null >/dev/null 2>&1 &
  for _ in $(seq 30); do [ -s "$OUT/v6-ra.pid" ] && break; sleep 0.1; done
  nsx "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$JAR" validate "$S10_CLUSTER" > "$OUT/s$n-validate.txt" 2>&1 \
    || { fail "$n" "descriptor invalid: $(cat "$OUT/s$n-validate.txt")"; return 1; }
  # this start's lines only: the log holds earlier runs' "DHCPv6 listening" too
  local from=1; [ -f "$OUT/server.log" ] && from=$(( $(wc -l < "$OUT/server.log") + 1 ))
  CLUSTER=$S10_CLUSTER start_server || { fail "$n" "yoo serve did not start on $S10_CLUSTER"; return 1; }
  for _ in $(seq 100); do tail -n "+$from" "$OUT/server.log" | grep -q "DHCPv6 listening on .* on $YOO_BR" && return 0; sleep 0.1; done
  fail "$n" "yoo serve runs no DHCPv6 on $YOO_BR"; return 1
}

scenario10() {
  note "scenario 10: an IPv6-only UEFI machine boots through yoo serve over IPv6 (OVMF PXEv6, iPXE, test OS)"
  command -v tcpdump >/dev/null || { fail 10 "tcpdump missing"; return 1; }
  local rc=1
  if scenario10_run; then rc=0; fi
  [ "${YOO_S10_NO_DHCP6:-0}" = 1 ] && nsx ip6tables -D INPUT -p udp --dport 547 -j DROP
  v6_down
  return $rc
}

scenario10_run() {
  local t0 log=$OUT/s10-v6.serial.log why=
  v6_up 10 || return 1
  if [ "${YOO_S10_NO_DHCP6:-0}" = 1 ]; then
    nsx ip6tables -I INPUT -p udp --dport 547 -j DROP || { fail 10 "ip6tables failed"; return 1; }
    note "negative check: DHCPv6 dropped; the VM must not boot"
  fi
  # OVMF's IPv4 PXE off (fw_cfg): it goes straight to PXE over IPv6; iPXE still asks DHCPv4 (unanswered)
  t0=$(date +%s.%N)
  if ! YOO_NS=$YOO_NS YOO_BR=$YOO_BR "$KIT/boot-vm.sh" --mode uefi --mac "$S10_MAC" --uuid "$S10_UUID" --tap yoo-tap0 \
      --timeout "${BOOT_TIMEOUT:-300}" --log "$log" --accel "$ACCEL" --pcap "$OUT/s10-v6.pcap" \
      -- -fw_cfg name=opt/org.tianocore/IPv4PXESupport,string=no 2> "$log.boot-vm.log"; then
    fail 10 "s10-v6: the VM did not report (see $log)"; return 1
  fi
  local took; took=$(secs "$t0")
  [ "$(state_of s10-v6)" = installed ] || why="$why; state $(state_of s10-v6)"
  grep -a -q -i "Start PXE over IPv6" "$log" || why="$why; OVMF did not PXE-boot over IPv6"
  grep -q "nbp-downloaded" "$log.events" || why="$why; OVMF fetched no snponly.efi (TFTP over IPv6)"
  grep -a -q "net0: $S10_IP6/64" "$log" || why="$why; iPXE did not get $S10_IP6 by DHCPv6"
  grep -a -q "yoo-testos: got $S10_IP6 " "$log" || why="$why; the test OS did not run on $S10_IP6"
  grep -a -E -q "net0: 10\.77\." "$log" && why="$why; iPXE got an IPv4 address"
  # Yoo never answered its DHCPv4; everything Yoo sent it went over IPv6 (no IPv4 frame to its MAC)
  local v4; v4=$(tcpdump -nr "$OUT/s10-v6.pcap" "(ether dst $S10_MAC and ip) or (ip and udp src port 67)" 2>/dev/null | wc -l)
  local v6; v6=$(tcpdump -nr "$OUT/s10-v6.pcap" "ether dst $S10_MAC and ip6 and src host fd00:77::1" 2>/dev/null | wc -l)
  local dhcp6; dhcp6=$(tcpdump -nr "$OUT/s10-v6.pcap" "ip6 and udp src port 547" 2>/dev/null | wc -l)
  [ "$v4" = 0 ] || why="$why; $v4 IPv4 frames (DHCPv4 replies or unicast) went to the VM"
  [ "$dhcp6" -ge 4 ] || why="$why; only $dhcp6 DHCPv6 replies (OVMF's and iPXE's exchanges)"
  if [ -n "$why" ]; then fail 10 "s10-v6${why} (see $log)"; return 1; fi
  result 10 PASS "s10-v6 (IPv6 only, UEFI): DHCPv6 ($dhcp6 replies), snponly.efi by TFTP and script/kernel/initrd by HTTP over IPv6, installed in $took s (result at $(at_event "$log" result) s after power-on); $v6 IPv6 and 0 IPv4 frames from the server to it"
}

# ---------------------------------------------------------------- scenario 12: the service address
# One yoo serve with network.serviceAddress (which needs PostgreSQL: a throw-away cluster in the
# server's namespace) on its own descriptor and state directory; a UEFI VM (OVMF: the firmware
# that fetches by TFTP, snponly.efi; a BIOS VM's iPXE ROM never uses TFTP) boots through the service
# address: DHCP's next-server and every URL name it, and every TFTP and HTTP packet the server
# sent it comes from it, none from the server's own address (pcap). Afterwards the server and
# PostgreSQL are stopped; a later scenario starts the server again on the main descriptor.
S12_CLUSTER=$OUT/cluster.s12.yml S12_VIP=10.77.0.5 S12_PG_PORT=55432
S12_MAC=52:54:00:77:0c:01 S12_UUID=4a1f3c2e-7b77-4e2a-9c1d-000000000c01
s12_pg_up() {
  local bin; bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -x "$bin/initdb" ] || { echo "PostgreSQL server binaries missing (apt-get install postgresql)" >&2; return 1; }
  S12_PG=$(mktemp -d /var/tmp/yoo-e2e-s12-pg.XXXXXX) && chown postgres "$S12_PG" &&
    runuser -u postgres -- "$bin/initdb" -D "$S12_PG/data" -U yoo --auth=trust -E UTF8 --no-sync > "$OUT/s12-pg.log" 2>&1 &&
    nsx runuser -u postgres -- "$bin/pg_ctl" -D "$S12_PG/data" -w -t 60 -l "$S12_PG/server.log" \
      -o "-c listen_addresses=127.0.0.1 -p $S12_PG_PORT -k $S12_PG" start >> "$OUT/s12-pg.log" 2>&1
}
s12_down() {
  stop_server
  if [ -n "${S12_PG:-}" ]; then
    nsx runuser -u postgres -- "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pg_ctl" -D "$S12_PG/data" -m immediate stop >/dev/null 2>&1
    rm -rf "$S12_PG"; S12_PG=
  fi
  ip -n "$YOO_NS" addr del "$S12_VIP/32" dev "$YOO_BR" 2>/dev/null
  return 0
}
scenario12() {
  note "scenario 12: a UEFI VM boots through network.serviceAddress $S12_VIP (TFTP and HTTP answered from it)"
  local rc=1
  if scenario12_run; then rc=0; fi
  s12_down
  return $rc
}
scenario12_run() {
  local t0 log=$OUT/s12-uefi.serial.log why= pcap=$OUT/s12-uefi.pcap
  stop_server
  s12_pg_up || { fail 12 "PostgreSQL did not start (see $OUT/s12-pg.log)"; return 1; }
  head -c 32 /dev/urandom > "$OUT/s12-secret.key" && chmod 600 "$OUT/s12-secret.key"
  sed -e "s|^  server: 10.77.0.1$|  server: 10.77.0.1\n  serviceAddress: $S12_VIP|" \
      -e "s|^  stateDir: state$|  stateDir: state12\n  database: \"jdbc:postgresql://127.0.0.1:$S12_PG_PORT/postgres\"\n  secretKeyFile: $OUT/s12-secret.key|" \
      -e '/^machines:/,$d' "$CLUSTER" > "$S12_CLUSTER"
  printf 'machines:\n  - { name: s12-uefi, mac: "%s", uuid: %s, ip: 10.77.0.121, role: control-plane, kernelArgs: ["yoo.script="] }\n' \
    "$S12_MAC" "$S12_UUID" >> "$S12_CLUSTER"
  sed -i 's/^  pool: 10.77.0.100-10.77.0.199$/  pool: 10.77.0.130-10.77.0.199/' "$S12_CLUSTER"
  rm -rf "$OUT/state12"
  nsx "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$JAR" validate "$S12_CLUSTER" > "$OUT/s12-validate.txt" 2>&1 \
    || { fail 12 "descriptor invalid: $(cat "$OUT/s12-validate.txt")"; return 1; }
  CLUSTER=$S12_CLUSTER start_server || { fail 12 "yoo serve did not start on $S12_CLUSTER"; return 1; }
  for _ in $(seq 100); do grep -q "service address $S12_VIP taken" "$OUT/server.log" && break; sleep 0.1; done
  grep -q "service address $S12_VIP taken" "$OUT/server.log" || { fail 12 "yoo serve did not take $S12_VIP"; return 1; }
  t0=$(date +%s.%N)
  if ! YOO_NS=$YOO_NS YOO_BR=$YOO_BR "$KIT/boot-vm.sh" --mode uefi --mac "$S12_MAC" --uuid "$S12_UUID" --tap yoo-tap0 \
      --timeout "${BOOT_TIMEOUT:-300}" --log "$log" --accel "$ACCEL" --pcap "$pcap" 2> "$log.boot-vm.log"; then
    fail 12 "s12-uefi: the VM did not report (see $log)"; return 1
  fi
  local took; took=$(secs "$t0")
  local s; s=$(STATE=$OUT/state12 state_of s12-uefi)
  [ "$s" = installed ] || why="$why; state $s"
  grep -q "nbp-downloaded" "$log.events" || why="$why; OVMF fetched no snponly.efi by TFTP"
  grep -a -q "http://$S12_VIP:8080/" "$log" || why="$why; iPXE did not fetch from http://$S12_VIP:8080/"
  # every TFTP and HTTP packet from the server came from the service address; DHCP (port 67) from its own
  local vip own tftp
  vip=$(tcpdump -nr "$pcap" "src host $S12_VIP" 2>/dev/null | wc -l)
  tftp=$(tcpdump -nr "$pcap" "udp and src host $S12_VIP and not src port 69" 2>/dev/null | wc -l)
  own=$(tcpdump -nr "$pcap" "src host 10.77.0.1 and not (udp and src port 67) and not arp" 2>/dev/null | wc -l)
  [ "$tftp" -ge 10 ] || why="$why; only $tftp TFTP packets from $S12_VIP"
  [ "$own" = 0 ] || why="$why; $own packets (TFTP/HTTP) from the server's own address 10.77.0.1"
  if [ -n "$why" ]; then fail 12 "s12-uefi${why} (see $log, $pcap)"; return 1; fi
  result 12 PASS "s12-uefi through service address $S12_VIP: snponly.efi by TFTP ($tftp packets) and HTTP all from it ($vip packets), 0 from 10.77.0.1 but DHCP; installed in $took s"
}

# ---------------------------------------------------------------- scenario 11: dual-stack over IPv6
scenario11() {
  note "scenario 11: a dual-stack UEFI machine boots over IPv6 through yoo serve (DHCPv4 and DHCPv6 on the link): everything it is sent names the server's IPv6 address"
  command -v tcpdump >/dev/null || { fail 11 "tcpdump missing"; return 1; }
  local rc=1
  if scenario11_run; then rc=0; fi
  nsx iptables -D INPUT -p udp --dport 67 -m string --string iPXE --algo bm -j DROP 2>/dev/null
  v6_down
  return $rc
}

scenario11_run() {
  local t0 log=$OUT/s11-ds.serial.log pcap=$OUT/s11-ds.pcap why=
  v6_up 11 || return 1
  # iPXE takes DHCPv4's boot file when it has both leases (seen: the script, kernel and everything after over
  # IPv4, consistently on 10.77.0.1): its DHCPv4 (user class iPXE) is dropped, the test OS's (yoo-testos) is not
  nsx iptables -I INPUT -p udp --dport 67 -m string --string iPXE --algo bm -j DROP || { fail 11 "iptables (string match) failed"; return 1; }
  # OVMF's IPv4 PXE off (fw_cfg): the firmware boots over IPv6
  t0=$(date +%s.%N)
  if ! YOO_NS=$YOO_NS YOO_BR=$YOO_BR "$KIT/boot-vm.sh" --mode uefi --mac "$S11_MAC" --uuid "$S11_UUID" --tap yoo-tap0 \
      --timeout "${BOOT_TIMEOUT:-300}" --log "$log" --accel "$ACCEL" --pcap "$pcap" \
      -- -fw_cfg name=opt/org.tianocore/IPv4PXESupport,string=no 2> "$log.boot-vm.log"; then
    fail 11 "s11-ds: the VM did not report (see $log)"; return 1
  fi
  local took; took=$(secs "$t0")
  [ "$(state_of s11-ds)" = installed ] || why="$why; state $(state_of s11-ds)"
  grep -a -q -i "Start PXE over IPv6" "$log" || why="$why; OVMF did not PXE-boot over IPv6"
  grep -q "nbp-downloaded" "$log.events" || why="$why; OVMF fetched no snponly.efi (TFTP over IPv6)"
  # dual-stack: iPXE got its IPv6 reservation by DHCPv6 (its DHCPv4 asked and was dropped); the test OS has both
  grep -a -q "net0: $S11_IP6/64" "$log" || why="$why; iPXE did not get $S11_IP6 by DHCPv6"
  local dropped; dropped=$(nsx iptables -L INPUT -v -n -x | awk '/STRING match/ && /iPXE/ { print $1; exit }')
  [ "${dropped:-0}" -gt 0 ] || why="$why; iPXE sent no DHCPv4 request (none dropped)"
  grep -a -q "yoo-testos: got $S11_IP from $YOO_SRV_ADDR" "$log" || why="$why; the test OS did not get $S11_IP by DHCPv4"
  grep -a -q "inet6 $S11_IP6/64" "$log" || why="$why; the test OS did not run on $S11_IP6 too"
  # what Yoo served it over IPv6 names the server's IPv6 address: its script (DHCPv6's boot URL), kernel,
  # initrd and callback are fetched from [fd00:77::1], never from 10.77.0.1
  local base6="http://[fd00:77::1]:8080" u
  for u in "$base6/m/s11-ds/" "$base6/assets/testos/vmlinuz" "$base6/assets/testos/initrd6.gz" "callback=$base6/api/v1/machines/s11-ds/events?token="; do
    grep -a -q -F "$u" "$log" || why="$why; no $u on its console"
  done
  local v4urls; v4urls=$(grep -a -c -F "http://10.77.0.1" "$log")
  [ "$v4urls" = 0 ] || why="$why; $v4urls console lines name http://10.77.0.1: $(grep -a -F "http://10.77.0.1" "$log" | head -3)"
  # on the wire: its HTTP went to the server over IPv6 only; Yoo answered its DHCPv6 (the test OS's DHCPv4
  # lease is checked on its console above: the capture may miss the last second before power-off)
  local http4 http6 dhcp6
  http4=$(tcpdump -nr "$pcap" "ether src $S11_MAC and ip and tcp dst port 8080" 2>/dev/null | wc -l)
  http6=$(tcpdump -nr "$pcap" "ether src $S11_MAC and ip6 and dst host fd00:77::1 and tcp dst port 8080" 2>/dev/null | wc -l)
  dhcp6=$(tcpdump -nr "$pcap" "ip6 and udp src port 547" 2>/dev/null | wc -l)
  [ "$http4" = 0 ] || why="$why; $http4 HTTP packets from it over IPv4"
  [ "$http6" -gt 0 ] || why="$why; no HTTP packet from it to [fd00:77::1]:8080"
  [ "$dhcp6" -ge 4 ] || why="$why; only $dhcp6 DHCPv6 replies (OVMF's and iPXE's exchanges)"
  if [ -n "$why" ]; then fail 11 "s11-ds${why} (see $log)"; return 1; fi
  result 11 PASS "s11-ds (dual-stack, UEFI): DHCPv6 ($dhcp6 replies) and DHCPv4 (the test OS's lease $S11_IP; iPXE's $dropped requests dropped), booted over IPv6: script, kernel, initrd and callback on $base6 ($http6 HTTP packets over IPv6, 0 over IPv4, no http://10.77.0.1 on its console), installed in $took s (result at $(at_event "$log" result) s after power-on)"
}

# ---------------------------------------------------------------- main
prepare_assets || { fail 0 "asset preparation failed"; exit 1; }
write_descriptor
for s in $SCENARIOS; do
  case $s in
    1) scenario1 ;;
    10|11)
      # they start yoo serve themselves, on their own descriptor
      "$KIT/netns-up.sh" >> "$OUT/netns.log" 2>&1 || { fail "$s" "netns-up failed"; continue; }
      "scenario$s" ;;
    12)
      # it starts yoo serve itself, on its own descriptor with PostgreSQL
      "$KIT/netns-up.sh" >> "$OUT/netns.log" 2>&1 || { fail 12 "netns-up failed"; continue; }
      scenario12 ;;
    2|3|4|5|6|7|8|9)
      if [ ! -f "$OUT/server.pid" ]; then
        "$KIT/netns-up.sh" > "$OUT/netns.log" 2>&1 || { fail "$s" "netns-up failed"; continue; }
        start_server || { fail "$s" "server did not start"; continue; }
      fi
      "scenario$s" ;;
  esac
done
cat "$SUMMARY"
exit $RC
