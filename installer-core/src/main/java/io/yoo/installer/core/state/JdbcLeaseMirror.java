package io.yoo.installer.core.state;

import io.yoo.installer.api.lifecycle.Lifecycle;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the DHCP leases in the state database ({@code yoo_lease}), next to machines and events:
 * embedded H2 or the PostgreSQL that several servers share. The DHCP server's journal stays the
 * authority on the packet path (tens of thousands of leases a second, written before each ACK);
 * this mirror takes each change without blocking, keeps only the newest change per address, and
 * a writer thread upserts or deletes them in one transaction every {@link #INTERVAL_MS} ms, so a
 * boot storm costs one commit per interval, and the table lags the journal by at most that.
 * On start the DHCP server reports every lease it holds, so a restart re-syncs the table.
 */
public final class JdbcLeaseMirror implements Lifecycle, LeaseSource {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcLeaseMirror.class);
    static final long INTERVAL_MS = 200;

    /** A pending change: the lease to store, or empty to delete the address. */
    private final Map<String, Optional<LeaseRecord>> pending = new ConcurrentHashMap<>();
    private final JdbcConfig config;
    private final Object io = new Object();
    private volatile boolean running;
    private volatile long written;
    private Connection conn;
    private Thread writer;

    public JdbcLeaseMirror(JdbcConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "lease-mirror";
    }

    @Override
    public synchronized void start() throws SQLException {
        if (running) {
            throw new IllegalStateException("lease mirror already started");
        }
        conn = config.connect();
        SchemaMigrator.migrate(conn, config.isPostgres());
        conn.setAutoCommit(false);
        running = true;
        writer = Thread.ofPlatform().name("yoo-lease-mirror").daemon(true).start(this::writeLoop);
    }

    /** A lease was bound or declined. Never blocks. */
    public void changed(LeaseRecord lease) {
        pending.put(lease.ip(), Optional.of(lease));
    }

    /** A lease was released. Never blocks. */
    public void released(String ip) {
        pending.put(ip, Optional.empty());
    }

    /** Every stored lease, ordered by address text. */
    @Override
    public List<LeaseRecord> leases() throws SQLException {
        synchronized (io) {
            return LeaseTable.all(conn);
        }
    }

    /** Waits until every change queued before this call is committed (tests, orderly shutdown). */
    public boolean awaitWritten(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        long target = written + 2; // two full writer passes: the one running may have missed our changes
        while (System.nanoTime() < deadline) {
            if (pending.isEmpty() && written >= target) {
                return true;
            }
            LockSupport.unpark(writer);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return false;
    }

    private void writeLoop() {
        while (running) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS));
            flushPending();
        }
        flushPending();
    }

    private void flushPending() {
        List<Map.Entry<String, Optional<LeaseRecord>>> batch = new ArrayList<>();
        for (String ip : pending.keySet()) {
            Optional<LeaseRecord> change = pending.remove(ip);
            if (change != null) {
                batch.add(Map.entry(ip, change));
            }
        }
        if (!batch.isEmpty()) {
            try {
                write(batch);
            } catch (SQLException e) {
                LOG.warn("lease mirror: {} lease change(s) not stored, retrying: {}", batch.size(), e.toString());
                try {
                    conn.rollback();
                } catch (SQLException ignored) {
                    // the connection is broken: the retry will say so again
                }
                // put back what no newer change replaced
                for (var c : batch) {
                    pending.putIfAbsent(c.getKey(), c.getValue());
                }
            }
        }
        written++;
    }

    private void write(List<Map.Entry<String, Optional<LeaseRecord>>> batch) throws SQLException {
        long now = System.currentTimeMillis() / 1000;
        synchronized (io) {
            try (PreparedStatement update = conn.prepareStatement(
                    "UPDATE yoo_lease SET mac = ?, client = ?, lease_state = ?, expires_at = ?, updated_at = ? WHERE ip = ?");
                    PreparedStatement insert = conn.prepareStatement(
                            "INSERT INTO yoo_lease (mac, client, lease_state, expires_at, updated_at, ip) VALUES (?, ?, ?, ?, ?, ?)");
                    PreparedStatement delete = conn.prepareStatement("DELETE FROM yoo_lease WHERE ip = ?")) {
                for (var c : batch) {
                    if (c.getValue().isEmpty()) {
                        delete.setString(1, c.getKey());
                        delete.executeUpdate();
                        continue;
                    }
                    LeaseRecord l = c.getValue().get();
                    bind(update, l, now);
                    if (update.executeUpdate() == 0) {
                        bind(insert, l, now);
                        insert.executeUpdate();
                    }
                }
            }
            conn.commit();
        }
    }

    private static void bind(PreparedStatement ps, LeaseRecord l, long now) throws SQLException {
        ps.setString(1, l.mac());
        ps.setString(2, l.client());
        ps.setString(3, l.state());
        ps.setLong(4, l.expires());
        ps.setLong(5, now);
        ps.setString(6, l.ip());
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        LockSupport.unpark(writer);
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (io) {
            try {
                conn.close();
            } catch (SQLException ignored) {
                // closing
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
