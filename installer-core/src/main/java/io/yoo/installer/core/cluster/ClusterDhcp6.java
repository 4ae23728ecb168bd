package io.yoo.installer.core.cluster;

import io.yoo.installer.api.boot.BootDecision;
import io.yoo.installer.api.boot.BootPolicy;
import io.yoo.installer.api.boot.BootRequest;
import io.yoo.installer.api.boot.BootTarget;
import io.yoo.installer.api.boot.Sighting;
import io.yoo.installer.api.lifecycle.Lifecycle;
import io.yoo.installer.api.metrics.ServerMetrics;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.api.net.SmbiosUuid;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.Ipv6Network;
import io.yoo.installer.core.descriptor.Ipv6Segment;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.dhcp.v6.codec.Duid;
import io.yoo.installer.dhcp.v6.codec.Ipv6;
import io.yoo.installer.dhcp.v6.lease.Lease6Ledger;
import io.yoo.installer.dhcp.v6.server.Dhcp6Config;
import io.yoo.installer.dhcp.v6.server.Dhcp6Server;
import io.yoo.installer.dhcp.v6.server.Dhcp6Subnet;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code yoo serve}'s DHCPv6 server (descriptor with {@code network.ipv6}): serves the install
 * link's prefix and range — or each IPv6 segment of {@code network.subnets} (a relayed request
 * gets the pool of the segment whose prefix holds its link-address) — reserves each machine's
 * {@code ipv6} by its DUID and by its MACs, and asks the {@link LiveCluster}'s current snapshot
 * ({@link ClusterSnapshot#boot6()}) what a client boots, so UEFI IPv6 PXE gets {@code tftp://[server]/snponly.efi} (option 59) and iPXE its
 * per-machine script on {@code http://[server]:port}. A reload that changes the served network or
 * reservations restarts the server (leases are journaled in {@code STATE/dhcp6/}). With a shared
 * {@link Lease6Ledger} (several servers on one PostgreSQL) the dynamic leases' truth is there, see
 * {@link Dhcp6Server#withLedger}.
 */
public final class ClusterDhcp6 implements Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger("yoo.serve");

    private final LiveCluster cluster;
    private final Path stateDir;
    private final ServerMetrics metrics;
    private final BootPolicy policy;
    private Dhcp6Server server;
    private Dhcp6Config served;
    private final Duid duid;
    private final Optional<Lease6Ledger> ledger;

    /** With a shared lease ledger (several servers on one PostgreSQL): read at each (re)start, written before each reply that gives a pool address. */
    public ClusterDhcp6(LiveCluster cluster, Path stateDir, ServerMetrics metrics, Optional<Lease6Ledger> ledger) {
        this.ledger = ledger;
        this.cluster = cluster;
        this.stateDir = stateDir;
        this.metrics = metrics;
        this.policy = new Policy6(cluster);
        ClusterDescriptor d = cluster.current().descriptor();
        this.duid = serverDuid(d.network().iface(), d.ipv6().orElseThrow().server());
        cluster.onSwap(this::reconfigure);
    }

    /** This server's DUID (option 2 of its answers): the rogue-DHCPv6 watch and the other servers tell its answers by it. */
    public Duid duid() {
        return duid;
    }

    /** The DHCPv6 configuration of a descriptor that has {@code network.ipv6}: one served subnet per IPv6 segment. */
    public static Dhcp6Config configOf(ClusterDescriptor d, Path stateDir, Duid serverDuid) {
        Ipv6Network v6 = d.ipv6().orElseThrow(() -> new IllegalArgumentException("the descriptor has no network.ipv6"));
        Dhcp6Config.Builder b = Dhcp6Config.builder(serverDuid).bootServer(v6.server()).leaseDir(stateDir.resolve("dhcp6"));
        for (Ipv6Segment s : v6.segments()) {
            long lease = Math.max(60, s.leaseSeconds());
            b.subnet(new Dhcp6Subnet(s.prefix(), s.length(), s.poolStart(), s.poolEnd(), s.dns(), lease, 2 * lease));
        }
        if (d.network().iface() != null && !d.network().iface().isBlank()) {
            b.iface(d.network().iface());
        }
        for (Machine m : d.machines()) {
            Ipv6 a = v6.addresses().get(m.name());
            if (a == null) {
                continue;
            }
            for (MacAddress mac : m.macs()) {
                b.reserve(mac, a);
            }
            Duid id = v6.duids().get(m.name());
            if (id != null) {
                b.reserve(id, a);
            }
            // UEFI firmware (edk2's Dhcp6Dxe) and iPXE identify themselves by a DUID-UUID made of the
            // SMBIOS UUID, not by their MAC: reserve the machine's uuid in both byte orders
            if (m.uuid().isPresent()) {
                for (Duid u : uuidDuids(m.uuid().get())) {
                    if (!u.equals(id)) {
                        b.reserve(u, a);
                    }
                }
            }
        }
        return b.build();
    }

    /** DUID-UUID (RFC 6355) of an SMBIOS UUID, as written and with its first three fields swapped. */
    static List<Duid> uuidDuids(SmbiosUuid uuid) {
        List<Duid> out = new ArrayList<>();
        for (byte[] u : List.of(uuid.toBytes(), uuid.toWireGuid())) {
            byte[] d = new byte[18];
            d[1] = (byte) Duid.UUID;
            System.arraycopy(u, 0, d, 2, 16);
            out.add(new Duid(d));
        }
        return out;
    }

    /**
     * DUID-LL of the install interface's MAC (stable across restarts); without one (no such
     * interface here, or no MAC) a locally administered MAC made from the server's IPv6 address.
     */
    static Duid serverDuid(String iface, Ipv6 server) {
        try {
            NetworkInterface nif = iface == null ? null : NetworkInterface.getByName(iface);
            byte[] hw = nif == null ? null : nif.getHardwareAddress();
            if (hw != null && hw.length == 6) {
                return Duid.ll(MacAddress.of(hw, 0));
            }
        } catch (SocketException e) {
            LOG.debug("no MAC of {} for the DHCPv6 server DUID: {}", iface, e.toString());
        }
        byte[] b = server.toBytes();
        return Duid.ll(MacAddress.of(new byte[] {0x02, b[11], b[12], b[13], b[14], b[15]}, 0));
    }

    @Override
    public String name() {
        return "dhcp6";
    }

    @Override
    public synchronized void start() throws Exception {
        served = configOf(cluster.current().descriptor(), stateDir, duid);
        server = newServer(served);
        server.start();
    }

    private Dhcp6Server newServer(Dhcp6Config cfg) {
        Dhcp6Server s = new Dhcp6Server(cfg, policy).withMetrics(metrics);
        ledger.ifPresent(s::withLedger);
        return s;
    }

    /** A reloaded descriptor: restart on its network and reservations when they differ (throws: the reload logs it). */
    private synchronized void reconfigure(ClusterSnapshot next) {
        if (server == null || next.descriptor().ipv6().isEmpty()) {
            return; // IPv6 added or removed by a reload: takes a restart of yoo serve
        }
        Dhcp6Config cfg = configOf(next.descriptor(), stateDir, duid);
        if (cfg.equals(served)) {
            return;
        }
        LOG.info("IPv6 install network or reservations changed: restarting DHCPv6");
        server.stop();
        served = cfg;
        server = newServer(cfg);
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("DHCPv6 did not restart: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null && server.isRunning();
    }

    /** Decisions from the current snapshot's IPv6 policy; sightings to the cluster (the state store). */
    private record Policy6(LiveCluster cluster) implements BootPolicy {
        @Override
        public BootDecision decide(BootRequest request) {
            return cluster.current().boot6().map(b -> b.decide(request))
                    .orElseGet(() -> BootDecision.unknown(new BootTarget.None("no network.ipv6 in the descriptor")));
        }

        @Override
        public void observe(Sighting sighting) {
            cluster.observe(sighting);
        }
    }
}
