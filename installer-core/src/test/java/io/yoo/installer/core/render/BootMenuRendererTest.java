package io.yoo.installer.core.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.DescriptorException;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import io.yoo.installer.core.template.Templates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootMenuRendererTest {
    static final MachineTokens TOKENS = new MachineTokens("0123456789abcdef0123456789abcdef".getBytes());

    static final String DESCRIPTOR = """
            cluster: lab
            architecture: devtest
            network: { interface: eth1, server: 10.12.0.2, subnet: 10.12.0.0/16 }
            os: { version: 4081.2.0, kernelArgs: [quiet] }
            machines:
              - { name: cp, role: control-plane, macs: ["52:54:00:12:01:01", "52:54:00:12:01:11"], ip: 10.12.1.1 }
              - { name: w-cc, mac: "52:54:00:12:01:02", ip: 10.12.1.2, dialect: cloud-config, autologin: true,
                  kernelArgs: [nomodeset] }
              - { name: w-uuid, uuid: 4a1f3c2e-7b77-4e2a-9c1d-000000000103, ip: 10.12.1.3 }
            """;

    /** The one place tests build descriptors (so a model change is adapted here only). */
    static ClusterDescriptor descriptor(String yaml) {
        try {
            return DescriptorLoader.parse(yaml, Path.of("test.yml"), Path.of("/srv/yoo"));
        } catch (DescriptorException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    final ClusterDescriptor d = descriptor(DESCRIPTOR);
    final BootMenuRenderer renderer = new BootMenuRenderer(d, TOKENS, Templates.builtIn());
    final String cpToken = TOKENS.tokenFor("cp");
    final String base = "http://10.12.0.2:8080";

    String text(String machine, ArtifactKind kind) {
        return renderer.render(machine, kind).orElseThrow().text();
    }

    /** The line starting with {@code prefix}, without the retry jump of the machine's iPXE script. */
    static String lineStarting(String text, String prefix) {
        return text.lines().map(String::strip).filter(l -> l.startsWith(prefix)).map(l -> l.replaceFirst(" \\|\\| goto retry$", ""))
                .findFirst().orElseThrow(() -> new AssertionError("no line starting with '" + prefix + "' in:\n" + text));
    }

    @Test
    void ipxe_script_boots_the_flatcar_pxe_kernel_with_the_machines_urls_and_token() {
        Rendered r = renderer.render("cp", ArtifactKind.IPXE).orElseThrow();

        assertThat(r.fileName()).isEqualTo("ipxe/cp.ipxe");
        assertThat(r.text()).startsWith("#!ipxe\n").contains("\nboot || goto retry\n");
        // the server may change under it (network.serviceAddress moving): each step is retried, 10 times at most
        assertThat(r.text()).contains("\nkernel ", " || goto retry\ninitrd ", "\n:retry\ninc tries\niseq ${tries} 10 && goto failed ||\n",
                "\nsleep 3\ngoto load\n", "\n:failed\n");
        String kernel = lineStarting(r.text(), "kernel ");
        assertThat(Arrays.asList(kernel.split(" "))).containsExactly(
                "kernel", base + "/assets/flatcar/stable/4081.2.0/flatcar_production_pxe.vmlinuz",
                "initrd=flatcar_production_pxe_image.cpio.gz",
                "console=ttyS0,115200n8", "console=tty0", "flatcar.first_boot=1",
                "ignition.config.url=" + base + "/m/cp/" + cpToken + "/live-config",
                "yoo.callback=" + base + "/api/v1/machines/cp/events?token=" + cpToken,
                "yoo.id=cp",
                "yoo.script=" + base + "/m/cp/" + cpToken + "/install.sh",
                "quiet");
        assertThat(lineStarting(r.text(), "initrd ")).isEqualTo(
                "initrd " + base + "/assets/flatcar/stable/4081.2.0/flatcar_production_pxe_image.cpio.gz");
    }

    @Test
    void cloud_config_dialect_and_autologin_and_extra_args_follow_the_machine_overrides() {
        String kernel = lineStarting(text("w-cc", ArtifactKind.IPXE), "kernel ");
        String token = TOKENS.tokenFor("w-cc");

        assertThat(kernel).contains(" cloud-config-url=" + base + "/m/w-cc/" + token + "/live-config ")
                .doesNotContain("ignition.config.url")
                .contains(" flatcar.autologin ")
                .endsWith(" quiet nomodeset");
        assertThat(lineStarting(text("cp", ArtifactKind.IPXE), "kernel ")).doesNotContain("autologin");
    }

    @Test
    void tokens_differ_per_machine_so_one_machine_cannot_fetch_anothers_config() {
        assertThat(text("cp", ArtifactKind.IPXE)).contains(cpToken).doesNotContain(TOKENS.tokenFor("w-cc"));
        assertThat(cpToken).isNotEqualTo(TOKENS.tokenFor("w-cc"));
    }

    @Test
    void a_custom_boot_image_replaces_the_flatcar_kernel() {
        ClusterDescriptor custom = descriptor(DESCRIPTOR.replace("os: { version: 4081.2.0,",
                "os: { version: 4081.2.0, kernel: testos/vmlinuz, initrd: testos/initramfs.cpio.gz,"));
        String script = new BootMenuRenderer(custom, TOKENS, Templates.builtIn()).render("cp", ArtifactKind.IPXE).orElseThrow().text();

        assertThat(lineStarting(script, "kernel ")).startsWith("kernel " + base + "/assets/testos/vmlinuz initrd=initramfs.cpio.gz ");
        assertThat(lineStarting(script, "initrd ")).isEqualTo("initrd " + base + "/assets/testos/initramfs.cpio.gz");
    }

    @Test
    void pxelinux_file_is_named_by_the_first_mac_or_else_the_uuid() {
        Rendered cp = renderer.render("cp", ArtifactKind.PXELINUX).orElseThrow();
        assertThat(cp.fileName()).isEqualTo("pxelinux.cfg/01-52-54-00-12-01-01");
        assertThat(cp.text()).contains("DEFAULT cp\n", "LABEL cp\n",
                "KERNEL " + base + "/assets/flatcar/stable/4081.2.0/flatcar_production_pxe.vmlinuz\n",
                "INITRD " + base + "/assets/flatcar/stable/4081.2.0/flatcar_production_pxe_image.cpio.gz\n");
        assertThat(lineStarting(cp.text(), "APPEND ")).isEqualTo("APPEND "
                + String.join(" ", KernelCommandLine.forMachine(d, d.machine("cp").orElseThrow(), BootUrls.of(
                        d.network().serverAddress(), 8080), cpToken)));
        assertThat(renderer.render("w-uuid", ArtifactKind.PXELINUX).orElseThrow().fileName())
                .isEqualTo("pxelinux.cfg/4a1f3c2e-7b77-4e2a-9c1d-000000000103");
    }

    @Test
    void grub_config_loads_kernel_and_initrd_over_http_with_quoted_arguments() {
        Rendered g = renderer.render("cp", ArtifactKind.GRUB).orElseThrow();

        assertThat(g.fileName()).isEqualTo("grub/grub.cfg-01-52-54-00-12-01-01");
        assertThat(lineStarting(g.text(), "linux ")).startsWith(
                "linux (http,10.12.0.2:8080)/assets/flatcar/stable/4081.2.0/flatcar_production_pxe.vmlinuz 'console=ttyS0,115200n8' ")
                .contains(" 'yoo.callback=" + base + "/api/v1/machines/cp/events?token=" + cpToken + "' ");
        assertThat(lineStarting(g.text(), "initrd ")).isEqualTo(
                "initrd (http,10.12.0.2:8080)/assets/flatcar/stable/4081.2.0/flatcar_production_pxe_image.cpio.gz");
        assertThat(renderer.render("w-uuid", ArtifactKind.GRUB).orElseThrow().fileName()).isEqualTo("grub/grub.cfg-0A0C0103");
    }

    @Test
    void grub_main_config_sends_every_mac_and_address_to_its_machines_file() {
        String main = renderer.grubMain().text();

        assertThat(main).contains(
                "if [ \"$net_default_mac\" = \"52:54:00:12:01:01\" ]; then configfile \"$prefix/grub.cfg-01-52-54-00-12-01-01\"; fi",
                "if [ \"$net_default_mac\" = \"52:54:00:12:01:11\" ]; then configfile \"$prefix/grub.cfg-01-52-54-00-12-01-01\"; fi",
                "if [ \"$net_default_ip\" = \"10.12.1.3\" ]; then configfile \"$prefix/grub.cfg-0A0C0103\"; fi");
        assertThat(main.lines().filter(l -> l.startsWith("if ")).count()).isEqualTo(3 + 3); // three MACs, three addresses
        assertThat(main).contains("  exit\n");
    }

    @Test
    void chain_script_asks_for_the_per_mac_script_with_ipxes_own_mac_variable() {
        Rendered chain = renderer.chainScript();
        assertThat(chain.fileName()).isEqualTo("boot.ipxe");
        assertThat(chain.text()).startsWith("#!ipxe\n").contains("chain " + base + "/boot/by-mac/${mac}.ipxe || goto unknown\n");
    }

    @Test
    void default_menu_has_the_original_six_entries_with_production_worker_default_and_autologin() {
        // the menu is for machines not in the descriptor: only served with allowUnknown (UnknownMachineMenuTest)
        ClusterDescriptor allowing = descriptor(DESCRIPTOR.replace("os: {", "server: { allowUnknown: true }\nos: {"));
        String menu = new BootMenuRenderer(allowing, TOKENS, Templates.builtIn()).pxelinuxMenu().text();

        List<String> labels = menu.lines().filter(l -> l.startsWith("LABEL ")).toList();
        assertThat(labels).containsExactly("LABEL simple", "LABEL small-cluster", "LABEL develop-etcd", "LABEL develop-worker",
                "LABEL production-central", "LABEL production-worker");
        assertThat(menu.lines().map(String::strip).filter(l -> l.startsWith("MENU LABEL")).toList()).containsExactly(
                "MENU LABEL ^1) Single Machine", "MENU LABEL ^2) Small Cluster",
                "MENU LABEL ^3) Development Cluster - Etcd Machine", "MENU LABEL ^4) Development Cluster - Worker",
                "MENU LABEL ^5) Production Cluster - Central Service", "MENU LABEL ^6) Production Cluster - Worker");
        assertThat(menu).contains("TIMEOUT 100\n");
        String worker = menu.substring(menu.indexOf("LABEL production-worker"));
        assertThat(worker).contains("MENU DEFAULT");
        assertThat(menu.indexOf("MENU DEFAULT")).isEqualTo(menu.lastIndexOf("MENU DEFAULT"));
        List<String> appends = menu.lines().map(String::strip).filter(l -> l.startsWith("APPEND ")).toList();
        assertThat(appends).hasSize(6);
        assertThat(appends.subList(0, 4)).noneMatch(a -> a.contains("autologin"));
        assertThat(appends.subList(4, 6)).allMatch(a -> a.contains(" flatcar.autologin=tty1"));
        assertThat(appends.get(0)).contains(" ignition.config.url=" + base + "/profiles/simple/live-config yoo.profile=simple");
    }

    @Test
    void kinds_rendered_elsewhere_and_unknown_machines_are_empty() {
        assertThat(renderer.render("cp", ArtifactKind.KUBEADM)).isEmpty();
        assertThat(renderer.render("cp", ArtifactKind.INSTALL_SCRIPT)).isEmpty();
        assertThat(renderer.render("nope", ArtifactKind.IPXE)).isEmpty();
    }

    @Test
    void composite_takes_the_first_renderer_that_knows_the_kind() {
        MachineArtifacts configs = (m, k) -> k == ArtifactKind.KUBEADM || k == ArtifactKind.IPXE
                ? Optional.of(new Rendered(m + "/kubeadm.yaml", "application/yaml", "from configs " + k))
                : Optional.empty();
        CompositeArtifacts all = CompositeArtifacts.of(renderer, configs);

        assertThat(all.render("cp", ArtifactKind.KUBEADM)).map(Rendered::text).contains("from configs KUBEADM");
        assertThat(all.render("cp", ArtifactKind.IPXE)).map(Rendered::text).get().asString().startsWith("#!ipxe");
        assertThat(all.render("cp", ArtifactKind.LIVE_CONFIG)).isEmpty();
    }

    @Test
    void a_user_template_directory_overrides_one_template_and_keeps_the_others(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("ipxe"));
        Files.writeString(dir.resolve("ipxe/machine.ipxe.mustache"),
                "#!ipxe\necho custom {{machine.name}} {{machine.primaryMac.dashed}} {{boot.token}}\n"
                        + "{{#machine.labels}}{{key}}={{value}} {{/machine.labels}}\n");
        BootMenuRenderer custom = new BootMenuRenderer(d, TOKENS, new Templates(Optional.of(dir)));

        assertThat(custom.render("cp", ArtifactKind.IPXE).orElseThrow().text())
                .isEqualTo("#!ipxe\necho custom cp 52-54-00-12-01-01 " + cpToken + "\n\n");
        assertThat(custom.render("cp", ArtifactKind.GRUB).orElseThrow().text())
                .isEqualTo(renderer.render("cp", ArtifactKind.GRUB).orElseThrow().text());
    }

    @Test
    void boot_scripts_are_rendered_once_per_machine_and_served_from_memory() {
        Rendered first = renderer.render("cp", ArtifactKind.IPXE).orElseThrow();
        assertThat(renderer.render("cp", ArtifactKind.IPXE).orElseThrow()).isSameAs(first);
        assertThat(renderer.render("cp", ArtifactKind.GRUB).orElseThrow()).isNotSameAs(first);
        assertThat(renderer.render("nobody", ArtifactKind.IPXE)).isEmpty();
        assertThat(renderer.render("cp", ArtifactKind.INSTALL_SCRIPT)).isEmpty();
    }
}
