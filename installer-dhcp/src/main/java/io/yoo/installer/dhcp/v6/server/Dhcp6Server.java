package io.yoo.installer.dhcp.v6.server;

import io.yoo.installer.api.boot.BootPolicy;
import io.yoo.installer.api.lifecycle.Lifecycle;
import io.yoo.installer.api.metrics.ServerMetrics;
import io.yoo.installer.dhcp.codec.MalformedPacketException;
import io.yoo.installer.dhcp.v6.codec.Dhcp6Codec;
import io.yoo.installer.dhcp.v6.codec.Dhcp6Message;
import io.yoo.installer.dhcp.v6.codec.Ipv6;
import io.yoo.installer.dhcp.v6.lease.Lease6Store;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DHCPv6 server's I/O loop: UDP {@code [::]:547}, the All_DHCP_Relay_Agents_and_Servers
 * group {@code ff02::1:2} joined on the configured interface, one thread that reads a datagram,
 * decodes it, asks the {@link Dhcp6Engine}, writes the lease journal and only then sends the
 * reply (to the client's link-local address, scoped to the arrival interface, port 546; or to
 * the relay). Malformed datagrams are dropped and counted; nothing escapes the loop.
 *
 * <p>Plain {@link DatagramChannel} (no FFM batching as the v4 server): the kernel gives the
 * link-local source with its scope, which is all a reply needs.
 */
public final class Dhcp6Server implements Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(Dhcp6Server.class);
    /** RFC 8415 section 7.1: All_DHCP_Relay_Agents_and_Servers. */
    public static final String ALL_SERVERS_AND_RELAYS = "ff02::1:2";

    private final Dhcp6Config cfg;
    private final BootPolicy policy;
    private final Clock clock;
    private final Dhcp6Stats stats = new Dhcp6Stats();
    private DatagramChannel channel;
    private Lease6Store leases;
    private Dhcp6Engine engine;
    private Thread loop;
    private int port;
    private int ifIndex;
    private Ipv6 onLink = Ipv6.UNSPECIFIED;
    private volatile boolean running;

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

    @Override
    public synchronized void start() throws Exception {
        if (running) {
            throw new IllegalStateException("dhcp6 already started");
        }
        long now = clock.instant().getEpochSecond();
        leases = cfg.leaseDir().isPresent() ? Lease6Store.open(cfg.leaseDir().get(), now) : Lease6Store.inMemory();
        engine = new Dhcp6Engine(cfg, policy, leases, stats);
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET6);
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            ch.bind(new InetSocketAddress(InetAddress.getByName("::"), cfg.serverPort()));
            if (cfg.iface() != null) {
                NetworkInterface nif = NetworkInterface.getByName(cfg.iface());
                if (nif == null) {
                    throw new IOException("no interface " + cfg.iface());
                }
                ifIndex = nif.getIndex();
                ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, nif);
                ch.join(InetAddress.getByName(ALL_SERVERS_AND_RELAYS), nif);
                onLink = servedAddress(nif);
            }
        } catch (IOException | RuntimeException e) {
            ch.close();
            leases.close();
            throw e;
        }
        channel = ch;
        port = ((InetSocketAddress) ch.getLocalAddress()).getPort();
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
                for (Dhcp6Subnet s : cfg.subnets()) {
                    if (s.contains(a)) {
                        return a;
                    }
                }
            }
        }
        return Ipv6.UNSPECIFIED;
    }

    private void serve() {
        ByteBuffer in = ByteBuffer.allocate(Dhcp6Codec.MAX_LENGTH);
        byte[] out = new byte[Dhcp6Codec.MAX_LENGTH];
        while (running) {
            SocketAddress from;
            try {
                in.clear();
                from = channel.receive(in);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.warn("dhcp6 receive: {}", e.toString());
                continue;
            }
            stats.received();
            try {
                answer(in, (InetSocketAddress) from, out);
            } catch (RuntimeException e) {
                // a bug must not stop the server: count it as dropped and say what it was
                stats.malformed();
                LOG.warn("dhcp6: dropped a datagram from {}: {}", from, e.toString());
            }
        }
    }

    private void answer(ByteBuffer in, InetSocketAddress from, byte[] out) {
        Dhcp6Message m;
        try {
            m = Dhcp6Codec.decode(in.array(), 0, in.position());
        } catch (MalformedPacketException e) {
            stats.malformed();
            LOG.debug("dhcp6: malformed datagram from {}: {}", from, e.getMessage());
            return;
        }
        if (!(from.getAddress() instanceof Inet6Address src)) {
            stats.ignored();
            return;
        }
        long now = clock.instant().getEpochSecond();
        int scope = src.getScopeId() != 0 ? src.getScopeId() : ifIndex;
        Dhcp6Engine.Reply r = engine.handle(m, new Dhcp6Engine.Inbound(Ipv6.of(src), from.getPort(), scope, onLink), now);
        if (r == null) {
            return;
        }
        try {
            leases.flush(now); // the lease is in the kernel before the reply that promises it leaves
            int n = Dhcp6Codec.encode(r.message(), out, 0);
            InetAddress to = r.to().isLinkLocal() || r.to().isMulticast() ? r.to().toInet(r.ifIndex()) : r.to().toInet(0);
            if (channel.send(ByteBuffer.wrap(out, 0, n), new InetSocketAddress(to, r.port())) == 0) {
                stats.sendFailure();
            }
        } catch (IOException e) {
            stats.sendFailure();
            LOG.warn("dhcp6: reply to {} not sent: {}", r.to(), e.toString());
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
        if (!running && channel == null) {
            return;
        }
        running = false;
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            LOG.debug("closing dhcp6 socket: {}", e.toString());
        }
        if (loop != null) {
            try {
                loop.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (leases != null) {
            leases.close();
        }
        channel = null;
        loop = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
