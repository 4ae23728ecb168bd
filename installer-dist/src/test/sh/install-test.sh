#!/bin/bash
# install-test.sh: the Debian package tested as installed. A fresh Debian 12 root (debootstrap
# from the host's own mirror) boots with its own systemd under systemd-nspawn, inside a network
# namespace this script creates; the package is installed with apt (its Recommends, ipxe, come from
# the mirror), the service starts with the packaged /etc/yoo/cluster.yml, and everything is checked
# from outside the container (another namespace on the other end of a veth):
#   install (enabled + started, systemd-analyze verify) -> /healthz, a real DHCP exchange, the admin
#   API with the token from /var/lib/yoo -> reload -> upgrade to a rebuilt package (higher version):
#   state, secrets, token, events and the admin's edit of the conffile kept, service restarted ->
#   apt purge: unit stopped and gone, /etc/yoo and /var/lib/yoo gone.
# Usage: install-test.sh --deb FILE --out DIR [--cache DIR]   (root; needs debootstrap,
#   systemd-nspawn (systemd-container), dpkg-deb, curl, busybox, ip, unshare, nsenter)
# The debootstrap root is cached as CACHE/bookworm-base.tar (default /var/cache/yoo-dist-test);
# delete it to start fresh (CI always does: a fresh machine). Prints timings; writes OUT/summary.txt.
set -euo pipefail

deb="" out="" cache=/var/cache/yoo-dist-test
while [ $# -gt 0 ]; do
  case "$1" in
    --deb) deb=$(realpath "$2"); shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --cache) cache="$2"; shift 2 ;;
    *) echo "usage: $0 --deb FILE --out DIR [--cache DIR]" >&2; exit 2 ;;
  esac
done
[ -f "$deb" ] && [ -n "$out" ] || { echo "usage: $0 --deb FILE --out DIR [--cache DIR]" >&2; exit 2; }
mkdir -p "$out" "$cache"
out=$(realpath "$out")
root="$out/root"
summary="$out/summary.txt"
: > "$summary"
t_start=$(date +%s.%N)
since() { awk -v now="$(date +%s.%N)" -v t0="$1" 'BEGIN { printf "%.1f", now - t0 }'; }
log() { echo "== +$(since "$t_start")s $*"; }
fact() { echo "$*" | tee -a "$summary"; }
fail() { echo "FAIL: $*" | tee -a "$summary" >&2; exit 1; }

# --- the mirror: the host's own Debian archive (deb822 or one-line sources), the registry apt uses
mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
  | grep -v '^[[:space:]]*#' | grep -oE 'https?://[^[:space:]]+' | grep -E '/debian/?$' | head -1 || true)
