package io.yoo.installer.dhcp.server;

import io.yoo.installer.api.boot.BootDecision;
import io.yoo.installer.api.boot.BootPolicy;
import io.yoo.installer.api.boot.BootRequest;
import io.yoo.installer.api.boot.BootTarget;
import io.yoo.installer.api.boot.NetworkAssignment;
import io.yoo.installer.api.boot.Sighting;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A {@link BootPolicy} from a fixed table, for running the DHCP server without a cluster
 * descriptor ({@code yoo dhcp}, benchmarks, tests): MAC → reservation, and one function that
 * picks the boot target. Serve uses {@code DescriptorBootPolicy} from installer-core instead.
 */
public final class StaticBootPolicy implements BootPolicy {
    private static final BootTarget NONE = new BootTarget.None("no boot file configured");
    private static final BootDecision UNKNOWN_NO_BOOT = BootDecision.unknown(NONE);

    private final Map<MacAddress, NetworkAssignment> reservations;
    private final Function<BootRequest, BootTarget> boot;
    private final Consumer<Sighting> sightings;

    public StaticBootPolicy(Map<MacAddress, NetworkAssignment> reservations, Function<BootRequest, BootTarget> boot,
            Consumer<Sighting> sightings) {
        this.reservations = Map.copyOf(reservations);
        this.boot = boot;
        this.sightings = sightings;
    }

    /** Addresses only: no reservations, no boot files. */
    public static StaticBootPolicy addressesOnly() {
        return new StaticBootPolicy(Map.of(), null, s -> {});
    }

    @Override
    public BootDecision decide(BootRequest request) {
        NetworkAssignment a = reservations.isEmpty() ? null : reservations.get(request.mac());
        if (a == null && boot == null) {
            return UNKNOWN_NO_BOOT; // the benchmark's path: no allocation
        }
        BootTarget t = boot == null ? NONE : boot.apply(request);
        return new BootDecision(a == null ? Optional.empty() : Optional.of(a.hostname()), Optional.ofNullable(a), t);
    }

    public Set<Ipv4> reservedAddresses() {
        return reservations.values().stream().map(NetworkAssignment::address).collect(Collectors.toSet());
    }

    @Override
    public void observe(Sighting sighting) {
        sightings.accept(sighting);
    }
}
