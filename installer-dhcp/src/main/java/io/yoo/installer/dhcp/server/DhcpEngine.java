package io.yoo.installer.dhcp.server;

import io.yoo.installer.api.boot.BootDecision;
import io.yoo.installer.api.boot.BootPolicy;
import io.yoo.installer.api.boot.BootRequest;
import io.yoo.installer.api.boot.BootTarget;
import io.yoo.installer.api.boot.NetworkAssignment;
import io.yoo.installer.api.boot.Sighting;
import io.yoo.installer.api.net.AddressPool;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.dhcp.codec.DhcpOption;
import io.yoo.installer.dhcp.codec.DhcpOptions;
import io.yoo.installer.dhcp.codec.DhcpPacket;
import io.yoo.installer.dhcp.codec.MessageType;
import io.yoo.installer.dhcp.lease.Lease;
import io.yoo.installer.dhcp.lease.LeaseStore;
import io.yoo.installer.dhcp.probe.DhcpProbe;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DHCP state machine (RFC 2131 section 4.3) for full and proxy mode: a decoded request and
 * where it came from in, the reply and where it must go out. No sockets, no threads: the
 * {@link DhcpServer} loop feeds it, and tests call it directly. Who the machine is and what it
 * boots is asked from the {@link BootPolicy}; which address a stranger gets is the
 * {@link LeaseStore}'s business.
 */
public final class DhcpEngine {
    private static final Logger LOG = LoggerFactory.getLogger(DhcpEngine.class);
    private static final Ipv4 ZERO = new Ipv4(0);
    private static final Ipv4 BROADCAST = new Ipv4(-1);
    private static final byte[] PXE_CLIENT = "PXEClient".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HTTP_CLIENT = "HTTPClient".getBytes(StandardCharsets.US_ASCII);
    /** Option 43 sub-option 6 = 8: "boot file is in this offer, skip boot server discovery". */
    private static final DhcpOptions PXE_VENDOR =
            DhcpOptions.builder().put(DhcpOption.PXE_DISCOVERY_CONTROL, new byte[] {8}).build();
    private static final DhcpOptions IPXE_NO_PROXY =
            DhcpOptions.builder().put(DhcpOption.IPXE_NO_PXEDHCP, new byte[] {1}).build();
    private static final int DECLINE_HOLD = 600;
    private static final long FALLBACK_WINDOW = 120;
    /**
     * A request of another live server's bucket whose {@code secs} (seconds since the client began
     * this attempt) reach this is answered anyway: its server may be dead or deaf without this one
     * knowing (its lock and heartbeat held, its interface down or its DHCP thread stuck). ISC
     * dhcpd's {@code load balance max seconds} (its documentation recommends 3 or 5) and the
     * {@code secs} test of Kea HA's {@code max-ack-delay} do the same. 3: the client's first
     * retransmission (RFC 2131: after about 4 s) already qualifies. Two answers are harmless (the
     * shared lease table decides), none would not be; clients that always send 0 are not helped.
     */
    static final int PARTNER_GRACE_SECONDS = 3;

    /** Where a datagram came in. {@code local} is 0.0.0.0 when unknown. */
    public record Inbound(int localPort, Ipv4 local, int ifIndex, Ipv4 peer, int peerPort) {}

    /** A reply and its way out: leave by {@code ifIndex} (0 = routing decides) with source {@code from}. */
    public record Reply(DhcpPacket packet, Ipv4 to, int port, int ifIndex, Ipv4 from) {}

