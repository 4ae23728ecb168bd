package io.yoo.installer.core.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.boot.BootDecision;
import io.yoo.installer.api.boot.BootRequest;
import io.yoo.installer.api.boot.BootTarget;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.DescriptorException;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import io.yoo.installer.core.render.ArtifactKind;
import io.yoo.installer.core.render.BootMenuRenderer;
import io.yoo.installer.core.state.MachineState;
import io.yoo.installer.core.template.Templates;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Which machines boot the signed shim → GRUB → kernel chain, and what their firmware is handed. */
class SecureBootChainTest {
    static final String YAML = """
            cluster: lab
            architecture: devtest
            network: { interface: eth1, server: 10.77.0.1, subnet: 10.77.0.0/24, pool: 10.77.0.100-10.77.0.199 }
            server: { allowUnknown: true }
            os: { version: 4081.2.0, secureBoot: %s }
            machines:
              - { name: signed, mac: "52:54:00:77:06:01", ip: 10.77.0.61, role: control-plane, secureBoot: true }
              - { name: plain, mac: "52:54:00:77:06:02", ip: 10.77.0.62, secureBoot: false }
              - { name: default, mac: "52:54:00:77:06:03", ip: 10.77.0.63 }
            """;

    static ClusterDescriptor descriptor(boolean all) {
        try {
            return DescriptorLoader.parse(YAML.formatted(all), Path.of("sb.yml"), Path.of("/srv/yoo"));
        } catch (DescriptorException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    static BootRequest request(String mac, int arch, String vendor, String user) {
        return new BootRequest(MacAddress.parse(mac), Optional.empty(), OptionalInt.of(arch), Optional.ofNullable(vendor),
                Optional.ofNullable(user), Optional.empty(), Optional.empty());
    }

    static BootTarget target(ClusterDescriptor d, BootRequest r) {
        DescriptorBootPolicy p = new DescriptorBootPolicy(d, BootUrls.of(Ipv4.parse("10.77.0.1"), 8080),
                new MachineTokens("0123456789abcdef0123456789abcdef".getBytes()), name -> MachineState.UNKNOWN);
        BootDecision decision = p.decide(r);
        return decision.target();
    }

    static final String UEFI_PXE = "PXEClient:Arch:00007:UNDI:003000";
    static final String UEFI_HTTP = "HTTPClient:Arch:00016:UNDI:003000";
    final Ipv4 server = Ipv4.parse("10.77.0.1");

    @Test
    void a_secure_boot_machines_uefi_pxe_firmware_gets_shim_over_tftp_and_others_get_ipxe() {
        ClusterDescriptor d = descriptor(false);
        assertThat(target(d, request("52:54:00:77:06:01", 7, UEFI_PXE, null))).isEqualTo(new BootTarget.TftpFile(server, "shimx64.efi"));
        assertThat(target(d, request("52:54:00:77:06:01", 9, UEFI_PXE, null))).isEqualTo(new BootTarget.TftpFile(server, "shimx64.efi"));
        assertThat(target(d, request("52:54:00:77:06:02", 7, UEFI_PXE, null))).isEqualTo(new BootTarget.TftpFile(server, "snponly.efi"));
        assertThat(target(d, request("52:54:00:77:06:03", 7, UEFI_PXE, null))).as("os.secureBoot false")
                .isEqualTo(new BootTarget.TftpFile(server, "snponly.efi"));
        assertThat(target(d, request("52:54:00:77:09:09", 7, UEFI_PXE, null))).as("stranger, os.secureBoot false")
                .isEqualTo(new BootTarget.TftpFile(server, "snponly.efi"));
    }

    @Test
    void os_secure_boot_covers_every_uefi_client_unless_a_machine_says_false() {
        ClusterDescriptor d = descriptor(true);
        assertThat(target(d, request("52:54:00:77:06:03", 7, UEFI_PXE, null))).isEqualTo(new BootTarget.TftpFile(server, "shimx64.efi"));
        assertThat(target(d, request("52:54:00:77:09:09", 7, UEFI_PXE, null))).as("stranger")
                .isEqualTo(new BootTarget.TftpFile(server, "shimx64.efi"));
        assertThat(target(d, request("52:54:00:77:06:02", 7, UEFI_PXE, null))).isEqualTo(new BootTarget.TftpFile(server, "snponly.efi"));
    }

    @Test
    void uefi_http_boot_gets_shims_url_in_the_asset_mirror_with_the_vendor_class_echoed() {
        ClusterDescriptor d = descriptor(false);
        assertThat(target(d, request("52:54:00:77:06:01", 16, UEFI_HTTP, null)))
                .isEqualTo(new BootTarget.HttpUrl("http://10.77.0.1:8080/assets/secureboot/shimx64.efi", true));
        assertThat(target(d, request("52:54:00:77:06:02", 16, UEFI_HTTP, null)))
                .isEqualTo(new BootTarget.HttpUrl("http://10.77.0.1:8080/assets/ipxe/snponly.efi", true));
    }

    @Test
    void bios_and_ipxe_clients_are_not_changed_by_secure_boot() {
        ClusterDescriptor d = descriptor(true);
        assertThat(target(d, request("52:54:00:77:06:01", 0, "PXEClient:Arch:00000:UNDI:002001", null)))
                .isEqualTo(new BootTarget.TftpFile(server, "undionly.kpxe"));
        assertThat(target(d, request("52:54:00:77:06:01", 7, UEFI_PXE, "iPXE"))).isInstanceOf(BootTarget.HttpUrl.class);
    }

    @Test
    void the_descriptor_reads_os_and_machine_secure_boot_and_names_a_bad_value() {
        ClusterDescriptor d = descriptor(true);
        assertThat(d.os().secureBoot()).isTrue();
        assertThat(d.machine("signed").orElseThrow().overrides().secureBoot()).contains(true);
        assertThat(d.machine("plain").orElseThrow().overrides().secureBoot()).contains(false);
        assertThat(d.machine("default").orElseThrow().overrides().secureBoot()).isEmpty();
        assertThat(descriptor(false).os().secureBoot()).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DescriptorLoader.parse(YAML.formatted("maybe"), Path.of("sb.yml"),
                Path.of("/srv/yoo"))).isInstanceOf(DescriptorException.class).hasMessageContaining("os.secureBoot");
    }

    @Test
    void a_secure_boot_machines_grub_file_loads_kernel_and_initrd_over_tftp_others_over_http() {
        ClusterDescriptor d = descriptor(false);
        var renderer = new BootMenuRenderer(d, new MachineTokens("0123456789abcdef0123456789abcdef".getBytes()),
                Templates.builtIn());
        String signed = renderer.render("signed", ArtifactKind.GRUB).orElseThrow().text();
        String plain = renderer.render("plain", ArtifactKind.GRUB).orElseThrow().text();
        assertThat(signed).contains("linux (tftp,10.77.0.1)/assets/flatcar/").contains("initrd (tftp,10.77.0.1)/assets/flatcar/")
                .contains("yoo.callback=").doesNotContain("(http,");
        assertThat(plain).contains("linux (http,10.77.0.1:8080)/assets/flatcar/");
        // strangers' menu (allowUnknown): TFTP only when every UEFI client boots the chain
        assertThat(renderer.grubMain().text()).contains("linux (http,10.77.0.1:8080)/assets/");
        var all = new BootMenuRenderer(descriptor(true), new MachineTokens("0123456789abcdef0123456789abcdef".getBytes()),
                Templates.builtIn());
        assertThat(all.grubMain().text()).contains("linux (tftp,10.77.0.1)/assets/").doesNotContain("(http,");
    }

    @Test
    void the_history_names_the_link_of_the_chain_a_machine_fetched() {
        assertThat(SecureBootChain.sightingText("shimx64.efi")).contains("Secure Boot chain").contains("not iPXE");
        assertThat(SecureBootChain.sightingText("/grubx64.efi")).contains("signed GRUB");
        assertThat(SecureBootChain.sightingText("assets/testos/vmlinuz")).contains("signed GRUB loaded it over TFTP");
        assertThat(SecureBootChain.sightingText("snponly.efi")).isEqualTo("tftp snponly.efi");
    }

    @Test
    void secure_boot_subnets_choose_machines_by_address_and_strangers_by_relay() throws DescriptorException {
        ClusterDescriptor d = DescriptorLoader.parse(YAML.formatted("false").replaceFirst("secureBoot: false \\}",
                "secureBoot: false, secureBootSubnets: [10.77.0.60/30, 10.88.0.0/16] }"), Path.of("sb.yml"), Path.of("/srv/yoo"));
        assertThat(d.os().secureBootSubnets()).hasSize(2);
        assertThat(target(d, request("52:54:00:77:06:03", 7, UEFI_PXE, null))).as("10.77.0.63 is in 10.77.0.60/30")
                .isEqualTo(new BootTarget.TftpFile(server, "shimx64.efi"));
        assertThat(target(d, request("52:54:00:77:06:02", 7, UEFI_PXE, null))).as("its own secureBoot: false wins")
                .isEqualTo(new BootTarget.TftpFile(server, "snponly.efi"));
        BootRequest relayed = new BootRequest(MacAddress.parse("52:54:00:77:09:09"), Optional.empty(), OptionalInt.of(7),
                Optional.of(UEFI_PXE), Optional.empty(), Optional.of(Ipv4.parse("10.88.3.1")), Optional.empty());
        assertThat(target(d, relayed)).as("stranger relayed from 10.88.3.1").isEqualTo(new BootTarget.TftpFile(server, "shimx64.efi"));
        assertThat(target(d, request("52:54:00:77:09:09", 7, UEFI_PXE, null))).as("stranger on the install segment")
                .isEqualTo(new BootTarget.TftpFile(server, "snponly.efi"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DescriptorLoader.parse(YAML.formatted("false").replaceFirst("secureBoot: false \\}",
                "secureBootSubnets: [10.77.0.300/24] }"), Path.of("sb.yml"), Path.of("/srv/yoo")))
                .isInstanceOf(DescriptorException.class).hasMessageContaining("os.secureBootSubnets[0]");
    }

    @Test
    void chain_file_names() {
        assertThat(SecureBootChain.isChainFile("/shimx64.efi")).isTrue();
        assertThat(SecureBootChain.isChainFile("grubx64.efi")).isTrue();
        assertThat(SecureBootChain.isChainFile("snponly.efi")).isFalse();
        assertThat(SecureBootChain.grubTftpDevice(server)).isEqualTo("(tftp,10.77.0.1)");
    }
}
