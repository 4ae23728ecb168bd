package io.yoo.installer.dhcp.v6.server;

import io.yoo.installer.api.boot.BootDecision;
import io.yoo.installer.api.boot.BootPolicy;
import io.yoo.installer.api.boot.BootRequest;
import io.yoo.installer.api.boot.BootTarget;
import io.yoo.installer.api.boot.Sighting;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.dhcp.v6.codec.Dhcp6Message;
import io.yoo.installer.dhcp.v6.codec.Dhcp6MessageType;
import io.yoo.installer.dhcp.v6.codec.Dhcp6Option;
import io.yoo.installer.dhcp.v6.codec.Dhcp6Options;
import io.yoo.installer.dhcp.v6.codec.Duid;
import io.yoo.installer.dhcp.v6.codec.IaAddress;
import io.yoo.installer.dhcp.v6.codec.IaNa;
import io.yoo.installer.dhcp.v6.codec.Ipv6;
import io.yoo.installer.dhcp.v6.codec.StatusCode;
import io.yoo.installer.dhcp.v6.lease.Lease6;
import io.yoo.installer.dhcp.v6.lease.Lease6Store;
import io.yoo.installer.dhcp.v6.probe.Dhcp6Probe;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DHCPv6 server state machine (RFC 8415 section 18.3), socket-free: a decoded message and
 * where it came from in, the reply and where it goes out. Stateful IA_NA addresses from a
 * reservation (by DUID, else by MAC) or the subnet's dynamic range; Rapid Commit; relayed
 * messages answered through the same relays (RELAY-REPL per hop, interface-id echoed).
 * PXE: the {@link BootPolicy} picks the target; {@code TftpFile} becomes option 59
 * {@code tftp://[bootServer]/file}, {@code HttpUrl} is sent as it is.
 */
public final class Dhcp6Engine {
    private static final Logger LOG = LoggerFactory.getLogger(Dhcp6Engine.class);
    private static final long DECLINE_HOLD = 600;
    /** RFC 5970 / UEFI: the IANA enterprise number EDK2 uses in option 16 (Intel, 343). */
    private static final int UEFI_ENTERPRISE = 343;
    private static final MacAddress NO_MAC = new MacAddress(0);

    /**
     * Where a datagram came in: its source, the arrival interface, and an address of the
     * server on that link ({@code onLink}, for picking the subnet of direct messages; unspecified
     * when unknown).
     */
    public record Inbound(Ipv6 peer, int peerPort, int ifIndex, Ipv6 onLink) {}

    /** A reply and its destination; {@code ifIndex} is the scope of a link-local destination. */
    public record Reply(Dhcp6Message message, Ipv6 to, int port, int ifIndex) {}

    private final Dhcp6Config cfg;
    private final BootPolicy policy;
    private final Lease6Store leases;
    private final Dhcp6Stats stats;

    public Dhcp6Engine(Dhcp6Config cfg, BootPolicy policy, Lease6Store leases, Dhcp6Stats stats) {
        this.cfg = cfg;
        this.policy = policy;
        this.leases = leases;
        this.stats = stats;
    }

    /** What the client's message looked like on arrival: the relays it came through (outermost first). */
    private record Context(Dhcp6Message.Client msg, List<Dhcp6Message.Relay> relays, Inbound in, Dhcp6Subnet subnet,
            Duid client, Optional<MacAddress> mac) {}

    /** Handles one message; null = no answer (counted in the stats). */
    public synchronized Reply handle(Dhcp6Message m, Inbound in, long now) {
        List<Dhcp6Message.Relay> relays = new ArrayList<>(1);
        Dhcp6Message cur = m;
        while (cur instanceof Dhcp6Message.Relay r) {
            if (r.type() != Dhcp6MessageType.RELAY_FORW) {
                return ignore(); // RELAY-REPL is a server's output, not ours to answer
            }
            relays.add(r);
            cur = r.relayed();
        }
        Dhcp6Message.Client msg = (Dhcp6Message.Client) cur;
        if (!relays.isEmpty()) {
            stats.relayed();
        }
        Optional<Duid> client = msg.options().clientId();
        int type = msg.type();
        if (!isClientMessage(type)) {
            return ignore();
        }
        if (client.isEmpty() && type != Dhcp6MessageType.INFORMATION_REQUEST) {
            return ignore(); // RFC 8415 16: every stateful message carries a client identifier
        }
        if (!serverIdAcceptable(type, msg.options())) {
            return ignore();
        }
        Dhcp6Subnet subnet = subnetFor(relays, in);
        if (subnet == null) {
            if (!relays.isEmpty()) {
                stats.unknownLink();
                LOG.debug("relayed {} for link {}: in no served subnet", Dhcp6MessageType.name(type), linkAddress(relays));
            } else {
                stats.ignored();
            }
            return null;
        }
        Optional<MacAddress> mac = relays.isEmpty() ? Optional.empty() : relays.getLast().options().clientLinkLayerMac();
        if (mac.isEmpty() && client.isPresent()) {
            mac = client.get().mac();
        }
        Context c = new Context(msg, relays, in, subnet, client.orElse(null), mac);
        return switch (type) {
            case Dhcp6MessageType.SOLICIT -> solicit(c, now);
            case Dhcp6MessageType.REQUEST -> assign(c, now, true, Dhcp6MessageType.REPLY);
            case Dhcp6MessageType.RENEW, Dhcp6MessageType.REBIND -> renew(c, now);
            case Dhcp6MessageType.RELEASE -> release(c);
            case Dhcp6MessageType.DECLINE -> decline(c, now);
            case Dhcp6MessageType.CONFIRM -> confirm(c);
            case Dhcp6MessageType.INFORMATION_REQUEST -> inform(c);
            default -> ignore();
        };
    }

    private static boolean isClientMessage(int type) {
        return switch (type) {
            case Dhcp6MessageType.SOLICIT, Dhcp6MessageType.REQUEST, Dhcp6MessageType.CONFIRM, Dhcp6MessageType.RENEW,
                    Dhcp6MessageType.REBIND, Dhcp6MessageType.RELEASE, Dhcp6MessageType.DECLINE,
                    Dhcp6MessageType.INFORMATION_REQUEST -> true;
            default -> false;
        };
    }

    /** RFC 8415 16: which messages must, may or must not name a server, and that it be us. */
    private boolean serverIdAcceptable(int type, Dhcp6Options o) {
        Optional<Duid> sid = o.serverId();
        return switch (type) {
            case Dhcp6MessageType.SOLICIT, Dhcp6MessageType.CONFIRM, Dhcp6MessageType.REBIND -> sid.isEmpty();
            case Dhcp6MessageType.REQUEST, Dhcp6MessageType.RENEW, Dhcp6MessageType.RELEASE, Dhcp6MessageType.DECLINE ->
                sid.isPresent() && sid.get().equals(cfg.serverDuid());
            default -> sid.isEmpty() || sid.get().equals(cfg.serverDuid()); // INFORMATION-REQUEST
        };
    }

    /** The link: the relay closest to the client's link-address (outward while unspecified), else the arrival link. */
    private Dhcp6Subnet subnetFor(List<Dhcp6Message.Relay> relays, Inbound in) {
        Ipv6 where = relays.isEmpty() ? in.onLink() : linkAddress(relays);
        for (Dhcp6Subnet s : cfg.subnets()) {
            if (!where.isUnspecified() && s.contains(where)) {
                return s;
            }
        }
        // a direct message on a link we know no global address of: the one subnet, if only one
        return relays.isEmpty() && cfg.subnets().size() == 1 ? cfg.subnets().getFirst() : null;
    }

    private static Ipv6 linkAddress(List<Dhcp6Message.Relay> relays) {
        for (int i = relays.size() - 1; i >= 0; i--) {
            if (!relays.get(i).linkAddress().isUnspecified()) {
                return relays.get(i).linkAddress();
            }
        }
        return Ipv6.UNSPECIFIED;
    }

    private Reply ignore() {
        stats.ignored();
        return null;
    }

    private static String key(Duid client, int iaid) {
        return client.toHex() + "/" + Integer.toUnsignedString(iaid);
    }

    private String macText(Context c) {
        return c.mac().map(MacAddress::toHex).orElse("-");
    }

    /** The reserved address of this client on this subnet, if any: by DUID first, then by MAC. */
    private Optional<Ipv6> reservation(Context c) {
        if (c.client() == null) {
            return Optional.empty();
        }
        Ipv6 a = cfg.byDuid().get(c.client());
        if (a == null && c.mac().isPresent()) {
            a = cfg.byMac().get(c.mac().get());
        }
        if (a != null && !c.subnet().contains(a)) {
            LOG.warn("{} asks on {} but is reserved {} on another network; no address for it here", c.client(),
                    c.subnet(), a);
            return Optional.empty();
        }
        return Optional.ofNullable(a);
    }

    private boolean excluded(Ipv6 a) {
        return cfg.reserved(a);
    }

    // ------------------------------------------------------------------ messages

    private Reply solicit(Context c, long now) {
        boolean commit = cfg.rapidCommit() && c.msg().options().rapidCommit();
        return assign(c, now, commit, commit ? Dhcp6MessageType.REPLY : Dhcp6MessageType.ADVERTISE);
    }

    /** SOLICIT (advertise or rapid commit) and REQUEST: an address for each IA_NA. */
    private Reply assign(Context c, long now, boolean commit, int replyType) {
        Dhcp6Subnet s = c.subnet();
        Optional<Ipv6> reserved = reservation(c);
        Dhcp6Options.Builder b = Dhcp6Options.builder();
        boolean any = false;
        boolean first = true;
        List<IaNa> ias = c.msg().options().iaNas();
        for (IaNa ia : ias) {
            String k = key(c.client(), ia.iaid());
            Ipv6 ip = null;
            if (first && reserved.isPresent()) {
                ip = reserved.get();
                if (commit) {
                    Optional<Lease6> other = leases.byAddress(ip);
                    if (other.isPresent() && !other.get().client().equals(k)) {
                        LOG.warn("{} became {}'s reservation: revoking the dynamic lease of {}", ip, c.client(),
                                other.get().client());
                        leases.revoke(ip);
                    }
                }
            } else if (s.rangeStart().isPresent()) {
                ip = hinted(ia, s, k, now);
                if (ip == null) {
                    ip = leases.allocate(s.rangeStart().get(), s.rangeEnd().get(), k, now, this::excluded);
                }
                if (ip != null) {
                    if (commit) {
                        leases.bind(k, macText(c), ip, now + s.validSeconds());
                    } else if (!c.msg().options().userClasses().contains(Dhcp6Probe.USER_CLASS)) {
                        leases.offer(k, macText(c), ip, now + cfg.offerHoldSeconds());
                    } // a Yoo server's probe never REQUESTs: what it is advertised is not held
                }
            }
            first = false;
            if (ip == null) {
                stats.noAddrs();
                b.iaNa(new IaNa(ia.iaid(), 0, 0, List.of(),
                        Optional.of(new StatusCode(Dhcp6Option.STATUS_NO_ADDRS_AVAIL, "no addresses available"))));
                continue;
            }
            any = true;
            b.iaNa(bound(ia.iaid(), ip, s));
            if (commit) {
                observe(c, ip);
            }
        }
        if (ias.isEmpty()) {
            stats.noAddrs(); // nothing asked (IA_TA/IA_PD only): RFC 8415 18.3.9 answers NoAddrsAvail
            b.status(Dhcp6Option.STATUS_NO_ADDRS_AVAIL, "no IA_NA in the request");
        }
        if (replyType == Dhcp6MessageType.ADVERTISE) {
            stats.advertise();
        } else {
            stats.reply();
        }
        ids(b, c);
        if (replyType == Dhcp6MessageType.REPLY && c.msg().type() == Dhcp6MessageType.SOLICIT) {
            b.empty(Dhcp6Option.RAPID_COMMIT);
        }
        if (replyType == Dhcp6MessageType.ADVERTISE && cfg.preference() >= 0) {
            b.put(Dhcp6Option.PREFERENCE, new byte[] {(byte) cfg.preference()});
        }
        if (any || ias.isEmpty()) {
            configuration(b, c);
        }
        return reply(c, replyType, b);
    }

    /** The address the client asks for in its IA (a REQUEST repeats the advertised one), when it may have it. */
    private Ipv6 hinted(IaNa ia, Dhcp6Subnet s, String key, long now) {
        for (IaAddress a : ia.addresses()) {
            Ipv6 ip = a.address();
            if (s.inRange(ip) && !excluded(ip) && leases.availableTo(ip, key, now)) {
                return ip;
            }
        }
        return null;
    }

    private IaNa bound(int iaid, Ipv6 ip, Dhcp6Subnet s) {
        long pref = s.preferredSeconds();
        return new IaNa(iaid, pref / 2, pref * 4 / 5, List.of(new IaAddress(ip, pref, s.validSeconds())), Optional.empty());
    }

    /** RENEW / REBIND: extend what the client may keep; addresses it may not keep go back with lifetimes 0. */
    private Reply renew(Context c, long now) {
        Dhcp6Subnet s = c.subnet();
        Optional<Ipv6> reserved = reservation(c);
        Dhcp6Options.Builder b = Dhcp6Options.builder();
        boolean rebind = c.msg().type() == Dhcp6MessageType.REBIND;
        for (IaNa ia : c.msg().options().iaNas()) {
            String k = key(c.client(), ia.iaid());
            List<IaAddress> out = new ArrayList<>();
            boolean kept = false;
            for (IaAddress a : ia.addresses()) {
                Ipv6 ip = a.address();
                boolean mine = reserved.isPresent() && reserved.get().equals(ip)
                        || s.inRange(ip) && !excluded(ip) && leases.availableTo(ip, k, now);
                if (mine) {
                    if (!reserved.map(ip::equals).orElse(false)) {
                        leases.bind(k, macText(c), ip, now + s.validSeconds());
                    }
                    out.add(new IaAddress(ip, s.preferredSeconds(), s.validSeconds()));
                    observe(c, ip);
                    kept = true;
                } else {
                    out.add(new IaAddress(ip, 0, 0)); // RFC 8415 18.3.4/18.3.5: not valid here any more
                }
            }
            if (!kept && !rebind && out.isEmpty()) {
                b.iaNa(new IaNa(ia.iaid(), 0, 0, List.of(),
                        Optional.of(new StatusCode(Dhcp6Option.STATUS_NO_BINDING, "no binding for this IA"))));
                continue;
            }
            long pref = s.preferredSeconds();
            b.iaNa(new IaNa(ia.iaid(), kept ? pref / 2 : 0, kept ? pref * 4 / 5 : 0, out, Optional.empty()));
        }
        stats.reply();
        ids(b, c);
        configuration(b, c);
        return reply(c, Dhcp6MessageType.REPLY, b);
    }

    private Reply release(Context c) {
        stats.release();
        for (IaNa ia : c.msg().options().iaNas()) {
            for (IaAddress a : ia.addresses()) {
                leases.release(key(c.client(), ia.iaid()), a.address());
            }
        }
        Dhcp6Options.Builder b = Dhcp6Options.builder();
        ids(b, c);
        b.status(Dhcp6Option.STATUS_SUCCESS, "released");
        return reply(c, Dhcp6MessageType.REPLY, b);
    }

    private Reply decline(Context c, long now) {
        stats.decline();
        for (IaNa ia : c.msg().options().iaNas()) {
            for (IaAddress a : ia.addresses()) {
                Ipv6 ip = a.address();
                if (excluded(ip)) {
                    LOG.error("{} declined {}: another host uses this RESERVED address; find it", c.client(), ip);
                } else if (c.subnet().inRange(ip) && leases.availableTo(ip, key(c.client(), ia.iaid()), now)) {
                    LOG.warn("{} declined {}: in use by an unknown host; not offering it for {} s", c.client(), ip, DECLINE_HOLD);
                    leases.decline(ip, now + DECLINE_HOLD);
                }
            }
        }
        Dhcp6Options.Builder b = Dhcp6Options.builder();
        ids(b, c);
        b.status(Dhcp6Option.STATUS_SUCCESS, "declined");
        return reply(c, Dhcp6MessageType.REPLY, b);
    }

    /** CONFIRM (RFC 8415 18.3.3): are the client's addresses still on this link? No addresses: no answer. */
    private Reply confirm(Context c) {
        boolean anyAddress = false;
        boolean onLink = true;
        for (IaNa ia : c.msg().options().iaNas()) {
            for (IaAddress a : ia.addresses()) {
                anyAddress = true;
                onLink &= c.subnet().contains(a.address());
            }
        }
        if (!anyAddress) {
            return ignore();
        }
        stats.confirm();
        Dhcp6Options.Builder b = Dhcp6Options.builder();
        ids(b, c);
        if (onLink) {
            b.status(Dhcp6Option.STATUS_SUCCESS, "all addresses on link");
        } else {
            b.status(Dhcp6Option.STATUS_NOT_ON_LINK, "not on this link");
        }
        return reply(c, Dhcp6MessageType.REPLY, b);
    }

    private Reply inform(Context c) {
        stats.inform();
        Dhcp6Options.Builder b = Dhcp6Options.builder();
        ids(b, c);
        configuration(b, c);
        return reply(c, Dhcp6MessageType.REPLY, b);
    }

    // ------------------------------------------------------------------ options

    private void ids(Dhcp6Options.Builder b, Context c) {
        if (c.client() != null) {
            b.put(Dhcp6Option.CLIENTID, c.client().toBytes());
        }
        b.put(Dhcp6Option.SERVERID, cfg.serverDuid().toBytes());
    }

    /** DNS servers and the boot file URL (RFC 5970) when the client asks for it or is boot firmware. */
    private void configuration(Dhcp6Options.Builder b, Context c) {
        if (!c.subnet().dns().isEmpty()) {
            b.ips(Dhcp6Option.DNS_SERVERS, c.subnet().dns());
        }
        Dhcp6Options o = c.msg().options();
        BootRequest req = bootRequest(c);
        if (!o.requests(Dhcp6Option.BOOTFILE_URL) && !req.isNetworkBootFirmware() && !req.isIpxe()) {
            return;
        }
        BootDecision d = policy.decide(req);
        switch (d.target()) {
            case BootTarget.TftpFile t -> {
                if (cfg.bootServer().isPresent()) {
                    b.string(Dhcp6Option.BOOTFILE_URL, "tftp://[" + cfg.bootServer().get() + "]/" + t.file());
                }
            }
            case BootTarget.HttpUrl h -> {
                b.string(Dhcp6Option.BOOTFILE_URL, h.url());
                if (h.echoVendorClass()) {
                    b.vendorClass(UEFI_ENTERPRISE, List.of("HTTPClient")); // UEFI HTTP Boot wants it back
                }
            }
            case BootTarget.LocalDisk l -> {
                // no boot file: the firmware moves on to the next boot device (the disk)
            }
            case BootTarget.None n -> {
                // not a boot client, or nothing to boot
            }
        }
    }

    /** What the policy needs to know; the MAC is all zeros when neither the DUID nor a relay told it. */
    static BootRequest bootRequest(Dhcp6Message.Client msg, Optional<MacAddress> mac, Optional<Duid> client) {
        Dhcp6Options o = msg.options();
        OptionalInt arch = o.clientArch();
        List<String> vc = o.vendorClasses();
        List<String> uc = o.userClasses();
        return new BootRequest(mac.orElse(NO_MAC), client.flatMap(Duid::uuid), arch,
                vc.isEmpty() ? Optional.empty() : Optional.of(vc.getFirst()),
                uc.isEmpty() ? Optional.empty() : Optional.of(uc.getFirst()), Optional.empty(), Optional.empty());
    }

    private static BootRequest bootRequest(Context c) {
        return bootRequest(c.msg(), c.mac(), Optional.ofNullable(c.client()));
    }

    private void observe(Context c, Ipv6 ip) {
        policy.observe(new Sighting(Sighting.Protocol.DHCP, Optional.empty(), c.mac(), Optional.empty(), "dhcp6-reply " + ip));
    }

    /** Back the way the message came: to the client's source (link-local, port 546), or wrapped per relay to the first relay (547). */
    private Reply reply(Context c, int type, Dhcp6Options.Builder b) {
        Dhcp6Message out = new Dhcp6Message.Client(type, c.msg().transactionId(), b.build());
        if (c.relays().isEmpty()) {
            int port = c.in().peerPort() != 0 ? c.in().peerPort() : cfg.clientPort();
            return new Reply(out, c.in().peer(), port, c.in().ifIndex());
        }
        for (int i = c.relays().size() - 1; i >= 0; i--) {
            Dhcp6Message.Relay r = c.relays().get(i);
            Dhcp6Options.Builder ro = Dhcp6Options.builder();
            r.options().interfaceId().ifPresent(id -> ro.put(Dhcp6Option.INTERFACE_ID, id));
            out = new Dhcp6Message.Relay(Dhcp6MessageType.RELAY_REPL, r.hopCount(), r.linkAddress(), r.peerAddress(), ro.build(), out);
        }
        int port = c.in().peerPort() != 0 ? c.in().peerPort() : cfg.serverPort();
        return new Reply(out, c.in().peer(), port, c.in().ifIndex());
    }
}
