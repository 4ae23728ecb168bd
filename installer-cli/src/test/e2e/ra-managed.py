#!/usr/bin/env python3
"""Router advertisements for a managed (DHCPv6) install link: what docs/ipv6.md says the router
must send, for e2e scenario 10.

The e2e kit's ra-responder.py answers with no flags (it only ends iPXE's IPv6 wait on IPv4-only
links). This one sends M=1 (addresses by DHCPv6) and O=1, router lifetime 0 (no default route:
the server is on the link) and one prefix information option, L=1 (on-link) and A=0 (no SLAAC:
machines use only the address Yoo reserves them). It answers every router solicitation and also
advertises unsolicited every INTERVAL seconds. Raw Ethernet frames (AF_PACKET), like the kit's.

usage: ra-managed.py IFACE PREFIX/64 [--pidfile FILE] [--log FILE] [--interval SECONDS]
"""
import ipaddress
import os
import select
import socket
import struct
import sys
import time

iface, prefix = sys.argv[1], ipaddress.IPv6Network(sys.argv[2])
pidfile = logf = None
interval = 3.0
args = sys.argv[3:]
while args:
    k = args.pop(0)
    if k == "--pidfile":
        pidfile = args.pop(0)
    elif k == "--log":
        logf = args.pop(0)
    elif k == "--interval":
        interval = float(args.pop(0))
if pidfile:
    with open(pidfile, "w") as f:
        f.write("%d\n" % os.getpid())


def log(msg):
    line = "%.3f ra-managed %s\n" % (time.time(), msg)
    if logf:
        with open(logf, "a") as f:
            f.write(line)
    else:
        sys.stderr.write(line)


ETH_P_IPV6 = 0x86DD
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_IPV6))
s.bind((iface, 0))
mac = s.getsockname()[4][:6]
eui = bytearray(mac[:3] + b"\xff\xfe" + mac[3:])
eui[0] ^= 2
src_ip = b"\xfe\x80" + b"\x00" * 6 + bytes(eui)
dst_ip = socket.inet_pton(socket.AF_INET6, "ff02::1")
dst_mac = b"\x33\x33\x00\x00\x00\x01"


def csum(data):
    if len(data) % 2:
        data += b"\0"
    t = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while t >> 16:
        t = (t & 0xFFFF) + (t >> 16)
    return (~t) & 0xFFFF


def ra():
    # type 134, code 0, checksum, cur hop limit 64, flags M|O, router lifetime 0, reachable 0, retrans 0
    body = struct.pack("!BBHBBHII", 134, 0, 0, 64, 0xC0, 0, 0, 0)
    body += struct.pack("!BB", 1, 1) + mac  # source link-layer address
    # prefix information: type 3, length 4, prefix length, flags L=1 A=0, valid/preferred lifetimes
    body += struct.pack("!BBBBIII", 3, 4, prefix.prefixlen, 0x80, 3600, 1800, 0) + prefix.network_address.packed
    pseudo = src_ip + dst_ip + struct.pack("!I", len(body)) + b"\0\0\0" + bytes([58])
    body = body[:2] + struct.pack("!H", csum(pseudo + body)) + body[4:]
    ip6 = struct.pack("!IHBB", 0x60000000, len(body), 58, 255) + src_ip + dst_ip
    return dst_mac + mac + struct.pack("!H", ETH_P_IPV6) + ip6 + body


frame = ra()
log("on %s (mac %s): M=1 O=1 prefix %s L=1 A=0, every %.1f s and on each RS" % (iface, mac.hex(":"), prefix, interval))
next_at = 0.0
while True:
    now = time.monotonic()
    if now >= next_at:
        s.send(frame)
        next_at = now + interval
    r, _, _ = select.select([s], [], [], max(0.0, next_at - now))
    if not r:
        continue
    pkt, addr = s.recvfrom(2048)
    if addr[2] == socket.PACKET_OUTGOING or len(pkt) < 14 + 40 + 4:
        continue
    if pkt[14 + 6] == 58 and pkt[14 + 40] == 133:  # ICMPv6 router solicitation
        s.send(frame)
        log("RS from %s -> RA sent" % pkt[6:12].hex(":"))
