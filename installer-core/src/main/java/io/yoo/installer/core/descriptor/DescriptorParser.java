package io.yoo.installer.core.descriptor;

import io.yoo.installer.api.net.AddressPool;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.Ipv4Cidr;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.api.net.SmbiosUuid;
import io.yoo.installer.core.kubernetes.Cnis;
import io.yoo.installer.dhcp.v6.codec.Duid;
import io.yoo.installer.dhcp.v6.codec.Ipv6;
import java.nio.file.Path;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Turns the composed YAML tree into descriptor records, section by section. Every read reports
 * its own mistakes; cross-field rules (duplicates, subnets, counts) run afterwards in
 * {@link DescriptorChecks}. Returns empty when anything required could not be read.
 */
final class DescriptorParser {
    static final Set<String> TOP = Set.of("cluster", "architecture", "network", "server", "os", "kubernetes",
            "sshKeys", "proxy", "ntp", "registryMirror", "preloadImages", "machines", "machinesFrom");
    static final Set<String> NETWORK = Set.of("interface", "server", "subnet", "subnets", "gateway", "dns", "domain", "dhcp",
            "pool", "leaseSeconds", "ipv6", "serviceAddress");
    static final Set<String> NETWORK_IPV6 = Set.of("server", "prefix", "pool", "dns");
    /** Keys of the one-subnet form that describe that subnet: with {@code subnets} they go into each item. */
    static final List<String> ONE_SUBNET_ONLY = List.of("subnet", "gateway", "pool");
    static final Set<String> SUBNET = Set.of("cidr", "gateway", "dns", "pool", "relay", "leaseSeconds", "ipv6");
    static final Set<String> SERVER = Set.of("httpPort", "stateDir", "assetDir", "templates", "database", "allowUnknown",
            "adminBind", "tls", "secretKeyFile", "discovery");
    static final Set<String> SERVER_TLS = Set.of("keystore", "passwordEnv", "cert", "key");
    static final Set<String> OS = Set.of("channel", "version", "dialect", "installDisk", "autologin", "kernel", "initrd",
            "kernelArgs", "secureBoot", "secureBootSubnets");
    static final Set<String> KUBERNETES = Set.of("version", "podCidr", "serviceCidr", "cni", "controlPlaneEndpoint",
            "podCidrV6", "serviceCidrV6");
    static final Set<String> MACHINE = Set.of("name", "mac", "macs", "uuid", "ip", "role", "labels", "installDisk",
            "autologin", "dialect", "kernelArgs", "bmc", "secureBoot", "ipv6", "duid");
    static final Set<String> BMC = Set.of("address", "protocol", "username", "password", "passwordEnv");

    static final List<String> ARCHITECTURES = List.of("dev", "small", "devtest", "production");
    static final List<String> DHCP_MODES = List.of("full", "proxy", "off");
    static final List<String> CHANNELS = List.of("stable", "beta", "alpha", "lts");
    static final List<String> DIALECTS = List.of("ignition", "cloud-config");
    static final List<String> CNIS = Cnis.KNOWN;
    static final List<String> ROLES = List.of("control-plane", "worker");
    static final List<String> BMC_PROTOCOLS = List.of("ipmi", "redfish");

    private final Problems problems;
    private final Path source;
    private final Path baseDir;
    /** {@code network.ipv6} as read (null when not given or unreadable); the machines' addresses are collected below. */
    private Ipv6Network v6;
    private final Map<String, Ipv6> v6Addresses = new LinkedHashMap<>();
    private final Map<String, Duid> v6Duids = new LinkedHashMap<>();
    private final Map<Ipv6, String> v6Owners = new HashMap<>();
    /** {@code ipv6} of the items of network.subnets, read with them. */
    private final SubnetsIpv6 subnets6;

    DescriptorParser(Problems problems, Path source, Path baseDir) {
        this.problems = problems;
        this.subnets6 = new SubnetsIpv6(problems);
        this.source = source;
        this.baseDir = baseDir;
    }

    /** A machine as read, before cross-checks; null fields could not be read (already reported). */
    record Draft(String list, int index, Node node, String name, List<MacAddress> macs, SmbiosUuid uuid, Ipv4 ip, Role role,
            boolean roleGiven, Map<String, String> labels, MachineOverrides overrides, Optional<BmcSettings> bmc) {
        String field() {
            return list + "[" + index + "]";
        }

        String label() {
            return field() + (name == null ? "" : " (" + name + ")");
        }
    }