    private final DhcpServerConfig cfg;
    private final BootPolicy policy;
    private final LeaseStore leases;
    private final DhcpStats stats;
    private final int[] reserved;
    /** This server's part of the clients when it shares them with other live servers (load balancing). */
    private final Supplier<ServerShare> share;
    private final Map<MacAddress, long[]> proxyAttempts = new HashMap<>();
    /** Seconds between two log lines of one flood-prone kind (the stats count every one). */
    static final long WARN_INTERVAL = 10;
    private Consumer<String> warnings = LOG::warn;
    /**
     * Where a request left to a live partner goes, to be counted: at once ({@code peer_bucket}) by
     * default; the server keeps the last ones, to answer them if that partner turns out dead.
     */
    private BiConsumer<DhcpPacket, Inbound> leftToPartner;
    private final RateLimitedWarning poolExhaustedWarning = new RateLimitedWarning(WARN_INTERVAL, w -> warnings.accept(w));
    private final RateLimitedWarning unknownRelayWarning = new RateLimitedWarning(WARN_INTERVAL, w -> warnings.accept(w));
    private final RateLimitedWarning badMacWarning = new RateLimitedWarning(WARN_INTERVAL, w -> warnings.accept(w));

    public DhcpEngine(DhcpServerConfig cfg, BootPolicy policy, LeaseStore leases, DhcpStats stats) {
        this(cfg, policy, leases, stats, () -> ServerShare.ALL);
    }

    /**
     * An engine that answers only its {@code share} of the clients (asked per request: it changes
     * when another server of the pair dies or comes back).
     */
    public DhcpEngine(DhcpServerConfig cfg, BootPolicy policy, LeaseStore leases, DhcpStats stats, Supplier<ServerShare> share) {
        this.share = share;
        this.cfg = cfg;
        this.policy = policy;
        this.leases = leases;
        this.stats = stats;
        this.reserved = cfg.reserved().stream().mapToInt(Ipv4::value).sorted().toArray();
        this.leftToPartner = (p, in) -> stats.peerBucket();
    }

    private boolean excluded(int ip) {
        return ip == cfg.serverAddress().value() || Arrays.binarySearch(reserved, ip) >= 0;
    }

    /** Handles one request; null = no answer (counted in the stats). */
    public synchronized Reply handle(DhcpPacket p, Inbound in, long now) {
        Optional<MessageType> type = p.messageType();
        Optional<MacAddress> mac = p.mac();
        if (p.op() != DhcpPacket.BOOTREQUEST || type.isEmpty() || mac.isEmpty()) {
            stats.ignored();
            return null;
        }
        if (mac.get().isMulticast() || mac.get().isZero()) {
            // a forged or broken client: an offer "to" a group address would reach every member
            stats.badClientMac();
            badMacWarning.warn(now, () -> "dropped a DHCP " + type.get() + " from client MAC " + mac.get()
                    + ": a multicast, broadcast or all-zero MAC is no NIC's");
            return null;
        }
        BootRequest req = bootRequest(p, mac.get(), in);
        if (cfg.proxyPort() != 0 && in.localPort() == cfg.proxyPort()) {
            return proxyBootServer(p, type.get(), req, in);
        }
        if (cfg.mode() == DhcpServerConfig.Mode.PROXY) {
            return proxy(p, type.get(), req, in, now);
        }
        DhcpSubnet subnet = subnetFor(p, in);
        if (subnet == null) {
            if (p.relayed() || p.options().linkSelection().isPresent()) {
                stats.unknownRelay();
                Ipv4 where = p.options().linkSelection().orElse(p.giaddr());
                unknownRelayWarning.warn(now, () -> "dropped a relayed DHCP " + type.get() + " from " + mac.get() + ": relay agent "
                        + p.giaddr() + (p.options().linkSelection().isPresent() ? " (link selection " + where + ")" : "")
                        + " is in none of the served subnets " + cfg.subnets().stream().map(s -> s.cidr().toString()).toList());
            } else {
                stats.ignored();
            }
            return null;
        }
        if (!forThisServer(p, type.get())) {
            leftToPartner.accept(p, in); // counted there: once, as peer_bucket or as its answer if it gets one after all
            return null;
        }
        return switch (type.get()) {
            case DISCOVER -> discover(p, req, subnet, in, now);
            case REQUEST -> request(p, req, subnet, in, now);
            case DECLINE -> decline(p, req, now);
            case RELEASE -> release(p);
            case INFORM -> inform(p, req, subnet, in);
            default -> ignore();
        };
    }

