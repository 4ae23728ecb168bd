package io.yoo.installer.core.state;

import io.yoo.installer.api.lifecycle.Lifecycle;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.dhcp.lease.Lease;
import io.yoo.installer.dhcp.lease.LeaseLedger;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The DHCP leases of servers that share one PostgreSQL: table {@code yoo_lease} is the truth they
 * all answer from. Each batch of lease changes is committed in one transaction before its ACKs
 * leave (the DHCP server's sending thread calls {@link #commit}); the address is the table's
 * primary key, and a bind is an upsert that takes a row only when it is free, expired or already
 * the same client's — so when two servers bind one address to two clients, PostgreSQL orders the
 * two transactions and the second finds the address taken: it NAKs instead of its ACK. An OFFER of
 * a pool address is claimed first (state {@code offered}, held for the offer's few seconds; it
 * takes only a free or expired row), so two servers do not offer one address to two clients;
 * offered rows are not leases: {@link #load}, {@link #recent} and {@link #leases} skip them. A restarted
 * server reads every lease back ({@link #load}) before it answers.
 *
 * <p>PostgreSQL only ({@code INSERT ... ON CONFLICT}); the embedded H2 of a single server keeps
 * using {@link JdbcLeaseMirror}.
 */
public final class JdbcLeaseLedger implements LeaseLedger, LeaseSource, Lifecycle {
    /** Epoch seconds by the database's clock: updated_at is written and read by it. */
    private static final String DB_NOW = "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) AS BIGINT)";
    private final JdbcConfig config;
    private final Object io = new Object();
    private long watermark = Long.MIN_VALUE / 2; // guarded by io
    private Connection conn;
    private volatile boolean running;

    public JdbcLeaseLedger(JdbcConfig config) {
        if (!config.isPostgres()) {
            throw new IllegalArgumentException("the shared lease ledger needs PostgreSQL, not " + config.url());
        }
        this.config = config;
    }

    @Override
    public String name() {
        return "lease-ledger";
    }

    @Override
    public void start() throws SQLException {
        synchronized (io) {
            conn = config.connect();
            SchemaMigrator.migrate(conn, true);
            conn.setAutoCommit(false);
            running = true;
        }
    }

    @Override
    public List<Lease> load() throws IOException {
        recent(); // from here on, recent() returns only what changes after this read
        try {
            List<Lease> out = new ArrayList<>();
            for (LeaseRecord r : leases()) {
                Lease.State st = "declined".equals(r.state()) ? Lease.State.DECLINED : Lease.State.BOUND;
                out.add(new Lease(r.client(), r.mac(), Ipv4.parse(r.ip()), r.expires(), st));
            }
            return out;
        } catch (SQLException e) {
            throw new IOException("cannot read the leases from the state database: " + e.getMessage(), e);
        }
    }

    @Override
    public List<Lease> recent() throws IOException {
        synchronized (io) {
            try {
                long dbNow;
                try (PreparedStatement clock = conn.prepareStatement(DB_NOW); ResultSet rs = clock.executeQuery()) {
                    rs.next();
                    dbNow = rs.getLong(1);
                }
                List<Lease> out = new ArrayList<>();
                // the database's clock on both sides (servers' clocks may differ); 2 s back: a row of a
                // transaction still open at the last call becomes visible later with an older time
                try (PreparedStatement ps = conn.prepareStatement(
                        "SELECT ip, mac, client, lease_state, expires_at FROM yoo_lease WHERE updated_at >= ? AND lease_state <> 'offered'")) {
                    ps.setLong(1, watermark - 2);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Lease.State st = "declined".equals(rs.getString(4)) ? Lease.State.DECLINED : Lease.State.BOUND;
                            out.add(new Lease(rs.getString(3), rs.getString(2), Ipv4.parse(rs.getString(1)), rs.getLong(5), st));
                        }
                    }
                }
                conn.commit();
                watermark = dbNow;
                return out;
            } catch (SQLException e) {
                try {
                    conn.rollback();
                } catch (SQLException ignored) {
                    // the connection is gone
                }
                throw new IOException("cannot read recent leases from the state database: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public List<Lease> commit(List<Change> changes) throws IOException {
        long now = System.currentTimeMillis() / 1000;
        synchronized (io) {
            try {
                if (changes.stream().allMatch(c -> !c.released() && c.lease().state() == Lease.State.OFFERED)) {
                    // claims only: an offer's claim is no lease, it may be lost with a PostgreSQL crash (the
                    // bind that follows is durable): no wait for the WAL flush
                    try (Statement s = conn.createStatement()) {
                        s.execute("SET LOCAL synchronous_commit TO OFF");
                    }
                }
                List<Lease> refused = new ArrayList<>();
                try (PreparedStatement take = conn.prepareStatement(
                        "INSERT INTO yoo_lease AS l (ip, mac, client, lease_state, expires_at, updated_at) "
                                + "VALUES (?, ?, ?, ?, ?, (" + DB_NOW + ")) "
                                + "ON CONFLICT (ip) DO UPDATE SET mac = EXCLUDED.mac, client = EXCLUDED.client, "
                                + "lease_state = EXCLUDED.lease_state, expires_at = EXCLUDED.expires_at, updated_at = EXCLUDED.updated_at "
                                // a bind takes a free or expired row, or its client's; an offer's claim only a free or
                                // expired one (it never downgrades a lease, also not the same client's)
                                + "WHERE (l.client = EXCLUDED.client AND EXCLUDED.lease_state <> 'offered') OR l.expires_at < ?");
                        PreparedStatement give = conn.prepareStatement("DELETE FROM yoo_lease WHERE ip = ? AND client = ?")) {
                    List<Lease> pending = new ArrayList<>(); // in take's batch: one round trip for a run of binds and claims
                    for (Change c : changes) {
                        Lease l = c.lease();
                        if (c.released()) {
                            runBatch(take, pending, refused); // in order: a bind before this release is stored first
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
                        take.addBatch();
                        pending.add(l);
                    }
                    runBatch(take, pending, refused);
                }
                conn.commit();
                return refused;
            } catch (SQLException e) {
                try {
                    conn.rollback();
                } catch (SQLException ignored) {
                    // the connection is gone: the next commit says so again
                }
                throw new IOException("lease changes not committed to the state database: " + e.getMessage(), e);
            }
        }
    }

    /** Runs the batched upserts of {@code pending}; adds the holder of each address refused to another client to {@code refused}. */
    private void runBatch(PreparedStatement take, List<Lease> pending, List<Lease> refused) throws SQLException {
        if (pending.isEmpty()) {
            return;
        }
        int[] counts = take.executeBatch();
        for (int i = 0; i < pending.size(); i++) {
            Lease l = pending.get(i);
            if (i >= counts.length || counts[i] != 1) { // 0 = refused; SUCCESS_NO_INFO (a rewriting driver option) = look
                holder(l.address()).filter(h -> !h.client().equals(l.client())).ifPresent(refused::add);
            }
        }
        pending.clear();
    }

    private Optional<Lease> holder(Ipv4 ip) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT mac, client, lease_state, expires_at FROM yoo_lease WHERE ip = ?")) {
            ps.setString(1, ip.toString());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String state = rs.getString(3);
                Lease.State st = "declined".equals(state) ? Lease.State.DECLINED
                        : "offered".equals(state) ? Lease.State.OFFERED : Lease.State.BOUND;
                return Optional.of(new Lease(rs.getString(2), rs.getString(1), ip, rs.getLong(4), st));
            }
        }
    }

    @Override
    public List<LeaseRecord> leases() throws SQLException {
        synchronized (io) {
            return LeaseTable.all(conn);
        }
    }

    @Override
    public void stop() {
        synchronized (io) {
            running = false;
            try {
                if (conn != null) {
                    conn.close();
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
