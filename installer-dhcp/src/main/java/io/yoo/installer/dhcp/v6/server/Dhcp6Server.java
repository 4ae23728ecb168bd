package io.yoo.installer.dhcp.v6.server;

import io.yoo.installer.api.boot.BootPolicy;
import io.yoo.installer.api.lifecycle.Lifecycle;
import io.yoo.installer.api.metrics.ServerMetrics;
import io.yoo.installer.dhcp.codec.MalformedPacketException;
import io.yoo.installer.dhcp.net.Datagram;
import io.yoo.installer.dhcp.net.NativeUdpSocket;
import io.yoo.installer.dhcp.server.RateLimitedWarning;
import io.yoo.installer.dhcp.server.ReplyBatches;
import io.yoo.installer.dhcp.v6.codec.Dhcp6Codec;
import io.yoo.installer.dhcp.v6.codec.Dhcp6Message;
import io.yoo.installer.dhcp.v6.codec.Ipv6;
import io.yoo.installer.dhcp.v6.lease.Lease6;
import io.yoo.installer.dhcp.v6.lease.Lease6Ledger;
import io.yoo.installer.dhcp.v6.lease.Lease6Store;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DHCPv6 server's I/O loop, built as the DHCPv4 {@code DhcpServer}'s: UDP {@code [::]:547}
 * (a {@link NativeUdpSocket#ipv6} socket: IPV6_PKTINFO says which interface a datagram came in
 * on), the All_DHCP_Relay_Agents_and_Servers group {@code ff02::1:2} joined on the configured
 * interface. One thread receives up to 64 datagrams with one {@code recvmmsg}, decodes each and
 * asks the {@link Dhcp6Engine}; a second thread writes the batch's lease lines with one
 * {@code write} and only then sends its replies with one {@code sendmmsg} (to the client's
 * link-local address, scoped to the arrival interface, port 546; or to the relay). So a slow
 * disk delays replies but never stops the receiving, and no reply promises a lease that is not
 * in the journal. Malformed datagrams are dropped and counted; nothing escapes the loop.
 *
 * <p>With a {@link Lease6Ledger} ({@link #withLedger}: several servers on one PostgreSQL) the
 * receiving thread commits each message's dynamic-address changes there before its reply is
 * queued (one transaction per message: binds, ADVERTISE claims, releases, declines), learns the
 * holder of each address the ledger refuses and asks the engine again, and reads what the other
 * servers gave about once a second ({@link Lease6Ledger#recent}).
 */
public final class Dhcp6Server implements Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(Dhcp6Server.class);
    /** RFC 8415 section 7.1: All_DHCP_Relay_Agents_and_Servers. */
    public static final String ALL_SERVERS_AND_RELAYS = "ff02::1:2";
    private static final int BATCH = 64;
    /** Bytes per datagram slot: a relayed message several hops deep still fits; longer ones are counted malformed. */
    private static final int CAPACITY = 4096;
    /** Reply batches in flight between the receiving and the sending thread. */
    private static final int BATCHES = 8;
    private static final int SOCKET_BUFFER = 4 << 20;
    /** How often the ledger is asked what the other servers gave. */
    private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Times a message is answered again after the ledger refused its addresses, before it is dropped. */
    private static final int LEDGER_ROUNDS = 8;

    private final Dhcp6Config cfg;
    private final BootPolicy policy;
    private final Clock clock;
    private final Dhcp6Stats stats = new Dhcp6Stats();
    private NativeUdpSocket socket;
    private Lease6Store leases;
    private Dhcp6Engine engine;
    private Dhcp6Engine again;
    private Thread loop;
    private int port;
    private int ifIndex;
    private Ipv6 onLink = Ipv6.UNSPECIFIED;
    private volatile boolean running;
    private Lease6Ledger ledger; // null: the journal alone keeps the leases
    private long lastRefresh = System.nanoTime(); // the receiving thread's
    private final RateLimitedWarning ledgerDown = new RateLimitedWarning(10, LOG::warn);

    public Dhcp6Server(Dhcp6Config cfg, BootPolicy policy) {
        this(cfg, policy, Clock.systemUTC());
    }

    public Dhcp6Server(Dhcp6Config cfg, BootPolicy policy, Clock clock) {
        this.cfg = cfg;
        this.policy = policy;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "dhcp6";
    }

    public Dhcp6Server withMetrics(ServerMetrics m) {
        stats.reportTo(m);
        return this;
    }

    /**
     * Keeps the dynamic leases in {@code l} too, shared with other servers (set before {@link #start}):
     * read back at start before anything is answered, each bind and ADVERTISE claim committed there
     * before its reply leaves, an address the ledger gives another client never given.
     */
    public synchronized Dhcp6Server withLedger(Lease6Ledger l) {
        if (running || leases != null) {
            throw new IllegalStateException("set the lease ledger before start()");
        }
        this.ledger = l;
        return this;
    }

    @Override
    public synchronized void start() throws Exception {
        if (running) {
            throw new IllegalStateException("dhcp6 already started");
        }
        long now = clock.instant().getEpochSecond();
        leases = cfg.leaseDir().isPresent() ? Lease6Store.open(cfg.leaseDir().get(), now) : Lease6Store.inMemory();
        if (ledger != null) {
            try {
                List<Lease6> shared = ledger.load(); // caught up before the first message is answered
                shared.forEach(leases::adopt);
                leases.flush(now);
                leases.recordChanges();
                LOG.info("DHCPv6 read {} leases from the shared lease ledger", shared.size());
            } catch (IOException | RuntimeException e) {
                leases.close();
                throw e;
            }
        }
        engine = new Dhcp6Engine(cfg, policy, leases, stats);
        // a message answered again after the ledger refused its addresses was counted by its first answer
        again = new Dhcp6Engine(cfg, policy, leases, new Dhcp6Stats());
        NativeUdpSocket s = null;
        try {
            s = NativeUdpSocket.ipv6(cfg.serverPort(), null, BATCH, CAPACITY, SOCKET_BUFFER);
            if (cfg.iface() != null) {
                NetworkInterface nif = NetworkInterface.getByName(cfg.iface());
                if (nif == null) {
                    throw new IOException("no interface " + cfg.iface());
                }
                ifIndex = nif.getIndex();
                s.joinGroup6(Ipv6.parse(ALL_SERVERS_AND_RELAYS).toBytes(), ifIndex);
                onLink = servedAddress(nif);
            }
            s.prime();
        } catch (IOException | RuntimeException e) {
            if (s != null) {
                s.release();
            }
            leases.close();
            throw e;
        }
        socket = s;
        port = s.port();
        running = true;
        loop = Thread.ofPlatform().name("dhcp6").daemon().start(this::serve);
        LOG.info("DHCPv6 listening on [::]:{}{} for {} (server DUID {})", port,
                cfg.iface() == null ? "" : " (" + ALL_SERVERS_AND_RELAYS + " on " + cfg.iface() + ")", cfg.subnets(),
                cfg.serverDuid());
    }

    /** The interface's global address that is in a served subnet (direct clients are on that link). */
    private Ipv6 servedAddress(NetworkInterface nif) {
        for (InterfaceAddress ia : nif.getInterfaceAddresses()) {
            if (ia.getAddress() instanceof Inet6Address a6 && !a6.isLinkLocalAddress()) {
                Ipv6 a = Ipv6.of(a6);
                for (Dhcp6Subnet sub : cfg.subnets()) {
                    if (sub.contains(a)) {
                        return a;
                    }
                }
            }
        }
        return Ipv6.UNSPECIFIED;
    }

    /** One batch of replies waiting for its lease lines to be written. */
    private record Outgoing(Datagram[] datagrams, int count) implements ReplyBatches.Batch {}

    /** Receives and answers on this thread; a second one writes the journal and then sends. */
    private void serve() {
        NativeUdpSocket mine = socket; // stop() forgets the field; this thread frees the socket when it leaves
        ReplyBatches<Outgoing> replies = new ReplyBatches<>("dhcp6-send", BATCHES, BATCH, CAPACITY, this::send, () -> { });
        try {
            receiveLoop(ReplyBatches.slots(BATCH, CAPACITY), replies);
        } finally {
            replies.finish();
            mine.release();
        }
    }

    private void receiveLoop(Datagram[] rx, ReplyBatches<Outgoing> replies) {
        while (running) {
            if (ledger != null) {
                refreshFromLedger(); // receive returns at least every 200 ms
            }
            int n;
            try {
                n = socket.receive(rx);
            } catch (IOException e) {
                if (running) {
                    LOG.error("DHCPv6 receive failed, stopping: {}", e.getMessage());
                }
                return;
            }
            if (n == 0) {
                continue;
            }
            stats.batch(n, rx.length);
            Datagram[] tx;
            try {
                tx = replies.free(() -> running); // back-pressure when the sender is far behind
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (tx == null) {
                return;
            }
            long now = clock.instant().getEpochSecond();
            int m = 0;
            for (int i = 0; i < n; i++) {
                stats.received();
                try {
                    if (answer(rx[i], tx[m], now)) {
                        m++;
                    }
                } catch (RuntimeException e) {
                    // a bug must not stop the server: count it as dropped and say what it was
                    stats.malformed();
                    LOG.warn("dhcp6: dropped a datagram from {}: {}", Ipv6.of(rx[i].peer6, 0), e.toString());
                }
            }
            try {
                replies.submit(new Outgoing(tx, m)); // even m == 0: a RELEASE's journal line gets written
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Decodes {@code in}, asks the engine and encodes its reply into {@code out}; false: nothing to send. */
    private boolean answer(Datagram in, Datagram out, long now) {
        if (in.truncated) {
            stats.malformed();
            return false;
        }
        Dhcp6Message m;
        try {
            m = Dhcp6Codec.decode(in.data, 0, in.length);
        } catch (MalformedPacketException e) {
            stats.malformed();
            LOG.debug("dhcp6: malformed datagram from {}: {}", Ipv6.of(in.peer6, 0), e.getMessage());
            return false;
        }
        int scope = in.scopeId != 0 ? in.scopeId : in.ifIndex != 0 ? in.ifIndex : ifIndex;
        Dhcp6Engine.Inbound from = new Dhcp6Engine.Inbound(Ipv6.of(in.peer6, 0), in.peerPort, scope, onLink);
        Dhcp6Engine.Reply r = engine.handle(m, from, now);
        if (ledger != null) {
            r = settle(m, from, now, r);
        }
        if (r == null) {
            return false;
        }
        if (Dhcp6Codec.encodedLength(r.message()) > out.data.length) {
            stats.sendFailure(); // a reply longer than a slot (relays wrapping a big one): counted as not sent
            return false;
        }
        out.length = Dhcp6Codec.encode(r.message(), out.data, 0);
        r.to().write(out.peer6, 0);
        out.peerPort = r.port();
        out.scopeId = r.to().isLinkLocal() || r.to().isMulticast() ? r.ifIndex() : 0;
        out.ifIndex = 0; // the destination's scope (or the route) picks the interface
        return true;
    }

    /**
     * Commits the changes the engine made for one message to the ledger before its reply is queued.
     * Refused addresses (another server bound or claimed them for another client since this one last
     * read the ledger) are learnt and the message answered again, knowing them: another address, or
     * lifetimes 0 for a RENEW of one; still refused after {@value #LEDGER_ROUNDS} rounds, no answer
     * (the client asks again). When the ledger cannot be written, as the v4 server: a reply that
     * binds an address is withheld (the client retries; counted {@code reply_withheld}), an
     * ADVERTISE leaves unclaimed (its REQUEST is committed or withheld in turn), a RELEASE's or
     * DECLINE's reply leaves (the ledger's row expires).
     */
    private Dhcp6Engine.Reply settle(Dhcp6Message m, Dhcp6Engine.Inbound from, long now, Dhcp6Engine.Reply r) {
        for (int round = 1; ; round++) {
            List<Lease6Ledger.Change> changes = leases.takeChanges();
            if (changes.isEmpty()) {
                return r;
            }
            boolean binds = changes.stream().anyMatch(c -> !c.released() && c.lease().state() == Lease6.State.BOUND);
            // what this answer gives; a refused DECLINE (the ledger's row is still a lease, mostly the
            // declining client's own) is left as the v4 server leaves it: the row expires
            Set<Ipv6> giving = new HashSet<>();
            changes.stream().filter(c -> !c.released() && c.lease().state() != Lease6.State.DECLINED)
                    .forEach(c -> giving.add(c.lease().address()));
            List<Lease6> refused;
            try {
                refused = ledger.commit(changes).stream().filter(h -> giving.contains(h.address())).toList();
            } catch (IOException | RuntimeException e) {
                if (binds && r != null) {
                    stats.replyWithheld();
                    ledgerDown.warn(now, () -> "lease ledger unreachable, DHCPv6 lease(s) not committed and their replies withheld"
                            + " (reserved machines are still answered): " + e.getMessage());
                    return null;
                }
                ledgerDown.warn(now, () -> "lease ledger unreachable, DHCPv6 offers not claimed (or a release or decline not stored): "
                        + e.getMessage());
                return r;
            }
            if (refused.isEmpty()) {
                return r;
            }
            for (Lease6 h : refused) {
                leases.adopt(h);
                LOG.info("{} is {}'s in the shared lease ledger (another server gave it first): answering again without it",
                        h.address(), h.client());
            }
            if (round == LEDGER_ROUNDS) {
                if (r != null) {
                    stats.replyWithheld();
                }
                leases.takeChanges(); // none: the adopted holders are not changes
                return null;
            }
            r = again.handle(m, from, now);
        }
    }

    /** About once a second: learn the leases other servers gave, so this one stops giving them. */
    private void refreshFromLedger() {
        long t = System.nanoTime();
        if (t - lastRefresh < REFRESH_NANOS) {
            return;
        }
        lastRefresh = t;
        try {
            ledger.recent().forEach(leases::adopt);
        } catch (IOException | RuntimeException e) {
            ledgerDown.warn(clock.instant().getEpochSecond(),
                    () -> "lease ledger unreachable, other servers' DHCPv6 leases not read: " + e.getMessage());
        }
    }

    /** On the sending thread: the batch's leases are in the kernel before its replies leave. */
    private void send(Outgoing o) {
        try {
            leases.flush(clock.instant().getEpochSecond());
            if (o.count() > 0) {
                int sent = socket.send(o.datagrams(), o.count());
                if (sent < o.count()) {
                    stats.sendFailures(o.count() - sent);
                    LOG.debug("{} DHCPv6 replies not sent: errno {}", o.count() - sent, socket.lastSendErrno());
                }
            }
        } catch (IOException e) {
            LOG.error("cannot write the DHCPv6 lease journal or send, dropping {} replies: {}", o.count(), e.getMessage());
            stats.sendFailures(o.count());
        }
    }

    public int port() {
        return port;
    }

    public Dhcp6Stats stats() {
        return stats;
    }

    public Lease6Store leases() {
        return leases;
    }

    @Override
    public synchronized void stop() {
        if (!running && socket == null) {
            return;
        }
        running = false;
        if (socket != null) {
            socket.close(); // wakes the receiving thread, which releases the socket when it leaves
        }
        if (loop != null) {
            try {
                loop.join(7000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (leases != null) {
            leases.close();
        }
        LOG.info("DHCPv6 stopped: {}", stats);
        socket = null;
        loop = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