    Optional<ClusterDescriptor> parse(Node root) {
        Optional<YamlMap> top = YamlMap.of(root, "", problems);
        if (top.isEmpty()) {
            return Optional.empty();
        }
        YamlMap t = top.get();
        t.allowOnly(TOP);

        Optional<String> name = t.has("cluster") ? t.checked("cluster", Syntax::hostname)
                : missing(t, "cluster", "the cluster's name, e.g. cluster: lab");
        Optional<Architecture> arch = (t.has("architecture") ? t.choice("architecture", ARCHITECTURES)
                : DescriptorParser.<String>missing(t, "architecture", "one of " + String.join(", ", ARCHITECTURES)))
                .map(Architecture::fromKey);
        Optional<InstallNetwork> network = t.has("network") ? t.map("network").flatMap(this::network)
                : missing(t, "network", "at least interface, server and subnet");
        ServerSettings server = server(t.section("server"));
        Optional<OsSettings> os = os(t.section("os"));
        Optional<KubernetesSettings> kubernetes = kubernetes(t.section("kubernetes"));

        List<String> sshKeys = strings(t, "sshKeys", Syntax::sshKey);
        Optional<String> proxy = t.checked("proxy", Syntax::url);
        List<String> ntp = strings(t, "ntp", DescriptorParser::hostOrAddress);
        Optional<String> mirror = t.checked("registryMirror", Syntax::url);
        List<String> preload = strings(t, "preloadImages", Syntax::assetPath);

        List<Draft> drafts = new ArrayList<>();
        Optional<Path> machinesFrom = t.checked("machinesFrom", DescriptorParser::includedFile).map(f -> baseDir.resolve(f).normalize());
        if (!t.has("machines")) {
            if (machinesFrom.isEmpty()) {
                missing(t, "machines", "the list of machines to install");
            }
        } else {
            List<YamlMap.Item> items = t.list("machines", false);
            if (machinesFrom.isEmpty() && t.value("machines").get() instanceof SequenceNode s && s.getValue().isEmpty()) {
                problems.at(s, "machines", "the machine list is empty: add at least one machine");
            }
            for (int i = 0; i < items.size(); i++) {
                int index = i;
                YamlMap.of(items.get(i).node(), items.get(i).field(), problems)
                        .ifPresent(m -> drafts.add(machine("machines", index, m, arch)));
            }
        }
        machinesFrom.ifPresent(f -> drafts.addAll(included(f, arch)));

        new DescriptorChecks(problems).check(arch, network, os, kubernetes, drafts);
        network.ifPresent(n -> new ServiceAddressCheck(problems).check(n, server, kubernetes, drafts));
        kubernetes.filter(KubernetesSettings::dualStack).ifPresent(k -> dualStack(k, drafts));
        kubernetes.ifPresent(k -> ipv6OnlyNodes(k, drafts));

        if (!problems.isEmpty() || name.isEmpty() || arch.isEmpty() || network.isEmpty() || os.isEmpty()
                || kubernetes.isEmpty()) {
            return Optional.empty();
        }
        List<Machine> machines = drafts.stream().map(d -> new Machine(d.name(), d.macs(), Optional.ofNullable(d.uuid()),
                Optional.ofNullable(d.ip()), d.role(), d.labels(), d.overrides(), d.bmc())).toList();
        Optional<Ipv6Network> ipv6 = Optional.ofNullable(v6).map(b -> new Ipv6Network(b.server(), b.prefix(), b.length(), b.poolStart(),
                b.poolEnd(), b.dns(), v6Addresses, v6Duids, b.segments()));
        return Optional.of(new ClusterDescriptor(name.get(), arch.get(), network.get(), server, os.get(), kubernetes.get(),
                sshKeys, proxy, ntp, mirror, preload, machines, source, machinesFrom, ipv6));
    }

    /** Field prefix of the machines read from the {@code machinesFrom} file (its errors name that file). */
    static final String INCLUDED = "machinesFrom";

    /**
     * The machines of the file {@code machinesFrom} names ({@code machines:}, as in a descriptor):
     * none while it does not exist (the first enrollment creates it). Checked with the
     * descriptor's own machines (duplicates, addresses, roles).
     */
    private List<Draft> included(Path file, Optional<Architecture> arch) {
        if (!Files.exists(file)) {
            return List.of();
        }
        Problems own = new Problems(file);
        problems.include(INCLUDED + ".", own);
        Optional<Node> root = DescriptorLoader.composeIncluded(file, own);
        if (root.isEmpty()) {
            return List.of();
        }
        if (!(root.get() instanceof MappingNode)) {
            own.at(root.get(), "", "expected a mapping with a machines: list, got " + YamlMap.describe(root.get()));
            return List.of();
        }
        YamlMap top = YamlMap.of(root.get(), INCLUDED, problems).orElseThrow();
        top.allowOnly(Set.of("machines"));
        List<Draft> drafts = new ArrayList<>();
        List<YamlMap.Item> items = top.list("machines", false);
        for (int i = 0; i < items.size(); i++) {
            int index = i;
            YamlMap.of(items.get(i).node(), items.get(i).field(), problems)
                    .ifPresent(m -> drafts.add(machine(INCLUDED + ".machines", index, m, arch)));
        }
        return drafts;
    }

