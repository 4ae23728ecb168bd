package io.yoo.installer.core.state;

import io.yoo.installer.api.lifecycle.Lifecycle;
import io.yoo.installer.dhcp.v6.codec.Ipv6;
import io.yoo.installer.dhcp.v6.lease.Lease6;
import io.yoo.installer.dhcp.v6.lease.Lease6Ledger;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The DHCPv6 leases of servers that share one PostgreSQL, as {@link JdbcLeaseLedger} for DHCPv4:
 * table {@code yoo_lease6} (migration V11) is the truth they all answer from. The DHCPv6 server
 * commits a message's dynamic-address changes in one transaction before its reply leaves; the
 * address is the table's primary key, and a bind is an upsert that takes a row only when it is
 * free, expired or already the same client's (IA: {@code <DUID hex>/<IAID>}) — so when two servers
 * bind one address to two clients, PostgreSQL orders the two transactions and the second finds the
 * address taken: its server answers again with another address. An ADVERTISE's address is claimed
 * first (state {@code offered}, held for the offer's few seconds; it takes only a free or expired
 * row); offered rows are not leases: {@link #load} and {@link #recent} skip them. Bounded waits:
 * the connection has {@link JdbcConfig}'s connect and socket timeouts; one that breaks (the
 * database restarted or failed over) is opened again by the next call, at most every
 * {@value #RETRY_MILLIS} ms.
 *
 * <p>PostgreSQL only ({@code INSERT ... ON CONFLICT}); a single server with H2 keeps its DHCPv6
 * leases in its journal alone.
 */
public final class JdbcLease6Ledger implements Lease6Ledger, Lifecycle {
    /** Epoch seconds by the database's clock: updated_at is written and read by it. */
    private static final String DB_NOW = "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) AS BIGINT)";
    private final JdbcConfig config;
    private final Object io = new Object();
    /** How long after a failed connect the next one is tried. */
    static final long RETRY_MILLIS = 2000;
    /** The longest wait for one answer of the database. */
    static final int SOCKET_SECONDS = 5;
    private long watermark = Long.MIN_VALUE / 2; // guarded by io
    private Connection connection; // guarded by io; null: broken, opened again by conn()
    private long retryAt = System.nanoTime(); // guarded by io
    private volatile boolean running;

    public JdbcLease6Ledger(JdbcConfig config) {
        if (!config.isPostgres()) {
            throw new IllegalArgumentException("the shared DHCPv6 lease ledger needs PostgreSQL, not " + config.url());
        }
        this.config = config;
    }

    @Override
    public String name() {
        return "lease6-ledger";
    }

    @Override
    public void start() throws SQLException {
        synchronized (io) {
            connection = connect();
            connection.setAutoCommit(true);
            SchemaMigrator.migrate(connection, true);
            connection.setAutoCommit(false);
            running = true;
        }
    }

    @Override
    public List<Lease6> load() throws IOException {
        recent(); // from here on, recent() returns only what changes after this read
        synchronized (io) {
            try {
                Connection conn = conn();
                List<Lease6> out = new ArrayList<>();
                try (PreparedStatement ps = conn.prepareStatement(
                        "SELECT address, mac, client, lease_state, expires_at FROM yoo_lease6 WHERE lease_state <> 'offered'");
                        ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(lease(rs));
                    }
                }
                conn.commit();
                return out;
            } catch (SQLException e) {
                rollback();
                throw new IOException("cannot read the DHCPv6 leases from the state database: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public List<Lease6> recent() throws IOException {
        synchronized (io) {
            try {
                Connection conn = conn();
                long dbNow;
                try (PreparedStatement clock = conn.prepareStatement(DB_NOW); ResultSet rs = clock.executeQuery()) {
                    rs.next();
                    dbNow = rs.getLong(1);
                }
                List<Lease6> out = new ArrayList<>();
                // the database's clock on both sides (servers' clocks may differ); 2 s back: a row of a
                // transaction still open at the last call becomes visible later with an older time
                try (PreparedStatement ps = conn.prepareStatement("SELECT address, mac, client, lease_state, expires_at "
                        + "FROM yoo_lease6 WHERE updated_at >= ? AND lease_state <> 'offered'")) {
                    ps.setLong(1, watermark - 2);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(lease(rs));
                        }
                    }
                }
                conn.commit();
                watermark = dbNow;
                return out;
            } catch (SQLException e) {
                rollback();
                throw new IOException("cannot read recent DHCPv6 leases from the state database: " + e.getMessage(), e);
            }
        }
    }

    private static Lease6 lease(ResultSet rs) throws SQLException {
        return new Lease6(rs.getString(3), rs.getString(2), Ipv6.parse(rs.getString(1)), rs.getLong(5), state(rs.getString(4)));
    }

    private static Lease6.State state(String s) {
        return switch (s) {
            case "declined" -> Lease6.State.DECLINED;
            case "offered" -> Lease6.State.OFFERED;
            default -> Lease6.State.BOUND;
        };
    }

    @Override
    public List<Lease6> commit(List<Change> changes) throws IOException {
        long now = System.currentTimeMillis() / 1000;
        synchronized (io) {
            try {
                Connection conn = conn();
                if (changes.stream().allMatch(c -> !c.released() && c.lease().state() == Lease6.State.OFFERED)) {
                    // claims only: an ADVERTISE's claim is no lease, it may be lost with a PostgreSQL crash (the
                    // bind that follows is durable): no wait for the WAL flush
                    try (Statement s = conn.createStatement()) {
                        s.execute("SET LOCAL synchronous_commit TO OFF");
                    }
                }
                List<Lease6> refused = new ArrayList<>();
                try (PreparedStatement take = conn.prepareStatement(
                        "INSERT INTO yoo_lease6 AS l (address, mac, client, lease_state, expires_at, updated_at) "
                                + "VALUES (?, ?, ?, ?, ?, (" + DB_NOW + ")) "
                                + "ON CONFLICT (address) DO UPDATE SET mac = EXCLUDED.mac, client = EXCLUDED.client, "
                                + "lease_state = EXCLUDED.lease_state, expires_at = EXCLUDED.expires_at, updated_at = EXCLUDED.updated_at "
                                // a bind takes a free or expired row, or its client's; a claim only a free or expired
                                // one (it never downgrades a lease, also not the same client's)
                                + "WHERE (l.client = EXCLUDED.client AND EXCLUDED.lease_state <> 'offered') OR l.expires_at < ?");
                        PreparedStatement give = conn.prepareStatement("DELETE FROM yoo_lease6 WHERE address = ? AND client = ?")) {
                    for (Change c : changes) {
                        Lease6 l = c.lease();
                        if (c.released()) {
                            give.setString(1, l.address().toString());
                            give.setString(2, l.client());
                            give.executeUpdate();
                            continue;
                        }
                        take.setString(1, l.address().toString());
                        take.setString(2, l.mac());
                        take.setString(3, l.client());
                        take.setString(4, switch (l.state()) {
                            case DECLINED -> "declined";
                            case OFFERED -> "offered";
                            case BOUND -> "bound";
                        });
                        take.setLong(5, l.expires());
                        take.setLong(6, now);
                        if (take.executeUpdate() != 1) { // a DHCPv6 message changes an address or two: no batching
                            holder(conn, l.address()).filter(h -> !h.client().equals(l.client())).ifPresent(refused::add);
                        }
                    }
                }
                conn.commit();
                return refused;
            } catch (SQLException e) {
                rollback();
                throw new IOException("DHCPv6 lease changes not committed to the state database: " + e.getMessage(), e);
            }
        }
    }

    private static Optional<Lease6> holder(Connection conn, Ipv6 ip) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT address, mac, client, lease_state, expires_at FROM yoo_lease6 WHERE address = ?")) {
            ps.setString(1, ip.toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(lease(rs)) : Optional.empty();
            }
        }
    }

    /**
     * The connection, opened again when the last one broke (PostgreSQL restarted, or its HA pair
     * failed over): at most one try per {@value #RETRY_MILLIS} ms, so while the database is
     * unreachable a DHCPv6 message waits for one connect timeout at most once per period, not each.
     */
    private Connection conn() throws SQLException {
        if (connection != null) {
            return connection;
        }
        long t = System.nanoTime();
        if (t - retryAt < 0) {
            throw new SQLException("not connected to the state database (next try within " + RETRY_MILLIS + " ms)", "08003");
        }
        Connection c;
        try {
            c = connect();
        } catch (SQLException e) {
            retryAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS); // from the failure: a connect may wait its timeout
            throw e;
        }
        connection = c;
        return c;
    }

    /**
     * A connection whose reads wait {@value #SOCKET_SECONDS} s at most (not the state store's 15):
     * the DHCPv6 server waits for it on its receiving thread, once per message that gives a pool address.
     */
    private Connection connect() throws SQLException {
        Connection c = config.connect(JdbcConfig.CONNECT_TIMEOUT_SECONDS, SOCKET_SECONDS, "yoo-lease6-ledger");
        c.setAutoCommit(false);
        return c;
    }

    /** After a failed call: rolls back, and forgets a connection that broke (the next call opens another). */
    private void rollback() {
        if (connection == null) {
            return;
        }
        try {
            connection.rollback();
            if (!connection.isClosed()) {
                return;
            }
        } catch (SQLException ignored) {
            // the connection is gone
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // already
        }
        connection = null;
    }

    @Override
    public void stop() {
        synchronized (io) {
            running = false;
            try {
                if (connection != null) {
                    connection.close();
                }
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
