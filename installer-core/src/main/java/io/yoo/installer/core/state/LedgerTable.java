package io.yoo.installer.core.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The table of a shared lease ledger: {@code yoo_lease} (address column {@code ip}) for {@link
 * JdbcLeaseLedger}, {@code yoo_lease6} ({@code address}) for {@link JdbcLease6Ledger}. Same columns
 * and same rules, so their SQL is built here once; and the watermark of {@link #recent}. Rows are
 * read as address, mac, client, lease_state, expires_at. Not thread-safe: the ledger calls it under
 * its own lock.
 */
final class LedgerTable {
    /** Epoch seconds by the database's clock: updated_at is written and read by it. */
    private static final String DB_NOW = "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) AS BIGINT)";
    /**
     * Takes an address (parameters: address, mac, client, state, expires, now): a bind takes a free
     * or expired row, or its client's; an offer's claim only a free or expired one (it never
     * downgrades a lease, also not the same client's). One row updated: taken; none: refused.
     */
    final String upsert;
    /** Frees an address (parameters: address, client), only its client's. */
    final String release;
    /** The row of an address (parameter: address), offered or not. */
    final String holder;
    private final String changedSince;
    private long watermark = Long.MIN_VALUE / 2;

    LedgerTable(String table, String address) {
        upsert = "INSERT INTO " + table + " AS l (" + address + ", mac, client, lease_state, expires_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, (" + DB_NOW + ")) "
                + "ON CONFLICT (" + address + ") DO UPDATE SET mac = EXCLUDED.mac, client = EXCLUDED.client, "
                + "lease_state = EXCLUDED.lease_state, expires_at = EXCLUDED.expires_at, updated_at = EXCLUDED.updated_at "
                + "WHERE (l.client = EXCLUDED.client AND EXCLUDED.lease_state <> 'offered') OR l.expires_at < ?";
        release = "DELETE FROM " + table + " WHERE " + address + " = ? AND client = ?";
        holder = "SELECT " + address + ", mac, client, lease_state, expires_at FROM " + table + " WHERE " + address + " = ?";
        changedSince = "SELECT " + address + ", mac, client, lease_state, expires_at FROM " + table
                + " WHERE updated_at >= ? AND lease_state <> 'offered'";
    }

    /** Sets {@link #upsert}'s parameters; {@code state} is named as stored: bound, offered or declined. */
    static void setUpsert(PreparedStatement take, String address, String mac, String client, Enum<?> state, long expires,
            long now) throws SQLException {
        take.setString(1, address);
        take.setString(2, mac);
        take.setString(3, client);
        take.setString(4, state.name().toLowerCase(Locale.ROOT));
        take.setLong(5, expires);
        take.setLong(6, now);
    }

    /**
     * For a transaction of offer claims only: an offer's claim is no lease, it may be lost with a
     * PostgreSQL crash (the bind that follows is durable), so its commit does not wait for the WAL flush.
     */
    static void claimsOnly(Connection conn) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute("SET LOCAL synchronous_commit TO OFF");
        }
    }

    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /**
     * The leases (not claims) changed since the last call, or all at the first, in a transaction of
     * their own (committed here).
     */
    <T> List<T> recent(Connection conn, Row<T> row) throws SQLException {
        long dbNow;
        try (PreparedStatement clock = conn.prepareStatement(DB_NOW); ResultSet rs = clock.executeQuery()) {
            rs.next();
            dbNow = rs.getLong(1);
        }
        List<T> out = new ArrayList<>();
        // the database's clock on both sides (servers' clocks may differ); 2 s back: a row of a
        // transaction still open at the last call becomes visible later with an older time
        try (PreparedStatement ps = conn.prepareStatement(changedSince)) {
            ps.setLong(1, watermark - 2);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row.read(rs));
                }
            }
        }
        conn.commit();
        watermark = dbNow;
        return out;
    }
}