mirror=${mirror:-http://deb.debian.org/debian}

# --- names unique to this run: namespaces, veth ends, machine
id=$$
ns_c=ypkg-c-$id ns_o=ypkg-o-$id veth_o=ypkgO$id machine=ypkg$id
nspawn_pid="" leader=""
SRV=192.168.50.2 CLIENT=192.168.50.1 MAC=52:54:00:50:00:10   # the packaged dev example's server and machine

cleanup() {
  set +e
  if [ -n "$nspawn_pid" ] && kill -0 "$nspawn_pid" 2>/dev/null; then
    kill -TERM "$nspawn_pid"                      # nspawn asks the container's systemd to power off
    for _ in $(seq 30); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$nspawn_pid" 2>/dev/null
  fi
  ip netns del "$ns_c" 2>/dev/null; ip netns del "$ns_o" 2>/dev/null
  [ -n "${KEEP_ROOT:-}" ] || rm -rf "$root"
}
trap cleanup EXIT
trap 'echo "FAIL: line $LINENO: $BASH_COMMAND" | tee -a "$summary" >&2' ERR

# --- 1. a fresh Debian 12 root: debootstrap (cached), apt lists and ipxe downloaded while the
#        host network is still there (the booted container has only the private veth)
base="$cache/bookworm-base.tar"
rm -rf "$root"; mkdir -p "$root"
if [ -f "$base" ]; then
  log "rootfs: from the cache $base"
  tar -xf "$base" -C "$root"
  fact "rootfs: cached ($base)"
else
  log "rootfs: debootstrap bookworm from $mirror"
  t=$(date +%s.%N)
  debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,libnss-systemd bookworm "$root" "$mirror" > "$out/debootstrap.log" 2>&1 \
    || { tail -20 "$out/debootstrap.log"; fail "debootstrap"; }
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  chroot "$root" apt-get update -q > "$out/apt-update.log" 2>&1 || { tail "$out/apt-update.log"; fail "apt-get update in the root"; }
  chroot "$root" apt-get install -q -y --download-only ipxe >> "$out/apt-update.log" 2>&1 || fail "downloading ipxe"
  echo "$machine" > "$root/etc/hostname"
  tar -cf "$base.tmp" -C "$root" . && mv "$base.tmp" "$base"
  fact "rootfs: debootstrap + apt-get update + ipxe download: $(since "$t") s (mirror $mirror)"
fi
mkdir -p "$root/var/tmp/pkg"
cp "$deb" "$root/var/tmp/pkg/yoo_1.deb"

# --- the upgrade: the same package rebuilt with a higher version (Debian revision + 1)
log "upgrade package: repacking with a higher version"
v1=$(dpkg-deb -f "$deb" Version)
v2="${v1%-*}-$(( ${v1##*-} + 1 ))"
rebuild="$out/rebuild"; rm -rf "$rebuild"
dpkg-deb -R "$deb" "$rebuild"
sed -i "s/^Version: .*/Version: $v2/" "$rebuild/DEBIAN/control"
dpkg-deb --root-owner-group -Zgzip -z1 -b "$rebuild" "$root/var/tmp/pkg/yoo_2.deb" > /dev/null
rm -rf "$rebuild"
fact "versions: $v1 -> $v2"

# --- 2. the private network: container namespace (interface enp3s0 = the example's, 192.168.50.2)
#        and an outside namespace (192.168.50.1, the machine's MAC for the DHCP exchange)
ip netns add "$ns_c"; ip netns add "$ns_o"
ip link add "$veth_o" type veth peer name "ypkgC$id"
ip link set "ypkgC$id" netns "$ns_c"; ip link set "$veth_o" netns "$ns_o"
ip -n "$ns_c" link set "ypkgC$id" name enp3s0
ip -n "$ns_c" link set lo up; ip -n "$ns_c" addr add "$SRV/24" dev enp3s0; ip -n "$ns_c" link set enp3s0 up
ip -n "$ns_o" link set lo up; ip -n "$ns_o" link set "$veth_o" address "$MAC"
ip -n "$ns_o" addr add "$CLIENT/24" dev "$veth_o"; ip -n "$ns_o" link set "$veth_o" up
outside() { ip netns exec "$ns_o" "$@"; }

# --- 3. boot it with its own systemd. Private mount namespace with a tmpfs for nspawn's propagation
#        directory (it refuses a /run that is not tmpfs); --register=no/--keep-unit: no machined
#        needed on the host (this also runs where the host itself is not booted with systemd)
log "boot: systemd-nspawn -b"
t_boot=$(date +%s.%N)
mkdir -p /run/systemd/nspawn
unshare -m --propagation private sh -c "mount -t tmpfs tmpfs /run/systemd/nspawn && exec systemd-nspawn -q -D '$root' --register=no --keep-unit \
  --network-namespace-path=/run/netns/$ns_c --machine=$machine -b" < /dev/null > "$out/console.log" 2>&1 &
nspawn_pid=$!
for _ in $(seq 100); do
  for c in $(pgrep -P "$nspawn_pid" 2>/dev/null); do
    [ "$(cat "/proc/$c/comm" 2>/dev/null)" = systemd ] && leader=$c
  done
  [ -n "$leader" ] && break
  kill -0 "$nspawn_pid" 2>/dev/null || { cat "$out/console.log"; fail "systemd-nspawn exited"; }
  sleep 0.2
done
[ -n "$leader" ] || fail "no container init after 20 s"
inside() { nsenter -t "$leader" -m -u -i -n -p -- /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 "$@"; }
for _ in $(seq 300); do inside test -S /run/systemd/private && break; sleep 0.2; done   # its manager socket
state=$(timeout 60 nsenter -t "$leader" -m -u -i -n -p -- systemctl is-system-running --wait 2>&1 || true)
[ "$state" = running ] || [ "$state" = degraded ] || { cat "$out/console.log" | tail -30; fail "container systemd not up: '$state'"; }
fact "boot: container systemd $state after $(since "$t_boot") s"

# --- 4. install with apt: Depends resolved, Recommends (ipxe) installed from the mirror's archive
log "install: apt-get install ./yoo_1.deb"
t=$(date +%s.%N)
inside apt-get install -y -q /var/tmp/pkg/yoo_1.deb > "$out/apt-install.log" 2>&1 || { tail -30 "$out/apt-install.log"; fail "apt install"; }
fact "install: apt-get install took $(since "$t") s"
inside dpkg-query -W -f '${Status}\n' ipxe | grep -q "install ok installed" || fail "ipxe (Recommends) not installed"
[ "$(inside systemctl is-enabled yoo)" = enabled ] || fail "yoo.service not enabled after install"
inside systemd-analyze verify --man=no /lib/systemd/system/yoo.service > "$out/verify.log" 2>&1 || { cat "$out/verify.log"; fail "systemd-analyze verify yoo.service"; }
fact "systemd-analyze verify yoo.service: ok (--man=no: no man-db in the minimal root; lintian checks the page)"
inside test -f /etc/yoo/cluster.yml || fail "no /etc/yoo/cluster.yml"

healthz_wait() {   # waits (bounded) until /healthz answers 200 from outside; prints the seconds
  local t0=$1
  for _ in $(seq 600); do
    if outside curl -sf -m 2 -o /dev/null "http://$SRV:8080/healthz"; then since "$t0"; return 0; fi
    sleep 0.1
  done
  return 1
}
log "service: waiting for /healthz (started by postinst)"
healthz_wait "$t" > /dev/null || { inside journalctl -u yoo --no-pager | tail -30; fail "no /healthz after install"; }
[ "$(inside systemctl is-active yoo)" = active ] || fail "yoo.service not active"

# start-up time measured as an operator sees it; the second start maps the CDS archive the first
# stop wrote (/var/cache/yoo/yoo-serve.jsa)
for run in 1 2; do
  inside systemctl stop yoo
  t=$(date +%s.%N); inside systemctl start yoo
  s=$(healthz_wait "$t") || fail "no /healthz after systemctl start"
  fact "start-to-healthz (run $run): $s s"
done

# --- 5. the network service really works under the sandbox: a DHCP exchange from the machine's MAC
log "dhcp: udhcpc from the example machine's MAC"
lease=$(outside timeout 20 busybox udhcpc -i "$veth_o" -n -q -f -t 5 -T 1 -s /bin/true 2>&1 || true)
echo "$lease" > "$out/udhcpc.log"
echo "$lease" | grep -q "192.168.50.10" || { inside journalctl -u yoo --no-pager | tail -30; fail "no DHCP lease 192.168.50.10: $lease"; }
fact "dhcp: the example machine got 192.168.50.10 (CAP_NET_RAW/NET_BIND_SERVICE through the sandbox)"

# --- 6. the admin API with the token the service keeps in /var/lib/yoo
token=$(inside cat /var/lib/yoo/admin-token)
[ -n "$token" ] || fail "empty admin token"
code=$(outside curl -s -o /dev/null -w '%{http_code}' "http://$SRV:8080/api/v1/machines")
[ "$code" = 401 ] || fail "admin API without token answered $code, not 401"
api() { outside curl -sf -m 5 -H "Authorization: Bearer $token" "$@"; }
api "http://$SRV:8080/api/v1/machines" | grep -q '"devbox"' || fail "admin API: no machine devbox"
api -X POST "http://$SRV:8080/api/v1/machines/devbox/reprovision" > /dev/null || fail "admin API: reprovision"
before_history=$(api "http://$SRV:8080/api/v1/machines/devbox")
history_len() { python3 -c 'import json, sys; print(len(json.load(sys.stdin)["history"]))'; }
events_before=$(echo "$before_history" | history_len)
[ "$events_before" -ge 1 ] || fail "no events recorded for devbox: $before_history"
fact "admin API: 401 without token, machines + reprovision with it; devbox has $events_before events"
# the cluster's secrets are generated in the background: wait for them before taking the sums
for _ in $(seq 300); do inside test -n "$(inside ls -A /var/lib/yoo/secrets 2>/dev/null)" && break; sleep 0.2; done
sums() { inside sh -c 'cd /var/lib/yoo && find admin-token secrets -type f | sort | xargs sha256sum; ls -ld /var/lib/private/yoo | cut -c1-10'; }
sums_before=$(sums)
echo "$sums_before" | grep -q secrets/ || fail "no secrets in /var/lib/yoo/secrets"

# idle RSS of the installed service (after start-up, secrets done, the requests above; 5 s quiet)
sleep 5
pid=$(inside systemctl show -p MainPID --value yoo)
rss=$(inside grep VmRSS "/proc/$pid/status" | awk '{print $2}')
fact "idle RSS: $rss KiB ($(( rss / 1024 )) MiB), MainPID $pid, user $(inside stat -c %U "/proc/$pid")"
caps=$(inside grep CapEff "/proc/$pid/status" | awk '{print $2}')
fact "effective capabilities: $caps (0x2400 = CAP_NET_BIND_SERVICE (10) + CAP_NET_RAW (13))"
[ "$caps" = 0000000000002400 ] || fail "capabilities $caps, expected only NET_BIND_SERVICE + NET_RAW"

# --- 7. reload = SIGHUP: the descriptor is re-read, the process stays
log "reload"
inside systemctl reload yoo
journal() { inside journalctl -u yoo --no-pager -o cat; }   # (no `| grep -q`: with pipefail its early exit is a SIGPIPE failure)
for _ in $(seq 50); do [[ $(journal) == *"SIGHUP: reloading"* ]] && break; sleep 0.2; done
[[ $(journal) == *"SIGHUP: reloading"* ]] || { journal | tail -20; fail "no reload in the journal after systemctl reload"; }
[ "$(inside systemctl show -p MainPID --value yoo)" = "$pid" ] || fail "reload restarted the process"
fact "reload: SIGHUP logged in the journal, same MainPID"

# --- 8. upgrade: the admin's edit of the conffile and the whole state survive; the service restarts
log "upgrade: apt-get install ./yoo_2.deb"
inside sh -c 'echo "# edited by the admin" >> /etc/yoo/cluster.yml'
t=$(date +%s.%N)
inside apt-get install -y -q /var/tmp/pkg/yoo_2.deb > "$out/apt-upgrade.log" 2>&1 || { tail -30 "$out/apt-upgrade.log"; fail "apt upgrade"; }
fact "upgrade: apt-get install took $(since "$t") s"
[ "$(inside dpkg-query -W -f '${Version}' yoo)" = "$v2" ] || fail "version after upgrade is not $v2"
inside grep -q "edited by the admin" /etc/yoo/cluster.yml || fail "upgrade lost the admin's edit of /etc/yoo/cluster.yml"
healthz_wait "$t" > /dev/null || fail "no /healthz after the upgrade"
pid2=$(inside systemctl show -p MainPID --value yoo)
[ "$pid2" != "$pid" ] && [ "$pid2" != 0 ] || fail "service not restarted by the upgrade (MainPID $pid -> $pid2)"
[ "$(sums)" = "$sums_before" ] || fail "state changed by the upgrade: before $sums_before, after $(sums)"
[ "$(inside cat /var/lib/yoo/admin-token)" = "$token" ] || fail "admin token changed"
after_history=$(api "http://$SRV:8080/api/v1/machines/devbox") || fail "admin API with the old token after upgrade"
events_after=$(echo "$after_history" | history_len)
[ "$events_after" -ge "$events_before" ] || fail "events lost: $events_before before, $events_after after"
echo "$after_history" | grep -q "reprovision" || fail "the reprovision event is gone after the upgrade"
fact "upgrade: conffile edit kept, admin-token + secrets unchanged (sha256), $events_after events (>= $events_before), restarted (PID $pid -> $pid2)"

# --- 9. purge: stopped, unit gone, configuration and state gone
log "purge"
inside apt-get purge -y -q yoo > "$out/apt-purge.log" 2>&1 || { tail -30 "$out/apt-purge.log"; fail "apt purge"; }
! outside curl -s -m 2 -o /dev/null "http://$SRV:8080/healthz" || fail "/healthz still answers after purge"
[ "$(inside systemctl is-active yoo || true)" != active ] || fail "yoo.service still active after purge"
! inside test -e /lib/systemd/system/yoo.service || fail "unit file left after purge"
inside systemctl list-unit-files yoo.service | grep -q "yoo.service" && fail "systemd still knows yoo.service after purge"
for d in /etc/yoo /var/lib/yoo /var/lib/private/yoo /var/cache/private/yoo; do
  ! inside test -e "$d" || fail "$d left after purge"
done
fact "purge: service stopped, unit gone, /etc/yoo and /var/lib/yoo gone"
fact "package size: $(stat -c %s "$deb") bytes ($(( $(stat -c %s "$deb") / 1048576 )) MiB), installed $(dpkg-deb -f "$deb" Installed-Size) KiB"
fact "total: $(since "$t_start") s"
echo PASS | tee -a "$summary"
