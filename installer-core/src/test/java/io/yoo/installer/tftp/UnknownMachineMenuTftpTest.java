package io.yoo.installer.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.DescriptorException;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import io.yoo.installer.core.render.BootMenuRenderer;
import io.yoo.installer.core.render.Rendered;
import io.yoo.installer.core.render.TftpBootFiles;
import io.yoo.installer.core.template.Templates;
import io.yoo.installer.testsupport.Peers;
import io.yoo.installer.tftp.server.TftpServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * server.allowUnknown over TFTP: a machine in no descriptor walks PXELINUX's lookup (its MAC,
 * its address in hex, then {@code default}) or GRUB's ({@code grub.cfg}), and ends at the boot
 * menu rendered by installer-core; with the option off, at the entry that boots the next device.
 * Fetched by curl (a real TFTP client) from the real server on loopback.
 */
class UnknownMachineMenuTftpTest {
    @TempDir
    Path root;
    @TempDir
    Path out;
    TftpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    BootMenuRenderer start(boolean allowUnknown) throws Exception {
        String yaml = """
                cluster: lab
                architecture: dev
                network: { interface: eth1, server: 10.77.0.1, subnet: 10.77.0.0/24, pool: 10.77.0.100-10.77.0.199 }
                server: { allowUnknown: %s }
                os: { version: 4081.2.0 }
                machines:
                  - { name: node1, mac: "52:54:00:77:01:01", ip: 10.77.0.11 }
                """.formatted(allowUnknown);
        ClusterDescriptor d;
        try {
            d = DescriptorLoader.parse(yaml, Path.of("test.yml"), Path.of("/srv/yoo"));
        } catch (DescriptorException e) {
            throw new AssertionError(e.getMessage(), e);
        }
        BootMenuRenderer menus = new BootMenuRenderer(d, new MachineTokens(new byte[32]), Templates.builtIn());
        TftpBootFiles files = new TftpBootFiles(menus);
        server = new TftpServer(TestServers.loopback(root), (path, client) -> files.file(path).map(Rendered::bytes), t -> {});
        server.start();
        return menus;
    }

    /** curl's exit code and the file it wrote (68 = TFTP file not found). */
    record Fetch(int exit, String text) {}

    Fetch fetch(String path) throws Exception {
        Peers.requireCommands("curl");
        Path local = out.resolve("got");
        Files.deleteIfExists(local);
        Process p = new ProcessBuilder("curl", "-sS", "--max-time", "20", "-o", local.toString(),
                "tftp://127.0.0.1:" + server.port() + "/" + path).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Fetch(p.exitValue(), Files.exists(local) ? Files.readString(local, StandardCharsets.UTF_8) : "");
    }

    /** What PXELINUX asks for, in order, for MAC 52:54:00:00:00:42 leased 10.77.0.100 (0A4D0064). */
    static final List<String> PXELINUX_MISSES = List.of("pxelinux.cfg/01-52-54-00-00-00-42", "pxelinux.cfg/0A4D0064",
            "pxelinux.cfg/0A4D006", "pxelinux.cfg/0A4D00", "pxelinux.cfg/0A4D0", "pxelinux.cfg/0A4D", "pxelinux.cfg/0A4",
            "pxelinux.cfg/0A", "pxelinux.cfg/0");

    @Test
    void aStrangerEndsAtTheMenuWhenAllowed() throws Exception {
        BootMenuRenderer menus = start(true);
        for (String miss : PXELINUX_MISSES) {
            assertThat(fetch(miss).exit()).as(miss).isEqualTo(68);
        }
        Fetch pxelinux = fetch("pxelinux.cfg/default");
        assertThat(pxelinux.exit()).isZero();
        assertThat(pxelinux.text()).isEqualTo(menus.pxelinuxMenu().text()).contains("LABEL production-worker")
                .contains("ignition.config.url=http://10.77.0.1:8080/profiles/production-worker/live-config");
        assertThat(fetch("grub/grub.cfg-01-52-54-00-00-00-42").exit()).isEqualTo(68);
        Fetch grub = fetch("grub/grub.cfg");
        assertThat(grub.exit()).isZero();
        assertThat(grub.text()).isEqualTo(menus.grubMain().text()).contains("--id production-worker")
                .contains("(http,10.77.0.1:8080)/assets/flatcar/stable/4081.2.0/flatcar_production_pxe.vmlinuz");
    }

    @Test
    void aStrangerIsSentToTheNextDeviceWhenNotAllowed() throws Exception {
        start(false);
        Fetch pxelinux = fetch("pxelinux.cfg/default");
        assertThat(pxelinux.exit()).isZero();
        assertThat(pxelinux.text()).contains("LOCALBOOT -1").doesNotContain("KERNEL");
        Fetch grub = fetch("grub/grub.cfg");
        assertThat(grub.text()).contains("  exit\n").doesNotContain("linux ");
    }
}