    /** {@code machinesFrom}: a file name beside the descriptor (no directories: Yoo writes it). */
    static String includedFile(String v) {
        return v.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}\\.ya?ml") ? null
                : "'" + v + "' is not a file name beside the descriptor ending in .yml or .yaml, e.g. enrolled.yml";
    }

    private Optional<InstallNetwork> network(YamlMap n) {
        n.allowOnly(NETWORK);
        Optional<String> iface = n.has("interface") ? n.checked("interface", DescriptorParser::interfaceName)
                : missing(n, "interface", "this server's NIC on the install network, e.g. eth1");
        Optional<Ipv4> server = n.has("server") ? n.parsed("server", Ipv4::parse)
                : missing(n, "server", "this server's address on the install network");
        List<Ipv4> dns = dns(n);
        String domain = n.checked("domain", Syntax::dnsName).orElse(Defaults.DOMAIN);
        DhcpMode mode = DhcpMode.fromKey(n.choice("dhcp", DHCP_MODES).orElse(Defaults.DHCP_MODE));
        int lease = n.integer("leaseSeconds", 60, 30 * 24 * 3600).orElse(Defaults.LEASE_SECONDS);
        Optional<List<InstallSubnet>> subnets = n.has("subnets") ? subnets(n, dns, lease) : oneSubnet(n, dns, lease);
        // the items' links when they have ipv6 (network.ipv6 then names the server), else network.ipv6's one link
        v6 = (subnets6.given() ? subnets6.network(n) : n.map("ipv6").flatMap(m -> ipv6(m, lease))).orElse(null);
        Optional<Ipv4> service = n.parsed("serviceAddress", Ipv4::parse); // checked against the rest in ServiceAddressCheck
        if (iface.isEmpty() || server.isEmpty() || subnets.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new InstallNetwork(iface.get(), server.get(), domain, mode, subnets.get(), service));
    }

    /**
     * {@code network.ipv6}: the server's IPv6 address, the install link's prefix (at most /64 long,
     * so SLAAC-style /64 links and DHCPv6 ranges fit), an optional range and DNS.
     */
    private Optional<Ipv6Network> ipv6(YamlMap n, int lease) {
        n.allowOnly(NETWORK_IPV6);
        Optional<Ipv6> server = n.has("server") ? n.parsed("server", Ipv6::parse)
                : missing(n, "server", "this server's IPv6 address on the install link, e.g. fd00:77::1");
        Optional<Ipv6Prefix> prefix = n.has("prefix") ? n.parsed("prefix", Ipv6Prefix::parse)
                : missing(n, "prefix", "the install link's prefix, e.g. fd00:77::/64");
        List<Ipv6> dns = new ArrayList<>();
        for (YamlMap.Item i : n.list("dns", true)) {
            n.parse(i.node(), i.field(), Ipv6::parse).ifPresent(dns::add);
        }
        if (server.isEmpty() || prefix.isEmpty()) {
            return Optional.empty();
        }
        Ipv6Prefix p = prefix.get();
        if (!server.get().inPrefix(p.prefix(), p.length())) {
            problems.at(n.value("server").get(), n.field("server"), server.get() + " is outside the IPv6 prefix " + p);
            return Optional.empty();
        }
        Optional<Ipv6[]> pool = n.parsed("pool", Ipv6Prefix::range);
        if (pool.isPresent() && !(pool.get()[0].inPrefix(p.prefix(), p.length()) && pool.get()[1].inPrefix(p.prefix(), p.length()))) {
            problems.at(n.value("pool").get(), n.field("pool"), "the pool is not inside the IPv6 prefix " + p);
            return Optional.empty();
        }
        if (pool.isPresent() && pool.get()[0].compareTo(server.get()) <= 0 && pool.get()[1].compareTo(server.get()) >= 0) {
            problems.at(n.value("pool").get(), n.field("pool"), "the pool holds the server's own address " + server.get());
            return Optional.empty();
        }
        return Optional.of(new Ipv6Network(server.get(), p.prefix(), p.length(), pool.map(a -> a[0]), pool.map(a -> a[1]), dns,
                Map.of(), Map.of(), List.of(new Ipv6Segment(p.prefix(), p.length(), pool.map(a -> a[0]), pool.map(a -> a[1]), dns,
                        Optional.empty(), lease))));
    }

    /** A dual-stack cluster: every node needs an IPv6 address, its ranges must stay off the install link. */
    private void dualStack(KubernetesSettings k, List<Draft> drafts) {
        if (v6 == null) {
            problems.at("kubernetes.podCidrV6", "a dual-stack cluster needs IPv6 node addresses: set network.ipv6 and machines[].ipv6");
            return;
        }
        for (String key : List.of("podCidrV6", "serviceCidrV6")) {
            Ipv6Prefix p = Ipv6Prefix.parse(key.startsWith("pod") ? k.podCidr6().get() : k.serviceCidr6().get(), 0, 128, "");
            for (Ipv6Segment s : v6.segments()) {
                if (p.overlaps(s.prefix(), s.length())) {
                    problems.at("kubernetes." + key, p + " overlaps the IPv6 install prefix " + s.cidr());
                }
            }
        }
        for (Draft d : drafts) {
            if (d.name() != null && !v6Addresses.containsKey(d.name()) && problems.markOf(d.field() + ".ipv6") == null) {
                problems.at(d.node(), d.field(), "machine '" + d.name() + "' has no ipv6 address: a dual-stack cluster"
                        + " (kubernetes.podCidrV6) needs one on every node");
            }
        }
    }

    /**
     * A cluster with IPv6-only machines runs its nodes on IPv6 (API server advertised and joined on
     * IPv6): every machine needs an ipv6, a dual-stack cluster needs both addresses on every node,
     * and a VIP (an IPv4 address kube-vip announces by ARP) cannot be reached.
     */
    private void ipv6OnlyNodes(KubernetesSettings k, List<Draft> drafts) {
        List<Draft> v6Only = drafts.stream().filter(d -> d.ip() == null && d.name() != null && v6Addresses.containsKey(d.name())
                && problems.markOf(d.field() + ".ip") == null).toList();
        if (v6Only.isEmpty()) {
            return;
        }
        Draft first = v6Only.getFirst();
        if (k.dualStack()) {
            for (Draft d : v6Only) {
                problems.at(d.node(), d.field(), "machine '" + d.name() + "' has no ip: a dual-stack cluster (kubernetes.podCidrV6)"
                        + " needs an IPv4 and an IPv6 address on every node");
            }
            return;
        }
        for (Draft d : drafts) {
            if (d.name() != null && !v6Addresses.containsKey(d.name()) && problems.markOf(d.field() + ".ipv6") == null) {
                problems.at(d.node(), d.field(), "machine '" + d.name() + "' has no ipv6 address, but " + first.label()
                        + " is IPv6-only: the nodes of a cluster with IPv6-only machines talk over IPv6, so every machine needs ipv6");
            }
        }
        k.vip().ifPresent(vip -> problems.at("kubernetes.controlPlaneEndpoint", "VIP " + vip + " is an IPv4 address, but "
                + first.label() + " is IPv6-only and could not reach it: use a DNS name, or give every machine an ip"));
    }

    /** {@code machines[].ipv6} and {@code duid}: checked against {@code network.ipv6} and each other, then collected. */
    private void machineIpv6(YamlMap m, String name) {
        Optional<Ipv6> ip = m.parsed("ipv6", Ipv6::parse);
        Optional<Duid> duid = m.parsed("duid", DescriptorParser::duid);
        if (ip.isEmpty() && duid.isEmpty()) {
            return;
        }
        String key = ip.isPresent() ? "ipv6" : "duid";
        if (v6 == null) {
            problems.at(m.value(key).get(), m.field(key), "an IPv6 " + (ip.isPresent() ? "address" : "DUID")
                    + " needs network.ipv6 (server and prefix of the install link)");
            return;
        }
        if (duid.isPresent() && ip.isEmpty()) {
            problems.at(m.value("duid").get(), m.field("duid"), "a DUID reserves the machine's ipv6 address: give ipv6 too");
            return;
        }
        Ipv6 a = ip.get();
        if (!v6.contains(a)) {
            problems.at(m.value("ipv6").get(), m.field("ipv6"), a + " is outside the " + v6.describePrefixes());
        } else if (a.equals(v6.server())) {
            problems.at(m.value("ipv6").get(), m.field("ipv6"), a + " is the server's own IPv6 address (network.ipv6.server)");
        } else if (v6Owners.containsKey(a)) {
            problems.at(m.value("ipv6").get(), m.field("ipv6"), "duplicate IPv6 address " + a + ": already used by " + v6Owners.get(a));
        } else if (name != null) {
            v6Owners.put(a, m.path() + " (" + name + ")");
            v6Addresses.put(name, a);
            duid.ifPresent(d -> v6Duids.put(name, d));
        }
    }

    static Duid duid(String hex) {
        String h = hex.replace(":", "");
        if (!h.matches("(?i)([0-9a-f]{2}){3,130}")) {
            throw new IllegalArgumentException("'" + hex + "' is not a DHCPv6 DUID: hex bytes (3 to 130), e.g. 00:03:00:01:52:54:00:12:34:56");
        }
        return Duid.parseHex(h);
    }

    /** {@code network.subnet} with the network-level gateway and pool: one segment, the server's own. */
    private Optional<List<InstallSubnet>> oneSubnet(YamlMap n, List<Ipv4> dns, int lease) {
        Optional<Ipv4Cidr> subnet = n.has("subnet") ? n.parsed("subnet", Ipv4Cidr::parse)
                : missing(n, "subnet", "e.g. 10.12.0.0/16, or a list of segments under subnets");
        Optional<Ipv4> gateway = n.parsed("gateway", Ipv4::parse);
        Optional<AddressPool> pool = n.parsed("pool", DescriptorParser::pool);
        return subnet.map(c -> List.of(new InstallSubnet(c, gateway, dns, pool, Optional.empty(), lease)));
    }

    /**
     * {@code network.subnets}: one item per segment. network-level dns and leaseSeconds are the
     * items' defaults; subnet, gateway and pool belong to one segment, so they must go into an item.
     */
    private Optional<List<InstallSubnet>> subnets(YamlMap n, List<Ipv4> dns, int lease) {
        for (String key : ONE_SUBNET_ONLY) {
            if (n.has(key)) {
                problems.at(n.field(key), "give either network." + key + " (the one-subnet form) or network.subnets"
                        + " (a list of segments), not both: move " + key + " into its item of subnets");
            }
        }
        List<YamlMap.Item> items = n.list("subnets", false);
        if (n.value("subnets").get() instanceof SequenceNode s && s.getValue().isEmpty()) {
            problems.at(s, n.field("subnets"), "the subnet list is empty: add at least one segment (cidr: ...)");
        }
        List<InstallSubnet> out = new ArrayList<>();
        boolean complete = true;
        for (YamlMap.Item item : items) {
            Optional<InstallSubnet> s = YamlMap.of(item.node(), item.field(), problems).flatMap(m -> subnet(m, dns, lease));
            s.ifPresent(out::add);
            complete &= s.isPresent();
        }
        return complete && !out.isEmpty() ? Optional.of(out) : Optional.empty();
    }

    private Optional<InstallSubnet> subnet(YamlMap s, List<Ipv4> defaultDns, int defaultLease) {
        s.allowOnly(SUBNET);
        Optional<Ipv4Cidr> cidr = s.has("cidr") ? s.parsed("cidr", Ipv4Cidr::parse)
                : missing(s, "cidr", "the segment's network, e.g. 10.13.0.0/24");
        Optional<Ipv4> gateway = s.parsed("gateway", Ipv4::parse);
        List<Ipv4> dns = s.has("dns") ? dns(s) : defaultDns;
        Optional<AddressPool> pool = s.parsed("pool", DescriptorParser::pool);
        Optional<Ipv4> relay = s.parsed("relay", Ipv4::parse);
        int lease = s.integer("leaseSeconds", 60, 30 * 24 * 3600).orElse(defaultLease);
        subnets6.read(s, lease);
        return cidr.map(c -> new InstallSubnet(c, gateway, dns, pool, relay, lease));
    }

    private List<Ipv4> dns(YamlMap m) {
        List<Ipv4> dns = new ArrayList<>();
        for (YamlMap.Item i : m.list("dns", true)) {
            m.parse(i.node(), i.field(), Ipv4::parse).ifPresent(dns::add);
        }
        return dns;
    }

    private ServerSettings server(YamlMap s) {
        s.allowOnly(SERVER);
        int port = s.integer("httpPort", 1, 65535).orElse(Defaults.HTTP_PORT);
        Path state = s.string("stateDir").map(baseDir::resolve).orElse(baseDir.resolve(Defaults.STATE_DIR));
        Path assets = s.string("assetDir").map(baseDir::resolve).orElse(baseDir.resolve(Defaults.ASSET_DIR));
        Optional<Path> templates = s.string("templates").map(baseDir::resolve);
        Optional<String> db = s.checked("database", v -> v.startsWith("jdbc:") ? null
                : "'" + v + "' is not a JDBC URL like jdbc:postgresql://db.example.com/yoo");
        boolean allowUnknown = s.bool("allowUnknown").orElse(false);
        Optional<Path> secretKeyFile = s.string("secretKeyFile").map(baseDir::resolve).map(Path::normalize);
        boolean discovery = s.bool("discovery").orElse(false);
        return new ServerSettings(port, state.normalize(), assets.normalize(), templates.map(Path::normalize), db, allowUnknown,
                adminSurface(s, port), secretKeyFile, discovery);
    }

    /** {@code adminBind: ADDRESS[:PORT]} and {@code tls} (which only the admin listener speaks: iPXE needs plain HTTP). */
    private Optional<AdminSurface> adminSurface(YamlMap s, int httpPort) {
        Optional<AdminSurface.Tls> tls = s.map("tls").flatMap(this::adminTls);
        if (!s.has("adminBind")) {
            if (s.has("tls")) {
                problems.at(s.field("tls"), "TLS is for the admin listener: set server.adminBind too (machines boot over"
                        + " plain HTTP, which most iPXE builds need)");
            }
            return Optional.empty();
        }
        return s.parsed("adminBind", v -> {
            int colon = v.indexOf(':');
            Ipv4 address = Ipv4.parse(colon < 0 ? v : v.substring(0, colon));
            int port = httpPort;
            if (colon >= 0) {
                String p = v.substring(colon + 1);
                if (!p.matches("\\d{1,5}") || Integer.parseInt(p) < 1 || Integer.parseInt(p) > 65535) {
                    throw new IllegalArgumentException("'" + v + "': the port after ':' must be 1-65535");
                }
                port = Integer.parseInt(p);
            }
            return new AdminSurface(address, port, tls);
        });
    }

    private Optional<AdminSurface.Tls> adminTls(YamlMap t) {
        t.allowOnly(SERVER_TLS);
        Optional<Path> keystore = t.string("keystore").map(baseDir::resolve).map(Path::normalize);
        Optional<String> passwordEnv = t.checked("passwordEnv", v -> v.matches("[A-Za-z_][A-Za-z0-9_]{0,127}") ? null
                : "'" + v + "' is not an environment variable name (the password itself never goes in the descriptor)");
        Optional<Path> cert = t.string("cert").map(baseDir::resolve).map(Path::normalize);
        Optional<Path> key = t.string("key").map(baseDir::resolve).map(Path::normalize);
        if (t.has("keystore") && (t.has("cert") || t.has("key"))) {
            problems.at(t.field("keystore"), "give either a keystore or a PEM cert and key, not both");
            return Optional.empty();
        }
        if (t.has("cert") != t.has("key")) {
            String given = t.has("cert") ? "cert" : "key";
            problems.at(t.field(given), "'" + given + "' needs '" + (given.equals("cert") ? "key" : "cert") + "' too (a PEM pair)");
            return Optional.empty();
        }
        if (!t.has("keystore") && !t.has("cert")) {
            problems.at(t.path(), "expected a keystore (with passwordEnv) or a PEM cert and key");
            return Optional.empty();
        }
        if (t.has("passwordEnv") && !t.has("keystore")) {
            problems.at(t.field("passwordEnv"), "passwordEnv is the keystore's password; PEM keys are read unencrypted");
        }
        if (keystore.isEmpty() && cert.isEmpty()) {
            return Optional.empty();   // a value was malformed: already reported
        }
        return Optional.of(new AdminSurface.Tls(keystore, passwordEnv, cert, key));
    }

    private Optional<OsSettings> os(YamlMap o) {
        o.allowOnly(OS);
        String channel = o.choice("channel", CHANNELS).orElse(Defaults.CHANNEL);
        String version = o.checked("version", v -> v.equals("current") || Syntax.version(v) == null ? null
                : "'" + v + "' is not a Flatcar release like 4081.2.0 (or 'current')").orElse(Defaults.OS_VERSION);
        ConfigDialect dialect = ConfigDialect.fromKey(o.choice("dialect", DIALECTS).orElse(Defaults.DIALECT));
        String disk = o.checked("installDisk", Syntax::device).orElse(Defaults.INSTALL_DISK);
        boolean autologin = o.bool("autologin").orElse(false);
        Optional<String> kernel = o.checked("kernel", Syntax::assetPath);
        Optional<String> initrd = o.checked("initrd", Syntax::assetPath);
        if (o.has("kernel") != o.has("initrd")) {
            String given = o.has("kernel") ? "kernel" : "initrd";
            String other = o.has("kernel") ? "initrd" : "kernel";
            problems.at(o.field(given), "'" + given + "' needs '" + other + "' too (a custom boot image is a pair)");
        }
        List<String> args = kernelArgs(o);
        List<Ipv4Cidr> secureBootSubnets = new ArrayList<>();
        for (YamlMap.Item i : o.list("secureBootSubnets", true)) {
            o.parse(i.node(), i.field(), Ipv4Cidr::parse).ifPresent(secureBootSubnets::add);
        }
        return Optional.of(new OsSettings(channel, version, dialect, disk, autologin, kernel, initrd, args,
                o.bool("secureBoot").orElse(false), secureBootSubnets));
    }

    private Optional<KubernetesSettings> kubernetes(YamlMap k) {
        k.allowOnly(KUBERNETES);
        String version = k.checked("version", v -> Syntax.version(v.startsWith("v") ? v.substring(1) : v))
                .map(v -> v.startsWith("v") ? v.substring(1) : v).orElse(Defaults.KUBERNETES_VERSION);
        Ipv4Cidr pod = k.parsed("podCidr", Ipv4Cidr::parse).orElse(Ipv4Cidr.parse(Defaults.POD_CIDR));
        Ipv4Cidr service = k.parsed("serviceCidr", Ipv4Cidr::parse).orElse(Ipv4Cidr.parse(Defaults.SERVICE_CIDR));
        String cni = k.choice("cni", CNIS).orElse(Defaults.CNI);
        // calico/cilium are listed so that a typo of them still gets a suggestion, but nothing renders them yet
        Cnis.refusal(cni).ifPresent(why -> problems.at(k.field("cni"), why));
        Optional<String> endpoint = k.checked("controlPlaneEndpoint", DescriptorParser::hostOrAddress);
        // kube-controller-manager cuts a /64 per node out of the pod range; kube-apiserver takes at most 20 host bits of services
        Optional<Ipv6Prefix> pod6 = k.parsed("podCidrV6", v -> Ipv6Prefix.parse(v, 16, 63,
                "the IPv6 pod range must be shorter than /64: each node gets a /64 of it, e.g. fd00:10:244::/56"));
        Optional<Ipv6Prefix> service6 = k.parsed("serviceCidrV6", v -> Ipv6Prefix.parse(v, 108, 120,
                "the IPv6 service range is /108 to /120 (kube-apiserver allows at most 20 host bits), e.g. fd00:10:96::/112"));
        if (k.has("podCidrV6") != k.has("serviceCidrV6")) {
            String given = k.has("podCidrV6") ? "podCidrV6" : "serviceCidrV6";
            problems.at(k.value(given).get(), k.field(given), "a dual-stack cluster needs both podCidrV6 and serviceCidrV6");
        }
        if (pod6.isPresent() && service6.isPresent() && pod6.get().overlaps(service6.get().prefix(), service6.get().length())) {
            problems.at(k.value("serviceCidrV6").get(), k.field("serviceCidrV6"), "the IPv6 service range " + service6.get()
                    + " overlaps the IPv6 pod range " + pod6.get());
        }
        return Optional.of(new KubernetesSettings(version, pod, service, cni, endpoint, pod6.map(Ipv6Prefix::toString),
                service6.map(Ipv6Prefix::toString)));
    }

    private Draft machine(String list, int index, YamlMap m, Optional<Architecture> arch) {
        m.allowOnly(MACHINE);
        String name = m.has("name") ? m.checked("name", Syntax::hostname).orElse(null)
                : DescriptorParser.<String>missing(m, "name", "the machine's hostname").orElse(null);

        List<MacAddress> macs = new ArrayList<>();
        for (String key : List.of("mac", "macs")) {
            for (YamlMap.Item i : m.list(key, true)) {
                m.parse(i.node(), i.field(), MacAddress::parse).ifPresent(mac -> {
                    String why = notANicMac(mac);
                    if (why != null) {
                        problems.at(i.node(), i.field(), "'" + mac + "' is " + why + ", not a NIC's MAC");
                    } else {
                        macs.add(mac);
                    }
                });
            }
        }
        SmbiosUuid uuid = m.parsed("uuid", SmbiosUuid::parse).orElse(null);
        if (uuid != null && uuid.isPlaceholder()) {
            problems.at(m.value("uuid").get(), m.field("uuid"), uuid + " is a placeholder that firmware reports when the SMBIOS"
                    + " UUID was never programmed (many machines share it): identify this machine by its MAC");
            uuid = null;
        }
        // an IPv6-only machine (issue #19): no ip, its ipv6 on network.ipv6's link is its only address
        boolean v6Only = !m.has("ip") && m.has("ipv6") && v6 != null;
        Ipv4 ip = m.has("ip") ? m.parsed("ip", Ipv4::parse).orElse(null)
                : v6Only ? null
                : DescriptorParser.<Ipv4>missing(m, "ip", "the machine's fixed address on the install network"
                        + (m.has("ipv6") ? " (an IPv6-only machine, with ipv6 and no ip, needs network.ipv6)" : "")).orElse(null);

        Role role = null;
        boolean roleGiven = m.has("role");
        if (roleGiven) {
            role = m.choice("role", ROLES).map(Role::fromKey).orElse(null);
        } else if (arch.isPresent()) {
            role = switch (arch.get()) {
                case DEV, SMALL -> Role.CONTROL_PLANE;
                case DEVTEST -> Role.WORKER;
                case PRODUCTION -> {
                    m.missing("role", "production machines are control-plane (central) or worker");
                    yield null;
                }
            };
        }

        Map<String, String> labels = new LinkedHashMap<>();
        for (Map.Entry<ScalarNode, Node> e : m.pairs("labels")) {
            String key = e.getKey().getValue();
            String field = m.field("labels") + "." + key;
            String keyProblem = Syntax.labelKey(key);
            if (keyProblem != null) {
                problems.at(e.getKey(), field, keyProblem);
                continue;
            }
            m.checked(e.getValue(), field, Syntax::labelValue).ifPresent(v -> labels.put(key, v));
        }

        Optional<String> disk = m.checked("installDisk", Syntax::device);
        Optional<Boolean> autologin = m.bool("autologin");
        Optional<ConfigDialect> dialect = m.choice("dialect", DIALECTS).map(ConfigDialect::fromKey);
        MachineOverrides overrides = new MachineOverrides(disk, autologin, dialect, kernelArgs(m), m.bool("secureBoot"));
        Optional<BmcSettings> bmc = m.map("bmc").flatMap(this::bmc);
        machineIpv6(m, name);
        return new Draft(list, index, m.node(), name, macs, uuid, ip, role, roleGiven, labels, overrides, bmc);
    }

    /** Why a MAC cannot be a machine's NIC (null when it can): it would match other machines' traffic or none. */
    static String notANicMac(MacAddress mac) {
        if (mac.isBroadcast()) {
            return "the broadcast address";
        }
        if (mac.isMulticast()) {
            return "a multicast address";
        }
        if (mac.isZero()) {
            return "the all-zero placeholder that unprogrammed NICs and BMCs report";
        }
        return null;
    }

    private Optional<BmcSettings> bmc(YamlMap b) {
        b.allowOnly(BMC);
        Optional<String> address = b.has("address") ? b.checked("address", DescriptorParser::hostOrAddressPort)
                : missing(b, "address", "the BMC's IP address or hostname");
        String protocol = b.choice("protocol", BMC_PROTOCOLS).orElse(Defaults.BMC_PROTOCOL);
        Optional<String> user = b.has("username") ? b.string("username") : missing(b, "username", "");
        Optional<String> password = b.string("password");
        Optional<String> env = b.checked("passwordEnv", Syntax::envName);
        if (b.has("password") && b.has("passwordEnv")) {
            problems.at(b.field("passwordEnv"), "give either password or passwordEnv, not both");
        }
        if (address.isEmpty() || user.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new BmcSettings(address.get(), protocol, user.get(), password, env));
    }

    /** kernelArgs as a list, or one string of space-separated arguments. */
    private List<String> kernelArgs(YamlMap m) {
        List<String> args = new ArrayList<>();
        for (YamlMap.Item i : m.list("kernelArgs", true)) {
            m.scalar(i.node(), i.field()).ifPresent(s -> {
                for (String a : s.strip().split("\\s+")) {
                    if (a.isEmpty()) {
                        continue;
                    }
                    String why = Syntax.kernelArg(a);
                    if (why != null) {
                        problems.at(i.node(), i.field(), why);
                    } else {
                        args.add(a);
                    }
                }
            });
        }
        return args;
    }

    private List<String> strings(YamlMap m, String key, Function<String, String> rule) {
        List<String> out = new ArrayList<>();
        for (YamlMap.Item i : m.list(key, true)) {
            m.checked(i.node(), i.field(), rule).ifPresent(out::add);
        }
        return out;
    }

    private static <T> Optional<T> missing(YamlMap m, String key, String what) {
        m.missing(key, what);
        return Optional.empty();
    }

    static AddressPool pool(String text) {
        String[] parts = text.split("-", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("bad pool '" + text + "': expected first-last like 10.12.200.1-10.12.200.250");
        }
        Ipv4 a = Ipv4.parse(parts[0]);
        Ipv4 b = Ipv4.parse(parts[1]);
        if (a.compareTo(b) > 0) {
            throw new IllegalArgumentException("bad pool '" + text + "': the first address is after the last");
        }
        return new AddressPool(a, b);
    }

    static String interfaceName(String v) {
        return v.matches("[A-Za-z0-9_.:@-]{1,15}") ? null
                : "'" + v + "' is not a network interface name like eth1 or enp3s0 (at most 15 characters)";
    }

    static String hostOrAddress(String v) {
        if (v.matches("[0-9.]+")) {
            try {
                Ipv4.parse(v);
                return null;
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }
        return Syntax.dnsName(v);
    }

    static String hostOrAddressPort(String v) {
        int colon = v.lastIndexOf(':');
        if (colon > 0 && v.substring(colon + 1).matches("\\d{1,5}")) {
            int port = Integer.parseInt(v.substring(colon + 1));
            if (port < 1 || port > 65535) {
                return "port " + port + " is out of range 1-65535";
            }
            return hostOrAddress(v.substring(0, colon));
        }
        return hostOrAddress(v);
    }
}
