package io.yoo.installer.core.state;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations, applied in order, each in its own transaction and recorded in
 * {@code yoo_schema_history}.
 *
 * <p>Why not Flyway: we have a handful of portable SQL files and two databases. Flyway's scan of
 * the classpath and its own metadata checks cost a few hundred milliseconds at every start
 * ({@code yoo serve} must be up in under 2 s) plus ~1 MB of jar; this class is the 10% of it we
 * use. Migration files are immutable once released: add {@code V2__...} instead of editing V1.
 *
 * <p>On PostgreSQL the history table is locked for the whole run, so two servers starting
 * together against one database do not both apply a migration.
 */
public final class SchemaMigrator {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);
    private static final String RESOURCES = "io/yoo/installer/core/state/db/";
    /** The PostgreSQL advisory lock key taken while the history table is created ("yoo" in ASCII). */
    private static final long CREATE_LOCK = 0x796f6f;

    /** One migration: version, description, resource file under {@value #RESOURCES}. */
    public record Migration(int version, String description, String resource) {}

    /** The schema, in order. Append only. */
    public static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "machines and events", "V1__machines_and_events.sql"),
            new Migration(2, "dhcp leases", "V2__leases.sql"),
            new Migration(3, "api tokens and audit log", "V3__api_tokens_and_audit.sql"),
            new Migration(4, "shared secrets for several servers", "V4__high_availability.sql"),
            new Migration(5, "discovered machines", "V5__discovered_machines.sql"),
            new Migration(6, "install logs", "V6__install_logs.sql"),
            new Migration(7, "server heartbeats", "V7__server_heartbeats.sql"),
            new Migration(8, "event write ids for the outage spool", "V8__event_write_ids.sql"),
            new Migration(9, "dhcpv6 duid in server heartbeats", "V9__server_dhcp6_duid.sql"),
            new Migration(10, "a machine's last ipv6 address", "V10__machine_last_ipv6.sql"),
            new Migration(11, "dhcpv6 leases shared by several servers", "V11__dhcp6_leases.sql"));

    private SchemaMigrator() {}

    /** Brings the schema up to date; returns how many migrations were applied. */
    public static int migrate(Connection c, boolean postgres) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (Statement st = c.createStatement()) {
                if (postgres) {
                    // CREATE TABLE IF NOT EXISTS is not safe against itself on PostgreSQL (two servers
                    // starting together on an empty database: one fails on pg_type's unique index);
                    // this lock, released at the commit below, lets one create it first
                    st.execute("SELECT pg_advisory_xact_lock(" + CREATE_LOCK + ")");
                }
                st.execute("CREATE TABLE IF NOT EXISTS yoo_schema_history (version INTEGER PRIMARY KEY, "
                        + "description VARCHAR(200) NOT NULL, applied_at BIGINT NOT NULL)");
            }
            c.commit();
            int applied = 0;
            for (Migration m : MIGRATIONS) {
                if (postgres) {
                    try (Statement st = c.createStatement()) {
                        st.execute("LOCK TABLE yoo_schema_history IN EXCLUSIVE MODE");
                    }
                }
                if (isApplied(c, m.version())) {
                    c.commit();
                    continue;
                }
                try (Statement st = c.createStatement()) {
                    for (String sql : statements(load(m.resource()))) {
                        st.execute(sql);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO yoo_schema_history (version, description, applied_at) VALUES (?, ?, ?)")) {
                    ps.setInt(1, m.version());
                    ps.setString(2, m.description());
                    ps.setLong(3, System.currentTimeMillis());
                    ps.executeUpdate();
                }
                c.commit();
                applied++;
                LOG.info("state schema: applied migration V{} ({})", m.version(), m.description());
            }
            return applied;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** The highest applied version, 0 for an empty database. */
    public static int currentVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT MAX(version) FROM yoo_schema_history")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static boolean isApplied(Connection c, int version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM yoo_schema_history WHERE version = ?")) {
            ps.setInt(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String load(String resource) {
        try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(RESOURCES + resource)) {
            Objects.requireNonNull(in, () -> "migration " + resource + " missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Splits a file into statements on ';' at line ends; drops '--' comment lines. */
    static List<String> statements(String sql) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : sql.split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("--")) {
                continue;
            }
            cur.append(line).append('\n');
            if (t.endsWith(";")) {
                String s = cur.toString().strip();
                out.add(s.substring(0, s.length() - 1));
                cur.setLength(0);
            }
        }
        if (!cur.isEmpty()) {
            out.add(cur.toString().strip());
        }
        return out;
    }
}