    /** Where rate-limited warnings go (the log; tests capture them). */
    DhcpEngine warningsTo(Consumer<String> sink) {
        this.warnings = sink;
        return this;
    }

    /**
     * Hands each request this engine leaves to a live partner to {@code sink}, on the thread that
     * called {@link #handle}, instead of counting it as {@code peer_bucket} at once: the server keeps
     * the last ones ({@link PartnerBacklog}) and answers them through {@link #handle} again if the
     * partner turns out dead, instead of waiting for the client's retransmission. Each request is
     * counted once (the metric counts messages by what the server did with them): as its answer
     * then, or by the sink as {@code peer_bucket} ({@link DhcpStats#peerBucket}) when it leaves
     * unanswered.
     */
    public DhcpEngine leavingToPartner(BiConsumer<DhcpPacket, Inbound> sink) {
        this.leftToPartner = sink;
        return this;
    }

    /**
     * Load balancing (RFC 3074, as Kea's HA load-balancing mode): while another server of the pair
     * is alive, a DISCOVER, and a REQUEST that names no server (INIT-REBOOT, RENEWING, REBINDING),
     * are this server's only when the client's bucket is in its share, or when the client has been
     * asking for {@value #PARTNER_GRACE_SECONDS} s or more ({@code secs}); the partner answers the
     * rest. A REQUEST naming a server is that server's (RFC 2131), whatever the bucket: it is the
     * client's answer to that server's OFFER.
     */
    private boolean forThisServer(DhcpPacket p, MessageType type) {
        if (type != MessageType.DISCOVER && (type != MessageType.REQUEST || p.options().ip(DhcpOption.SERVER_ID).isPresent())) {
            return true;
        }
        ServerShare s = share.get();
        return s.alone() || s.answers(ClientBuckets.of(p)) || p.secs() >= PARTNER_GRACE_SECONDS;
    }

    /** Pool addresses this server allocates first: its part of the pool while it shares the clients. */
    private IntPredicate preferred() {
        ServerShare s = share.get();
        return s.alone() ? ip -> true : s::owns;
    }

    private Reply ignore() {
        stats.ignored();
        return null;
    }

    static BootRequest bootRequest(DhcpPacket p, MacAddress mac, Inbound in) {
        DhcpOptions o = p.options();
        return new BootRequest(mac, o.clientUuid(), o.clientArch(), o.string(DhcpOption.VENDOR_CLASS), o.userClass(),
                p.relayed() ? Optional.of(p.giaddr()) : Optional.empty(),
                in.local().value() != 0 ? Optional.of(in.local()) : Optional.empty());
    }

    /** The subnet by RFC 3527/3011 link selection, else giaddr, else the receiving address. */
    DhcpSubnet subnetFor(DhcpPacket p, Inbound in) {
        Optional<Ipv4> link = p.options().linkSelection();
        Ipv4 where = link.isPresent() ? link.get()
                : p.relayed() ? p.giaddr()
                : in.local().value() != 0 ? in.local()
                : p.ciaddr().value() != 0 ? p.ciaddr() : cfg.serverAddress();
        for (DhcpSubnet s : cfg.subnets()) {
            if (s.cidr().contains(where)) {
                return s;
            }
        }
        return null;
    }

    private static String clientKey(DhcpPacket p) {
        Optional<byte[]> id = p.options().get(DhcpOption.CLIENT_ID);
        if (id.isPresent() && id.get().length > 0) {
            return "id:" + HexFormat.of().formatHex(id.get());
        }
        return "hw:" + HexFormat.of().formatHex(p.chaddr(), 0, p.hlen());
    }

    private Ipv4 serverId(Inbound in) {
        return in.local().value() != 0 ? in.local() : cfg.serverAddress();
    }

    private boolean ours(Ipv4 id, Inbound in) {
        return id.equals(serverId(in)) || id.equals(cfg.serverAddress());
    }

