package io.yoo.installer.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.testsupport.Peers;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The container image: src/test/sh/image-test.sh builds it with src/image/build-image.sh (umoci,
 * no container daemon) from the package's staged tree, runs it with podman (host network inside a
 * network namespace the script creates) and asks /healthz and the admin API. Output: target/image-test/.
 */
class ContainerImageIT {

    @Test
    void imageBuiltWithoutADaemonServesHealthzUnderPodman() throws Exception {
        Peers.requireNetns();
        Peers.requireCommands("umoci", "podman", "apt-get", "dpkg-deb", "curl", "unshare");
        Path out = Path.of("target/image-test").toAbsolutePath();
        Files.createDirectories(out);
        File log = out.resolve("image-test.log").toFile();
        Process p = new ProcessBuilder(Path.of("src/test/sh/image-test.sh").toAbsolutePath().toString(),
                "--stage", Path.of("target/stage").toAbsolutePath().toString(), "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(log).start();
        boolean done = p.waitFor(10, TimeUnit.MINUTES);
        if (!done) {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
        String summary = Files.readString(out.resolve("summary.txt"));
        System.out.println("container image test:\n" + summary);
        assertThat(done).as("image test finished within 10 minutes; log " + log).isTrue();
        assertThat(p.exitValue()).as("image-test.sh exit; summary:\n" + summary + "\nlog: " + log).isZero();
        assertThat(summary).contains("PASS").doesNotContain("FAIL");
    }
}
