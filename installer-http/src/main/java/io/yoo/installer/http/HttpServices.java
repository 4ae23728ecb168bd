package io.yoo.installer.http;

import io.yoo.installer.core.bmc.MachineBmcs;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.api.boot.Sighting;
import io.yoo.installer.core.discovery.Enrollment;
import io.yoo.installer.core.readdress.AddressChange;
import io.yoo.installer.core.render.MachineArtifacts;
import io.yoo.installer.core.state.ForeignDhcpServers;
import io.yoo.installer.core.state.LeaseSource;
import io.yoo.installer.core.state.ServerDirectory;
import io.yoo.installer.core.state.StateStore;
import io.yoo.installer.http.assets.AssetGate;
import io.yoo.installer.core.match.MachineDirectory;
import io.yoo.installer.http.metrics.ProcessMetrics;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What the HTTP server works with, built elsewhere and passed in.
 *
 * @param artifacts      renders each machine's iPXE script, configs, install script (installer-core)
 * @param tokens         per-machine URL tokens
 * @param store          machine states and histories (must be started before the server)
 * @param machines       the descriptor's machines: MAC lookup and reserved addresses
 * @param assetGate      which asset paths (relative to the asset dir) may be served, and why not
 * @param sightings      where "machine X fetched its boot script" goes (the boot policy's
 *                       {@code observe}, or straight to the store); called on Jetty's I/O
 *                       thread, so it must not block: queue, don't commit
 *                       ({@link StateStore#observeLater})
 * @param metrics        the process-wide metrics; also handed to DHCP/TFTP
 * @param leases         the DHCP leases for {@code GET /api/v1/leases} (the state database's
 *                       lease mirror in {@code yoo serve}; none by default)
 * @param foreignDhcp    other DHCP servers seen on the install network (summary, UI banner, metrics)
 * @param bmcs           the machines' BMCs (reprovision power-cycles through them; power state); none by default
 * @param enrollment     writes enrolled discovered machines into the live descriptor (none: enrolling is refused)
 * @param addressChange  moves a machine to a new address in the live descriptor ({@code change-ip}; none: refused)
 * @param servers        the cluster's servers and their heartbeats for {@code GET /api/v1/servers} (none: an empty list)
 */
public record HttpServices(
        MachineArtifacts artifacts,
        MachineTokens tokens,
        StateStore store,
        MachineDirectory machines,
        AssetGate assetGate,
        Consumer<Sighting> sightings,
        ProcessMetrics metrics,
        LeaseSource leases,
        ForeignDhcpServers foreignDhcp,
        MachineBmcs bmcs,
        Optional<Enrollment> enrollment,
        Optional<AddressChange> addressChange,
        ServerDirectory servers) {

    /** Without the cluster's server list (the constructor before it was added). */
    public HttpServices(MachineArtifacts artifacts, MachineTokens tokens, StateStore store, MachineDirectory machines, AssetGate assetGate,
            Consumer<Sighting> sightings, ProcessMetrics metrics, LeaseSource leases, ForeignDhcpServers foreignDhcp, MachineBmcs bmcs,
            Optional<Enrollment> enrollment, Optional<AddressChange> addressChange) {
        this(artifacts, tokens, store, machines, assetGate, sightings, metrics, leases, foreignDhcp, bmcs, enrollment, addressChange,
                ServerDirectory.NONE);
    }

    /** Without address changes (the constructor before {@code change-ip} was added). */
    public HttpServices(MachineArtifacts artifacts, MachineTokens tokens, StateStore store, MachineDirectory machines, AssetGate assetGate,
            Consumer<Sighting> sightings, ProcessMetrics metrics, LeaseSource leases, ForeignDhcpServers foreignDhcp, MachineBmcs bmcs,
            Optional<Enrollment> enrollment) {
        this(artifacts, tokens, store, machines, assetGate, sightings, metrics, leases, foreignDhcp, bmcs, enrollment, Optional.empty());
    }

    public HttpServices(MachineArtifacts artifacts, MachineTokens tokens, StateStore store, MachineDirectory machines, AssetGate assetGate,
            Consumer<Sighting> sightings, ProcessMetrics metrics, LeaseSource leases, ForeignDhcpServers foreignDhcp,
            Optional<Enrollment> enrollment) {
        this(artifacts, tokens, store, machines, assetGate, sightings, metrics, leases, foreignDhcp, MachineBmcs.NONE, enrollment);
    }

    public HttpServices(MachineArtifacts artifacts, MachineTokens tokens, StateStore store, MachineDirectory machines, AssetGate assetGate,
            Consumer<Sighting> sightings, ProcessMetrics metrics, LeaseSource leases, ForeignDhcpServers foreignDhcp, MachineBmcs bmcs) {
        this(artifacts, tokens, store, machines, assetGate, sightings, metrics, leases, foreignDhcp, bmcs, Optional.empty());
    }

    public HttpServices {
        Objects.requireNonNull(artifacts, "artifacts");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(machines, "machines");
        Objects.requireNonNull(assetGate, "assetGate");
        Objects.requireNonNull(sightings, "sightings");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(leases, "leases");
        Objects.requireNonNull(foreignDhcp, "foreignDhcp");
        Objects.requireNonNull(bmcs, "bmcs");
        Objects.requireNonNull(enrollment, "enrollment");
        Objects.requireNonNull(addressChange, "addressChange");
        Objects.requireNonNull(servers, "servers");
    }

    /** Without BMCs and enrollment (the constructor before those were added). */
    public HttpServices(MachineArtifacts artifacts, MachineTokens tokens, StateStore store, MachineDirectory machines, AssetGate assetGate,
            Consumer<Sighting> sightings, ProcessMetrics metrics, LeaseSource leases, ForeignDhcpServers foreignDhcp) {
        this(artifacts, tokens, store, machines, assetGate, sightings, metrics, leases, foreignDhcp, MachineBmcs.NONE, Optional.empty());
    }

    /** Every asset servable, sightings straight into the store, fresh metrics. */
    public static HttpServices of(MachineArtifacts artifacts, MachineTokens tokens, StateStore store, MachineDirectory machines) {
        return new HttpServices(artifacts, tokens, store, machines, AssetGate.OPEN,
                s -> store.observeLater(s, Instant.now()), new ProcessMetrics(), LeaseSource.NONE, new ForeignDhcpServers());
    }

    public HttpServices withServableAsset(Predicate<String> p) {
        return withAssetGate(AssetGate.of(p));
    }

    public HttpServices withAssetGate(AssetGate g) {
        return new HttpServices(artifacts, tokens, store, machines, g, sightings, metrics, leases, foreignDhcp, bmcs, enrollment, addressChange, servers);
    }

    public HttpServices withSightings(Consumer<Sighting> s) {
        return new HttpServices(artifacts, tokens, store, machines, assetGate, s, metrics, leases, foreignDhcp, bmcs, enrollment, addressChange, servers);
    }

    public HttpServices withMetrics(ProcessMetrics m) {
        return new HttpServices(artifacts, tokens, store, machines, assetGate, sightings, m, leases, foreignDhcp, bmcs, enrollment, addressChange, servers);
    }

    public HttpServices withForeignDhcp(ForeignDhcpServers f) {
        return new HttpServices(artifacts, tokens, store, machines, assetGate, sightings, metrics, leases, f, bmcs, enrollment, addressChange, servers);
    }

    public HttpServices withBmcs(MachineBmcs b) {
        return new HttpServices(artifacts, tokens, store, machines, assetGate, sightings, metrics, leases, foreignDhcp, b, enrollment, addressChange, servers);
    }

    /** Enrolling discovered machines into the live descriptor ({@code POST /api/v1/discovered/{id}/enroll}); none: 409. */
    public HttpServices withEnrollment(Enrollment e) {
        return new HttpServices(artifacts, tokens, store, machines, assetGate, sightings, metrics, leases, foreignDhcp, bmcs, Optional.of(e), addressChange, servers);
    }

    /** Moving machines to new addresses in the live descriptor ({@code POST /api/v1/machines/{name}/change-ip}); none: 409. */
    public HttpServices withAddressChange(AddressChange a) {
        return new HttpServices(artifacts, tokens, store, machines, assetGate, sightings, metrics, leases, foreignDhcp, bmcs, enrollment, Optional.of(a), servers);
    }

    public HttpServices withLeases(LeaseSource l) {
        return new HttpServices(artifacts, tokens, store, machines, assetGate, sightings, metrics, l, foreignDhcp, bmcs, enrollment, addressChange, servers);
    }

    /** The cluster's servers for {@code GET /api/v1/servers} (several servers on one database). */
    public HttpServices withServers(ServerDirectory d) {
        return new HttpServices(artifacts, tokens, store, machines, assetGate, sightings, metrics, leases, foreignDhcp, bmcs, enrollment, addressChange, d);
    }
}