    // ---------------------------------------------------------------- full mode

    private Reply discover(DhcpPacket p, BootRequest req, DhcpSubnet subnet, Inbound in, long now) {
        BootDecision d = policy.decide(req);
        Optional<NetworkAssignment> a = d.reservation();
        int ip;
        int lease;
        if (a.isPresent()) {
            if (!subnet.cidr().contains(a.get().address())) {
                LOG.warn("{} ({}) asks on {} but is reserved {} on another network; not answering",
                        req.mac(), d.machine().orElse("?"), subnet.cidr(), a.get().address());
                return ignore();
            }
            ip = a.get().address().value();
            lease = a.get().leaseSeconds();
        } else if (d.machine().isPresent()) {
            return ipv6Only(d, req);
        } else if (subnet.pool().isPresent()) {
            String key = clientKey(p);
            int requested = p.options().ip(DhcpOption.REQUESTED_IP).map(Ipv4::value).orElse(0);
            ip = leases.allocate(subnet.pool().get(), key, requested, now, this::excluded, preferred());
            if (ip == 0) {
                stats.poolExhausted();
                AddressPool pool = subnet.pool().get();
                poolExhaustedWarning.warn(now, () -> "pool " + pool + " exhausted: no address for " + req.mac());
                return null;
            }
            if (!isProbe(req)) {
                leases.offer(key, req.mac().toHex(), ip, now + cfg.offerHoldSeconds());
            } // a Yoo server's probe never REQUESTs: its offer holds nothing (and the ledger sees no claim)
            lease = subnet.leaseSeconds();
        } else {
            return ignore(); // unknown machine and no pool: not ours to answer
        }
        stats.offer();
        return full(p, MessageType.OFFER, new Ipv4(ip), lease, subnet, a, d.target(), req, in);
    }

    /** A rogue-server probe of a Yoo server ({@link DhcpProbe}): answered, but its offer is not held. */
    private static boolean isProbe(BootRequest req) {
        return req.userClass().filter(DhcpProbe.USER_CLASS::equals).isPresent();
    }

    private Reply request(DhcpPacket p, BootRequest req, DhcpSubnet subnet, Inbound in, long now) {
        Optional<Ipv4> sid = p.options().ip(DhcpOption.SERVER_ID);
        String key = clientKey(p);
        if (sid.isPresent() && !ours(sid.get(), in)) {
            // SELECTING, and the client chose another server: our offer is void
            int held = leases.addressOf(key);
            if (held != 0 && leases.byAddress(new Ipv4(held)).map(l -> l.state() == Lease.State.OFFERED).orElse(false)) {
                leases.release(key, held);
            }
            return ignore();
        }
        Ipv4 wanted = p.options().ip(DhcpOption.REQUESTED_IP).orElse(p.ciaddr());
        BootDecision d = policy.decide(req);
        Optional<NetworkAssignment> a = d.reservation();
        if (a.isPresent()) {
            Ipv4 ip = a.get().address();
            if (!wanted.equals(ip) || !subnet.cidr().contains(ip)) {
                return nak(p, in, "reserved " + ip + ", asked for " + wanted);
            }
            Optional<Lease> other = leases.byAddress(ip);
            if (other.isPresent() && !other.get().client().equals(key)) {
                LOG.warn("{} became {}'s reservation: revoking the dynamic lease of {}", ip, d.machine().orElse("?"),
                        other.get().mac());
                leases.revoke(ip.value());
            }
            ack(d, req, ip);
            return full(p, MessageType.ACK, ip, a.get().leaseSeconds(), subnet, a, d.target(), req, in);
        }
        if (d.machine().isPresent()) {
            return ipv6Only(d, req);
        }
        if (subnet.pool().isPresent()) {
            int ip = wanted.value();
            if (subnet.pool().get().contains(wanted) && !excluded(ip) && leases.availableTo(ip, key, now)) {
                leases.bind(key, req.mac().toHex(), ip, now + subnet.leaseSeconds());
                ack(d, req, wanted);
                return full(p, MessageType.ACK, wanted, subnet.leaseSeconds(), subnet, a, d.target(), req, in);
            }
            return nak(p, in, wanted + " is not free in " + subnet.pool().get());
        }
        if (sid.isPresent() || subnet.cidr().contains(wanted)) {
            return nak(p, in, "no reservation and no pool");
        }
        return ignore();
    }

