package io.yoo.installer.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.testsupport.Peers;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The package as an operator gets it: src/test/sh/install-test.sh boots a fresh Debian 12 root
 * (debootstrap from the host's mirror; cached in /var/cache/yoo-dist-test between local runs)
 * with its own systemd under systemd-nspawn in a network namespace it creates, installs the .deb
 * with apt, checks the service (/healthz, DHCP, admin API, reload, capabilities) from outside,
 * upgrades to a higher version keeping /var/lib/yoo, and purges. Output: target/install-test/.
 */
class PackageInstallIT {

    @Test
    void installsRunsUpgradesAndPurgesInAFreshDebian() throws Exception {
        Peers.requireNetns();
        Peers.requireCommands("debootstrap", "systemd-nspawn", "dpkg-deb", "curl", "busybox", "unshare", "nsenter", "python3", "tar");
        Path deb = DebPackage.built();
        Path out = Path.of("target/install-test").toAbsolutePath();
        Files.createDirectories(out);
        File log = out.resolve("install-test.log").toFile();
        Process p = new ProcessBuilder(Path.of("src/test/sh/install-test.sh").toAbsolutePath().toString(), "--deb", deb.toString(), "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(log).start();
        boolean done = p.waitFor(15, TimeUnit.MINUTES);
        if (!done) {
            p.destroy(); // the script's trap stops the container and deletes its namespaces
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
        Path summaryFile = out.resolve("summary.txt");
        String summary = Files.exists(summaryFile) ? Files.readString(summaryFile) : "(no summary)";
        System.out.println("package install test:\n" + summary);
        assertThat(done).as("install test finished within 15 minutes; log " + log).isTrue();
        assertThat(p.exitValue()).as("install-test.sh exit; summary:\n" + summary + "\nlog: " + log).isZero();
        assertThat(summary).contains("PASS").doesNotContain("FAIL");
    }
}
