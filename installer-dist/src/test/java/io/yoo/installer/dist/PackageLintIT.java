package io.yoo.installer.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.testsupport.Peers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * lintian, Debian's package checker, finds no error and no warning in the built package (what is
 * accepted is listed, with reasons, in src/deb/lintian-overrides).
 */
class PackageLintIT {

    @Test
    void lintianFindsNoErrorOrWarning() throws Exception {
        Peers.requireCommands("lintian");
        Path deb = DebPackage.built();
        Process p = new ProcessBuilder("lintian", "--fail-on", "error,warning", deb.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("lintian finished").isTrue();
        assertThat(out.lines().filter(l -> l.startsWith("E:") || l.startsWith("W:"))).as(out).isEmpty();
        assertThat(p.exitValue()).as("lintian exit; output:\n" + out).isZero();
    }
}