    /**
     * A known machine the policy reserves no IPv4 address for is IPv6-only (machines[].ipv6 and no
     * ip): it must not get a pool lease, or it would boot over IPv4 after all. Not answered.
     */
    private Reply ipv6Only(BootDecision d, BootRequest req) {
        LOG.debug("{} ({}) has no IPv4 reservation (IPv6-only): no DHCPv4 answer", req.mac(), d.machine().orElse("?"));
        return ignore();
    }

    private void ack(BootDecision d, BootRequest req, Ipv4 ip) {
        stats.ack();
        policy.observe(new Sighting(Sighting.Protocol.DHCP, d.machine(), Optional.of(req.mac()), Optional.of(ip), "dhcp-ack"));
    }

    private Reply nak(DhcpPacket p, Inbound in, String why) {
        stats.nak();
        LOG.debug("NAK {}: {}", p.mac().orElse(null), why);
        DhcpOptions o = DhcpOptions.builder().messageType(MessageType.NAK).ip(DhcpOption.SERVER_ID, serverId(in))
                .string(DhcpOption.MESSAGE, why).build();
        DhcpPacket r = new DhcpPacket(DhcpPacket.BOOTREPLY, p.htype(), p.hlen(), 0, p.xid(), 0,
                p.relayed() ? p.flags() | DhcpPacket.FLAG_BROADCAST : p.flags(), ZERO, ZERO, ZERO, p.giaddr(),
                p.chaddr(), "", "", o);
        if (p.relayed()) {
            return new Reply(r, p.giaddr(), cfg.serverPort(), 0, serverId(in));
        }
        return new Reply(r, BROADCAST, cfg.clientPort(), in.ifIndex(), serverId(in));
    }

    /**
     * Another pool address for {@code client}, whose offer of {@code taken} another server holds in
     * the shared lease ledger (the holder is already recorded): allocated in the pool that holds
     * {@code taken} and offered (held) as usual, none of {@code refused} (the addresses the
     * ledger refused this batch already: the store keeps one offer per client, so a holder of two
     * claims would otherwise free one as the other is learnt, and the rounds ping-pong between
     * them). 0 when the pool has no other free address.
     */
    int reoffer(String client, String mac, Ipv4 taken, long now, IntPredicate refused) {
        for (DhcpSubnet s : cfg.subnets()) {
            if (s.pool().isPresent() && s.pool().get().contains(taken)) {
                int ip = leases.allocate(s.pool().get(), client, 0, now, a -> excluded(a) || refused.test(a), preferred());
                if (ip != 0 && ip != taken.value()) {
                    leases.offer(client, mac, ip, now + cfg.offerHoldSeconds());
                    return ip;
                }
                return 0;
            }
        }
        return 0;
    }

    /**
     * The NAK that replaces {@code ack} when the shared lease ledger gives its address to another
     * client (another server bound it first): same client, transaction and server identifier, and
     * it goes where the ACK would have gone. Sent at once, it makes the client start over with a
     * DISCOVER now; a withheld ACK left it retrying its REQUEST until its own timeout (dhclient: 10 s).
     */
    static DhcpPacket nakInsteadOf(DhcpPacket ack, String why) {
        DhcpOptions.Builder o = DhcpOptions.builder().messageType(MessageType.NAK);
        ack.options().ip(DhcpOption.SERVER_ID).ifPresent(id -> o.ip(DhcpOption.SERVER_ID, id));
        return new DhcpPacket(DhcpPacket.BOOTREPLY, ack.htype(), ack.hlen(), 0, ack.xid(), 0,
                ack.relayed() ? ack.flags() | DhcpPacket.FLAG_BROADCAST : ack.flags(), ZERO, ZERO, ZERO, ack.giaddr(),
                ack.chaddr(), "", "", o.string(DhcpOption.MESSAGE, why).build());
    }

