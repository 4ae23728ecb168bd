package io.yoo.installer.core.state;

import io.yoo.installer.api.net.Ipv4;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;

/**
 * Who holds the service address ({@code network.serviceAddress}) among the servers of one
 * PostgreSQL: the one whose session holds the advisory lock (key: {@value #KEY_SPACE}, the
 * address). Session-level, on a connection of its own: when the holder's process dies, the kernel
 * closes its socket and PostgreSQL releases the lock at once; when its host dies or is cut off,
 * PostgreSQL's TCP keepalive (set per session here: {@value #KEEPALIVE_IDLE_SECONDS} s idle, then
 * {@value #KEEPALIVE_COUNT} probes {@value #KEEPALIVE_INTERVAL_SECONDS} s apart, and a
 * {@value #USER_TIMEOUT_MILLIS} ms TCP user timeout) ends the session and releases it after about
 * {@value #RELEASE_AFTER_SILENCE_SECONDS} s of silence. Every call on the connection is bounded by
 * the driver's socket timeout ({@value #SOCKET_TIMEOUT_SECONDS} s), so a holder cut off from
 * PostgreSQL learns it within that bound and must drop the address (its fencing) well before
 * PostgreSQL lets another server take it. Not thread-safe: one thread polls.
 */
public final class ServiceAddressLock implements AutoCloseable {
    /** First key of the advisory lock: "YooV", so that other users of pg_advisory_lock do not collide. */
    public static final int KEY_SPACE = 0x596f6f56;
    public static final int SOCKET_TIMEOUT_SECONDS = 2;
    public static final int KEEPALIVE_IDLE_SECONDS = 3;
    public static final int KEEPALIVE_INTERVAL_SECONDS = 1;
    public static final int KEEPALIVE_COUNT = 3;
    public static final int USER_TIMEOUT_MILLIS = 6000;
    /** Silence after which PostgreSQL has ended a lost holder's session (keepalive idle + probes). */
    public static final int RELEASE_AFTER_SILENCE_SECONDS = KEEPALIVE_IDLE_SECONDS + KEEPALIVE_COUNT * KEEPALIVE_INTERVAL_SECONDS;
    private static final int APPLICATION_NAME_BYTES = 63; // PostgreSQL's NAMEDATALEN - 1

    private static final String HELD_BY_ME = "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
            + " AND pid = pg_backend_pid() AND classid::bigint = ? AND objid::bigint = ? AND objsubid = 2)";
    private static final String HOLDER = "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            + " WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = ? AND l.objid::bigint = ? AND l.objsubid = 2";

    private final JdbcConfig config;
    private final Ipv4 address;
    private final String applicationName;
    private Connection conn;
    private boolean held;

    /**
     * @param serverId this server's id ({@link ServerHeartbeats#id()}): the lock's session carries
     *                 it as its application name, so every server can say who holds the address
     */
    public ServiceAddressLock(JdbcConfig config, Ipv4 address, String serverId) {
        if (!config.isPostgres()) {
            throw new IllegalArgumentException("the service address is decided in PostgreSQL, not in " + config.url());
        }
        this.config = config;
        this.address = address;
        this.applicationName = applicationName(serverId);
    }

    /**
     * Takes the lock if it is free, or confirms that this session still holds it. True: this server
     * holds the address now. False: another server does.
     *
     * @throws SQLException PostgreSQL cannot be reached or did not answer within the bound; the
     *                      lock must be taken for lost ({@link #close} and try again later)
     */
    public boolean hold() throws SQLException {
        if (conn == null) {
            conn = connect();
            held = false;
        }
        try (PreparedStatement ps = conn.prepareStatement(held ? HELD_BY_ME : "SELECT pg_try_advisory_lock(?, ?)")) {
            if (held) { // pg_locks shows the two int4 keys as oids (unsigned)
                ps.setLong(1, Integer.toUnsignedLong(KEY_SPACE));
                ps.setLong(2, address.unsigned());
            } else {
                ps.setInt(1, KEY_SPACE);
                ps.setInt(2, address.value());
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                held = rs.getBoolean(1);
            }
        } catch (SQLException e) {
            close();
            throw e;
        }
        return held;
    }

    /** Closes the session: PostgreSQL releases the lock (if held) as the session ends. */
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

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", config.user());
        p.setProperty("password", config.password());
        p.setProperty("ApplicationName", applicationName);
        p.setProperty("connectTimeout", String.valueOf(SOCKET_TIMEOUT_SECONDS));
        p.setProperty("loginTimeout", String.valueOf(SOCKET_TIMEOUT_SECONDS + 1));
        p.setProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT_SECONDS));
        p.setProperty("tcpKeepAlive", "true");
        Connection c = DriverManager.getConnection(config.url(), p);
        try (Statement s = c.createStatement()) {
            c.setAutoCommit(true); // advisory session locks are not transactional; nothing to commit
            // how soon PostgreSQL notices that this session's host is gone (it then releases the lock)
            s.execute("SET tcp_keepalives_idle = " + KEEPALIVE_IDLE_SECONDS);
            s.execute("SET tcp_keepalives_interval = " + KEEPALIVE_INTERVAL_SECONDS);
            s.execute("SET tcp_keepalives_count = " + KEEPALIVE_COUNT);
            s.execute("SET tcp_user_timeout = " + USER_TIMEOUT_MILLIS);
            s.execute("SET statement_timeout = " + SOCKET_TIMEOUT_SECONDS * 1000);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** The session name of the server with id {@code serverId} (PostgreSQL keeps at most 63 bytes of it). */
    public static String applicationName(String serverId) {
        String name = "yoo " + serverId;
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

    /**
     * The application name of the session holding {@code address}'s lock, as PostgreSQL says now;
     * empty when no server holds it.
     */
    public static Optional<String> holder(Connection c, Ipv4 address) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(HOLDER)) {
            ps.setLong(1, Integer.toUnsignedLong(KEY_SPACE));
            ps.setLong(2, address.unsigned());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }
}
