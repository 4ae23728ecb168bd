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
 * server reads every lease back ({@link #load}) before it answers. Bounded waits: its {@link
 * LedgerConnection} reads within {@value LedgerConnection#SOCKET_SECONDS} s (the DHCP server's
 * sending thread waits for it), and one that breaks (the database restarted or failed over) is
 * opened again by the next call, at most every {@value LedgerConnection#RETRY_MILLIS} ms.
 *
 * <p>PostgreSQL only ({@code INSERT ... ON CONFLICT}); the embedded H2 of a single server keeps
 * using {@link JdbcLeaseMirror}.
 */
public final class JdbcLeaseLedger implements LeaseLedger, LeaseSource, Lifecycle {
    private final Object io = new Object();
    private final LedgerConnection db; // guarded by io
    private final LedgerTable table = new LedgerTable("yoo_lease", "ip"); // guarded by io
    private volatile boolean running;

    public JdbcLeaseLedger(JdbcConfig config) {
        if (!config.isPostgres()) {
            throw new IllegalArgumentException("the shared lease ledger needs PostgreSQL, not " + config.url());
        }
        this.db = new LedgerConnection(config, "yoo-lease-ledger");
    }

    @Override
    public String name() {
        return "lease-ledger";
    }

    @Override
    public void start() throws SQLException {
        synchronized (io) {
            db.open();
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
                return table.recent(db.get(), JdbcLeaseLedger::lease);
            } catch (SQLException e) {
                db.rollback();
                throw new IOException("cannot read recent leases from the state database: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public List<Lease> commit(List<Change> changes) throws IOException {
        long now = System.currentTimeMillis() / 1000;
        synchronized (io) {
            try {
                Connection conn = db.get();
                if (changes.stream().allMatch(c -> !c.released() && c.lease().state() == Lease.State.OFFERED)) {
                    LedgerTable.claimsOnly(conn);
                }
                List<Lease> refused = new ArrayList<>();
                try (PreparedStatement take = conn.prepareStatement(table.upsert);
                        PreparedStatement give = conn.prepareStatement(table.release)) {
                    List<Lease> pending = new ArrayList<>(); // in take's batch: one round trip for a run of binds and claims
                    for (Change c : changes) {
                        Lease l = c.lease();
                        if (c.released()) {
                            runBatch(conn, take, pending, refused); // in order: a bind before this release is stored first
                            give.setString(1, l.address().toString());
                            give.setString(2, l.client());
                            give.executeUpdate();
                            continue;
                        }
                        LedgerTable.setUpsert(take, l.address().toString(), l.mac(), l.client(), l.state(), l.expires(), now);
                        take.addBatch();
                        pending.add(l);
                    }
                    runBatch(conn, take, pending, refused);
                }
                conn.commit();
                return refused;
            } catch (SQLException e) {
                db.rollback();
                throw new IOException("lease changes not committed to the state database: " + e.getMessage(), e);
            }
        }
    }

    /** Runs the batched upserts of {@code pending}; adds the holder of each address refused to another client to {@code refused}. */
    private void runBatch(Connection conn, PreparedStatement take, List<Lease> pending, List<Lease> refused) throws SQLException {
        if (pending.isEmpty()) {
            return;
        }
        int[] counts = take.executeBatch();
        for (int i = 0; i < pending.size(); i++) {
            Lease l = pending.get(i);
            if (i >= counts.length || counts[i] != 1) { // 0 = refused; SUCCESS_NO_INFO (a rewriting driver option) = look
                holder(conn, l.address()).filter(h -> !h.client().equals(l.client())).ifPresent(refused::add);
            }
        }
        pending.clear();
    }

    private Optional<Lease> holder(Connection conn, Ipv4 ip) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(table.holder)) {
            ps.setString(1, ip.toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(lease(rs)) : Optional.empty();
            }
        }
    }

    private static Lease lease(ResultSet rs) throws SQLException {
        return new Lease(rs.getString(3), rs.getString(2), Ipv4.parse(rs.getString(1)), rs.getLong(5), state(rs.getString(4)));
    }

    private static Lease.State state(String s) {
        return switch (s) {
            case "declined" -> Lease.State.DECLINED;
            case "offered" -> Lease.State.OFFERED;
            default -> Lease.State.BOUND;
        };
    }

    @Override
    public List<LeaseRecord> leases() throws SQLException {
        synchronized (io) {
            try {
                return LeaseTable.all(db.get());
            } catch (SQLException e) {
                db.rollback();
                throw e;
            }
        }
    }

    @Override
    public void stop() {
        synchronized (io) {
            running = false;
            db.close();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
