package io.yoo.installer.core.state;

import io.yoo.installer.api.lifecycle.Lifecycle;
import io.yoo.installer.api.net.Ipv4;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server's heartbeat in table {@code yoo_server} of the shared PostgreSQL, and every server's
 * as read back: written at start (before DHCP and its watch start) and every
 * {@value #INTERVAL_SECONDS} s, each time with the database's clock, and marked {@code stopped}
 * on a clean stop. A server is stale after {@value #STALE_SECONDS} s without a heartbeat (three
 * missed, and slack for a busy database). The other servers' addresses ({@link #peerAddresses})
 * tell the DHCP watch which answers are the cluster's own, their DHCPv6 DUIDs
 * ({@link #peerDhcp6Duids}) the DHCPv6 watch.
 */
public final class ServerHeartbeats implements Lifecycle, ServerDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(ServerHeartbeats.class);
    public static final int INTERVAL_SECONDS = 3;
    public static final int STALE_SECONDS = 10;
    private static final String DB_NOW = "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) AS BIGINT)";

    private final JdbcConfig config;
    private final String id;
    private final String host;
    private final List<String> addresses;
    private final String version;
    private final Object io = new Object();
    private Connection conn; // guarded by io
    private long started; // guarded by io
    private volatile Set<Ipv4> peers = Set.of();
    private volatile String dhcp6Duid; // null: no DHCPv6 here
    private volatile Set<String> peerDuids = Set.of();
    private volatile Ipv4 serviceAddress; // null: none
    private ScheduledExecutorService beat;
    private final RateLimitedWarning notWritten = new RateLimitedWarning(Duration.ofMinutes(1), LOG::warn);

    /**
     * @param host      this host's name
     * @param addresses this server's install-network addresses (first: the network's server address)
     */
    public ServerHeartbeats(JdbcConfig config, String host, List<Ipv4> addresses, String version) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("a server has at least one address");
        }
        this.config = config;
        this.host = host;
        this.addresses = addresses.stream().map(Ipv4::toString).toList();
        this.id = host + "/" + this.addresses.getFirst();
        this.version = version == null || version.isBlank() ? "unknown" : version; // no manifest when run from classes
    }

    @Override
    public String name() {
        return "heartbeat";
    }

    /** This server's DHCPv6 DUID (hex), written with each heartbeat; call before {@link #start}. */
    public ServerHeartbeats withDhcp6Duid(String hex) {
        this.dhcp6Duid = hex;
        return this;
    }

    /** {@link #servers()} then says which server holds {@code address} (network.serviceAddress). */
    public ServerHeartbeats withServiceAddress(Ipv4 address) {
        this.serviceAddress = address;
        return this;
    }

    /** This server's id in {@code yoo_server}. */
    public String id() {
        return id;
    }

    @Override
    public void start() throws SQLException {
        synchronized (io) {
            connect();
            started = dbNow();
            write("serving", true);
        }
        beat = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("heartbeat").daemon(true).unstarted(r));
        beat.scheduleWithFixedDelay(this::beatOnce, INTERVAL_SECONDS, INTERVAL_SECONDS, TimeUnit.SECONDS);
        LOG.info("heartbeat as {} every {} s in the shared database; {} other server(s) known: {}", id, INTERVAL_SECONDS,
                peers.size(), peers);
    }

    private void beatOnce() {
        synchronized (io) {
            try {
                if (conn == null || conn.isClosed()) {
                    connect();
                }
                write("serving", false);
            } catch (SQLException e) {
                closeQuietly();
                notWritten.warn(() -> "heartbeat not written (the state database is unreachable); other servers will see this one as stale: "
                        + e.getMessage());
            }
        }
    }

    private void connect() throws SQLException {
        conn = config.connect();
        conn.setAutoCommit(false);
    }

    /** Upserts this server's row and reads the others' addresses; one transaction. */
    private void write(String state, boolean first) throws SQLException {
        try {
            try (PreparedStatement up = conn.prepareStatement("UPDATE yoo_server SET host = ?, addresses = ?, version = ?, "
                    + "started_at = ?, heartbeat_at = (" + DB_NOW + "), server_state = ?, dhcp6_duid = ? WHERE id = ?")) {
                up.setString(1, host);
                up.setString(2, String.join(",", addresses));
                up.setString(3, version);
                up.setLong(4, started);
                up.setString(5, state);
                up.setString(6, dhcp6Duid);
                up.setString(7, id);
                if (up.executeUpdate() == 0) {
                    try (PreparedStatement in = conn.prepareStatement("INSERT INTO yoo_server (id, host, addresses, version, started_at, "
                            + "heartbeat_at, server_state, dhcp6_duid) VALUES (?, ?, ?, ?, ?, (" + DB_NOW + "), ?, ?) ON CONFLICT (id) DO NOTHING")) {
                        in.setString(1, id);
                        in.setString(2, host);
                        in.setString(3, String.join(",", addresses));
                        in.setString(4, version);
                        in.setLong(5, started);
                        in.setString(6, state);
                        in.setString(7, dhcp6Duid);
                        in.executeUpdate();
                    }
                }
            }
            Set<Ipv4> others = new HashSet<>();
            Set<String> otherDuids = new HashSet<>();
            try (PreparedStatement ps = conn.prepareStatement("SELECT addresses, dhcp6_duid FROM yoo_server WHERE id <> ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getString(2) != null && !rs.getString(2).equals(dhcp6Duid)) {
                            otherDuids.add(rs.getString(2));
                        }
                        for (String a : split(rs.getString(1))) {
                            try {
                                others.add(Ipv4.parse(a));
                            } catch (IllegalArgumentException notAnAddress) {
                                // another version's row; nothing to exclude
                            }
                        }
                    }
                }
            }
            conn.commit();
            others.removeAll(addresses.stream().map(Ipv4::parse).toList()); // an address this server has is its own
            peers = Set.copyOf(others);
            peerDuids = Set.copyOf(otherDuids);
        } catch (SQLException e) {
            try {
                conn.rollback();
            } catch (SQLException ignored) {
                // the connection is gone
            }
            throw e;
        }
    }

    private long dbNow() throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(DB_NOW); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The other servers' addresses, as of the last heartbeat: their DHCP answers are not foreign. */
    public Set<Ipv4> peerAddresses() {
        return peers;
    }

    /** The other servers' DHCPv6 DUIDs (hex), as of the last heartbeat: their DHCPv6 answers are not foreign. */
    public Set<String> peerDhcp6Duids() {
        return peerDuids;
    }

    @Override
    public List<ServerRecord> servers() throws SQLException {
        synchronized (io) {
            if (conn == null || conn.isClosed()) {
                connect();
            }
            try {
                long now = dbNow();
                Ipv4 vip = serviceAddress;
                Optional<String> holder = vip == null ? Optional.empty() : ServiceAddressLock.holder(conn, vip);
                List<ServerRecord> out = new ArrayList<>();
                try (PreparedStatement ps = conn.prepareStatement("SELECT id, host, addresses, version, started_at, heartbeat_at, server_state "
                        + "FROM yoo_server ORDER BY id"); ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long hb = rs.getLong(6);
                        String state = rs.getString(7);
                        out.add(new ServerRecord(rs.getString(1), rs.getString(2), split(rs.getString(3)), rs.getString(4), rs.getLong(5), hb,
                                state, now - hb > STALE_SECONDS || !"serving".equals(state), id.equals(rs.getString(1)),
                                holder.filter(ServiceAddressLock.applicationName(rs.getString(1))::equals).isPresent()));
                    }
                }
                conn.commit();
                return out;
            } catch (SQLException e) {
                closeQuietly();
                throw e;
            }
        }
    }

    private static List<String> split(String s) {
        return s == null || s.isBlank() ? List.of() : Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    @Override
    public void stop() {
        if (beat != null) {
            beat.shutdownNow();
            try {
                beat.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            beat = null;
        }
        synchronized (io) {
            try {
                if (conn != null && !conn.isClosed()) {
                    write("stopped", false);
                }
            } catch (SQLException e) {
                LOG.debug("could not mark this server stopped: {}", e.getMessage());
            }
            closeQuietly();
        }
    }

    private void closeQuietly() {
        try {
            if (conn != null) {
                conn.close();
            }
        } catch (SQLException ignored) {
            // closing
        }
        conn = null;
    }

    @Override
    public boolean isRunning() {
        return beat != null;
    }
}
