package io.yoo.installer.core.boot;

import io.yoo.installer.api.boot.BootDecision;
import io.yoo.installer.api.boot.BootRequest;
import io.yoo.installer.api.boot.BootTarget;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.api.net.SmbiosUuid;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.match.LearnedMacs;
import io.yoo.installer.core.match.MachineIndex;
import io.yoo.installer.core.state.MachineState;
import io.yoo.installer.core.state.MachineStateView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import static io.yoo.installer.core.boot.BootTestDescriptors.cluster;
import static io.yoo.installer.core.boot.BootTestDescriptors.machine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DescriptorBootPolicyTest {
    static final String MAC = "52:54:00:77:01:01";
    static final String UUID = "4a1f3c2e-7b77-4e2a-9c1d-000000000101";
    final BootUrls urls = BootUrls.of(Ipv4.parse("10.77.0.1"), 8080);
    final MachineTokens tokens = new MachineTokens(new byte[32]);
    final Map<String, MachineState> states = new HashMap<>();

    DescriptorBootPolicy policy(ClusterDescriptor d) {
        MachineStateView view = m -> states.getOrDefault(m, MachineState.UNKNOWN);
        return new DescriptorBootPolicy(d, MachineIndex.of(d, new LearnedMacs()),
                urls, tokens, view, BootFiles.DEFAULT.withAllowUnknown(d.server().allowUnknown()));
    }

    static BootRequest pxe(String mac, int arch, String vendor, String user) {
        return new BootRequest(MacAddress.parse(mac), Optional.empty(), OptionalInt.of(arch), Optional.ofNullable(vendor),
                Optional.ofNullable(user), Optional.empty(), Optional.empty());
    }

    @Test
    void biosFirmwareGetsUndionlyOverTftpAndItsReservation() {
        BootDecision d = policy(cluster(false, machine("node1", MAC, null, "10.77.0.11")))
                .decide(pxe(MAC, 0, "PXEClient:Arch:00000:UNDI:002001", null));
        assertThat(d.machine()).contains("node1");
        assertThat(d.reservation().orElseThrow().address()).isEqualTo(Ipv4.parse("10.77.0.11"));
        assertThat(d.reservation().orElseThrow().gateway()).contains(Ipv4.parse("10.77.0.254"));
        assertThat(d.target()).isEqualTo(new BootTarget.TftpFile(Ipv4.parse("10.77.0.1"), "undionly.kpxe"));
    }

    @Test
    void uefiX64GetsSnponlyAndIpxeEfiWhenConfigured() {
        ClusterDescriptor c = cluster(false, machine("node1", MAC, null, "10.77.0.11"));
        assertThat(policy(c).decide(pxe(MAC, 7, "PXEClient:Arch:00007:UNDI:003000", null)).target())
                .isEqualTo(new BootTarget.TftpFile(Ipv4.parse("10.77.0.1"), "snponly.efi"));
        assertThat(policy(c).decide(pxe(MAC, 9, "PXEClient:Arch:00009:UNDI:003000", null)).target())
                .isEqualTo(new BootTarget.TftpFile(Ipv4.parse("10.77.0.1"), "snponly.efi"));
        var sel = new BootFileSelector(urls, tokens, BootFiles.DEFAULT.withEfi("ipxe.efi"));
        assertThat(sel.select(pxe(MAC, 7, "PXEClient", null), c.machine("node1"), MachineState.UNKNOWN,
                Ipv4.parse("10.77.0.1"))).isEqualTo(new BootTarget.TftpFile(Ipv4.parse("10.77.0.1"), "ipxe.efi"));
    }

    @Test
    void httpBootClientGetsAnHttpUrlWithVendorClassEcho() {
        BootTarget t = policy(cluster(false, machine("node1", MAC, null, "10.77.0.11")))
                .decide(pxe(MAC, 16, "HTTPClient:Arch:00016:UNDI:003001", null)).target();
        assertThat(t).isEqualTo(new BootTarget.HttpUrl("http://10.77.0.1:8080/assets/ipxe/snponly.efi", true));
    }

    @Test
    void ipxeOfAKnownMachineGetsItsOwnScriptWhichBreaksTheChainloadLoop() {
        BootTarget t = policy(cluster(false, machine("node1", MAC, null, "10.77.0.11")))
                .decide(pxe(MAC, 0, "PXEClient:Arch:00000:UNDI:002001", "iPXE")).target();
        assertThat(t).isEqualTo(new BootTarget.HttpUrl(urls.ipxeScript("node1", tokens.tokenFor("node1")), false));
    }

    @Test
    void machineIsFoundByItsSwappedOption97Uuid() {
        var req = new BootRequest(MacAddress.parse("52:54:00:99:99:99"),
                Optional.of(SmbiosUuid.fromWireGuid(SmbiosUuid.parse(UUID).toWireGuid(), 0)), OptionalInt.of(7),
                Optional.of("PXEClient"), Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(policy(cluster(false, machine("node1", null, UUID, "10.77.0.11"))).decide(req).machine()).contains("node1");
    }

    @Test
    void installedMachineBootsFromDiskAndIpxeGetsTheLocalBootScript() {
        DescriptorBootPolicy p = policy(cluster(false, machine("node1", MAC, null, "10.77.0.11")));
        states.put("node1", MachineState.INSTALLED);
        assertThat(p.decide(pxe(MAC, 0, "PXEClient", null)).target()).isInstanceOf(BootTarget.LocalDisk.class);
        assertThat(p.decide(pxe(MAC, 0, "PXEClient", "iPXE")).target())
                .isEqualTo(new BootTarget.HttpUrl("http://10.77.0.1:8080/boot/local.ipxe", false));
        assertThat(BootFileSelector.LOCAL_BOOT_SCRIPT).contains("sanboot --no-describe --drive 0x80").contains("exit");
        states.put("node1", MachineState.FAILED);
        assertThat(p.decide(pxe(MAC, 0, "PXEClient", null)).target()).isInstanceOf(BootTarget.TftpFile.class);
    }

    /**
     * server.allowUnknown: a stranger's firmware gets the iPXE binary and its iPXE the chain script
     * (which the HTTP server answers with the boot menu for its MAC); no reservation, so the DHCP server leases
     * it an address from its pool. Off: no boot file at all (the pool may still lease it a plain
     * address; without a pool the DHCP server ignores it).
     */
    @Test
    void unknownMachinesGetNothingUnlessAllowedThenTheBinaryAndTheMenu() {
        String stranger = "52:54:00:00:00:42";
        for (BootRequest r : List.of(pxe(stranger, 0, "PXEClient", null), pxe(stranger, 7, "PXEClient", null),
                pxe(stranger, 0, "PXEClient", "iPXE"))) {
            BootDecision no = policy(cluster(false)).decide(r);
            assertThat(no.target()).isInstanceOf(BootTarget.None.class);
            assertThat(((BootTarget.None) no.target()).reason()).contains("allowUnknown");
            assertThat(no.reservation()).isEmpty();
        }
        DescriptorBootPolicy allowed = policy(cluster(true, machine("node1", MAC, null, "10.77.0.11")));
        BootDecision bios = allowed.decide(pxe(stranger, 0, "PXEClient:Arch:00000:UNDI:002001", null));
        assertThat(bios.target()).isEqualTo(new BootTarget.TftpFile(Ipv4.parse("10.77.0.1"), "undionly.kpxe"));
        assertThat(bios.reservation()).as("no reservation: the pool leases it an address").isEmpty();
        assertThat(allowed.decide(pxe(stranger, 7, "PXEClient:Arch:00007:UNDI:003000", null)).target())
                .isEqualTo(new BootTarget.TftpFile(Ipv4.parse("10.77.0.1"), "snponly.efi"));
        BootDecision yes = allowed.decide(pxe(stranger, 0, "PXEClient", "iPXE"));
        // the chain script: its /boot/by-mac/ request of a MAC in no descriptor is answered with the menu
        assertThat(yes.target()).isEqualTo(new BootTarget.HttpUrl("http://10.77.0.1:8080/boot.ipxe", false));
        assertThat(yes.machine()).isEmpty();
        assertThat(yes.reservation()).isEmpty();
        // a listed machine still gets its own script, never the menu
        assertThat(allowed.decide(pxe(MAC, 0, "PXEClient", "iPXE")).target())
                .isEqualTo(new BootTarget.HttpUrl(urls.ipxeScript("node1", tokens.tokenFor("node1")), false));
        // and a stranger that is no PXE client (an OS's own DHCP client) still gets no boot file
        assertThat(allowed.decide(new BootRequest(MacAddress.parse(stranger), Optional.empty(), OptionalInt.empty(),
                Optional.of("yoo-testos"), Optional.empty(), Optional.empty(), Optional.empty())).target())
                .isInstanceOf(BootTarget.None.class);
    }

    @Test
    void nonPxeClientsGetAnAddressButNoBootFile() {
        BootDecision d = policy(cluster(false, machine("node1", MAC, null, "10.77.0.11")))
                .decide(new BootRequest(MacAddress.parse(MAC), Optional.empty(), OptionalInt.empty(),
                        Optional.of("yoo-testos"), Optional.empty(), Optional.empty(), Optional.empty()));
        assertThat(d.reservation()).isPresent();
        assertThat(d.target()).isInstanceOf(BootTarget.None.class);
    }

    @Test
    void tftpServerIsTheAddressTheRequestArrivedOn() {
        var req = new BootRequest(MacAddress.parse(MAC), Optional.empty(), OptionalInt.of(0), Optional.of("PXEClient"),
                Optional.empty(), Optional.empty(), Optional.of(Ipv4.parse("10.77.0.2")));
        assertThat(policy(cluster(false, machine("node1", MAC, null, "10.77.0.11"))).decide(req).target())
                .isEqualTo(new BootTarget.TftpFile(Ipv4.parse("10.77.0.2"), "undionly.kpxe"));
    }

    @Test
    void conflictingReservationsAreRejected() {
        assertThatThrownBy(() -> policy(cluster(false, machine("a", MAC, null, "10.77.0.11"),
                machine("b", "52:54:00:77:01:02", null, "10.77.0.11")))).hasMessageContaining("both have address 10.77.0.11");
        assertThatThrownBy(() -> policy(cluster(false, machine("a", MAC, null, "10.99.0.11"))))
                .hasMessageContaining("not a host address");
        assertThat(policy(cluster(false, machine("a", MAC, null, "10.77.0.11"))).reservedAddresses())
                .containsExactly(Ipv4.parse("10.77.0.11"));
    }
}
