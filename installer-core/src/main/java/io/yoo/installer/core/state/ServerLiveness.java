package io.yoo.installer.core.state;

import io.yoo.installer.api.lifecycle.Lifecycle;
import io.yoo.installer.dhcp.server.ServerShare;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which servers of a DHCP pair are alive, for load balancing ({@link ServerShare}), told faster
 * than the heartbeats' 10 s: each server holds a PostgreSQL session advisory lock while its DHCP
 * answers (taken after DHCP started, released first when it stops), and reads every
 * {@value #POLL_MILLIS} ms which of the others hold theirs. A server killed with kill -9 loses its
 * lock the moment its connection closes (the kernel closes its sockets), so its partner answers
 * all clients within one poll. A server whose host dies without closing the connection keeps the
 * lock until PostgreSQL's TCP keepalive (set for this session: {@value #KEEPALIVE_IDLE_SECONDS} s
 * idle, then 3 probes 1 s apart: about 5 s) drops it; and a server also counts only while its
 * heartbeat row in {@code yoo_server} is fresh and {@code serving}
 * ({@link ServerHeartbeats#STALE_SECONDS}), the backstop.
 *
 * <p>The lock is a {@link SessionLock}: every wait on the database is bounded (connect and login
 * {@value #TIMEOUT_SECONDS} s + 1, each read {@value #TIMEOUT_SECONDS} s), so a database that is
 * down, cut off or frozen (accepting TCP, never answering) costs one poll at most
 * {@link #worstCaseSeconds} and never hangs {@link #start}, {@link #stop} or DHCP's share.
 *
 * <p>Only servers of the same {@code group} (the subnets they serve) share clients: a server of
 * another segment on the same database never takes a bucket away. The live servers of a group,
 * sorted by id, number themselves; this server's number and their count are its share. When this
 * server cannot tell (database unreachable, or its own lock not held), it answers every client:
 * two answers are harmless (the shared lease table decides), none would not be.
 */
public final class ServerLiveness implements Lifecycle, Supplier<ServerShare> {
    private static final Logger LOG = LoggerFactory.getLogger(ServerLiveness.class);
    public static final long POLL_MILLIS = 500;
    /** Bound of every read on the lock's session (opening it: 1 s more): a poll never blocks longer than {@link #worstCaseSeconds}. */
    public static final int TIMEOUT_SECONDS = 2;
    /** Silence before PostgreSQL probes a server's host; it ends a dead host's session (its lock) 3 s later. */
    public static final int KEEPALIVE_IDLE_SECONDS = 2;
    private static final String DB_NOW = "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) AS BIGINT)";

    private final String id;
    private final int group;
    private final SessionLock lock; // guarded by io
    private final Object io = new Object();
    private volatile ServerShare share = ServerShare.ALL;
    private List<String> lastAlive = List.of(); // guarded by io
    private ScheduledExecutorService poll;
    private final RateLimitedWarning unreachable = new RateLimitedWarning(Duration.ofMinutes(1), LOG::warn);
    private final RateLimitedWarning lockTaken = new RateLimitedWarning(Duration.ofMinutes(1), LOG::warn);

    /**
     * @param id    this server's id in {@code yoo_server} ({@link ServerHeartbeats#id()})
     * @param group what servers share clients with each other: the same text (the served subnets) on each
     */
    public ServerLiveness(JdbcConfig config, String id, String group) {
        this.id = id;
        this.group = group.hashCode();
        this.lock = new SessionLock(config, this.group, key(id), ServiceAddressLock.applicationName(id), TIMEOUT_SECONDS,
                KEEPALIVE_IDLE_SECONDS);
    }

    @Override
    public String name() {
        return "liveness";
    }

    /** The advisory lock's second key for a server id (the first is the group): the same on every server. */
    static int key(String serverId) {
        return serverId.hashCode();
    }

    /** The longest one poll (and so {@link #start} or {@link #stop}) waits on the database. */
    public int worstCaseSeconds() {
        return lock.worstCaseSeconds();
    }

    @Override
    public ServerShare get() {
        return share;
    }

    @Override
    public void start() {
        pollOnce(); // bounded: a database that does not answer leaves this server answering every client
        poll = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("liveness").daemon(true).unstarted(r));
        poll.scheduleWithFixedDelay(this::pollOnce, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void pollOnce() {
        synchronized (io) {
            try {
                boolean locked = lock.hold();
                if (!locked) {
                    lockTaken.warn(() -> "DHCP load balancing: another session holds this server's lock (" + id
                            + "): answering every client until it is free");
                }
                List<String> alive = locked ? lock.onSession(this::alive) : List.of(id);
                int index = alive.indexOf(id);
                share = index < 0 ? ServerShare.ALL : new ServerShare(index, alive.size());
                if (!alive.equals(lastAlive)) {
                    LOG.info("DHCP load balancing: {} alive {}; this server answers {}", alive.size() == 1 ? "no other server" : "servers",
                            alive, share.alone() ? "every client" : "the clients of buckets " + index + " mod " + alive.size()
                                    + " (RFC 3074 hash), the others their own");
                    lastAlive = alive;
                }
            } catch (SQLException e) {
                share = ServerShare.ALL; // the lock's session is closed: the lock is lost, taken again at a later poll
                lastAlive = List.of();
                unreachable.warn(() -> "DHCP load balancing: cannot tell which servers are alive (state database unreachable), "
                        + "answering every client: " + e.getMessage());
            }
        }
    }

    /** This server and the others of its group that hold their lock and have a fresh heartbeat, sorted by id. */
    private List<String> alive(Connection conn) throws SQLException {
        Set<Long> held = new HashSet<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT objid::bigint FROM pg_locks WHERE locktype = 'advisory' AND granted "
                + "AND objsubid = 2 AND classid::bigint = ? AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            ps.setLong(1, Integer.toUnsignedLong(group));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    held.add(rs.getLong(1));
                }
            }
        }
        List<String> alive = new ArrayList<>();
        alive.add(id);
        try (PreparedStatement ps = conn.prepareStatement("SELECT id FROM yoo_server WHERE id <> ? AND server_state = 'serving' "
                + "AND heartbeat_at >= (" + DB_NOW + ") - ?")) {
            ps.setString(1, id);
            ps.setLong(2, ServerHeartbeats.STALE_SECONDS);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String other = rs.getString(1);
                    if (held.contains(Integer.toUnsignedLong(key(other)))) {
                        alive.add(other);
                    }
                }
            }
        }
        alive.sort(null);
        return List.copyOf(alive);
    }

    @Override
    public void stop() {
        if (poll != null) {
            poll.shutdownNow();
            try {
                poll.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            poll = null;
        }
        synchronized (io) { // the poll thread is out within worstCaseSeconds: its waits are bounded
            lock.close(); // releases the lock: the partner answers every client from its next poll
            share = ServerShare.ALL;
        }
    }

    @Override
    public boolean isRunning() {
        return poll != null;
    }
}
