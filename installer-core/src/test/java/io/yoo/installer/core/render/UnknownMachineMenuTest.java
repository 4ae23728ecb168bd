package io.yoo.installer.core.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.template.Templates;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * server.allowUnknown: the boot menu for machines not in the descriptor, in all three boot
 * loaders' forms, carries the six profiles with URLs that need no machine token; with the
 * option off, each form says so and hands back to the firmware.
 */
class UnknownMachineMenuTest {
    static final String ALLOWED = BootMenuRendererTest.DESCRIPTOR.replace("os: {", "server: { allowUnknown: true }\nos: {");
    final ClusterDescriptor on = BootMenuRendererTest.descriptor(ALLOWED);
    final ClusterDescriptor off = BootMenuRendererTest.descriptor(BootMenuRendererTest.DESCRIPTOR);
    final BootMenuRenderer allowed = new BootMenuRenderer(on, BootMenuRendererTest.TOKENS, Templates.builtIn());
    final BootMenuRenderer refused = new BootMenuRenderer(off, BootMenuRendererTest.TOKENS, Templates.builtIn());
    final String base = "http://10.12.0.2:8080";
    static final List<String> PROFILES = List.of("simple", "small-cluster", "develop-etcd", "develop-worker",
            "production-central", "production-worker");

    /** No machine's token and no per-machine URL may appear in what any stranger can fetch. */
    void carriesNoMachineSecret(String text) {
        for (String m : List.of("cp", "w-cc", "w-uuid")) {
            assertThat(text).doesNotContain(BootMenuRendererTest.TOKENS.tokenFor(m));
        }
        assertThat(text).doesNotContain("/m/").doesNotContain("token=");
    }

    @Test
    void ipxe_menu_has_six_items_defaulting_to_production_worker_with_profile_urls() {
        Rendered r = allowed.ipxeMenu().orElseThrow();
        String menu = r.text();
        assertThat(r.fileName()).isEqualTo("menu.ipxe");
        assertThat(menu).startsWith("#!ipxe\n");
        assertThat(menu.lines().filter(l -> l.startsWith("menu ")).findFirst().orElseThrow())
                .contains("cluster lab").endsWith("|| goto production-worker");
        assertThat(menu.lines().filter(l -> l.startsWith("item ")).toList()).containsExactly(
                "item simple 1) Single Machine", "item small-cluster 2) Small Cluster",
                "item develop-etcd 3) Development Cluster - Etcd Machine", "item develop-worker 4) Development Cluster - Worker",
                "item production-central 5) Production Cluster - Central Service", "item production-worker 6) Production Cluster - Worker");
        assertThat(menu).contains("choose --default production-worker --timeout 10000 target || goto production-worker\ngoto ${target}\n");
        for (String p : PROFILES) {
            String section = menu.substring(menu.indexOf("\n:" + p + "\n"));
            String kernel = BootMenuRendererTest.lineStarting(section, "kernel ");
            assertThat(kernel).startsWith("kernel " + base + "/assets/flatcar/stable/4081.2.0/flatcar_production_pxe.vmlinuz"
                    + " initrd=flatcar_production_pxe_image.cpio.gz console=ttyS0,115200n8 console=tty0 flatcar.first_boot=1"
                    + " ignition.config.url=" + base + "/profiles/" + p + "/live-config yoo.profile=" + p
                    + " yoo.callback=" + base + "/profiles/" + p + "/report")
                    .endsWith(" quiet || goto failed");
            assertThat(kernel.contains("flatcar.autologin=tty1")).isEqualTo(p.startsWith("production"));
            assertThat(BootMenuRendererTest.lineStarting(section, "initrd ")).isEqualTo(
                    "initrd " + base + "/assets/flatcar/stable/4081.2.0/flatcar_production_pxe_image.cpio.gz || goto failed");
        }
        assertThat(menu).contains(":failed\n").endsWith("exit 1\n");
        carriesNoMachineSecret(menu);
        assertThat(allowed.unknownMenu()).containsSame(r);
        assertThat(allowed.sharedFiles()).extracting(Rendered::fileName).contains("menu.ipxe");
    }

    @Test
    void refused_strangers_get_no_ipxe_menu() {
        assertThat(refused.ipxeMenu()).isEmpty();
        assertThat(refused.unknownMenu()).isEmpty();
        assertThat(refused.sharedFiles()).extracting(Rendered::fileName).doesNotContain("menu.ipxe");
    }

