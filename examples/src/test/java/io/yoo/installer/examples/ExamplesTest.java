package io.yoo.installer.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.descriptor.Architecture;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.ConfigDialect;
import io.yoo.installer.core.descriptor.DescriptorException;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.descriptor.Role;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.render.ArtifactKind;
import io.yoo.installer.core.render.BootMenuRenderer;
import io.yoo.installer.core.render.Rendered;
import io.yoo.installer.core.render.TftpBootFiles;
import io.yoo.installer.core.template.Templates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Loads every descriptor in examples/ and renders every boot artifact of every machine,
 * checking what a booting machine would actually read.
 */
class ExamplesTest {
    static final MachineTokens TOKENS = new MachineTokens("examples-test-secret-0123456789".getBytes());
    static final List<ArtifactKind> BOOT_KINDS = List.of(ArtifactKind.IPXE, ArtifactKind.PXELINUX, ArtifactKind.GRUB);

    static Path dir() {
        return Path.of(System.getProperty("yoo.projectRoot", "..")).resolve("examples");
    }

    static Stream<String> names() {
        return DescriptorLoader.EXAMPLES.stream();
    }

    static ClusterDescriptor load(String name) {
        try {
            return DescriptorLoader.load(dir().resolve(name + ".yml"));
        } catch (DescriptorException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    static String kernelLine(String ipxe) {
        return ipxe.lines().filter(l -> l.startsWith("kernel ")).findFirst().orElseThrow();
    }

    @Test
    void there_is_one_example_per_architecture_and_no_stray_files() throws IOException {
        try (Stream<Path> s = Files.list(dir())) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml")).sorted())
                    .containsExactly("dev.yml", "devtest.yml", "production.yml", "small.yml");
        }
        for (String name : DescriptorLoader.EXAMPLES) {
            assertThat(load(name).architecture()).isEqualTo(Architecture.valueOf(name.toUpperCase()));
        }
    }

    @ParameterizedTest
    @MethodSource("names")
    void the_embedded_copy_is_the_file_in_examples(String name) throws IOException {
        assertThat(DescriptorLoader.exampleText(name)).isEqualTo(Files.readString(dir().resolve(name + ".yml")));
    }

    @ParameterizedTest
    @MethodSource("names")
    void every_machine_gets_an_ipxe_script_with_its_own_urls_and_token(String name) {
        ClusterDescriptor d = load(name);
        BootMenuRenderer r = new BootMenuRenderer(d, TOKENS, Templates.builtIn());
        BootUrls urls = BootUrls.of(d.network().serverAddress(), d.server().httpPort());
        for (Machine m : d.machines()) {
            String token = TOKENS.tokenFor(m.name());
            Rendered ipxe = r.render(m.name(), ArtifactKind.IPXE).orElseThrow();
            assertThat(ipxe.fileName()).isEqualTo("ipxe/" + m.name() + ".ipxe");
            List<String> args = Arrays.asList(kernelLine(ipxe.text()).split(" "));
            ConfigDialect dialect = m.overrides().dialect().orElse(d.os().dialect());
            String configArg = (dialect == ConfigDialect.IGNITION ? "ignition.config.url=" : "cloud-config-url=")
                    + urls.liveConfig(m.name(), token);
            assertThat(args).as(m.name()).contains(
                    urls.asset("flatcar/stable/4081.2.0/flatcar_production_pxe.vmlinuz"),
                    "initrd=flatcar_production_pxe_image.cpio.gz", "console=ttyS0,115200n8", "console=tty0",
                    configArg, "yoo.callback=" + urls.callback(m.name(), token),
                    "yoo.id=" + m.name(), "yoo.script=" + urls.installScript(m.name(), token));
            // Ignition only runs when the initramfs is told it is the first boot; coreos-cloudinit needs no flag
            assertThat(args.contains("flatcar.first_boot=1")).as(m.name()).isEqualTo(dialect == ConfigDialect.IGNITION);
            assertThat(args).containsAll(d.os().kernelArgs()).containsAll(m.overrides().kernelArgs());
            assertThat(args.contains("flatcar.autologin"))
                    .isEqualTo(m.overrides().autologin().orElse(d.os().autologin()));
            // no other machine's token leaks into this machine's script
            d.machines().stream().filter(o -> o != m)
                    .forEach(o -> assertThat(ipxe.text()).doesNotContain(TOKENS.tokenFor(o.name())));
        }
    }

    @ParameterizedTest
    @MethodSource("names")
    void pxelinux_and_grub_files_are_named_by_mac_and_served_for_every_nic(String name) {
        ClusterDescriptor d = load(name);
        BootMenuRenderer r = new BootMenuRenderer(d, TOKENS, Templates.builtIn());
        TftpBootFiles tftp = new TftpBootFiles(r);
        String grubMain = r.grubMain().text();
        for (Machine m : d.machines()) {
            Rendered pxe = r.render(m.name(), ArtifactKind.PXELINUX).orElseThrow();
            Rendered grub = r.render(m.name(), ArtifactKind.GRUB).orElseThrow();
            String token = TOKENS.tokenFor(m.name());
            if (m.primaryMac().isPresent()) {
                assertThat(pxe.fileName()).isEqualTo("pxelinux.cfg/01-" + m.primaryMac().get().toDashed());
                assertThat(grub.fileName()).isEqualTo("grub/grub.cfg-01-" + m.primaryMac().get().toDashed());
            } else {
                assertThat(pxe.fileName()).isEqualTo("pxelinux.cfg/" + m.uuid().orElseThrow());
            }
            assertThat(pxe.text()).contains("LABEL " + m.name() + "\n", "APPEND ", "yoo.id=" + m.name(), token);
            assertThat(grub.text()).contains("linux (http,", "yoo.id=" + m.name() + "'", token);
            for (MacAddress mac : m.macs()) {
                assertThat(tftp.file("pxelinux.cfg/01-" + mac.toDashed())).map(Rendered::text).contains(pxe.text());
                assertThat(tftp.file("grub/grub.cfg-01-" + mac.toDashed())).map(Rendered::text).contains(grub.text());
                assertThat(grubMain).contains("\"$net_default_mac\" = \"" + mac + "\"");
            }
            m.uuid().ifPresent(u -> assertThat(tftp.file("pxelinux.cfg/" + u)).map(Rendered::text).contains(pxe.text()));
        }
    }

    @ParameterizedTest
    @MethodSource("names")
    void the_default_menu_has_the_original_six_entries(String name) {
        ClusterDescriptor d = load(name);
        String menu = new BootMenuRenderer(d, TOKENS, Templates.builtIn()).pxelinuxMenu().text();
        if (!d.server().allowUnknown()) {
            // machines not in the descriptor are refused: PXELINUX hands back to the firmware
            assertThat(menu).contains("LOCALBOOT -1").doesNotContain("LABEL simple");
            return;
        }
        assertThat(menu.lines().filter(l -> l.startsWith("LABEL ")).map(l -> l.substring(6)))
                .containsExactly("simple", "small-cluster", "develop-etcd", "develop-worker", "production-central",
                        "production-worker");
        assertThat(menu.lines().filter(l -> l.contains("flatcar.autologin=tty1")).count()).isEqualTo(2);
        assertThat(menu).contains("MENU DEFAULT");
    }

    @Test
    void production_is_three_central_and_six_workers_in_two_cabinets() {
        ClusterDescriptor d = load("production");
        assertThat(d.controlPlane()).hasSize(3);
        assertThat(d.workers()).hasSize(6);
        Map<String, Long> perCabinet = d.workers().stream()
                .collect(Collectors.groupingBy(m -> m.labels().get("cabinet"), Collectors.counting()));
        assertThat(perCabinet).isEqualTo(Map.of("three", 3L, "four", 3L));
        assertThat(d.workers()).allMatch(m -> m.labels().containsKey("disk") && m.macs().size() == 2 && m.bmc().isPresent());
        assertThat(d.os().kernelArgs()).as("the quoted serial console stays one argument").containsExactly("console=ttyS1,115200n8");
        assertThat(d.proxy()).isPresent();
        assertThat(d.registryMirror()).isPresent();
    }

    @Test
    void dev_is_one_control_plane_machine_and_devtest_one_control_plane_with_workers() {
        assertThat(load("dev").machines()).singleElement().extracting(Machine::role).isEqualTo(Role.CONTROL_PLANE);
        ClusterDescriptor qa = load("devtest");
        assertThat(qa.controlPlane()).extracting(Machine::name).containsExactly("qa-etcd");
        assertThat(qa.workers()).hasSize(3);
        assertThat(qa.os().dialect()).isEqualTo(ConfigDialect.CLOUD_CONFIG);
    }

    @ParameterizedTest
    @MethodSource("names")
    void every_boot_kind_renders_for_every_machine(String name) {
        ClusterDescriptor d = load(name);
        BootMenuRenderer r = new BootMenuRenderer(d, TOKENS, Templates.builtIn());
        for (Machine m : d.machines()) {
            for (ArtifactKind k : BOOT_KINDS) {
                assertThat(r.render(m.name(), k)).as(m.name() + " " + k).isPresent()
                        .get().extracting(Rendered::text).asString().contains(m.name()).doesNotContain("{{");
            }
        }
        List<String> shared = d.server().allowUnknown()
                ? List.of("boot.ipxe", "pxelinux.cfg/default", "grub/grub.cfg", "menu.ipxe")
                : List.of("boot.ipxe", "pxelinux.cfg/default", "grub/grub.cfg");
        assertThat(r.sharedFiles()).extracting(Rendered::fileName).containsExactlyElementsOf(shared);
    }
}
