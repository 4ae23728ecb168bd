package io.yoo.installer.cli;

import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.state.JdbcConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The state database {@code yoo serve} uses ({@code server.database}, else embedded H2 in the
 * state directory), and whether a PostgreSQL one can be reached at start. A server starts from
 * the shared state in PostgreSQL (sealed secrets, schema, leases, machine states) and keeps no
 * local copy of it yet: when PostgreSQL is unreachable at start it cannot start, and says so in
 * one line naming the database and what to do, instead of failing later in whichever component
 * asks first. (A server already running rides an outage: README, "When PostgreSQL is restarting
 * or unreachable".)
 */
final class StateDatabase {
    private StateDatabase() {}

    /** The descriptor's database; user and password from {@code YOO_DB_USER} (default yoo) and {@code YOO_DB_PASSWORD}. */
    static JdbcConfig of(ClusterDescriptor d) {
        return d.server().databaseUrl()
                .map(url -> new JdbcConfig(url, System.getenv().getOrDefault("YOO_DB_USER", "yoo"), System.getenv("YOO_DB_PASSWORD")))
                .orElse(JdbcConfig.h2File(d.server().stateDir()));
    }

    /**
     * Empty when {@code db} is embedded or answers (one connection, bounded by
     * {@link JdbcConfig#CONNECT_TIMEOUT_SECONDS} s); else the line to print.
     */
    static Optional<String> unreachableAtStart(JdbcConfig db) {
        if (!db.isPostgres()) {
            return Optional.empty();
        }
        try (Connection c = db.connect()) {
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of("state database " + redacted(db.url()) + " (server.database) is unreachable: " + e.getMessage()
                    + " — this server keeps no local copy of the shared state to start from: start PostgreSQL or fix server.database"
                    + " (user/password: YOO_DB_USER, YOO_DB_PASSWORD), then start yoo serve again");
        }
    }

    /** The URL without its parameters (they may carry a password). */
    static String redacted(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?...";
    }
}
