package io.yoo.installer.core.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@code yoo_shared_secret} table: named values every server of a cluster shares, each
 * written once. It stores what it is given (callers seal the values first, see
 * {@code SecretKeyFile}); it never sees a secret in clear.
 *
 * <p>{@link #getOrCreate} makes a value at most once per database, also when two servers start
 * together: the first server's INSERT holds the name's row (uncommitted) while it makes the
 * value; a second server's INSERT of the same name waits for that transaction, then fails on the
 * primary key, and that server reads the winner's value. A server that dies while making the
 * value leaves nothing: its transaction is rolled back and the next one makes it.
 */
public final class SharedSecretTable {
    /** How long an INSERT may wait for another server making the same value (RSA keys take seconds). */
    static final int WAIT_SECONDS = 120;
    private static final String UNIQUE_VIOLATION = "23505"; // SQLSTATE, the same on PostgreSQL and H2

    /** What {@link #getOrCreate} found: the stored value, and whether this call made it. */
    public record Stored(String value, boolean createdHere) {}

    private final JdbcConfig config;

    public SharedSecretTable(JdbcConfig config) {
        this.config = config;
    }

    /** The value stored under {@code name}, if any. */
    public Optional<String> read(String name) throws SQLException {
        try (Connection c = open()) {
            return select(c, name);
        }
    }

    /**
     * The value stored under {@code name}; when there is none, {@code create}'s, stored in the
     * same transaction. {@code create} runs at most once per database and name (see the class).
     */
    public Stored getOrCreate(String name, Supplier<String> create) throws SQLException {
        try (Connection c = open()) {
            c.setAutoCommit(false);
            try {
                Optional<String> existing = select(c, name);
                if (existing.isPresent()) {
                    c.commit();
                    return new Stored(existing.get(), false);
                }
                try (PreparedStatement claim = c.prepareStatement(
                        "INSERT INTO yoo_shared_secret (name, sealed, created_at, created_by) VALUES (?, '', ?, ?)")) {
                    claim.setQueryTimeout(WAIT_SECONDS);
                    claim.setString(1, name);
                    claim.setLong(2, System.currentTimeMillis());
                    claim.setString(3, hostName());
                    claim.executeUpdate();
                } catch (SQLException e) {
                    if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw e;
                    }
                    c.rollback(); // another server stored it first (it waited for its commit): read the winner
                    String winner = select(c, name).orElseThrow(() -> new SQLException("shared secret " + name + " vanished"));
                    c.commit();
                    return new Stored(winner, false);
                }
                String value = create.get();
                try (PreparedStatement fill = c.prepareStatement("UPDATE yoo_shared_secret SET sealed = ? WHERE name = ?")) {
                    fill.setString(1, value);
                    fill.setString(2, name);
                    fill.executeUpdate();
                }
                c.commit();
                return new Stored(value, true);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private Connection open() throws SQLException {
        Connection c = DriverManager.getConnection(config.url(), config.user(), config.password());
        try {
            SchemaMigrator.migrate(c, config.isPostgres());
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private static Optional<String> select(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT sealed FROM yoo_shared_secret WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String v = rs.getString(1);
                if (v.isEmpty()) {
                    // only a transaction that has not committed writes '' (and nobody else sees it)
                    throw new SQLException("shared secret " + name + " is empty in the database");
                }
                return Optional.of(v);
            }
        }
    }

    /** For the operator's eyes only (which server made a value); no DNS lookup at start. */
    private static String hostName() {
        try {
            String h = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).strip();
            return h.isEmpty() ? "unknown" : h.substring(0, Math.min(h.length(), 253));
        } catch (IOException e) {
            return "unknown";
        }
    }
}
