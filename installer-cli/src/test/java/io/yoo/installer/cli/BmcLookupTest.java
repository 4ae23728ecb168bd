package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.Ipv4Cidr;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.descriptor.Architecture;
import io.yoo.installer.core.descriptor.BmcSettings;
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
import io.yoo.installer.ipmi.control.BmcAddress;
import io.yoo.installer.ipmi.scan.BmcProtocol;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BmcLookupTest {

    /** The one place these tests build a descriptor (adapt here if the records change at merge). */
    static ClusterDescriptor descriptor(List<Machine> machines) {
        InstallNetwork net = new InstallNetwork("eth1", Ipv4.parse("10.12.0.1"), Ipv4Cidr.parse("10.12.0.0/16"), Optional.empty(),
                List.of(), "cluster.local", DhcpMode.FULL, Optional.empty(), 3600);
        return new ClusterDescriptor("test", Architecture.SMALL, net,
                new ServerSettings(8080, Path.of("state"), Path.of("assets"), Optional.empty(), Optional.empty(), false),
                new OsSettings("stable", "current", ConfigDialect.IGNITION, "/dev/sda", false, Optional.empty(), Optional.empty(), List.of()),
                new KubernetesSettings("1.31.0", Ipv4Cidr.parse("10.244.0.0/16"), Ipv4Cidr.parse("10.96.0.0/12"), "flannel"), List.of(),
                Optional.empty(), List.of(), Optional.empty(), List.of(), machines, Path.of("cluster.yml"));
    }

    static Machine machine(String name, Optional<BmcSettings> bmc) {
        return new Machine(name, List.of(MacAddress.parse("52:54:00:00:00:01")), Optional.empty(), Ipv4.parse("10.12.1.5"), Role.WORKER,
                Map.of(), MachineOverrides.NONE, bmc);
    }

    @Test
    void findsTheBmcAndTakesThePasswordFromTheNamedVariable() {
        ClusterDescriptor d = descriptor(List.of(
                machine("core-1-5", Optional.of(new BmcSettings("10.11.202.5", "ipmi", "admin", Optional.empty(), Optional.of("RACK_PW")))),
                machine("core-1-6", Optional.of(new BmcSettings("10.11.202.6", "redfish", "root", Optional.of("lit"), Optional.empty())))));
        assertThat(BmcLookup.lookup(d, "core-1-5", Map.of("RACK_PW", "s3cret")))
                .isEqualTo(new BmcLookup.BmcTarget(BmcAddress.parse("10.11.202.5"), BmcProtocol.IPMI, "admin", "s3cret"));
        assertThat(BmcLookup.lookup(d, "core-1-6", Map.of()).protocol()).isEqualTo(BmcProtocol.REDFISH);
        assertThat(BmcLookup.lookup(d, "core-1-6", Map.of()).toString()).doesNotContain("lit");
        assertThatThrownBy(() -> BmcLookup.lookup(d, "core-1-5", Map.of())).hasMessageContaining("RACK_PW is not set");
        assertThatThrownBy(() -> BmcLookup.lookup(d, "core-9", Map.of())).hasMessageContaining("no machine named 'core-9'");
    }

    @Test
    void aMachineWithoutBmcIsNamed() {
        ClusterDescriptor d = descriptor(List.of(machine("core-1-5", Optional.empty())));
        assertThatThrownBy(() -> BmcLookup.lookup(d, "core-1-5", Map.of())).hasMessageContaining("has no bmc: block");
    }
}
