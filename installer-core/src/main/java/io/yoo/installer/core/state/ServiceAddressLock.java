package io.yoo.installer.core.state;

import io.yoo.installer.api.net.Ipv4;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Who holds the service address ({@code network.serviceAddress}) among the servers of one
 * PostgreSQL: the one whose session holds the advisory lock (key: {@value #KEY_SPACE}, the
 * address), a {@link SessionLock}. When the holder's process dies, the kernel closes its socket
 * and PostgreSQL releases the lock at once; when its host dies or is cut off, PostgreSQL's TCP
 * keepalive (set per session: {@value #KEEPALIVE_IDLE_SECONDS} s idle, then
 * {@value SessionLock#KEEPALIVE_COUNT} probes {@value SessionLock#KEEPALIVE_INTERVAL_SECONDS} s
 * apart, and a TCP user timeout of the same total) ends the session and releases it after about
 * {@value #RELEASE_AFTER_SILENCE_SECONDS} s of silence. Every call on the connection is bounded
 * ({@value #SOCKET_TIMEOUT_SECONDS} s socket and statement timeout), so a holder cut off from
 * PostgreSQL learns it within that bound and must drop the address (its fencing) well before
 * PostgreSQL lets another server take it. Not thread-safe: one thread polls.
 */
public final class ServiceAddressLock implements AutoCloseable {
    /** First key of the advisory lock: "YooV", so that other users of pg_advisory_lock do not collide. */
    public static final int KEY_SPACE = 0x596f6f56;
    public static final int SOCKET_TIMEOUT_SECONDS = 2;
    public static final int KEEPALIVE_IDLE_SECONDS = 3;
    /** Silence after which PostgreSQL has ended a lost holder's session (keepalive idle + probes). */
    public static final int RELEASE_AFTER_SILENCE_SECONDS = KEEPALIVE_IDLE_SECONDS
            + SessionLock.KEEPALIVE_COUNT * SessionLock.KEEPALIVE_INTERVAL_SECONDS;

    private static final String HOLDER = "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            + " WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = ? AND l.objid::bigint = ? AND l.objsubid = 2";

    private final SessionLock lock;

    /**
     * @param serverId this server's id ({@link ServerHeartbeats#id()}): the lock's session carries
     *                 it as its application name, so every server can say who holds the address
     */
    public ServiceAddressLock(JdbcConfig config, Ipv4 address, String serverId) {
        if (!config.isPostgres()) {
            throw new IllegalArgumentException("the service address is decided in PostgreSQL, not in " + config.url());
        }
        this.lock = new SessionLock(config, KEY_SPACE, address.value(), applicationName(serverId), SOCKET_TIMEOUT_SECONDS,
                KEEPALIVE_IDLE_SECONDS);
    }

    /**
     * Takes the lock if it is free, or confirms that this session still holds it. True: this server
     * holds the address now. False: another server does.
     *
     * @throws SQLException PostgreSQL cannot be reached or did not answer within the bound; the
     *                      lock must be taken for lost (the session is closed; the next call opens another)
     */
    public boolean hold() throws SQLException {
        return lock.hold();
    }

    /** Closes the session: PostgreSQL releases the lock (if held) as the session ends. */
    @Override
    public void close() {
        lock.close();
    }

    /** The session name of the server with id {@code serverId} (PostgreSQL keeps at most 63 bytes of it). */
    public static String applicationName(String serverId) {
        return SessionLock.applicationName("yoo " + serverId);
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
