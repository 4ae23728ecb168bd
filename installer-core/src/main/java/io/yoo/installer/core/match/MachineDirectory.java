package io.yoo.installer.core.match;

import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The machines a server knows: who a MAC belongs to, and which source address a machine must
 * fetch its secrets from. The HTTP server reads machines through this; {@link MachineIndex} is
 * the immutable one of a descriptor, {@code LiveCluster.directory()} the one that follows
 * descriptor reloads. Thread-safe.
 */
public interface MachineDirectory {

    List<Machine> machines();

    Optional<Machine> byName(String name);

    /** The machine with this MAC: listed in the descriptor, or learned while it booted by UUID. */
    Optional<Machine> byMac(MacAddress mac);

    /**
     * The address this machine must come from, when Yoo assigned it (full DHCP); empty when
     * another DHCP server hands out addresses (proxy/off mode), then the token alone guards.
     */
    Optional<Ipv4> reservedAddress(Machine machine);

    /**
     * The IPv6 address this machine must come from over IPv6 ({@code machines[].ipv6}, when Yoo's
     * DHCPv6 reserves it); empty = none, then a request over IPv6 is judged by {@link #reservedAddress} alone.
     */
    default Optional<InetAddress> reservedAddress6(Machine machine) {
        return Optional.empty();
    }

    /** The machine's IPv6 address as the descriptor gives it ({@code machines[].ipv6}); empty when it has none. */
    default Optional<String> ipv6(Machine machine) {
        return Optional.empty();
    }

    /** No machines: a bare asset server ({@code yoo http} without a descriptor). */
    MachineDirectory EMPTY = of(List.of(), false);

    /**
     * @param reserved true when Yoo's DHCP gives each machine its descriptor address (full mode)
     */
    static MachineDirectory of(List<Machine> machines, boolean reserved) {
        return MachineIndex.of(machines, reserved);
    }

    static MachineDirectory of(ClusterDescriptor descriptor) {
        return MachineIndex.of(descriptor, new LearnedMacs());
    }
}