    private Reply decline(DhcpPacket p, BootRequest req, long now) {
        Optional<Ipv4> ip = p.options().ip(DhcpOption.REQUESTED_IP);
        stats.decline();
        if (ip.isEmpty()) {
            return null;
        }
        if (excluded(ip.get().value())) {
            LOG.error("{} declined {}: another host uses this RESERVED address; find it (arping {})", req.mac(),
                    ip.get(), ip.get());
            return null;
        }
        if (leases.availableTo(ip.get().value(), clientKey(p), now)) {
            LOG.warn("{} declined {}: in use by an unknown host; not offering it for {} s", req.mac(), ip.get(), DECLINE_HOLD);
            leases.decline(ip.get().value(), now + DECLINE_HOLD);
        }
        return null;
    }

    private Reply release(DhcpPacket p) {
        stats.release();
        leases.release(clientKey(p), p.ciaddr().value());
        return null;
    }

    private Reply inform(DhcpPacket p, BootRequest req, DhcpSubnet subnet, Inbound in) {
        stats.inform();
        BootDecision d = policy.decide(req);
        DhcpOptions.Builder b = DhcpOptions.builder().messageType(MessageType.ACK).ip(DhcpOption.SERVER_ID, serverId(in));
        networkOptions(b, subnet, d.reservation());
        Boot boot = boot(b, d.target(), req);
        DhcpPacket r = new DhcpPacket(DhcpPacket.BOOTREPLY, p.htype(), p.hlen(), 0, p.xid(), 0, p.flags(), p.ciaddr(),
                ZERO, boot.siaddr, p.giaddr(), p.chaddr(), "", boot.file, b.build());
        if (p.relayed()) {
            return new Reply(r, p.giaddr(), cfg.serverPort(), 0, serverId(in));
        }
        Ipv4 to = p.ciaddr().value() != 0 ? p.ciaddr() : in.peer();
        return new Reply(r, to, in.peerPort() != 0 ? in.peerPort() : cfg.clientPort(), 0, serverId(in));
    }

    private Reply full(DhcpPacket p, MessageType t, Ipv4 yiaddr, int lease, DhcpSubnet subnet,
            Optional<NetworkAssignment> a, BootTarget target, BootRequest req, Inbound in) {
        DhcpOptions.Builder b = DhcpOptions.builder().messageType(t).ip(DhcpOption.SERVER_ID, serverId(in))
                .u32(DhcpOption.LEASE_TIME, lease).u32(DhcpOption.RENEWAL_TIME, lease / 2)
                .u32(DhcpOption.REBINDING_TIME, (int) (lease * 7L / 8));
        networkOptions(b, subnet, a);
        Boot boot = boot(b, target, req);
        if (cfg.ipxeNoProxyWait() && (req.isIpxe() || req.isNetworkBootFirmware())) {
            b.encapsulate(DhcpOption.IPXE_ENCAP, IPXE_NO_PROXY);
        }
        DhcpPacket r = new DhcpPacket(DhcpPacket.BOOTREPLY, p.htype(), p.hlen(), 0, p.xid(), 0, p.flags(), ZERO, yiaddr,
                boot.siaddr, p.giaddr(), p.chaddr(), "", boot.file, b.build());
        return route(p, r, in);
    }

