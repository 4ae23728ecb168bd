package io.yoo.installer.core.boot;

import io.yoo.installer.api.boot.BootDecision;
import io.yoo.installer.api.boot.BootPolicy;
import io.yoo.installer.api.boot.BootRequest;
import io.yoo.installer.api.boot.BootTarget;
import io.yoo.installer.api.boot.NetworkAssignment;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.InstallNetwork;
import io.yoo.installer.core.descriptor.InstallSubnet;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.discovery.Discovery;
import io.yoo.installer.core.match.LearnedMacs;
import io.yoo.installer.core.match.MachineIndex;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.core.state.MachineState;
import io.yoo.installer.core.state.MachineStateView;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The boot decisions of one cluster descriptor: machines are recognised through its
 * {@link MachineIndex} (MAC, UUID, learned MAC), get their descriptor address as a reservation on
 * the install network, and boot what {@link BootFileSelector} picks for their firmware and state.
 * Decides only: TFTP virtual files and sightings are {@code LiveCluster}'s business (its
 * {@link #virtualFile} and {@link #observe} are the interface's no-ops). Immutable apart from the
 * state view and the learned MACs, so it is thread-safe.
 */
public final class DescriptorBootPolicy implements BootPolicy {
    private final ClusterDescriptor descriptor;
    private final MachineIndex machines;
    private final BootFileSelector selector;
    private final MachineStateView states;
    private final Map<String, NetworkAssignment> reservations = new HashMap<>();

    /**
     * @param machines the descriptor's machine index (shares its learned MACs across reloads)
     * @throws IllegalArgumentException when two machines share an address or one lies outside the
     *                                  install subnet (conflicting reservations are impossible)
     */
    public DescriptorBootPolicy(ClusterDescriptor descriptor, MachineIndex machines, BootUrls urls, MachineTokens tokens,
            MachineStateView states, BootFiles files) {
        this.descriptor = descriptor;
        this.machines = machines;
        this.selector = new BootFileSelector(urls, tokens, files, SecureBootChain.policy(descriptor));
        this.states = states;
        InstallNetwork net = descriptor.network();
        Map<Ipv4, String> byIp = new HashMap<>();
        for (Machine m : descriptor.machines()) {
            if (m.ipv6Only()) {
                continue; // no IPv4 reservation: Yoo's DHCPv4 does not answer it (DhcpEngine), DHCPv6 does
            }
            String other = byIp.putIfAbsent(m.ip(), m.name());
            if (other != null) {
                throw new IllegalArgumentException("machines " + other + " and " + m.name() + " both have address " + m.ip());
            }
            InstallSubnet segment = net.subnetOf(m.ip()).filter(s -> s.cidr().isHostAddress(m.ip()))
                    .orElseThrow(() -> new IllegalArgumentException("machine " + m.name() + ": address " + m.ip()
                            + " is not a host address of any install subnet " + net.subnets().stream().map(s -> s.cidr().toString()).toList()));
            if (m.ip().equals(net.serverAddress())) {
                throw new IllegalArgumentException("machine " + m.name() + " has the server's own address " + m.ip());
            }
            // its own segment's prefix, router and DNS: a machine behind a relay is not on the server's network
            reservations.put(m.name(), new NetworkAssignment(m.name(), m.ip(), segment.cidr(), segment.gateway(), segment.dns(),
                    net.domain(), segment.leaseSeconds()));
        }
    }

    public DescriptorBootPolicy(ClusterDescriptor descriptor, BootUrls urls, MachineTokens tokens, MachineStateView states) {
        this(descriptor, MachineIndex.of(descriptor, new LearnedMacs()), urls, tokens, states,
                BootFiles.DEFAULT.withAllowUnknown(descriptor.server().allowUnknown() || Discovery.enabled(descriptor)));
    }

    @Override
    public BootDecision decide(BootRequest request) {
        Optional<Machine> m = machines.match(request.mac(), request.uuid());
        MachineState state = m.map(x -> states.stateOf(x.name())).orElse(MachineState.UNKNOWN);
        // the service address when set (it moves to the surviving server); else the address the request reached
        Ipv4 tftp = descriptor.network().serviceAddress().or(request::receivedOn).orElse(descriptor.network().serverAddress());
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
}
