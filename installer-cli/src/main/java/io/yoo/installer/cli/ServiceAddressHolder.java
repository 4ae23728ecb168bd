package io.yoo.installer.cli;

import io.yoo.installer.api.lifecycle.Lifecycle;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.core.state.RateLimitedWarning;
import io.yoo.installer.core.state.ServiceAddressLock;
import io.yoo.installer.dhcp.net.ArpAnnouncer;
import java.io.IOException;
import java.net.InetAddress;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds {@code network.serviceAddress} on this server while this server holds its lock in
 * PostgreSQL ({@link ServiceAddressLock}): polls the lock every {@value #POLL_MILLIS} ms, adds the
 * address to the install interface when it gets it and announces it by gratuitous ARP (at once,
 * then {@value #ANNOUNCEMENTS} times more over 4 s, so caches updated within the kernel's 1 s
 * locktime move too), and removes it when another server has it, on stop, and — fencing — when it
 * has not confirmed the lock for {@value #FENCE_MILLIS} ms (PostgreSQL unreachable or hung): a
 * watchdog on its own thread, so a stuck database call cannot keep the address up. PostgreSQL lets
 * another server take the lock only after it has ended this server's session, at least
 * {@link ServiceAddressLock#RELEASE_AFTER_SILENCE_SECONDS} s after the last word from it: later
 * than this server's fence.
 */
final class ServiceAddressHolder implements Lifecycle {
    /**
     * Told when the address arrives on this host (before it is announced) and when it leaves: TFTP
     * listens on it so that transfers asked there are answered from it. Called under the holder's
     * lock; must not block for long.
     */
    interface AddressUser {
        void added(InetAddress address) throws IOException;

        void removed(InetAddress address);
    }

    private static final Logger LOG = LoggerFactory.getLogger("yoo.service-address");
    static final int POLL_MILLIS = 1000;
    static final int FENCE_MILLIS = 3000;
    static final int ANNOUNCEMENTS = 3;
    /** After a failed add, leave the lock to another server this long before trying again. */
    private static final int BACKOFF_MILLIS = 10_000;

    private final ServiceAddressLock lock;
    private final InterfaceAddress address;
    private final Ipv4 ip;
    private final String iface;
    private final Object state = new Object();
    private boolean up; // guarded by state
    private volatile long confirmedAt;
    private volatile boolean held;
    private long notBefore; // poll thread only
    private final RateLimitedWarning unreachable = new RateLimitedWarning(Duration.ofMinutes(1), LOG::warn);
    private ScheduledExecutorService poller;
    private ScheduledExecutorService local;
    private final List<AddressUser> users = new CopyOnWriteArrayList<>();

    ServiceAddressHolder(ServiceAddressLock lock, String iface, Ipv4 ip) {
        this.lock = lock;
        this.iface = iface;
        this.ip = ip;
        this.address = new InterfaceAddress(iface, ip);
    }

    @Override
    public String name() {
        return "service-address";
    }

    /** {@code user} is told each time the address is added to or removed from this host. */
    ServiceAddressHolder withUser(AddressUser user) {
        users.add(user);
        return this;
    }

    /** 1 while this server has the address on its interface ({@code yoo_service_address_held}). */
    boolean held() {
        return held;
    }

    @Override
    public void start() throws IOException {
        removeLeftover(address); // normally done already at the very start of yoo serve (removeLeftover(iface, ip))
        ArpAnnouncer.on(iface); // the interface is there and has a MAC: else fail now, not at the first takeover
        poller = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("service-address-lock").daemon(true).unstarted(r));
        local = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("service-address").daemon(true).unstarted(r));
        poller.scheduleWithFixedDelay(this::poll, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
        local.scheduleWithFixedDelay(this::fence, 250, 250, TimeUnit.MILLISECONDS);
        LOG.info("service address {} on {}: held by whichever server holds its lock in PostgreSQL (polled every {} ms)", ip, iface,
                POLL_MILLIS);
    }

    /**
     * Removes the service address from {@code iface} if an earlier run left it there (killed while
     * holding it): a server holds nothing at start, the address is not its own until the lock says
     * so. Called first thing in {@code yoo serve}, so that even a start that fails (PostgreSQL
     * unreachable) does not leave this host answering ARP for an address another server may hold.
     * Best effort here (logged): {@link #start} checks again and fails if it cannot.
     */
    static void removeLeftover(String iface, Ipv4 ip) {
        try {
            removeLeftover(new InterfaceAddress(iface, ip));
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("service address {}: cannot check {} for a leftover of an earlier run: {}", ip, iface, e.getMessage());
        }
    }

    private static void removeLeftover(InterfaceAddress address) throws IOException {
        if (address.present()) {
            address.remove();
            LOG.info("removed service address {} left by an earlier run (this server does not hold its lock)", address);
        }
    }

    private void poll() {
        long asked = System.nanoTime();
        if (asked - notBefore < 0) {
            return;
        }
        boolean mine;
        try {
            mine = lock.hold();
        } catch (SQLException e) {
            unreachable.warn(() -> "service address " + ip + ": cannot reach PostgreSQL to hold its lock: " + e.getMessage());
            synchronized (state) {
                if (up) {
                    drop("its lock is lost (PostgreSQL unreachable: " + e.getMessage() + ")");
                }
            }
            return;
        }
        synchronized (state) {
            if (mine) {
                confirmedAt = asked; // confirmed as of when it was asked, not when the answer came
                if (!up) {
                    take();
                }
            } else if (up) {
                drop("another server holds its lock");
            }
        }
    }

    /** Fencing: the address goes when the lock has not been confirmed for FENCE_MILLIS, whatever the poll thread is doing. */
    private void fence() {
        synchronized (state) {
            if (up && System.nanoTime() - confirmedAt > TimeUnit.MILLISECONDS.toNanos(FENCE_MILLIS)) {
                drop("its lock was not confirmed for " + FENCE_MILLIS + " ms (PostgreSQL unreachable or slow)");
            }
        }
    }

    private void take() {
        try {
            address.add();
        } catch (IOException e) {
            LOG.error("service address {}: cannot add it to {}, leaving it to another server for {} s: {}", ip, iface,
                    BACKOFF_MILLIS / 1000, e.getMessage());
            lock.close(); // releases the lock: another server may be able to
            notBefore = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BACKOFF_MILLIS);
            return;
        }
        up = true;
        held = true;
        for (AddressUser u : users) { // before the announcement moves the machines here
            try {
                u.added(ip.toInetAddress());
            } catch (IOException | RuntimeException e) {
                LOG.warn("service address {}: {}", ip, e.getMessage());
            }
        }
        LOG.info("service address {} taken: added to {} and announced by gratuitous ARP; machines now reach this server there", ip, iface);
        announce();
        for (int i = 1; i <= ANNOUNCEMENTS; i++) {
            local.schedule(this::announceIfUp, (1L << (i - 1)) * 1000, TimeUnit.MILLISECONDS); // 1, 2, 4 s
        }
    }

    private void announceIfUp() {
        synchronized (state) {
            if (up) {
                announce();
            }
        }
    }

    private void announce() {
        try {
            ArpAnnouncer.on(iface).announce(ip);
        } catch (IOException e) {
            LOG.warn("service address {}: gratuitous ARP on {} failed (neighbours learn the move when their cache expires): {}", ip, iface,
                    e.getMessage());
        }
    }

    private void drop(String why) {
        up = false;
        held = false;
        try {
            address.remove();
            LOG.warn("service address {} released: removed from {} because {}", ip, iface, why);
        } catch (IOException e) {
            LOG.error("service address {}: cannot remove it from {} ({}): {}", ip, iface, why, e.getMessage());
        }
        for (AddressUser u : users) {
            try {
                u.removed(ip.toInetAddress());
            } catch (RuntimeException e) {
                LOG.warn("service address {}: {}", ip, e.getMessage());
            }
        }
    }

    @Override
    public void stop() {
        for (ScheduledExecutorService e : new ScheduledExecutorService[] {poller, local}) {
            if (e != null) {
                e.shutdownNow();
                try {
                    e.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        poller = null;
        local = null;
        synchronized (state) {
            if (up) {
                drop("this server stops"); // before the lock goes: never two servers with the address
            }
        }
        lock.close();
    }

    @Override
    public boolean isRunning() {
        return poller != null;
    }
}
