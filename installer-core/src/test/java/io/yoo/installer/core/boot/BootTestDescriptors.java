package io.yoo.installer.core.boot;

import io.yoo.installer.api.net.AddressPool;
import io.yoo.installer.core.descriptor.Architecture;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.ConfigDialect;
import io.yoo.installer.core.descriptor.DhcpMode;
import io.yoo.installer.core.descriptor.InstallNetwork;
import io.yoo.installer.core.descriptor.KubernetesSettings;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.descriptor.MachineOverrides;
import io.yoo.installer.core.descriptor.OsSettings;
import io.yoo.installer.core.descriptor.Role;
import io.yoo.installer.core.descriptor.ServerSettings;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.Ipv4Cidr;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.api.net.SmbiosUuid;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The ONE place these tests build descriptors (adapt here if the records change). */
final class BootTestDescriptors {
    private BootTestDescriptors() {}

    static Machine machine(String name, String mac, String uuid, String ip) {
        return new Machine(name, mac == null ? List.of() : List.of(MacAddress.parse(mac)),
                uuid == null ? Optional.empty() : Optional.of(SmbiosUuid.parse(uuid)), Ipv4.parse(ip), Role.WORKER, Map.of(),
                MachineOverrides.NONE, Optional.empty());
    }

    static ClusterDescriptor cluster(boolean allowUnknown, Machine... machines) {
        InstallNetwork net = new InstallNetwork("eth1", Ipv4.parse("10.77.0.1"), Ipv4Cidr.parse("10.77.0.0/24"),
                Optional.of(Ipv4.parse("10.77.0.254")), List.of(Ipv4.parse("10.77.0.53")), "lab.example", DhcpMode.FULL,
                Optional.of(new AddressPool(Ipv4.parse("10.77.0.100"), Ipv4.parse("10.77.0.199"))), 3600);
        ServerSettings server = new ServerSettings(8080, Path.of(".yoo"), Path.of("assets"), Optional.empty(),
                Optional.empty(), allowUnknown);
        OsSettings os = new OsSettings("stable", "current", ConfigDialect.values()[0], "/dev/sda", false, Optional.empty(),
                Optional.empty(), List.of());
        KubernetesSettings k8s = new KubernetesSettings("v1.31.0", Ipv4Cidr.parse("10.244.0.0/16"),
                Ipv4Cidr.parse("10.96.0.0/12"), "flannel");
        return new ClusterDescriptor("test", Architecture.DEV, net, server, os, k8s, List.of(), Optional.empty(), List.of(),
                Optional.empty(), List.of(), List.of(machines), Path.of("cluster.yml"));
    }
}
