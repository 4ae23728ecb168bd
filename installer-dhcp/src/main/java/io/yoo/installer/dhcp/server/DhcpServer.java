package io.yoo.installer.dhcp.server;

import io.yoo.installer.api.boot.BootPolicy;
import io.yoo.installer.api.lifecycle.Lifecycle;
import io.yoo.installer.api.metrics.ServerMetrics;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.dhcp.codec.DhcpCodec;
import io.yoo.installer.dhcp.codec.DhcpPacket;
import io.yoo.installer.dhcp.codec.MalformedPacketException;
import io.yoo.installer.dhcp.codec.MessageType;
import io.yoo.installer.dhcp.lease.Lease;
import io.yoo.installer.dhcp.lease.LeaseLedger;
import io.yoo.installer.dhcp.lease.LeaseStore;
import io.yoo.installer.dhcp.net.Datagram;
import io.yoo.installer.dhcp.net.NativeUdpSocket;
import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DHCPv4 server for PXE: full or proxy mode, see {@link DhcpServerConfig}. Per socket (port 67,
 * and 4011 in proxy mode) one thread runs a tight batch loop: receive up to 64 datagrams with one
 * {@code recvmmsg}, decode and answer each; a second thread writes the batch's lease lines with
 * one {@code write} and then sends its replies with one {@code sendmmsg}. Replies leave by the interface
 * the request came in on (IP_PKTINFO), so a socket bound to 0.0.0.0 serves several interfaces
 * and broadcasts need no route.
 */
