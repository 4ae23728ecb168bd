package io.yoo.installer.cli;

import io.yoo.installer.core.state.ForeignDhcpServers;
import io.yoo.installer.core.state.ServerHeartbeats;
import io.yoo.installer.dhcp.v6.codec.Duid;
import io.yoo.installer.dhcp.v6.probe.Dhcp6Probe;
import io.yoo.installer.dhcp.v6.probe.RogueDhcp6Detector;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code yoo serve}'s watch for other DHCPv6 servers on the install link (with {@code network.ipv6}
 * and full DHCP), the twin of the DHCPv4 one: a PXE-like SOLICIT to ff02::1:2 at start and every
 * five minutes; every answer whose server DUID is neither this server's nor (with several servers
 * on one database) another's of the cluster is logged at ERROR and goes to the metrics, the API's
 * summary and the UI's banner, named by its source address.
 */
final class RogueDhcp6Watch {
    private static final Logger LOG = LoggerFactory.getLogger("yoo.serve");
    static final Duration INTERVAL = Duration.ofMinutes(5);
    static final Duration WAIT = Duration.ofSeconds(2);

    private RogueDhcp6Watch() {}

    static RogueDhcp6Detector of(String iface, Duid own, ForeignDhcpServers foreign, Optional<ServerHeartbeats> heartbeats) {
        RogueDhcp6Detector d = new RogueDhcp6Detector(new Dhcp6Probe(iface), iface, Set.of(own), Set.of(), INTERVAL, WAIT,
                found -> found.forEach(a -> LOG.error("ANOTHER DHCPv6 SERVER on {}: {} — machines may get its addresses or boot"
                        + " file instead of ours; find it and switch it off", iface, a.describe())))
                .withResults(found -> foreign.update(ForeignDhcpServers.DHCP6, found.stream().map(a -> new ForeignDhcpServers.Server(
                        a.source().toString(), "DHCPv6 " + a.describe(), Instant.now())).toList()));
        // the cluster's other servers answer every client too: their heartbeats name their DUIDs
        heartbeats.ifPresent(h -> d.withPeers(() -> h.peerDhcp6Duids().stream().map(Duid::parseHex).collect(Collectors.toSet())));
        return d;
    }
}
