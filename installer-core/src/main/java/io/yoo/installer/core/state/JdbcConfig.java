package io.yoo.installer.core.state;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;

/**
 * How to reach the state database. The default is an embedded H2 file in the state directory;
 * a PostgreSQL URL lets several servers share one state.
 *
 * <p>PostgreSQL connections get bounded waits ({@link #connect}) so a dead database is noticed in
 * seconds, not after the kernel's TCP timeout (minutes); parameters in the URL win.
 *
 * <p>The H2 URL sets {@code WRITE_DELAY=0}: by default H2 flushes committed changes up to
 * 500 ms later, and a kill -9 in that window would lose events we already acknowledged.
 */
public record JdbcConfig(String url, String user, String password) {

    public JdbcConfig {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:")) {
            throw new IllegalArgumentException("bad database URL '" + url + "': expected jdbc:postgresql://host/db or jdbc:h2:...");
        }
        user = user == null ? "" : user;
        password = password == null ? "" : password;
    }

    /** Embedded H2 database {@code <stateDir>/yoo.mv.db}. */
    public static JdbcConfig h2File(Path stateDir) {
        return new JdbcConfig("jdbc:h2:file:" + stateDir.toAbsolutePath().resolve("yoo") + ";WRITE_DELAY=0", "yoo", "");
    }

    /** Seconds to open a connection (TCP connect, then login) before giving up. */
    public static final int CONNECT_TIMEOUT_SECONDS = 5;
    /** Seconds any read from the database may block: longer than any statement we run takes. */
    public static final int SOCKET_TIMEOUT_SECONDS = 15;

    /** Opens a connection; to PostgreSQL with {@link #CONNECT_TIMEOUT_SECONDS} and {@link #SOCKET_TIMEOUT_SECONDS}. */
    public Connection connect() throws SQLException {
        return connect(CONNECT_TIMEOUT_SECONDS, SOCKET_TIMEOUT_SECONDS, null, false);
    }

    /**
     * {@link #connect}, and to PostgreSQL with {@code reWriteBatchedInserts}: a batch of INSERTs
     * goes as multi-row INSERTs (one statement per up to 128 rows instead of one per row; the
     * state writer's events, ~13 per installed machine). Its {@code executeBatch} then answers
     * {@code SUCCESS_NO_INFO} per row: only for callers that do not read the counts.
     */
    public Connection connectRewritingBatches() throws SQLException {
        return connect(CONNECT_TIMEOUT_SECONDS, SOCKET_TIMEOUT_SECONDS, null, true);
    }

    /**
     * Opens a connection; to PostgreSQL bounded: TCP connect and login within {@code loginSeconds},
     * every later read within {@code socketSeconds}, with TCP keep-alive (so a database that is down,
     * cut off or frozen is an error within seconds, not a hang); {@code applicationName} (null:
     * the driver's) names the session in {@code pg_stat_activity}. Parameters in the URL win.
     */
    public Connection connect(int loginSeconds, int socketSeconds, String applicationName) throws SQLException {
        return connect(loginSeconds, socketSeconds, applicationName, false);
    }

    private Connection connect(int loginSeconds, int socketSeconds, String applicationName, boolean rewriteBatches)
            throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        if (isPostgres()) {
            p.setProperty("connectTimeout", String.valueOf(loginSeconds));
            p.setProperty("loginTimeout", String.valueOf(loginSeconds));
            p.setProperty("socketTimeout", String.valueOf(socketSeconds));
            p.setProperty("tcpKeepAlive", "true");
            if (applicationName != null) {
                p.setProperty("ApplicationName", applicationName);
            }
            if (rewriteBatches) {
                p.setProperty("reWriteBatchedInserts", "true");
            }
        }
        return DriverManager.getConnection(url, p);
    }

    public boolean isPostgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    @Override
    public String toString() {
        return "JdbcConfig[" + url + ", user=" + user + "]"; // never the password
    }
}