public final class DhcpServer implements Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(DhcpServer.class);
    private static final int BATCH = 64;
    private static final int CAPACITY = 2048;
    /** Reply batches in flight between the receiving and the sending thread. */
    private static final int BATCHES = 32;

    private DhcpServerConfig config;
    private final BootPolicy policy;
    private final Clock clock;
    private final DhcpStats stats = new DhcpStats();
    private final List<NativeUdpSocket> sockets = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private LeaseStore leases;
    private volatile DhcpEngine engine; // read per packet by the socket threads; reconfigure() swaps it
    private int[] allowedIfIndexes = new int[0];
    private volatile boolean running;
    private boolean started;
    private LeaseStore.Listener leaseListener = LeaseStore.Listener.NONE;
    private boolean quiet; // a scratch server of the priming: its start and stop are not the operator's news
    private LeaseLedger ledger; // null: the journal alone keeps the leases
    private Supplier<ServerShare> share = () -> ServerShare.ALL;
    /** The partner's clients' requests this server left unanswered lately: answered at once when the partner dies. */
    private final PartnerBacklog leftToPartner = new PartnerBacklog(h -> stats.peerBucket()); // answered ones count by their answer
    private ServerShare lastShare = ServerShare.ALL; // the server port's receiving thread only
    private final RateLimitedWarning ledgerDown = new RateLimitedWarning(10, LOG::warn);
    private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);
    private volatile long lastRefresh = System.nanoTime();

    public DhcpServer(DhcpServerConfig config, BootPolicy policy) {
        this(config, policy, Clock.systemUTC());
    }

    public DhcpServer(DhcpServerConfig config, BootPolicy policy, Clock clock) {
        this.config = config;
        this.policy = policy;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "dhcp";
    }

    /**
     * Reports every counted outcome to {@code m} as well ({@code yoo_requests_total{protocol="dhcp"}}):
     * the one path from DHCP to {@code /metrics}. Give each new server of a restart the same instance.
     */
    public DhcpServer withMetrics(ServerMetrics m) {
        stats.reportTo(m);
        return this;
    }

    /** Logs start and stop at debug level (the priming's loopback rehearsal server). */
    DhcpServer quietly() {
        quiet = true;
        return this;
    }

    /** Where lease changes are reported (set before {@link #start}): e.g. the state database's lease mirror. */
    public synchronized DhcpServer withLeaseListener(LeaseStore.Listener l) {
        if (started) {
            throw new IllegalStateException("set the lease listener before start()");
        }
        this.leaseListener = l;
        return this;
    }

    /**
     * Keeps the leases in {@code l} too, shared with other servers (set before {@link #start}): read
     * back at start before anything is answered, each batch committed there before its replies
     * leave, an ACK for an address the ledger gives another client replaced by a NAK.
     */
    public synchronized DhcpServer withLedger(LeaseLedger l) {
        if (started) {
            throw new IllegalStateException("set the lease ledger before start()");
        }
        this.ledger = l;
        return this;
    }

    /**
     * Answers only this server's share of the clients (load balancing with the other servers of a
     * pair on one lease ledger; asked per request, set before {@link #start}); the default is all.
     */
    public synchronized DhcpServer withShare(Supplier<ServerShare> s) {
        if (started) {
            throw new IllegalStateException("set the share before start()");
        }
        this.share = s;
        return this;
    }

    @Override
    public synchronized void start() throws Exception {
        if (started) {
            throw new IllegalStateException("dhcp server already started");
        }
        started = true;
        long now = now();
        leases = config.leaseDir().isPresent() ? LeaseStore.open(config.leaseDir().get(), now) : LeaseStore.inMemory();
        leases.listen(leaseListener);
        if (ledger != null) {
            List<Lease> shared = ledger.load(); // caught up before the first packet is answered
            shared.forEach(leases::adopt);
            leases.flush(now);
            leases.recordChanges();
            LOG.info("DHCP read {} leases from the shared lease ledger", shared.size());
        }
        engine = newEngine(config);
        long t0 = System.nanoTime();
        int primed = EnginePrimer.prime(config, policy, config.leaseDir().map(d -> d.resolve(".prime")).orElse(null), now);
        allowedIfIndexes = resolveInterfaces(config.interfaces());
        String device = config.interfaces().size() == 1 ? config.interfaces().getFirst() : null;
        try {
            open(config.serverPort(), device);
            if (config.proxyPort() != 0) {
                open(config.proxyPort(), device);
            }
        } catch (IOException e) {
            stop();
            throw e;
        }
        for (NativeUdpSocket s : sockets) {
            try {
                s.prime();
            } catch (IOException e) {
                LOG.debug("priming the send path of port {}: {}", s.port(), e.toString()); // only costs the first client time
            }
        }
        LOG.debug("DHCP answer path primed in {} ms ({} scratch exchanges acknowledged)",
                (System.nanoTime() - t0) / 1_000_000, primed);
        running = true;
        for (NativeUdpSocket s : sockets) {
            Thread t = Thread.ofPlatform().name("dhcp-" + s.port()).daemon(true).start(() -> loop(s));
            threads.add(t);
        }
        (quiet ? LOG.atDebug() : LOG.atInfo()).log("DHCP ({}) listening on {}:{}{}{} with {} leases", config.mode().name().toLowerCase(),
                config.bindAddress(), sockets.getFirst().port(),
                config.proxyPort() != 0 ? " and :" + config.proxyPort() : "",
                config.interfaces().isEmpty() ? "" : " on " + config.interfaces(), leases.boundCount());
    }

    /**
     * Serves {@code next} from now on without dropping leases. When only what the engine decides
     * with changes (subnets, pool, reservations, mode, options) the sockets stay bound and the
     * lease store stays open: the next packet is answered by an engine built on {@code next} and
     * the same leases (a proxy-fallback count in progress starts again). When where the server
     * listens changes (bind address, interfaces, ports, socket buffer) or where leases live, the
     * server restarts: the leases are flushed to their journal on stop and read back on start. On a
     * server that is not running, {@code next} is simply what {@link #start} will use.
     *
     * @throws Exception when a restart cannot bind; the server is then stopped
     */
    public synchronized void reconfigure(DhcpServerConfig next) throws Exception {
        DhcpServerConfig previous = config;
        config = next;
        if (!running) {
            return;
        }
        if (sameSockets(previous, next)) {
            engine = newEngine(next);
            LOG.info("DHCP reconfigured in place: {} subnet(s), {} reserved address(es), {} leases kept",
                    next.subnets().size(), next.reserved().size(), leases.boundCount());
            return;
        }
        LOG.info("DHCP listening address, interfaces, ports or lease directory changed: restarting");
        stop();
        started = false;
        start();
    }

    private DhcpEngine newEngine(DhcpServerConfig c) {
        return new DhcpEngine(c, policy, leases, stats, share).leavingToPartner((p, in) -> leftToPartner.hold(p, in, System.nanoTime()));
    }

    /** The configuration served now (the last one given to {@link #reconfigure}). */
    public synchronized DhcpServerConfig config() {
        return config;
    }

    private static boolean sameSockets(DhcpServerConfig a, DhcpServerConfig b) {
        return a.interfaces().equals(b.interfaces()) && a.bindAddress().equals(b.bindAddress()) && a.serverPort() == b.serverPort()
                && a.proxyPort() == b.proxyPort() && a.socketBuffer() == b.socketBuffer() && a.leaseDir().equals(b.leaseDir());
    }

    private void open(int port, String device) throws IOException {
        sockets.add(new NativeUdpSocket(config.bindAddress().value(), port, device, BATCH, CAPACITY, config.socketBuffer()));
    }

    private static int[] resolveInterfaces(List<String> names) throws SocketException {
        int[] idx = new int[names.size()];
        for (int i = 0; i < idx.length; i++) {
            NetworkInterface ni = NetworkInterface.getByName(names.get(i));
            if (ni == null) {
                throw new SocketException("no interface named '" + names.get(i) + "' (see `ip link`)");
            }
            idx[i] = ni.getIndex();
        }
        Arrays.sort(idx);
        return idx;
    }

    /** The port actually bound for DHCP (useful with port 0 in tests). */
    public int port() {
        return sockets.getFirst().port();
    }

    public DhcpStats stats() {
        return stats;
    }

    /** How many requests left to a live partner are held to be answered should it die (tests). */
    int heldForPartner() {
        return leftToPartner.size();
    }

    /** The lease table (read it, do not change it behind the server's back). */
    public LeaseStore leases() {
        return leases;
    }

    private long now() {
        return clock.millis() / 1000;
    }

    /**
     * A batch of replies waiting for its lease lines to be written: {@code acked[i]} is the address
     * datagram i acknowledges (0 if none), {@code offered[i]} the address it offers (0 if none), {@code changes}
     * the batch's changes for the ledger.
     */
    private record Outgoing(Datagram[] datagrams, int count, int[] acked, int[] offered, List<LeaseLedger.Change> changes)
            implements ReplyBatches.Batch {}

    /**
     * Receives and answers on the calling thread; a second thread writes the lease journal and
     * then sends. So a slow {@code write(2)} (a busy disk) delays ACKs but never stops the
     * receiving, and each batch still leaves only after its leases are written.
     */
    private void loop(NativeUdpSocket socket) {
        Datagram[] rx = ReplyBatches.slots(BATCH, CAPACITY);
        ReplyBatches<Outgoing> replies = new ReplyBatches<>("dhcp-" + socket.port() + "-send", BATCHES, BATCH, CAPACITY,
                o -> send(socket, o), () -> {
                    if (ledger != null) {
                        refreshFromLedger();
                    }
                });
        try {
            receiveLoop(socket, rx, replies);
        } finally {
            replies.finish();
        }
    }

    private void receiveLoop(NativeUdpSocket socket, Datagram[] rx, ReplyBatches<Outgoing> replies) {
        int localPort = socket.port();
        boolean serverPort = socket == sockets.getFirst(); // the port partner-bucket requests come to (not the proxy's 4011)
        while (running) {
            int n;
            try {
                n = socket.receive(rx); // returns at least every 200 ms: a partner's death is acted on within that
            } catch (IOException e) {
                if (running) {
                    LOG.error("DHCP receive failed, stopping port {}: {}", localPort, e.getMessage());
                }
                break;
            }
            try {
                if (serverPort && !answerOrphans(replies)) {
                    break;
                }
                if (n == 0) {
                    continue;
                }
                Datagram[] tx = replies.free(() -> running); // back-pressure when the sender is far behind
                if (tx == null) {
                    break;
                }
                Filling f = new Filling(tx);
                long now = now();
                for (int i = 0; i < n; i++) {
                    Datagram d = rx[i];
                    stats.received();
                    if (d.truncated) {
                        stats.malformed();
                        continue;
                    }
                    if (allowedIfIndexes.length > 0 && d.ifIndex != 0 && Arrays.binarySearch(allowedIfIndexes, d.ifIndex) < 0) {
                        stats.ignored();
                        continue;
                    }
                    DhcpPacket p;
                    try {
                        p = DhcpCodec.decode(d.data, 0, d.length);
                    } catch (MalformedPacketException e) {
                        stats.malformed();
                        LOG.debug("dropped malformed datagram from {}: {}", NativeUdpSocket.ipString(d.peerAddress), e.getMessage());
                        continue;
                    }
                    answer(p, new DhcpEngine.Inbound(localPort, new Ipv4(d.localAddress), d.ifIndex, new Ipv4(d.peerAddress), d.peerPort),
                            now, f);
                }
                // even with no reply: its lease lines and changes (RELEASE, DECLINE) get written
                replies.submit(f.outgoing());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    /**
     * When fewer servers are alive than at the last look (a partner died, or this server can no
     * longer tell and answers all), answers the requests of the clients it now answers that it left
     * to the partner in the last {@value PartnerBacklog#MAX_AGE_MILLIS} ms, through the same engine
     * and the same batches (lease journal, ledger claims and binds) as any request: those clients
     * get their OFFER or ACK now rather than at their retransmission, seconds later. First lets go
     * of the held requests that aged out (counted then as {@code peer_bucket}). Returns false when
     * the server stopped meanwhile.
     */
    private boolean answerOrphans(ReplyBatches<Outgoing> replies) throws InterruptedException {
        leftToPartner.expire(System.nanoTime()); // each loop (200 ms at most): the unanswered are counted soon after they age out
        ServerShare now = share.get();
        ServerShare before = lastShare;
        lastShare = now;
        if (now.count() >= before.count()) {
            return true;
        }
        List<PartnerBacklog.Held> orphans = leftToPartner.take(now, System.nanoTime());
        if (orphans.isEmpty()) {
            return true;
        }
        LOG.info("DHCP: {} other server(s) of the pair no longer alive: answering the {} request(s) of their clients received in the"
                + " last {} ms", before.count() - now.count(), orphans.size(), PartnerBacklog.MAX_AGE_MILLIS);
        for (int from = 0; from < orphans.size(); from += BATCH) {
            Datagram[] tx = replies.free(() -> running);
            if (tx == null) {
                return false;
            }
            Filling f = new Filling(tx);
            long t = now();
            for (PartnerBacklog.Held h : orphans.subList(from, Math.min(orphans.size(), from + BATCH))) {
                answer(h.packet(), h.from(), t, f);
            }
            replies.submit(f.outgoing());
        }
        return true;
    }

    /** Answers one decoded request into the batch being filled (nothing when the engine does not answer). */
    private void answer(DhcpPacket p, DhcpEngine.Inbound in, long now, Filling f) {
        DhcpEngine.Reply r;
        try {
            r = engine.handle(p, in, now);
        } catch (RuntimeException e) {
            // a bug or a policy failure must never kill the loop; count and go on
            stats.malformed();
            LOG.warn("error answering {}: {}", in.peer(), e.toString(), e);
            return;
        }
        if (r != null) {
            f.add(r);
        }
    }

    /** One batch of reply slots being filled on the receiving thread, with what its sending needs to know of each reply. */
    private final class Filling {
        private final Datagram[] tx;
        private final int[] acked = ledger != null ? new int[BATCH] : null; // per batch: the sending thread may still hold the previous one
        private final int[] offered = ledger != null ? new int[BATCH] : null;
        private int m;

        Filling(Datagram[] tx) {
            this.tx = tx;
        }

        void add(DhcpEngine.Reply r) {
            Datagram out = tx[m];
            if (DhcpCodec.encodedLength(r.packet()) > out.data.length) {
                stats.sendFailures(1);
                return;
            }
            out.length = DhcpCodec.encode(r.packet(), out.data, 0);
            out.peerAddress = r.to().value();
            out.peerPort = r.port();
            out.ifIndex = r.ifIndex();
            out.localAddress = r.from().value();
            if (acked != null) {
                MessageType t = r.packet().messageType().orElse(null);
                if (t == MessageType.ACK) {
                    acked[m] = r.packet().yiaddr().value(); // a NAK instead if the ledger refuses this address
                } else if (t == MessageType.OFFER) {
                    offered[m] = r.packet().yiaddr().value(); // claimed in the ledger before it leaves
                }
            }
            m++;
        }

        Outgoing outgoing() {
            return new Outgoing(tx, m, acked, offered, leases.takeChanges());
        }
    }

    /** On the sending thread: this batch's leases are written (and committed to the ledger) before any of its replies leaves. */
    private void send(NativeUdpSocket socket, Outgoing o) {
        try {
            leases.flush(now());
            int count = o.count();
            if (ledger != null) {
                Map<Integer, Lease> claims = claimsOf(o); // pool OFFERs leave only for addresses the ledger gives no one else
                if (!o.changes().isEmpty() || !claims.isEmpty()) {
                    count = commitToLedger(o, claims); // the batch's leases and claims: one transaction
                }
            }
            if (count > 0) {
                int sent = socket.send(o.datagrams(), count);
                if (sent < count) {
                    stats.sendFailures(count - sent);
                    LOG.debug("{} replies not sent: errno {}", count - sent, socket.lastSendErrno());
                }
            }
        } catch (IOException e) {
            LOG.error("cannot write the lease journal or send, dropping {} replies: {}", o.count(), e.getMessage());
            stats.sendFailures(o.count());
        }
    }

    /**
     * The batch's pool OFFERs to claim in the ledger, by address: all of them. (Not claiming an
     * address of this server's own part of the pool while its partner lives would be unsafe: in
     * the half second before a server sees its partner die it could offer, unclaimed, an address
     * the partner bound in its last moment, and that client would wait out a NAK. Claims are cheap
     * instead: they ride in the batch's transaction, and a claims-only one does not wait for the
     * WAL flush.)
     */
    private Map<Integer, Lease> claimsOf(Outgoing o) {
        Map<Integer, Lease> claims = new HashMap<>();
        for (int i = 0; i < o.count(); i++) {
            int ip = o.offered()[i];
            if (ip != 0) {
                leases.byAddress(new Ipv4(ip)).filter(l -> l.state() == Lease.State.OFFERED).ifPresent(l -> claims.put(ip, l));
            }
        }
        return claims;
    }

    /**
     * Commits the batch's lease changes and its OFFERs' claims to the ledger in one transaction.
     * Addresses the ledger gives other clients (another server bound them first) are learnt, and
     * their ACKs turned into NAKs, so those clients start over at once; when the ledger cannot be
     * reached, the ACKs of every address the batch bound are taken out (nothing is known: the
     * client asks again and the bind is retried) and the OFFERs leave unclaimed. A refused claim
     * rewrites its OFFER ({@link #reclaim}). Other replies (reserved machines, NAKs) leave.
     * Returns how many replies remain.
     */
    private int commitToLedger(Outgoing o, Map<Integer, Lease> claims) {
        Set<Integer> withheld = new HashSet<>();
        List<LeaseLedger.Change> all = new ArrayList<>(o.changes().size() + claims.size());
        all.addAll(o.changes());
        claims.values().forEach(l -> all.add(new LeaseLedger.Change(l, false)));
        Set<Integer> bound = new HashSet<>();
        o.changes().forEach(c -> bound.add(c.lease().address().value()));
        List<Lease> refusedClaims = new ArrayList<>();
        try {
            for (Lease h : ledger.commit(all)) {
                int ip = h.address().value();
                if (claims.containsKey(ip) && !h.client().equals(claims.get(ip).client())) {
                    refusedClaims.add(h);
                }
                if (bound.contains(ip)) {
                    leases.adopt(h);
                    if (!nakInstead(o, h)) {
                        withheld.add(ip);
                    }
                }
            }
        } catch (IOException e) {
            withheld.addAll(bound);
            claims.clear();
            ledgerDown.warn(now(), () -> "lease ledger unreachable, " + withheld.size() + " lease(s) not committed and their ACKs withheld,"
                    + " offers not claimed (reserved machines are still answered): " + e.getMessage());
        }
        int count = o.count();
        if (!withheld.isEmpty()) {
            count = dropWithheld(o, withheld);
        }
        return refusedClaims.isEmpty() ? count : reclaim(o, count, claims, refusedClaims);
    }

    /** Takes the ACKs of {@code withheld} addresses out of the batch; returns how many replies remain. */
    private int dropWithheld(Outgoing o, Set<Integer> withheld) {
        Datagram[] d = o.datagrams();
        int keep = 0;
        for (int i = 0; i < o.count(); i++) {
            if (o.acked()[i] != 0 && withheld.contains(o.acked()[i])) {
                stats.ackWithheld();
                continue;
            }
            if (keep != i) {
                Datagram t = d[keep];
                d[keep] = d[i];
                d[i] = t;
                int a = o.acked()[keep];
                o.acked()[keep] = o.acked()[i];
                o.acked()[i] = a;
                int f = o.offered()[keep];
                o.offered()[keep] = o.offered()[i];
                o.offered()[i] = f;
            }
            keep++;
        }
        return keep;
    }

    /**
     * Rewrites the batch's ACKs of {@code holder}'s address into NAKs (in place: same destination).
     * Returns false if one could not be rewritten (it is then withheld).
     */
    private boolean nakInstead(Outgoing o, Lease holder) {
        int ip = holder.address().value();
        for (int i = 0; i < o.count(); i++) {
            if (o.acked()[i] != ip) {
                continue;
            }
            Datagram d = o.datagrams()[i];
            DhcpPacket ack;
            try {
                ack = DhcpCodec.decode(d.data, 0, d.length);
            } catch (MalformedPacketException e) {
                return false; // our own encoding: cannot happen
            }
            d.length = DhcpCodec.encode(DhcpEngine.nakInsteadOf(ack, holder.address() + " is another client's"), d.data, 0);
            o.acked()[i] = 0;
            stats.ackWithheld();
            stats.nak();
            LOG.info("{} is {}'s in the shared lease ledger (another server bound it first): NAK instead of the ACK to {},"
                    + " which starts over", holder.address(), holder.mac(), ack.mac().map(Object::toString).orElse("?"));
        }
        return true;
    }

    /**
     * The OFFERs whose claims the ledger {@code refused} (it gives the address to another client:
     * another server bound or offered it since this one last read the table): each holder is
     * learnt, and the OFFER rewritten in place to another free address, claimed in turn (a
     * transaction of claims only, a few rounds at most). So the REQUEST which follows is not
     * refused: a client in REQUESTING state ignores a NAK (ISC dhclient: "DHCPNAK with no active
     * lease") and retries until its own timeout (10 s) — the 16-17 s a failover took before offers
     * were claimed. When the ledger cannot be reached the OFFERs leave (their REQUESTs cannot be
     * ACKed until it is back). Returns how many replies remain.
     */
    private int reclaim(Outgoing o, int count, Map<Integer, Lease> claimed, List<Lease> refused) {
        long now = now();
        Map<Integer, Lease> claims = new HashMap<>(claimed); // by address
        Set<Integer> unclaimed = new HashSet<>();
        Set<Integer> refusedHere = new HashSet<>(); // every address refused in this batch: never offered again in it
        for (int round = 0; round < 8; round++) {
            Map<Integer, Lease> next = new HashMap<>();
            for (Lease h : refused) {
                Lease mine = claims.get(h.address().value());
                if (mine == null) {
                    continue;
                }
                if (h.state() == Lease.State.OFFERED) {
                    leases.offer(h.client(), h.mac(), h.address().value(), h.expires());
                } else {
                    leases.adopt(h);
                }
                refusedHere.add(h.address().value());
                int other = engine.reoffer(mine.client(), mine.mac(), h.address(), now, refusedHere::contains);
                LOG.info("{} is {}'s in the shared lease ledger: offering {} to {} instead", h.address(), h.mac(),
                        other == 0 ? "nothing" : new Ipv4(other), mine.mac());
                for (int i = 0; i < count; i++) {
                    if (o.offered()[i] == h.address().value()) {
                        o.offered()[i] = other;
                        if (other == 0) {
                            unclaimed.add(i);
                        } else {
                            writeYiaddr(o.datagrams()[i], other);
                        }
                    }
                }
                if (other != 0) {
                    leases.byAddress(new Ipv4(other)).ifPresent(l -> next.put(other, l));
                }
            }
            claims = next;
            if (claims.isEmpty() || round == 7) {
                break;
            }
            try {
                refused = ledger.commit(claims.values().stream().map(l -> new LeaseLedger.Change(l, false)).toList());
            } catch (IOException e) {
                ledgerDown.warn(now, () -> "lease ledger unreachable, offers not claimed: " + e.getMessage());
                claims.clear();
                break;
            }
            if (refused.isEmpty()) {
                claims.clear();
                break;
            }
        }
        for (int i = 0; i < count; i++) {
            if (claims.containsKey(o.offered()[i])) {
                unclaimed.add(i); // still refused after every round: not offered
            }
        }
        if (unclaimed.isEmpty()) {
            return count;
        }
        Datagram[] d = o.datagrams();
        int keep = 0;
        for (int i = 0; i < count; i++) {
            if (unclaimed.contains(i)) {
                continue;
            }
            if (keep != i) {
                Datagram t = d[keep];
                d[keep] = d[i];
                d[i] = t;
            }
            keep++;
        }
        return keep;
    }

    /** BOOTP yiaddr: bytes 16-19 of the encoded reply. */
    private static void writeYiaddr(Datagram d, int ip) {
        d.data[16] = (byte) (ip >>> 24);
        d.data[17] = (byte) (ip >>> 16);
        d.data[18] = (byte) (ip >>> 8);
        d.data[19] = (byte) ip;
    }

    /** About once a second: learn the leases other servers gave, so this one stops offering them. */
    private void refreshFromLedger() {
        long t = System.nanoTime();
        if (t - lastRefresh < REFRESH_NANOS) {
            return;
        }
        lastRefresh = t;
        try {
            ledger.recent().forEach(leases::adopt);
        } catch (IOException e) {
            ledgerDown.warn(now(), () -> "lease ledger unreachable, other servers' leases not read: " + e.getMessage());
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        for (NativeUdpSocket s : sockets) {
            s.close();
        }
        for (Thread t : threads) {
            try {
                t.join(7000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (NativeUdpSocket s : sockets) {
            s.release();
        }
        sockets.clear();
        threads.clear();
        leftToPartner.clear(); // counted (peer_bucket): nobody answers them now
        if (leases != null) {
            leases.close();
        }
        if (started) {
            (quiet ? LOG.atDebug() : LOG.atInfo()).log("DHCP stopped: {}", stats);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
