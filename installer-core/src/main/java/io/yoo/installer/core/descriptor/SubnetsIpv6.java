package io.yoo.installer.core.descriptor;

import io.yoo.installer.dhcp.v6.codec.Ipv6;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/**
 * {@code ipv6} of the items of {@code network.subnets} (issue #19): each item's IPv6 link (prefix,
 * pool, DNS, relay) is read with the item, then all are checked together with
 * {@code network.ipv6}, which in this form names only the server's address (and default DNS):
 * the prefix and pool belong to one link, so they go into its item. Links must not overlap
 * (DHCPv6 picks the link of a relayed request by the prefix holding its link-address) and the
 * server must be on one of them (its direct clients' link).
 */
final class SubnetsIpv6 {
    static final Set<String> KEYS = Set.of("prefix", "pool", "dns", "relay");
    /** Keys of the one-segment {@code network.ipv6} that describe that link: with items' ipv6 they go into the items. */
    static final List<String> ONE_SEGMENT_ONLY = List.of("prefix", "pool");

    /** One item's link as read; {@code dnsGiven} false = network.ipv6.dns applies. */
    private record Item(YamlMap map, Ipv6Segment segment, boolean dnsGiven) {}

    private final Problems problems;
    private final List<Item> items = new ArrayList<>();
    private Node firstNode;
    private String firstField;
    private int given;

    SubnetsIpv6(Problems problems) {
        this.problems = problems;
    }

    /** Reads {@code ipv6} of one item of network.subnets, if it has one. */
    void read(YamlMap item, int leaseSeconds) {
        if (!item.has("ipv6")) {
            return;
        }
        if (given++ == 0) {
            firstNode = item.value("ipv6").get();
            firstField = item.field("ipv6");
        }
        item.map("ipv6").flatMap(m -> item(m, leaseSeconds)).ifPresent(items::add);
    }

    /** True when some item of network.subnets has an ipv6: then {@link #network} reads network.ipv6. */
    boolean given() {
        return given > 0;
    }

    private Optional<Item> item(YamlMap m, int leaseSeconds) {
        m.allowOnly(KEYS);
        Optional<Ipv6Prefix> prefix = m.has("prefix") ? m.parsed("prefix", Ipv6Prefix::parse) : missing(m, "prefix",
                "this segment's IPv6 prefix, e.g. fd00:13::/64; relayed DHCPv6 requests whose link-address is in it get its pool");
        List<Ipv6> dns = new ArrayList<>();
        for (YamlMap.Item i : m.list("dns", true)) {
            m.parse(i.node(), i.field(), Ipv6::parse).ifPresent(dns::add);
        }
        Optional<Ipv6[]> pool = m.parsed("pool", Ipv6Prefix::range);
        Optional<Ipv6> relay = m.parsed("relay", Ipv6::parse);
        if (prefix.isEmpty()) {
            return Optional.empty();
        }
        Ipv6Prefix p = prefix.get();
        boolean ok = true;
        if (pool.isPresent() && !(pool.get()[0].inPrefix(p.prefix(), p.length()) && pool.get()[1].inPrefix(p.prefix(), p.length()))) {
            problems.at(m.value("pool").get(), m.field("pool"), "the pool is not inside this segment's IPv6 prefix " + p);
            ok = false;
        }
        if (relay.isPresent() && !relay.get().inPrefix(p.prefix(), p.length())) {
            problems.at(m.value("relay").get(), m.field("relay"), "relay " + relay.get() + " is not inside the IPv6 prefix " + p
                    + ": it is the relay agent's address on this segment (dhcrelay -6 puts it in the link-address)");
            ok = false;
        } else if (relay.isPresent() && pool.isPresent() && inPool(pool.get(), relay.get())) {
            problems.at(m.value("pool").get(), m.field("pool"), "the pool contains the relay agent's address " + relay.get());
            ok = false;
        }
        if (!ok) {
            return Optional.empty();
        }
        return Optional.of(new Item(m, new Ipv6Segment(p.prefix(), p.length(), pool.map(a -> a[0]), pool.map(a -> a[1]), dns, relay,
                leaseSeconds), m.has("dns")));
    }

    private static boolean inPool(Ipv6[] pool, Ipv6 a) {
        return a.compareTo(pool[0]) >= 0 && a.compareTo(pool[1]) <= 0;
    }

