package io.yoo.installer.api.net;

/** An IPv4 network, e.g. {@code 10.12.0.0/16}. The address must be the network address. */
public record Ipv4Cidr(Ipv4 network, int prefix) {

    public Ipv4Cidr {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix length " + prefix + " is not 0-32");
        }
        if ((network.value() & mask(prefix)) != network.value()) {
            throw new IllegalArgumentException("bad CIDR '" + network + "/" + prefix + "': host bits set, did you mean "
                    + new Ipv4(network.value() & mask(prefix)) + "/" + prefix + "?");
        }
    }

    public static Ipv4Cidr parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("bad CIDR '" + text + "': expected address/prefix like 10.12.0.0/16");
        }
        String len = t.substring(slash + 1);
        if (!len.matches("\\d{1,2}")) {
            throw new IllegalArgumentException("bad CIDR '" + text + "': prefix length '" + len + "' is not 0-32");
        }
        return new Ipv4Cidr(Ipv4.parse(t.substring(0, slash)), Integer.parseInt(len));
    }

    static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    public Ipv4 netmask() {
        return new Ipv4(mask(prefix));
    }

    public Ipv4 broadcast() {
        return new Ipv4(network.value() | ~mask(prefix));
    }

    public boolean contains(Ipv4 address) {
        return (address.value() & mask(prefix)) == network.value();
    }

    /** True for an address that can be given to a host (not the network or broadcast address). */
    public boolean isHostAddress(Ipv4 address) {
        if (!contains(address)) {
            return false;
        }
        return prefix >= 31 || (!address.equals(network) && !address.equals(broadcast()));
    }

    /** The lowest host address: the network address itself in a /31 (RFC 3021) or /32. */
    public Ipv4 firstHost() {
        return prefix >= 31 ? network : network.plus(1);
    }

    /** The highest host address: the broadcast address itself in a /31 or /32. */
    public Ipv4 lastHost() {
        return prefix >= 31 ? broadcast() : broadcast().plus(-1);
    }

    /** The host addresses for messages: "host addresses 10.12.0.1-10.12.255.254" or "its one host address is 10.12.1.2". */
    public String describeHosts() {
        return prefix == 32 ? "its one host address is " + network : "host addresses " + firstHost() + "-" + lastHost();
    }

    public boolean overlaps(Ipv4Cidr other) {
        int m = mask(Math.min(prefix, other.prefix));
        return (network.value() & m) == (other.network.value() & m);
    }

    @Override
    public String toString() {
        return network + "/" + prefix;
    }
}
