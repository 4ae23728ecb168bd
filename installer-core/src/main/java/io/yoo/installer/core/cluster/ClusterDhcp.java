package io.yoo.installer.core.cluster;

import io.yoo.installer.api.lifecycle.Lifecycle;
import io.yoo.installer.api.metrics.ServerMetrics;
import io.yoo.installer.dhcp.lease.LeaseLedger;
import io.yoo.installer.dhcp.lease.LeaseStore;
import io.yoo.installer.dhcp.server.DhcpServer;
import io.yoo.installer.dhcp.server.DhcpServerConfig;
import io.yoo.installer.dhcp.server.ServerShare;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code yoo serve}'s DHCP server: serves the install network and reservations of the cluster's
 * current snapshot and asks the {@link LiveCluster} who each client is. When a reload changes
 * either, the server is reconfigured in place ({@link DhcpServer#reconfigure}: leases and, unless
 * the interface changed, sockets kept; the counters too); TFTP and HTTP never notice.
 */
public final class ClusterDhcp implements Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger("yoo.serve");
    private final DhcpServer server;
    private final Path stateDir;

    public ClusterDhcp(LiveCluster cluster, Path stateDir, ServerMetrics metrics, LeaseStore.Listener leases) {
        this(cluster, stateDir, metrics, leases, Optional.empty());
    }

    /** With a shared lease ledger (several servers on one PostgreSQL): the leases' truth is there, see {@link DhcpServer#withLedger}. */
    public ClusterDhcp(LiveCluster cluster, Path stateDir, ServerMetrics metrics, LeaseStore.Listener leases, Optional<LeaseLedger> ledger) {
        this.stateDir = stateDir;
        this.server = new DhcpServer(configOf(cluster.current()), cluster).withLeaseListener(leases).withMetrics(metrics);
        ledger.ifPresent(server::withLedger);
        cluster.onSwap(this::reconfigure);
    }

    /** Answers only this server's share of the clients (load balancing in a pair), see {@link DhcpServer#withShare}. */
    public ClusterDhcp withShare(Supplier<ServerShare> share) {
        server.withShare(share);
        return this;
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
