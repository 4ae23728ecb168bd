package io.yoo.installer.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.testsupport.Peers;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 8's four end-to-end scenarios, issue 15's fifth (machines in no descriptor boot the
 * menu), issue 18's sixth (UEFI Secure Boot: signed shim -> GRUB -> kernel, refusals) and issue 17's seventh (discovery, enrollment)
 * eighth (day two: the failed attempt's log, reprovision by label through a BMC, change-ip) and issue 16's ninth
 * (a far segment behind ISC dhcrelay: VMs there PXE-boot and install through the relay) and issue 19's tenth
 * (an IPv6-only UEFI machine boots over IPv6 only: DHCPv6, TFTP and HTTP over IPv6) and eleventh (a dual-stack UEFI
 * machine, served DHCPv4 and DHCPv6, boots over IPv6 and is sent on over IPv6: every URL it fetches names the server's IPv6 address),
 * with real firmware: QEMU (SeaBIOS + iPXE ROM, OVMF) PXE-boots from `yoo serve` inside
 * a network namespace built by ../shared/e2e; BMCs are OpenIPMI ipmi_sim instances. The scenarios live in src/test/e2e/run-scenarios.sh (readable and runnable
 * by hand); this test runs it against the jar just packaged and fails on any failed scenario.
 * Output: installer-cli/target/e2e/ (summary.txt, serial logs, server.log, disk images).
 */
class EndToEndIT {

    @Test
    void firmwareBootsInstallsRebootsAndARackInstallsOverIpmi() throws Exception {
        Peers.requireNetns();
        Peers.requireCommands("qemu-system-x86_64", "ipmi_sim", "ipmitool", "dhcrelay", "extlinux", "debugfs", "sfdisk", "losetup", "curl", "python3",
                "tcpdump");
        Path root = Peers.projectRoot();
        Path kit = Peers.shared().resolve("e2e");
        Peers.require(Files.isRegularFile(Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd")), "OVMF firmware (apt: ovmf)");
        Peers.require(Files.isRegularFile(Path.of("/usr/lib/ipxe/snponly.efi")), "iPXE binaries (apt: ipxe)");
        Path testos = Path.of(System.getenv().getOrDefault("YOO_TESTOS", "/var/tmp/yoo-testos"));
        Peers.require(Files.isRegularFile(testos.resolve("vmlinuz")),
                "the busybox test OS at " + testos + " (build it: " + kit.resolve("build-testos.sh") + " " + testos + "; .ci/run does)");
        Path jar = root.resolve("installer-cli/target/yoo.jar");
        assertThat(jar).exists();
        Path out = root.resolve("installer-cli/target/e2e");
        Files.createDirectories(out);
        File log = out.resolve("run-scenarios.log").toFile();

        Process p = new ProcessBuilder(root.resolve("installer-cli/src/test/e2e/run-scenarios.sh").toString(),
                "--jar", jar.toString(), "--testos", testos.toString(), "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(log).start();
        boolean done = p.waitFor(30, TimeUnit.MINUTES);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        String summary = Files.exists(out.resolve("summary.txt")) ? Files.readString(out.resolve("summary.txt")) : "(no summary)";
        System.out.println("end-to-end scenarios:\n" + summary);
        assertThat(done).as("scenarios finished within 30 minutes; log " + log).isTrue();
        assertThat(p.exitValue()).as("run-scenarios.sh exit; summary:\n" + summary + "\nlog: " + log).isZero();
        assertThat(summary).contains("1   PASS").contains("2   PASS").contains("3   PASS").contains("4   PASS").contains("5   PASS").contains("7   PASS")
                .contains("8   PASS").contains("9   PASS").contains("10  PASS").contains("11  PASS").contains("12  PASS")
                // a failed check is a line "N   FAIL  ..." (or the kit's "    bios   FAIL ..."); a PASS line may quote a
                // failure it checked for (scenario 8: the failed attempt's log ends "install-os: FAILED")
                .doesNotContainPattern("(?m)^\\s*\\S+\\s+FAIL\\b");
    }
}
