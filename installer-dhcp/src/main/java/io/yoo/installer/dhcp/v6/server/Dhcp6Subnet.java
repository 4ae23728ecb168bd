package io.yoo.installer.dhcp.v6.server;

import io.yoo.installer.dhcp.v6.codec.Ipv6;
import java.util.List;
import java.util.Optional;

/**
 * One served IPv6 link: its prefix, an optional dynamic range (inside one /64), DNS servers
 * (option 23) and lifetimes. T1 = preferred / 2, T2 = preferred × 4 / 5 (RFC 8415 section 21.4).
 */
public record Dhcp6Subnet(Ipv6 prefix, int length, Optional<Ipv6> rangeStart, Optional<Ipv6> rangeEnd, List<Ipv6> dns,
        long preferredSeconds, long validSeconds) {

    public Dhcp6Subnet {
        if (length < 0 || length > 128) {
            throw new IllegalArgumentException("prefix length " + length + " not 0-128");
        }
        if (rangeStart.isPresent() != rangeEnd.isPresent()) {
            throw new IllegalArgumentException("a range needs a start and an end");
        }
        if (rangeStart.isPresent()) {
            Ipv6 s = rangeStart.get();
            Ipv6 e = rangeEnd.get();
            if (s.hi() != e.hi() || Long.compareUnsigned(s.lo(), e.lo()) > 0) {
                throw new IllegalArgumentException("range " + s + "-" + e + " must be ascending and inside one /64");
            }
            if (!s.inPrefix(prefix, length) || !e.inPrefix(prefix, length)) {
                throw new IllegalArgumentException("range " + s + "-" + e + " is not inside " + prefix + "/" + length);
            }
        }
        if (preferredSeconds <= 0 || validSeconds < preferredSeconds) {
            throw new IllegalArgumentException("lifetimes: need 0 < preferred <= valid");
        }
        dns = List.copyOf(dns);
    }

    /** {@code fd00:77::/64}: no range, no DNS, preferred 3600 s, valid 7200 s. */
    public static Dhcp6Subnet parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a prefix (addr/len): " + cidr);
        }
        return new Dhcp6Subnet(Ipv6.parse(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1)),
                Optional.empty(), Optional.empty(), List.of(), 3600, 7200);
    }

    public Dhcp6Subnet withRange(Ipv6 start, Ipv6 end) {
        return new Dhcp6Subnet(prefix, length, Optional.of(start), Optional.of(end), dns, preferredSeconds, validSeconds);
    }

    public Dhcp6Subnet withDns(List<Ipv6> servers) {
        return new Dhcp6Subnet(prefix, length, rangeStart, rangeEnd, servers, preferredSeconds, validSeconds);
    }

    public Dhcp6Subnet withLifetimes(long preferred, long valid) {
        return new Dhcp6Subnet(prefix, length, rangeStart, rangeEnd, dns, preferred, valid);
    }

    public boolean contains(Ipv6 a) {
        return a.inPrefix(prefix, length);
    }

    public boolean inRange(Ipv6 a) {
        return rangeStart.isPresent() && a.compareTo(rangeStart.get()) >= 0 && a.compareTo(rangeEnd.get()) <= 0;
    }

    @Override
    public String toString() {
        return prefix + "/" + length;
    }
}
