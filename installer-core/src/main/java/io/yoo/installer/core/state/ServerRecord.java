package io.yoo.installer.core.state;

import java.util.List;

/**
 * One server of the cluster as its heartbeat row says (table {@code yoo_server}).
 *
 * @param id          host name and install-network address: the same across the server's restarts
 * @param addresses   the server's install-network addresses (its DHCP answers come from them)
 * @param started     epoch seconds, database clock
 * @param heartbeat   epoch seconds of its last heartbeat, database clock
 * @param state       {@code serving}, or {@code stopped} after a clean stop
 * @param stale       no heartbeat for {@link ServerHeartbeats#STALE_SECONDS} (dead, cut off, or stopped)
 * @param self        the server answering
 * @param holdsServiceAddress this server holds {@code network.serviceAddress} now (PostgreSQL's lock says so)
 */
public record ServerRecord(String id, String host, List<String> addresses, String version, long started, long heartbeat,
        String state, boolean stale, boolean self, boolean holdsServiceAddress) {
    public ServerRecord {
        addresses = List.copyOf(addresses);
    }

    /** Without a service address. */
    public ServerRecord(String id, String host, List<String> addresses, String version, long started, long heartbeat,
            String state, boolean stale, boolean self) {
        this(id, host, addresses, version, started, heartbeat, state, stale, self, false);
    }
}