    /**
     * {@code network.ipv6} in the subnets form, with the items' links; empty when anything is wrong
     * (reported). {@code network} is the network section.
     */
    Optional<Ipv6Network> network(YamlMap network) {
        if (!network.has("ipv6")) {
            problems.at(firstNode, firstField, "an IPv6 segment needs network.ipv6.server: this server's IPv6 address on its"
                    + " own link, e.g. network: { ipv6: { server: \"fd00:12::2\" } }");
            return Optional.empty();
        }
        Optional<YamlMap> section = network.map("ipv6");
        if (section.isEmpty()) {
            return Optional.empty();
        }
        YamlMap n = section.get();
        n.allowOnly(DescriptorParser.NETWORK_IPV6);
        for (String key : ONE_SEGMENT_ONLY) {
            if (n.has(key)) {
                problems.at(n.value(key).get(), n.field(key), "give either network.ipv6." + key + " (the one-segment form) or ipv6 in"
                        + " the items of network.subnets, not both: move " + key + " into the ipv6 of its item of subnets");
            }
        }
        Optional<Ipv6> server = n.has("server") ? n.parsed("server", Ipv6::parse) : missing(n, "server",
                "this server's IPv6 address on its own link, e.g. fd00:12::2");
        List<Ipv6> dns = new ArrayList<>();
        for (YamlMap.Item i : n.list("dns", true)) {
            n.parse(i.node(), i.field(), Ipv6::parse).ifPresent(dns::add);
        }
        boolean ok = server.isPresent() && items.size() == given;
        ok &= noOverlaps();
        if (!ok) {
            return Optional.empty();
        }
        Ipv6 s = server.get();
        List<Ipv6Segment> segments = new ArrayList<>();
        Ipv6Segment home = null;
        for (Item item : items) {
            Ipv6Segment seg = item.dnsGiven() ? item.segment() : withDns(item.segment(), dns);
            segments.add(seg);
            if (seg.contains(s)) {
                home = seg;
            }
            if (seg.inPool(s)) {
                problems.at(item.map().value("pool").get(), item.map().field("pool"), "the pool holds the server's own address " + s);
                ok = false;
            }
            if (seg.relay().map(s::equals).orElse(false)) {
                problems.at(item.map().value("relay").get(), item.map().field("relay"), "relay " + s + " is this server's own address"
                        + " (network.ipv6.server): a link the server is on needs no relay; leave relay out");
                ok = false;
            }
        }
        if (home == null) {
            problems.at(n.value("server").get(), n.field("server"), s + " is in none of the IPv6 prefixes of network.subnets "
                    + segments.stream().map(Ipv6Segment::cidr).toList() + ": give the item of the server's own link an ipv6"
                    + " with its prefix (DHCPv6 answers direct requests from that link)");
            return Optional.empty();
        }
        if (!ok) {
            return Optional.empty();
        }
        return Optional.of(new Ipv6Network(s, home.prefix(), home.length(), home.poolStart(), home.poolEnd(), home.dns(), Map.of(),
                Map.of(), segments));
    }

    /** Two links sharing addresses: a relayed request's link-address would fit both. */
    private boolean noOverlaps() {
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            for (int j = 0; j < i; j++) {
                Ipv6Segment a = items.get(i).segment();
                Ipv6Segment b = items.get(j).segment();
                if (a.contains(b.prefix()) || b.contains(a.prefix())) {
                    YamlMap m = items.get(i).map();
                    problems.at(m.value("prefix").get(), m.field("prefix"), "IPv6 prefix " + a.cidr() + " overlaps " + b.cidr() + " ("
                            + items.get(j).map().path() + "): each address must belong to one segment, or DHCPv6 cannot tell which"
                            + " segment a relayed request is from");
                    ok = false;
                }
            }
        }
        return ok;
    }

    private static Ipv6Segment withDns(Ipv6Segment s, List<Ipv6> dns) {
        return new Ipv6Segment(s.prefix(), s.length(), s.poolStart(), s.poolEnd(), dns, s.relay(), s.leaseSeconds());
    }

    private static <T> Optional<T> missing(YamlMap m, String key, String what) {
        m.missing(key, what);
        return Optional.empty();
    }
}
