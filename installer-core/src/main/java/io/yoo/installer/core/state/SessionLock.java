package io.yoo.installer.core.state;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One PostgreSQL session-level advisory lock ({@code pg_try_advisory_lock(space, key)}) on a
 * connection of its own, with every wait bounded: opening the connection (TCP connect and login)
 * by {@code timeoutSeconds} + 1 s, every read on it by {@code timeoutSeconds} (the driver's socket
 * timeout) and every statement by the same as {@code statement_timeout}. So a database that is
 * down, partitioned, or accepts TCP but never answers (a frozen server) is an {@link SQLException}
 * within seconds, never a hang of the thread that asks.
 *
 * <p>The lock lives as long as the session: when this process dies the kernel closes the socket and
 * PostgreSQL releases it at once; when this host dies or is cut off, PostgreSQL's TCP keepalive for
 * this session ({@code keepaliveIdleSeconds} idle, then {@value #KEEPALIVE_COUNT} probes
 * {@value #KEEPALIVE_INTERVAL_SECONDS} s apart, and a TCP user timeout of the same total) ends the
 * session and releases it after {@link #releaseAfterSilenceSeconds()} of silence. The session
 * carries {@code applicationName}, so {@code pg_stat_activity} says whose lock it is.
 *
 * <p>Not thread-safe: one thread uses it. Users: {@link ServerLiveness} (which servers of a pair
 * are alive) and {@link ServiceAddressLock} (who holds the service address).
 */
public final class SessionLock implements AutoCloseable {
    public static final int KEEPALIVE_INTERVAL_SECONDS = 1;
    public static final int KEEPALIVE_COUNT = 3;
    private static final int APPLICATION_NAME_BYTES = 63; // PostgreSQL's NAMEDATALEN - 1
    private static final String HELD_BY_ME = "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
            + " AND pid = pg_backend_pid() AND classid::bigint = ? AND objid::bigint = ? AND objsubid = 2)";

    /** Work on the lock's own session (it must not change the session's settings or release the lock). */
    @FunctionalInterface
    public interface SessionWork<T> {
        T apply(Connection session) throws SQLException;
    }

    private final JdbcConfig config;
    private final int space;
    private final int key;
    private final String applicationName;
    private final int timeoutSeconds;
    private final int keepaliveIdleSeconds;
    private Connection conn;
    private boolean held;

    /**
     * @param space                the lock's first key (what kind of lock: one value per user of this class)
     * @param key                  the lock's second key (which one of that kind)
     * @param timeoutSeconds       bound of every read and statement; opening the session may take 1 s more
     * @param keepaliveIdleSeconds silence before PostgreSQL starts probing this session's host
     */
    public SessionLock(JdbcConfig config, int space, int key, String applicationName, int timeoutSeconds, int keepaliveIdleSeconds) {
        if (!config.isPostgres()) {
            throw new IllegalArgumentException("advisory session locks are PostgreSQL's, not in " + config.url());
        }
        if (timeoutSeconds < 1 || keepaliveIdleSeconds < 1) {
            throw new IllegalArgumentException("timeouts are whole seconds >= 1: " + timeoutSeconds + ", " + keepaliveIdleSeconds);
        }
        this.config = config;
        this.space = space;
        this.key = key;
        this.applicationName = applicationName(applicationName);
        this.timeoutSeconds = timeoutSeconds;
        this.keepaliveIdleSeconds = keepaliveIdleSeconds;
    }

    /** Silence after which PostgreSQL has ended a lost holder's session and released the lock. */
    public int releaseAfterSilenceSeconds() {
        return keepaliveIdleSeconds + KEEPALIVE_COUNT * KEEPALIVE_INTERVAL_SECONDS;
    }

    /**
     * The longest {@link #hold} can block: opening the session (timeout + 1 s), then at most one
     * read that times out (the first ends the call), plus 1 s for the rest.
     */
    public int worstCaseSeconds() {
        return 2 * timeoutSeconds + 2;
    }

    /**
     * Takes the lock if it is free, or confirms that this session still holds it (PostgreSQL says so,
     * one round trip). True: this session holds it now. False: another session does.
     *
     * @throws SQLException PostgreSQL cannot be reached or did not answer within the bound; the
     *                      session is closed (the lock is lost) and the next call opens a new one
     */
    public boolean hold() throws SQLException {
        return onSession(c -> {
            try (PreparedStatement ps = c.prepareStatement(held ? HELD_BY_ME : "SELECT pg_try_advisory_lock(?, ?)")) {
                if (held) { // pg_locks shows the two int4 keys as oids (unsigned)
                    ps.setLong(1, Integer.toUnsignedLong(space));
                    ps.setLong(2, Integer.toUnsignedLong(key));
                } else {
                    ps.setInt(1, space);
                    ps.setInt(2, key);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    held = rs.getBoolean(1);
                }
            }
            return held;
        });
    }

    /** True while the last {@link #hold} said this session holds the lock (no database call). */
    public boolean held() {
        return held;
    }

    /**
     * Runs {@code work} on this lock's session (opened if needed), with the same bounds.
     *
     * @throws SQLException as {@link #hold}: the session is closed and the lock taken for lost
     */
    public <T> T onSession(SessionWork<T> work) throws SQLException {
        if (conn == null) {
            held = false;
            conn = open();
        }
        try {
            return work.apply(conn);
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Closes the session: PostgreSQL releases the lock (if held) as the session ends. Never waits on the database. */
    @Override
    public void close() {
        held = false;
        if (conn != null) {
            try {
                conn.close();
            } catch (SQLException ignored) {
                // the session is gone either way
            }
            conn = null;
        }
    }

    private Connection open() throws SQLException {
        Connection c = config.connect(timeoutSeconds + 1, timeoutSeconds, applicationName);
        try (Statement s = c.createStatement()) {
            c.setAutoCommit(true); // advisory session locks are not transactional; nothing to commit
            // how soon PostgreSQL notices that this session's host is gone (it then releases the lock)
            s.execute("SET tcp_keepalives_idle = " + keepaliveIdleSeconds + "; SET tcp_keepalives_interval = " + KEEPALIVE_INTERVAL_SECONDS
                    + "; SET tcp_keepalives_count = " + KEEPALIVE_COUNT + "; SET tcp_user_timeout = " + releaseAfterSilenceSeconds() * 1000
                    + "; SET statement_timeout = " + timeoutSeconds * 1000); // one round trip
        } catch (SQLException e) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing what failed
            }
            throw e;
        }
        return c;
    }

    /** The session name for {@code name}, cut to what PostgreSQL keeps (63 bytes). */
    public static String applicationName(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        if (b.length <= APPLICATION_NAME_BYTES) {
            return name;
        }
        int end = name.length();
        while (name.substring(0, end).getBytes(StandardCharsets.UTF_8).length > APPLICATION_NAME_BYTES) {
            end--;
        }
        return name.substring(0, end);
    }
}
