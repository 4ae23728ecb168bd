package io.yoo.installer.core.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads table {@code yoo_lease}, which the single server's {@link JdbcLeaseMirror} and the shared
 * {@link JdbcLeaseLedger} both keep: one query, so both list the leases alike.
 */
final class LeaseTable {
    private LeaseTable() {}

    /**
     * Every stored lease, ordered by address text (not the {@code offered} claims a shared ledger
     * holds while its OFFER is out: they are no lease), read in its own transaction on {@code conn}
     * (auto-commit off: committed here so the next read sees newer rows). The caller holds the
     * connection's lock.
     */
    static List<LeaseRecord> all(Connection conn) throws SQLException {
        List<LeaseRecord> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT ip, mac, client, lease_state, expires_at FROM yoo_lease WHERE lease_state <> 'offered' ORDER BY ip");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new LeaseRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5)));
            }
        }
        conn.commit();
        return out;
    }
}
