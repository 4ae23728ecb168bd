package io.yoo.installer.tftp.server;

import io.yoo.installer.api.lifecycle.Lifecycle;
import io.yoo.installer.api.metrics.ServerMetrics;
import io.yoo.installer.tftp.files.SharedFiles;
import io.yoo.installer.tftp.files.TftpRoot;
import io.yoo.installer.tftp.negotiation.OptionNegotiator;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read-only TFTP server (RFC 1350, 2347, 2348, 2349, 7440) on NIO: a few selector threads
 * ({@link TftpServerConfig#eventLoops()}) serve every transfer, each transfer on its own UDP
 * port, files shared as one read-only mapping per file.
 *
 * <pre>{@code
 * TftpServer tftp = new TftpServer(TftpServerConfig.defaults(Path.of("/srv/tftp")),
 *         policy::virtualFile, TransferListener.reportingTo(policy));
 * tftp.start();
 * }</pre>
 */
public final class TftpServer implements Lifecycle {
    private static final Logger log = LoggerFactory.getLogger(TftpServer.class);
    /** Bound on {@link #listenOn} addresses: one socket each. */
    public static final int MAX_LISTEN_ADDRESSES = 16;

    private final TftpServerConfig config;
    private final VirtualFiles virtualFiles;
    private final TransferListener listener;
    private final OptionNegotiator negotiator;
    final TftpStats stats = new TftpStats();
    private final ConcurrentHashMap<InetSocketAddress, Transfer> active = new ConcurrentHashMap<>();
    private final AtomicInteger slots = new AtomicInteger();
    private final AtomicInteger nextLoop = new AtomicInteger();
    /** Addresses to listen on besides the bind address ({@link #listenOn}); guarded by this. */
    private final Set<InetAddress> wanted = new LinkedHashSet<>();
    /** Their request sockets while running; guarded by this. */
    private final Map<InetAddress, RequestListener> extra = new HashMap<>();

    private volatile boolean running;
    private boolean started;
    private TftpRoot root;
    private SharedFiles files;
    private EventLoop[] loops;
    private DatagramChannel requests;
    private int port;

    public TftpServer(TftpServerConfig config, VirtualFiles virtualFiles, TransferListener listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.virtualFiles = virtualFiles == null ? VirtualFiles.NONE : virtualFiles;
        this.listener = listener == null ? TransferListener.NONE : listener;
        this.negotiator = new OptionNegotiator(config.maxBlockSize(), config.maxWindowSize(), config.timeout().toMillis());
    }

    public TftpServer(TftpServerConfig config) {
        this(config, VirtualFiles.NONE, TransferListener.NONE);
    }

    /**
     * Reports request outcomes and payload bytes to {@code m} as well: the one path from TFTP to
     * {@code /metrics} ({@code yoo_requests_total{protocol="tftp"}}, {@code yoo_served_bytes_total}).
     */
    public TftpServer withMetrics(ServerMetrics m) {
        stats.reportTo(m);
        return this;
    }

    @Override
    public String name() {
        return "tftp";
    }

    @Override
    public synchronized void start() throws IOException {
        if (started) {
            throw new IllegalStateException("tftp server already started");
        }
        started = true;
        root = new TftpRoot(config.root());
        files = new SharedFiles();
        // bound to an IPv6 address (:: with network.ipv6): one dual-stack socket, IPv4 clients as before
        DatagramChannel ch = DatagramChannel.open(config.bindAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6
                : StandardProtocolFamily.INET);
        try {
            ch.bind(new InetSocketAddress(config.bindAddress(), config.port()));
            ch.configureBlocking(false);
            port = ((InetSocketAddress) ch.getLocalAddress()).getPort();
            loops = new EventLoop[config.eventLoops()];
            for (int i = 0; i < loops.length; i++) {
                loops[i] = new EventLoop("tftp-loop-" + i);
            }
            requests = ch;
            loops[0].attachListener(new RequestListener(this, ch, config.bindAddress()));
        } catch (IOException e) {
            ch.close();
            stop();
            throw new IOException("tftp: cannot listen on " + config.bindAddress().getHostAddress() + ":" + config.port()
                    + " (" + e.getMessage() + "); is another TFTP server running, or is root needed for port 69?", e);
        }
        for (EventLoop l : loops) {
            l.start();
        }
        running = true;
        for (InetAddress a : List.copyOf(wanted)) { // listenOn before start (the service address may come first)
            try {
                bindListener(a);
            } catch (IOException e) {
                log.warn("tftp: cannot listen on {}:{} ({}); requests to it are answered from the address the route picks", a.getHostAddress(),
                        port, e.getMessage());
            }
        }
        log.info("tftp: serving {}{} on {}:{} (blksize <= {}, windowsize <= {}, {} transfers max, {} loop(s))", root.path(),
                root.exists() ? "" : " (does not exist: virtual files only until it does)",
                config.bindAddress().getHostAddress(), port, config.maxBlockSize(), config.maxWindowSize(),
                config.maxTransfers(), loops.length);
    }

    /**
     * Also listens on {@code address} (a local address, e.g. an HA pair's service address while this
     * server holds it), so that transfers asked of it are answered from it: clients may drop DATA
     * from another address than the one they sent their request to, and with only the wildcard
     * socket the kernel picks the source by route (the interface's primary address). The socket
     * bound to the address gets the requests sent to it in preference to the wildcard one. Before
     * {@link #start()} the address is remembered and bound at start; a no-op for the bind address
     * and for an address already listened on.
     *
     * @throws IOException when it cannot be bound now (e.g. not on this host); the wildcard keeps
     *         receiving requests to it
     * @throws IllegalArgumentException for a wildcard or multicast address, or beyond {@value #MAX_LISTEN_ADDRESSES} addresses
     */
    public synchronized void listenOn(InetAddress address) throws IOException {
        Objects.requireNonNull(address, "address");
        if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
            throw new IllegalArgumentException("tftp: listen address must be one unicast address, got " + address.getHostAddress());
        }
        if (address.equals(config.bindAddress()) || wanted.contains(address)) {
            return;
        }
        if (wanted.size() >= MAX_LISTEN_ADDRESSES) {
            throw new IllegalArgumentException("tftp: at most " + MAX_LISTEN_ADDRESSES + " listen addresses besides the bind address");
        }
        wanted.add(address);
        if (running) {
            try {
                bindListener(address);
            } catch (IOException e) {
                wanted.remove(address);
                throw new IOException("tftp: cannot listen on " + address.getHostAddress() + ":" + port + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Stops listening on an address given to {@link #listenOn} (it left this host): when this
     * returns its socket is closed (waits for the loop, at most 5 s). Transfers in progress on it go
     * on while they can.
     */
    public synchronized void stopListeningOn(InetAddress address) {
        wanted.remove(address);
        RequestListener l = extra.remove(address);
        if (l != null && loops != null) {
            loops[0].detachListener(l); // on the loop thread, never under its read; closed when this returns
            log.info("tftp: no longer listening on {}:{}", address.getHostAddress(), port);
        } else if (l != null) {
            closeListener(l);
        }
    }

    /** The addresses given to {@link #listenOn} and not taken back (bound while running). */
    public synchronized Set<InetAddress> listenAddresses() {
        return Set.copyOf(wanted);
    }

    private void bindListener(InetAddress address) throws IOException {
        // the wildcard socket must allow the more specific bind beside it (both sockets need SO_REUSEADDR
        // on Linux); set after its own bind, so starting beside another TFTP server still fails
        requests.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        DatagramChannel ch = DatagramChannel.open(address instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(new InetSocketAddress(address, port));
            ch.configureBlocking(false);
            RequestListener l = new RequestListener(this, ch, address);
            loops[0].attachListener(l);
            extra.put(address, l);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        log.info("tftp: listening on {}:{} too: transfers asked there are answered from it", address.getHostAddress(), port);
    }

    private static void closeListener(RequestListener l) {
        try {
            l.channel().close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (loops != null) {
            for (EventLoop l : loops) {
                if (l != null) {
                    l.stop();
                }
            }
            loops = null;
        }
        extra.values().forEach(TftpServer::closeListener);
        extra.clear();
        if (requests != null) {
            try {
                requests.close();
            } catch (IOException e) {
                // closing anyway
            }
            requests = null;
        }
        if (files != null) {
            files.close();
        }
        active.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** The bound request port (useful with port 0). */
    public int port() {
        return port;
    }

    public TftpServerConfig config() {
        return config;
    }

    public TftpStats.Snapshot stats() {
        return stats.snapshot();
    }

    /** Transfers in progress now. */
    public int activeTransfers() {
        return slots.get();
    }

    /** Files currently open and mapped (shared between their transfers). */
    public int openFiles() {
        return files == null ? 0 : files.openFiles();
    }

    // ---- package-private plumbing for the listener and transfers

    TftpRoot root() {
        return root;
    }

    SharedFiles files() {
        return files;
    }

    VirtualFiles virtualFiles() {
        return virtualFiles;
    }

    TransferListener listener() {
        return listener;
    }

    OptionNegotiator negotiator() {
        return negotiator;
    }

    EventLoop nextLoop() {
        return loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)];
    }

    boolean reserveSlot() {
        while (true) {
            int n = slots.get();
            if (n >= config.maxTransfers()) {
                return false;
            }
            if (slots.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void releaseSlot() {
        slots.decrementAndGet();
    }

    Transfer activeTransfer(InetSocketAddress client) {
        return active.get(client);
    }

    void track(InetSocketAddress client, Transfer t) {
        active.put(client, t);
    }

    /** Called once by every transfer when it ends, on its loop thread. */
    void finished(Transfer t) {
        active.remove(t.client, t);
        releaseSlot();
    }
}
