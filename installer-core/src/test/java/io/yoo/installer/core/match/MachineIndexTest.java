package io.yoo.installer.core.match;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.boot.Sighting;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.DescriptorException;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.api.net.SmbiosUuid;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MachineIndexTest {
    static final String UUID = "4a1f3c2e-7b77-4e2a-9c1d-000000000101";
    static final MacAddress NIC_OF_C = MacAddress.parse("52:54:00:00:00:0c");

    static ClusterDescriptor cluster(String dhcp) throws DescriptorException {
        return DescriptorLoader.parse("""
                cluster: lab
                architecture: devtest
                network: { interface: eth1, server: 10.77.0.1, subnet: 10.77.0.0/24, dhcp: %s }
                os: { version: 4081.2.0, kernel: testos/vmlinuz, initrd: testos/initrd.gz }
                sshKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHq0kYv3n2hJ7x8bD5mWcE1pQ9rT4sU6vX0yZ2aB3cD4 ops@lab"]
                machines:
                  - { name: node-a, mac: "52:54:00:00:00:0a", ip: 10.77.0.10, role: control-plane }
                  - { name: node-b, mac: "52:54:00:00:00:0b", ip: 10.77.0.11, role: worker }
                  - { name: node-c, uuid: "%s", ip: 10.77.0.12, role: worker }
                """.formatted(dhcp, UUID), Path.of("cluster.yml"), Path.of("/srv/yoo"));
    }

    final LearnedMacs learned = new LearnedMacs();
    final MachineIndex index;

    MachineIndexTest() throws DescriptorException {
        index = MachineIndex.of(cluster("full"), learned);
    }

    static Sighting tftp(String mac, String ip) {
        return new Sighting(Sighting.Protocol.TFTP, Optional.empty(), Optional.ofNullable(mac).map(MacAddress::parse),
                Optional.ofNullable(ip).map(Ipv4::parse), "undionly.kpxe");
    }

    @Test
    void findsMachinesByNameMacUuidInBothReadingsAndAddress() {
        assertThat(index.byName("node-b").map(Machine::ip)).contains(Ipv4.parse("10.77.0.11"));
        assertThat(index.byMac(MacAddress.parse("52:54:00:00:00:0a")).map(Machine::name)).contains("node-a");
        SmbiosUuid uuid = SmbiosUuid.parse(UUID);
        assertThat(index.byUuid(uuid).map(Machine::name)).contains("node-c");
        assertThat(index.byUuid(uuid.swapped()).map(Machine::name)).contains("node-c");
        assertThat(index.byIp(Ipv4.parse("10.77.0.12")).map(Machine::name)).contains("node-c");
        assertThat(index.byIp(Ipv4.parse("10.77.0.99"))).isEmpty();
        assertThat(index.byName("nobody")).isEmpty();
        assertThat(index.machines()).extracting(Machine::name).containsExactly("node-a", "node-b", "node-c");
    }

    @Test
    void aUuidOnlyMachineMatchedByUuidIsKnownByItsMacFromThenOnEverywhere() {
        assertThat(index.byMac(NIC_OF_C)).isEmpty();
        // PXE firmware sends the UUID (option 97); the live system's DHCP client only its MAC
        assertThat(index.match(NIC_OF_C, Optional.of(SmbiosUuid.parse(UUID))).map(Machine::name)).contains("node-c");
        assertThat(index.match(NIC_OF_C, Optional.empty()).map(Machine::name)).contains("node-c");
        assertThat(index.byMac(NIC_OF_C).map(Machine::name)).as("HTTP's lookup knows the learned MAC too").contains("node-c");
        assertThat(index.resolve(tftp("52:54:00:00:00:0c", null)).machine()).contains("node-c");
        assertThat(learned.size()).isEqualTo(1);
    }

    @Test
    void learnedMacsOutliveTheIndexOfOneDescriptor() throws DescriptorException {
        index.match(NIC_OF_C, Optional.of(SmbiosUuid.parse(UUID)));
        MachineIndex reloaded = MachineIndex.of(cluster("full"), learned);
        assertThat(reloaded.byMac(NIC_OF_C).map(Machine::name)).contains("node-c");
    }

    @Test
    void aListedMacIsNotLearnedAndALearnedMacOfAMachineNoLongerInTheDescriptorFindsNothing() throws DescriptorException {
        index.match(MacAddress.parse("52:54:00:00:00:0a"), Optional.of(SmbiosUuid.parse(UUID)));
        assertThat(learned.size()).isZero();
        learned.learn(MacAddress.parse("52:54:00:00:00:99"), "gone");
        assertThat(index.byMac(MacAddress.parse("52:54:00:00:00:99"))).isEmpty();
        assertThat(index.match(MacAddress.parse("52:54:00:00:00:99"), Optional.empty())).isEmpty();
    }

    @Test
    void reservedAddressOnlyWhenYooHandsOutAddresses() throws DescriptorException {
        Machine a = index.byName("node-a").orElseThrow();
        assertThat(index.reservedAddress(a)).contains(Ipv4.parse("10.77.0.10"));
        assertThat(MachineIndex.of(cluster("proxy"), learned).reservedAddress(a)).isEmpty();
    }

    @Test
    void namesTheMachineOfASightingByMacFirstThenByReservedAddress() {
        assertThat(index.resolve(tftp(null, "10.77.0.11")).machine()).contains("node-b");
        assertThat(index.resolve(tftp("52:54:00:00:00:0a", null)).machine()).contains("node-a");
        // the MAC wins over an address that belongs to another machine (a stale lease, a move)
        assertThat(index.resolve(tftp("52:54:00:00:00:0a", "10.77.0.11")).machine()).contains("node-a");
    }

    @Test
    void aFailedSightingStaysFailedOnceNamed() {
        Sighting missing = new Sighting(Sighting.Protocol.TFTP, Optional.empty(), Optional.empty(), Optional.of(Ipv4.parse("10.77.0.10")),
                "tftp undionly.kpxe: not found", true);
        Sighting named = index.resolve(missing);
        assertThat(named.machine()).contains("node-a");
        assertThat(named.failed()).isTrue();
        assertThat(named.what()).isEqualTo("tftp undionly.kpxe: not found");
    }

    @Test
    void leavesUnknownAndAlreadyNamedSightingsAsTheyAre() {
        Sighting unknown = tftp("52:54:00:00:00:99", "10.77.0.150");
        assertThat(index.resolve(unknown)).isSameAs(unknown);
        Sighting named = new Sighting(Sighting.Protocol.HTTP, Optional.of("node-b"), Optional.empty(), Optional.of(Ipv4.parse("10.77.0.10")),
                "boot.ipxe");
        assertThat(index.resolve(named)).isSameAs(named);
    }
}
