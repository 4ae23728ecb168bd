package io.yoo.installer.core.boot;

import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.InstallNetwork;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.match.LearnedMacs;
import io.yoo.installer.core.match.MachineMatcher;
import io.yoo.installer.core.net.Ipv4;
import io.yoo.installer.core.state.MachineState;
import io.yoo.installer.core.state.MachineStateView;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The {@link BootPolicy} of a cluster descriptor: machines are recognised by MAC/UUID, get their
 * descriptor address as a reservation on the install network, and boot what
 * {@link BootFileSelector} picks for their firmware and state. Immutable apart from the state
 * view, so it is thread-safe.
 */
public final class DescriptorBootPolicy implements BootPolicy {
    private final ClusterDescriptor descriptor;
    private final MachineMatcher matcher;
    private final BootFileSelector selector;
    private final MachineStateView states;
    private final Consumer<Sighting> sightings;
    private final BiFunction<String, Ipv4, Optional<byte[]>> virtualFiles;
    private final Map<String, NetworkAssignment> reservations = new HashMap<>();
    private volatile LearnedMacs learned = new LearnedMacs();

    /**
     * @param sightings    receives every {@link #observe} (the lead wires the state store here)
     * @param virtualFiles TFTP files rendered on the fly (path, client) → bytes; may return empty
     * @throws IllegalArgumentException when two machines share an address or one lies outside the
     *                                  install subnet (conflicting reservations are impossible)
     */
    public DescriptorBootPolicy(ClusterDescriptor descriptor, MachineMatcher matcher, BootUrls urls, MachineTokens tokens,
            MachineStateView states, BootFiles files, Consumer<Sighting> sightings,
            BiFunction<String, Ipv4, Optional<byte[]>> virtualFiles) {
        this.descriptor = descriptor;
        this.matcher = matcher;
        this.selector = new BootFileSelector(urls, tokens, files, SecureBootChain.policy(descriptor));
        this.states = states;
        this.sightings = sightings;
        this.virtualFiles = virtualFiles;
        InstallNetwork net = descriptor.network();
        Map<Ipv4, String> byIp = new HashMap<>();
        for (Machine m : descriptor.machines()) {
            String other = byIp.putIfAbsent(m.ip(), m.name());
            if (other != null) {
                throw new IllegalArgumentException("machines " + other + " and " + m.name() + " both have address " + m.ip());
            }
            if (!net.subnet().isHostAddress(m.ip())) {
                throw new IllegalArgumentException("machine " + m.name() + ": address " + m.ip()
                        + " is not a host address of the install subnet " + net.subnet());
            }
            if (m.ip().equals(net.serverAddress())) {
                throw new IllegalArgumentException("machine " + m.name() + " has the server's own address " + m.ip());
            }
            reservations.put(m.name(), new NetworkAssignment(m.name(), m.ip(), net.subnet(), net.gateway(), net.dns(),
                    net.domain(), net.leaseSeconds()));
        }
    }

    public DescriptorBootPolicy(ClusterDescriptor descriptor, BootUrls urls, MachineTokens tokens, MachineStateView states) {
        this(descriptor, new MachineMatcher(descriptor.machines()), urls, tokens, states,
                BootFiles.DEFAULT.withAllowUnknown(descriptor.server().allowUnknown()), s -> {}, (p, c) -> Optional.empty());
    }

    /**
     * Remember MACs of machines matched by UUID (see {@link LearnedMacs}); the same instance is
     * handed to the policy of a reloaded descriptor.
     */
    public DescriptorBootPolicy withLearnedMacs(LearnedMacs learned) {
        this.learned = learned;
        return this;
    }

    @Override
    public BootDecision decide(BootRequest request) {
        Optional<Machine> m = matcher.match(request.mac(), request.uuid());
        if (m.isPresent() && !m.get().macs().contains(request.mac())) {
            learned.learn(request.mac(), m.get().name());     // matched by UUID: remember its NIC
        } else if (m.isEmpty()) {
            m = learned.machineOf(request.mac()).flatMap(descriptor::machine);
        }
        MachineState state = m.map(x -> states.stateOf(x.name())).orElse(MachineState.UNKNOWN);
        Ipv4 tftp = request.receivedOn().orElse(descriptor.network().serverAddress());
        BootTarget target = selector.select(request, m, state, tftp);
        return new BootDecision(m.map(Machine::name), m.map(x -> reservations.get(x.name())), target);
    }

    /** Every reserved address: the DHCP pool must never hand these out. */
    public Set<Ipv4> reservedAddresses() {
        return Set.copyOf(reservations.values().stream().map(NetworkAssignment::address).toList());
    }

    public BootFileSelector selector() {
        return selector;
    }

    @Override
    public Optional<byte[]> virtualFile(String path, Ipv4 client) {
        return virtualFiles.apply(path, client);
    }

    @Override
    public void observe(Sighting sighting) {
        sightings.accept(sighting);
    }
}
