package io.yoo.installer.cli;

import io.micrometer.core.instrument.MeterRegistry;
import io.yoo.installer.core.cluster.ClusterSnapshot;
import io.yoo.installer.core.cluster.LiveCluster;
import io.yoo.installer.api.lifecycle.Lifecycle;
import io.yoo.installer.dhcp.lease.LeaseStore;
import io.yoo.installer.core.cluster.DescriptorDhcpConfig;
import io.yoo.installer.dhcp.server.DhcpServer;
import io.yoo.installer.dhcp.server.DhcpServerConfig;
import io.yoo.installer.dhcp.server.DhcpStats;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code yoo serve}'s DHCP server: serves the install network and reservations of the cluster's
 * current snapshot and asks the {@link LiveCluster} who each client is. When a reload changes
 * either, the server is reconfigured in place ({@link DhcpServer#reconfigure}: leases and, unless
 * the interface changed, sockets kept); TFTP and HTTP never notice. Lives in the CLI only because
 * installer-core may not depend on installer-dhcp yet.
 */
final class ClusterDhcp implements Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger("yoo.serve");
    private final DhcpServer server;
    private final Path stateDir;
    private final MeterRegistry registry;

    ClusterDhcp(LiveCluster cluster, Path stateDir, MeterRegistry registry, LeaseStore.Listener leases) {
        this.stateDir = stateDir;
        this.registry = registry;
        this.server = new DhcpServer(configOf(cluster.current()), cluster).withLeaseListener(leases);
        cluster.onSwap(this::reconfigure);
    }

    private DhcpServerConfig configOf(ClusterSnapshot s) {
        return DescriptorDhcpConfig.from(s.network(), stateDir, s.reservedAddresses());
    }

    @Override
    public String name() {
        return "dhcp";
    }

    @Override
    public void start() throws Exception {
        server.start();
        DhcpStats s = server.stats(); // one object for the server's life, reconfigured or not
        ServeCommand.counter(registry, "yoo_dhcp_messages", "ack", s, x -> x.acks.sum());
        ServeCommand.counter(registry, "yoo_dhcp_messages", "offer", s, x -> x.offers.sum());
        ServeCommand.counter(registry, "yoo_dhcp_messages", "nak", s, x -> x.naks.sum());
        ServeCommand.counter(registry, "yoo_dhcp_messages", "malformed", s, x -> x.malformed.sum());
        ServeCommand.counter(registry, "yoo_dhcp_messages", "received", s, x -> x.received.sum());
        ServeCommand.counter(registry, "yoo_dhcp_messages", "pool_exhausted", s, x -> x.poolExhausted.sum());
        ServeCommand.counter(registry, "yoo_dhcp_messages", "bad_client_mac", s, x -> x.badClientMac.sum());
        ServeCommand.counter(registry, "yoo_dhcp_messages", "unknown_relay", s, x -> x.unknownRelay.sum());
    }

    /** A reloaded descriptor: serve its network and reservations if they differ (throws: the reload logs it). */
    private void reconfigure(ClusterSnapshot next) {
        DhcpServerConfig cfg = configOf(next);
        if (cfg.equals(server.config())) {
            return;
        }
        LOG.info("install network or reservations changed: reconfiguring DHCP");
        try {
            server.reconfigure(cfg);
        } catch (Exception e) {
            throw new IllegalStateException("DHCP did not restart: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        server.stop();
    }

    @Override
    public boolean isRunning() {
        return server.isRunning();
    }
}
