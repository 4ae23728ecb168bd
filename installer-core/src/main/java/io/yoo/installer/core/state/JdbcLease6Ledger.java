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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
 * its {@link LedgerConnection} reads within {@value LedgerConnection#SOCKET_SECONDS} s, and one
 * that breaks (the database restarted or failed over) is opened again by the next call, at most
 * every {@value LedgerConnection#RETRY_MILLIS} ms.
 *
 * <p>PostgreSQL only ({@code INSERT ... ON CONFLICT}); a single server with H2 keeps its DHCPv6
 * leases in its journal alone.
 */
public final class JdbcLease6Ledger implements Lease6Ledger, Lifecycle {
    private final Object io = new Object();
    private final LedgerConnection db; // guarded by io
    private final LedgerTable table = new LedgerTable("yoo_lease6", "address"); // guarded by io
    private volatile boolean running;

    public JdbcLease6Ledger(JdbcConfig config) {
        if (!config.isPostgres()) {
            throw new IllegalArgumentException("the shared DHCPv6 lease ledger needs PostgreSQL, not " + config.url());
        }
        this.db = new LedgerConnection(config, "yoo-lease6-ledger");
    }

    @Override
    public String name() {
        return "lease6-ledger";
    }

    @Override
    public void start() throws SQLException {
        synchronized (io) {
            db.open();
            running = true;
        }
    }

    @Override
    public List<Lease6> load() throws IOException {
        recent(); // from here on, recent() returns only what changes after this read
        synchronized (io) {
            try {
                Connection conn = db.get();
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
                db.rollback();
                throw new IOException("cannot read the DHCPv6 leases from the state database: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public List<Lease6> recent() throws IOException {
        synchronized (io) {
            try {
                return table.recent(db.get(), JdbcLease6Ledger::lease);
            } catch (SQLException e) {
                db.rollback();
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
                Connection conn = db.get();
                if (changes.stream().allMatch(c -> !c.released() && c.lease().state() == Lease6.State.OFFERED)) {
                    LedgerTable.claimsOnly(conn);
                }
                List<Lease6> refused = new ArrayList<>();
                try (PreparedStatement take = conn.prepareStatement(table.upsert);
                        PreparedStatement give = conn.prepareStatement(table.release)) {
                    for (Change c : changes) {
                        Lease6 l = c.lease();
                        if (c.released()) {
                            give.setString(1, l.address().toString());
                            give.setString(2, l.client());
                            give.executeUpdate();
                            continue;
                        }
                        LedgerTable.setUpsert(take, l.address().toString(), l.mac(), l.client(), l.state(), l.expires(), now);
                        if (take.executeUpdate() != 1) { // a DHCPv6 message changes an address or two: no batching
                            holder(conn, l.address()).filter(h -> !h.client().equals(l.client())).ifPresent(refused::add);
                        }
                    }
                }
                conn.commit();
                return refused;
            } catch (SQLException e) {
                db.rollback();
                throw new IOException("DHCPv6 lease changes not committed to the state database: " + e.getMessage(), e);
            }
        }
    }

    private Optional<Lease6> holder(Connection conn, Ipv6 ip) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(table.holder)) {
            ps.setString(1, ip.toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(lease(rs)) : Optional.empty();
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
