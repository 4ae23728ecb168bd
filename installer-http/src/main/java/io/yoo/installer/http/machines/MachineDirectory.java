package io.yoo.installer.http.machines;

import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import java.util.List;
import java.util.Optional;

/**
 * The machines the HTTP server knows: who a MAC belongs to, and which source address a machine
 * must fetch its secrets from. Built from the cluster descriptor ({@link #of}); thread-safe.
 */
public interface MachineDirectory {

    List<Machine> machines();

    Optional<Machine> byName(String name);

    Optional<Machine> byMac(MacAddress mac);

    /**
     * The address this machine must come from, when Yoo assigned it (full DHCP); empty when
     * another DHCP server hands out addresses (proxy/off mode), then the token alone guards.
     */
    Optional<Ipv4> reservedAddress(Machine machine);

    /** No machines: a bare asset server ({@code yoo http} without a descriptor). */
    MachineDirectory EMPTY = of(List.of(), false);

    /**
     * @param reserved true when Yoo's DHCP gives each machine its descriptor address (full mode)
     */
    static MachineDirectory of(List<Machine> machines, boolean reserved) {
        return new ListDirectory(machines, reserved);
    }

    static MachineDirectory of(io.yoo.installer.core.descriptor.ClusterDescriptor descriptor) {
        return of(descriptor.machines(), descriptor.network().dhcpMode() == io.yoo.installer.core.descriptor.DhcpMode.FULL);
    }
}
