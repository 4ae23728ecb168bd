#!/bin/bash
# make-testos-v6.sh TESTOS_INITRD OUT_INITRD — the e2e test OS's initrd, able to run IPv6-only
# (scenario 10): the kit's initrd plus a second cpio archive (the kernel unpacks concatenated
# archives, later files win) holding an /init that, with yoo.ip6=ADDR/LEN on the kernel command
# line, puts that address on the NIC instead of running udhcpc (DHCPv4); with yoo.dhcp4=1 as well
# it runs udhcpc too (dual-stack, scenario 11: the reported ip is then the DHCPv4 lease's).
#
# Why a static address: busybox-static (Debian) has no DHCPv6 client (no udhcpc6). The address is
# the machine's reservation (machines[].ipv6), the one the firmware and iPXE got from Yoo's DHCPv6
# just before; Yoo serves the machine's token URLs only to it. The kit stays read-only.
set -euo pipefail
IN=${1:?usage: make-testos-v6.sh TESTOS_INITRD OUT_INITRD}
OUT=${2:?usage: make-testos-v6.sh TESTOS_INITRD OUT_INITRD}
W=$(mktemp -d /tmp/yoo-testos-v6.XXXXXX)
trap 'rm -rf "$W"' EXIT
zcat "$IN" | (cd "$W" && cpio -i --quiet --to-stdout init) > "$W/init.orig"
grep -q '^udhcpc -i "\$NIC"' "$W/init.orig" || { echo "make-testos-v6: the test OS /init has no udhcpc line to replace" >&2; exit 1; }
mkdir "$W/root"
python3 - "$W/init.orig" "$W/root/init" <<'PY'
import sys
src = open(sys.argv[1]).read()
start = src.index('udhcpc -i "$NIC"')
end = src.index("\n", src.index("sed 's/^/udhcpc: /'", start)) + 1
v6 = r'''V6=$(sed -n 's/.*yoo\.ip6=\([^ ]*\).*/\1/p' /proc/cmdline)
DHCP4=; case " $(cat /proc/cmdline) " in *" yoo.dhcp4=1 "*) DHCP4=1 ;; esac
# DHCPv4 unless IPv6-only; dual-stack (scenario 11, yoo.dhcp4=1) first, as its hook flushes the NIC's addresses
if [ -z "$V6" ] || [ -n "$DHCP4" ]; then
''' + "  " + src[start:end].replace("\n      ", "\n        ") + r'''fi
if [ -n "$V6" ]; then
  # IPv6 (yoo e2e scenarios 10 and 11): the reserved address from the kernel command line
  echo 0 > /proc/sys/net/ipv6/conf/$NIC/accept_dad
  ip -6 addr add "$V6" dev "$NIC"
  # IPv6 only: that is the address the report names; dual-stack: the DHCPv4 lease's stays
  [ -n "$DHCP4" ] || { echo "${V6%/*}" > /run/ip; echo "the kernel command line (yoo.ip6)" > /run/dhcp-server; }
fi
'''
open(sys.argv[2], "w").write(src[:start] + v6 + src[end:])
PY
chmod 755 "$W/root/init"
(cd "$W/root" && echo init | cpio -o -H newc --quiet --owner=0:0) | gzip -9n > "$W/extra.gz"
cat "$IN" "$W/extra.gz" > "$OUT.tmp"
mv -f "$OUT.tmp" "$OUT"
