package io.yoo.installer.core.descriptor;

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

    /** The control-plane node that runs {@code kubeadm init}: the first one listed. */
    public Machine firstControlPlane() {
        return controlPlane().getFirst();
    }
}
