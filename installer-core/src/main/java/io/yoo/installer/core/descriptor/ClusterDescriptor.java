package io.yoo.installer.core.descriptor;

import io.yoo.installer.dhcp.v6.codec.Ipv6;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One whole install, as read from {@code cluster.yml}. Immutable and already validated: a
 * descriptor object only exists if the file had no errors (see {@code DescriptorLoader}).
 *
 * @param preloadImages container image archives (asset-relative) loaded into containerd at install
 * @param source the file it was read from, for messages (may be a placeholder for embedded ones)
 * @param ipv6   the install network's IPv6 side and the machines' IPv6 addresses ({@code network.ipv6}); empty = IPv4 only
 */
public record ClusterDescriptor(
        String name,
        Architecture architecture,
        InstallNetwork network,
        ServerSettings server,
        OsSettings os,
        KubernetesSettings kubernetes,
        List<String> sshKeys,
        Optional<String> proxy,
        List<String> ntp,
        Optional<String> registryMirror,
        List<String> preloadImages,
        List<Machine> machines,
        Path source,
        Optional<Path> machinesFrom,
        Optional<Ipv6Network> ipv6) {

    /** IPv4 only. */
    public ClusterDescriptor(String name, Architecture architecture, InstallNetwork network, ServerSettings server, OsSettings os,
            KubernetesSettings kubernetes, List<String> sshKeys, Optional<String> proxy, List<String> ntp, Optional<String> registryMirror,
            List<String> preloadImages, List<Machine> machines, Path source, Optional<Path> machinesFrom) {
        this(name, architecture, network, server, os, kubernetes, sshKeys, proxy, ntp, registryMirror, preloadImages, machines, source,
                machinesFrom, Optional.empty());
    }

    /** Without an included machine file ({@code machinesFrom}). */
    public ClusterDescriptor(String name, Architecture architecture, InstallNetwork network, ServerSettings server, OsSettings os,
            KubernetesSettings kubernetes, List<String> sshKeys, Optional<String> proxy, List<String> ntp, Optional<String> registryMirror,
            List<String> preloadImages, List<Machine> machines, Path source) {
        this(name, architecture, network, server, os, kubernetes, sshKeys, proxy, ntp, registryMirror, preloadImages, machines, source,
                Optional.empty(), Optional.empty());
    }

    public ClusterDescriptor {
        sshKeys = List.copyOf(sshKeys);
        ntp = List.copyOf(ntp);
        preloadImages = List.copyOf(preloadImages);
        machines = MachineList.of(machines);
    }

    public Optional<Machine> machine(String name) {
        return ((MachineList) machines).byName(name);
    }

    public List<Machine> controlPlane() {
        return machines.stream().filter(m -> m.role() == Role.CONTROL_PLANE).toList();
    }

    public List<Machine> workers() {
        return machines.stream().filter(m -> m.role() == Role.WORKER).toList();
    }

    /** The machine's reserved IPv6 address ({@code machines[].ipv6}), if it has one. */
    public Optional<Ipv6> ipv6Of(Machine m) {
        return ipv6.map(v6 -> v6.addresses().get(m.name()));
    }

    /**
     * True when the nodes talk to each other over IPv6: some machine is IPv6-only, so every
     * machine has an IPv6 address (checked) and the API server is advertised and reached on it.
     */
    public boolean nodesOnIpv6() {
        return ((MachineList) machines).anyIpv6Only();
    }

    /** The address the node is known by in its cluster: IPv4, or IPv6 when {@link #nodesOnIpv6()}. */
    public String nodeAddress(Machine m) {
        if (nodesOnIpv6() || m.ipv6Only()) {
            return ipv6Of(m).map(Ipv6::toString)
                    .orElseThrow(() -> new IllegalStateException("machine " + m.name() + " has no IPv6 address in a cluster on IPv6"));
        }
        return m.ip().toString();
    }

    /** {@link #nodeAddress(Machine)} as the host part of a URL or host:port: an IPv6 address in brackets. */
    public String nodeHost(Machine m) {
        String a = nodeAddress(m);
        return a.indexOf(':') >= 0 ? "[" + a + "]" : a;
    }

    /** The control-plane node that runs {@code kubeadm init}: the first one listed. */
    public Machine firstControlPlane() {
        return controlPlane().getFirst();
    }
}