    @Test
    void pxelinux_default_is_the_menu_when_allowed_and_a_next_device_entry_when_not() {
        String menu = allowed.pxelinuxMenu().text();
        assertThat(menu.lines().filter(l -> l.startsWith("LABEL ")).toList()).hasSize(6);
        List<String> appends = menu.lines().map(String::strip).filter(l -> l.startsWith("APPEND ")).toList();
        for (int i = 0; i < 6; i++) {
            assertThat(appends.get(i)).contains(" ignition.config.url=" + base + "/profiles/" + PROFILES.get(i) + "/live-config")
                    .contains(" yoo.callback=" + base + "/profiles/" + PROFILES.get(i) + "/report");
        }
        carriesNoMachineSecret(menu);

        String no = refused.pxelinuxMenu().text();
        assertThat(no).contains("DEFAULT next-device\n").contains("LOCALBOOT -1\n").doesNotContain("KERNEL").doesNotContain("/profiles/");
    }

    @Test
    void grub_main_falls_through_to_the_menu_when_allowed_and_exits_when_not() {
        String main = allowed.grubMain().text();
        assertThat(main).contains("if [ \"$net_default_mac\" = \"52:54:00:12:01:01\" ]; then configfile \"$prefix/grub.cfg-01-52-54-00-12-01-01\"; fi");
        // the machines' own files come first: the menu is only reached when no line matched
        assertThat(main.indexOf("menuentry")).isGreaterThan(main.lastIndexOf("configfile"));
        assertThat(main).contains("set timeout=10\nset default=5\n");
        List<String> entries = main.lines().filter(l -> l.startsWith("menuentry ")).toList();
        assertThat(entries).hasSize(6);
        assertThat(entries.get(5)).isEqualTo("menuentry '6) Production Cluster - Worker' --id production-worker {");
        String worker = main.substring(main.indexOf("--id production-worker"));
        assertThat(BootMenuRendererTest.lineStarting(worker, "linux ")).startsWith(
                "linux (http,10.12.0.2:8080)/assets/flatcar/stable/4081.2.0/flatcar_production_pxe.vmlinuz 'console=ttyS0,115200n8'")
                .contains(" 'ignition.config.url=" + base + "/profiles/production-worker/live-config'")
                .contains(" 'yoo.callback=" + base + "/profiles/production-worker/report'");
        assertThat(BootMenuRendererTest.lineStarting(worker, "initrd ")).isEqualTo(
                "initrd (http,10.12.0.2:8080)/assets/flatcar/stable/4081.2.0/flatcar_production_pxe_image.cpio.gz");
        assertThat(main).doesNotContain("  exit\n");
        carriesNoMachineSecret(main);

        String no = refused.grubMain().text();
        assertThat(no).contains("  exit\n").doesNotContain("linux ").doesNotContain("/profiles/");
    }

    @Test
    void tftp_serves_the_menus_for_machines_whose_own_file_is_missing() {
        TftpBootFiles on = new TftpBootFiles(allowed);
        TftpBootFiles off = new TftpBootFiles(refused);
        assertThat(on.file("pxelinux.cfg/default").orElseThrow().text()).contains("LABEL production-worker");
        assertThat(on.file("grub/grub.cfg").orElseThrow().text()).contains("--id production-worker");
        assertThat(off.file("pxelinux.cfg/default").orElseThrow().text()).contains("LOCALBOOT -1");
        assertThat(off.file("grub/grub.cfg").orElseThrow().text()).contains("  exit\n");
        // a stranger's own names are no files: PXELINUX and GRUB go on to the defaults above
        assertThat(on.file("pxelinux.cfg/01-52-54-00-00-00-42")).isEmpty();
        assertThat(on.file("grub/grub.cfg-01-52-54-00-00-00-42")).isEmpty();
    }

    @Test
    void every_url_in_every_menu_form_is_a_profile_or_an_asset_url() {
        Pattern url = Pattern.compile("http://[^\\s']+");
        for (String text : List.of(allowed.ipxeMenu().orElseThrow().text(), allowed.pxelinuxMenu().text())) {
            Matcher m = url.matcher(text);
            int n = 0;
            while (m.find()) {
                n++;
                assertThat(m.group()).matches(Pattern.quote(base) + "/(assets/flatcar/.*|profiles/[a-z-]+/(live-config|report))");
            }
            assertThat(n).isEqualTo(6 * 4);
        }
    }
}