    /** RFC 2131 4.1: to the relay; else to ciaddr; else broadcast out of the arrival interface. */
    private Reply route(DhcpPacket p, DhcpPacket r, Inbound in) {
        if (p.relayed()) {
            return new Reply(r, p.giaddr(), cfg.serverPort(), 0, serverId(in));
        }
        if (p.ciaddr().value() != 0) {
            return new Reply(r, p.ciaddr(), cfg.clientPort(), 0, serverId(in));
        }
        // broadcast even without the flag: unicast to yiaddr would need an ARP entry we cannot add portably
        return new Reply(r, BROADCAST, cfg.clientPort(), in.ifIndex(), serverId(in));
    }

    private static void networkOptions(DhcpOptions.Builder b, DhcpSubnet subnet, Optional<NetworkAssignment> a) {
        b.ip(DhcpOption.SUBNET_MASK, subnet.cidr().netmask());
        b.ip(DhcpOption.BROADCAST, subnet.cidr().broadcast());
        Optional<Ipv4> gw = a.isPresent() && a.get().gateway().isPresent() ? a.get().gateway() : subnet.gateway();
        gw.ifPresent(g -> b.ip(DhcpOption.ROUTER, g));
        var dns = a.isPresent() && !a.get().dns().isEmpty() ? a.get().dns() : subnet.dns();
        if (!dns.isEmpty()) {
            b.ips(DhcpOption.DNS, dns);
        }
        String domain = a.isPresent() && !a.get().domain().isEmpty() ? a.get().domain() : subnet.domain();
        if (!domain.isEmpty()) {
            b.string(DhcpOption.DOMAIN_NAME, domain);
        }
        if (a.isPresent() && !a.get().hostname().isEmpty()) {
            b.string(DhcpOption.HOSTNAME, a.get().hostname());
        }
    }

    private record Boot(Ipv4 siaddr, String file) {}

    /** Puts the boot target into the reply: next-server + file field + options 66/67/60/43. */
    private static Boot boot(DhcpOptions.Builder b, BootTarget target, BootRequest req) {
        switch (target) {
            case BootTarget.TftpFile t -> {
                b.string(DhcpOption.TFTP_SERVER, t.server().toString());
                b.string(DhcpOption.BOOTFILE, t.file());
                if (req.isNetworkBootFirmware()) {
                    b.encapsulate(DhcpOption.VENDOR_SPECIFIC, PXE_VENDOR);
                }
                return new Boot(t.server(), t.file().length() < 128 ? t.file() : "");
            }
            case BootTarget.HttpUrl h -> {
                b.string(DhcpOption.BOOTFILE, h.url());
                if (h.echoVendorClass()) {
                    b.put(DhcpOption.VENDOR_CLASS, HTTP_CLIENT);
                }
                return new Boot(ZERO, h.url().length() < 128 ? h.url() : "");
            }
            case BootTarget.LocalDisk l -> {
                // no boot file: PXE firmware gives up on the network and boots the next device (disk)
                return new Boot(ZERO, "");
            }
            case BootTarget.None n -> {
                return new Boot(ZERO, "");
            }
        }
    }

    // ---------------------------------------------------------------- proxy mode

    private static boolean hasBootInfo(BootTarget t) {
        return t instanceof BootTarget.TftpFile || t instanceof BootTarget.HttpUrl;
    }

    /** Port 67 beside another server: PXE clients only, boot info without an address. */
    private Reply proxy(DhcpPacket p, MessageType type, BootRequest req, Inbound in, long now) {
        if (!req.isNetworkBootFirmware()) {
            return ignore();
        }
        if (type == MessageType.REQUEST) {
            Optional<Ipv4> sid = p.options().ip(DhcpOption.SERVER_ID);
            long[] att = proxyAttempts.get(req.mac());
            if (sid.isPresent() && ours(sid.get(), in)) {
                if (att != null && att[0] >= cfg.proxyFallbackAfter() && cfg.proxyFallbackAfter() > 0) {
                    return fallback(p, MessageType.REQUEST, req, in);
                }
                return proxyAck(p, req, in, MessageType.ACK); // boot-server request sent to 67
            }
            proxyAttempts.remove(req.mac()); // it took the other server's address: it is progressing
            return ignore();
        }
        if (type != MessageType.DISCOVER) {
            return ignore();
        }
        if (cfg.proxyFallbackAfter() > 0) {
            if (proxyAttempts.size() > 10_000) {
                proxyAttempts.clear();
            }
            long[] att = proxyAttempts.computeIfAbsent(req.mac(), k -> new long[] {0, now});
            if (now - att[1] > FALLBACK_WINDOW) {
                att[0] = 0;
                att[1] = now;
            }
            att[0]++;
            if (att[0] > cfg.proxyFallbackAfter()) {
                Reply r = fallback(p, MessageType.DISCOVER, req, in);
                if (r != null) {
                    return r;
                }
            }
        }
        return proxyAck(p, req, in, MessageType.OFFER);
    }

