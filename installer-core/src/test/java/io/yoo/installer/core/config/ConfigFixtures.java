package io.yoo.installer.core.config;

import io.yoo.installer.core.descriptor.Architecture;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.ConfigDialect;
import io.yoo.installer.core.descriptor.DescriptorException;
import io.yoo.installer.core.descriptor.DescriptorLoader;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The example clusters of the four architectures, built in ONE place so the lead can switch it to
 * the examples' YAML (DescriptorLoader) at merge time.
 */
final class ConfigFixtures {
    static final String SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq3fJk0h2m7Qd8cCqkJv9m3b2y9S0tWv1R6Q0c5b8Jd ops@yoo";

    /**
     * The {@code network} of the IPv6 descriptors (dual-stack, IPv6-only machines): the IPv4 install
     * network and {@code network.ipv6}, eight lines from line 3 (after cluster and architecture).
     */
    static final String NETWORK_IPV6 = """
            network:
              interface: eth1
              server: 10.12.0.2
              subnet: 10.12.0.0/16
              ipv6:
                server: "fd00:12::2"
                prefix: "fd00:12::/64"
                dns: ["fd00:12::53"]
            """;

    private ConfigFixtures() {}

    /** {@code yaml} as the descriptor {@code cluster.yml} (errors name that file) in /srv/cluster. */
    static ClusterDescriptor parse(String yaml) throws DescriptorException {
        return DescriptorLoader.parse(yaml, Path.of("cluster.yml"), Path.of("/srv/cluster"));
    }

    /**
     * @param arch    dev: 1 node; small: 3 control-plane + 1 worker; devtest: 1 + 2;
     *                production: 3 control-plane + 3 labelled workers, proxy, registry mirror
     * @param disk    the install disk every machine gets (a file image in the install-script test)
     */
    /** The API VIP of the small and production fixtures: free, in the subnet. */
    static final String VIP = "10.12.1.100";

    static ClusterDescriptor cluster(Architecture arch, ConfigDialect dialect, String disk, Path stateDir) {
        int controlPlanes = switch (arch) {
            case DEV, DEVTEST -> 1;
            case SMALL, PRODUCTION -> 3;
        };
        int workers = switch (arch) {
            case DEV -> 0;
            case SMALL -> 1;
            case DEVTEST -> 2;
            case PRODUCTION -> 3;
        };
        boolean production = arch == Architecture.PRODUCTION;
        List<Machine> machines = new ArrayList<>();
        for (int i = 1; i <= controlPlanes + workers; i++) {
            boolean cp = i <= controlPlanes;
            Map<String, String> labels = production
                    ? (cp ? Map.of("role", "central") : Map.of("role", "worker", "cabinet", "three", "disk", "hdd"))
                    : Map.of();
            machines.add(new Machine(
                    (cp ? "core-" : "node-") + i,
                    List.of(MacAddress.parse(String.format("52:54:00:12:01:%02x", i))),
                    Optional.empty(),
                    Ipv4.parse("10.12.1." + (10 + i)),
                    cp ? Role.CONTROL_PLANE : Role.WORKER,
                    labels,
                    i == 2 && !production ? new MachineOverrides(Optional.empty(), Optional.of(true), Optional.empty(), List.of())
                            : MachineOverrides.NONE,
                    Optional.empty()));
        }
        return new ClusterDescriptor(
                arch.key() + "-cluster",
                arch,
                new InstallNetwork("eth1", Ipv4.parse("10.12.0.1"), Ipv4Cidr.parse("10.12.0.0/16"),
                        Optional.of(Ipv4.parse("10.12.0.254")), List.of(Ipv4.parse("10.12.0.2"), Ipv4.parse("10.12.0.3")),
                        "cluster.example", DhcpMode.FULL, Optional.empty(), 3600),
                new ServerSettings(8080, stateDir, stateDir.resolve("assets"), Optional.empty(), Optional.empty(), false),
                new OsSettings("stable", "4081.2.0", dialect, disk, arch == Architecture.DEV, Optional.empty(), Optional.empty(), List.of()),
                new KubernetesSettings(arch == Architecture.DEVTEST ? "v1.30.6" : "1.31.2", Ipv4Cidr.parse("10.244.0.0/16"),
                        Ipv4Cidr.parse("10.96.0.0/12"), "flannel",
                        // several control-plane nodes: an API VIP that kube-vip holds
                        arch == Architecture.SMALL || production ? Optional.of(VIP) : Optional.empty()),
                List.of(SSH_KEY),
                production ? Optional.of("http://proxy.cluster.example:3128") : Optional.empty(),
                List.of("10.12.0.2", "ntp.cluster.example"),
                production ? Optional.of("https://mirror.cluster.example:5000") : Optional.empty(),
                List.of("kubernetes/1.31.2/images/pause.tar"),
                machines,
                stateDir.resolve("cluster.yml"));
    }
}
