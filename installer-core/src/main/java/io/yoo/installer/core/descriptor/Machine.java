package io.yoo.installer.core.descriptor;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.api.net.SmbiosUuid;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One machine of the cluster. It is recognised by any of its MACs or by its SMBIOS UUID.
 *
 * @param name   hostname (a DNS label), unique in the cluster
 * @param ipv4   its fixed IPv4 address on the install network; empty for an IPv6-only machine
 *               (only with {@code network.ipv6}: its address is then {@code machines[].ipv6}, see
 *               {@link ClusterDescriptor#ipv6Of(Machine)})
 * @param labels become Kubernetes node labels, e.g. {@code cabinet: three}, {@code disk: hdd}
 */
public record Machine(
        String name,
        List<MacAddress> macs,
        Optional<SmbiosUuid> uuid,
        Optional<Ipv4> ipv4,
        Role role,
        Map<String, String> labels,
        MachineOverrides overrides,
        Optional<BmcSettings> bmc) {

    public Machine {
        macs = List.copyOf(macs);
        labels = Map.copyOf(labels);
    }

    /** A machine with an IPv4 address (dual-stack or IPv4 only). */
    public Machine(String name, List<MacAddress> macs, Optional<SmbiosUuid> uuid, Ipv4 ip, Role role, Map<String, String> labels,
            MachineOverrides overrides, Optional<BmcSettings> bmc) {
        this(name, macs, uuid, Optional.of(ip), role, labels, overrides, bmc);
    }

    /**
     * The IPv4 address, for the paths that exist only over IPv4 (DHCPv4 reservations, PXELINUX
     * file names, change-ip). Code that may meet an IPv6-only machine reads {@link #ipv4()}.
     *
     * @throws IllegalStateException for an IPv6-only machine
     */
    public Ipv4 ip() {
        return ipv4.orElseThrow(() -> new IllegalStateException("machine " + name + " is IPv6-only: it has no IPv4 address"));
    }

    /** No IPv4 address: the machine boots, installs and runs over IPv6 only ({@code machines[].ipv6}). */
    public boolean ipv6Only() {
        return ipv4.isEmpty();
    }

    /** The NIC the machine boots and installs over: the first MAC listed, if any. */
    public Optional<MacAddress> primaryMac() {
        return macs.isEmpty() ? Optional.empty() : Optional.of(macs.getFirst());
    }
}