    /** The firmware keeps DISCOVERing despite proxy offers: give a known machine a full lease. */
    private Reply fallback(DhcpPacket p, MessageType type, BootRequest req, Inbound in) {
        BootDecision d = policy.decide(req);
        DhcpSubnet subnet = subnetFor(p, in);
        if (d.reservation().isEmpty() || subnet == null || !subnet.cidr().contains(d.reservation().get().address())) {
            return null; // never hand out addresses in the other server's range
        }
        stats.proxyFallback();
        LOG.info("{} ({}) ignores proxy offers: answering with a full offer of its reservation", req.mac(),
                d.machine().orElse("?"));
        NetworkAssignment a = d.reservation().get();
        if (type == MessageType.REQUEST) {
            ack(d, req, a.address());
        }
        return full(p, type == MessageType.DISCOVER ? MessageType.OFFER : MessageType.ACK, a.address(), a.leaseSeconds(),
                subnet, d.reservation(), d.target(), req, in);
    }

    /** Port 4011 (PXE boot server): REQUEST/INFORM in, ACK with the boot file out, unicast back. */
    private Reply proxyBootServer(DhcpPacket p, MessageType type, BootRequest req, Inbound in) {
        if (type != MessageType.REQUEST && type != MessageType.INFORM) {
            return ignore();
        }
        Reply r = proxyAck(p, req, in, MessageType.ACK);
        if (r == null) {
            return null;
        }
        return new Reply(r.packet(), in.peer(), in.peerPort(), 0, serverId(in));
    }

    private Reply proxyAck(DhcpPacket p, BootRequest req, Inbound in, MessageType t) {
        BootDecision d = policy.decide(req);
        if (!hasBootInfo(d.target())) {
            return ignore();
        }
        stats.proxyReply();
        policy.observe(new Sighting(Sighting.Protocol.DHCP, d.machine(), Optional.of(req.mac()), Optional.empty(),
                t == MessageType.OFFER ? "dhcp-proxy-offer" : "dhcp-proxy-ack"));
        DhcpOptions.Builder b = DhcpOptions.builder().messageType(t).ip(DhcpOption.SERVER_ID, serverId(in))
                .put(DhcpOption.VENDOR_CLASS, PXE_CLIENT);
        p.options().get(DhcpOption.CLIENT_UUID).ifPresent(u -> b.put(DhcpOption.CLIENT_UUID, u));
        Boot boot = boot(b, d.target(), req);
        if (!b.build().has(DhcpOption.VENDOR_SPECIFIC)) {
            b.encapsulate(DhcpOption.VENDOR_SPECIFIC, PXE_VENDOR);
        }
        DhcpPacket r = new DhcpPacket(DhcpPacket.BOOTREPLY, p.htype(), p.hlen(), 0, p.xid(), 0, p.flags(), p.ciaddr(),
                ZERO, boot.siaddr.value() != 0 ? boot.siaddr : cfg.serviceAddress().orElse(serverId(in)), p.giaddr(), p.chaddr(), "",
                boot.file, b.build());
        return route(p, r, in);
    }

    /** Number of machines currently tracked for the proxy fallback (tests). */
    synchronized int proxyTracked() {
        return proxyAttempts.size();
    }

}
