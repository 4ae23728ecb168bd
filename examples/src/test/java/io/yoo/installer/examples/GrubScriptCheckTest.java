package io.yoo.installer.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.render.ArtifactKind;
import io.yoo.installer.core.render.BootMenuRenderer;
import io.yoo.installer.core.render.Rendered;
import io.yoo.installer.core.template.Templates;
import io.yoo.installer.testsupport.Peers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GRUB's own parser (grub-script-check, package grub-common) accepts every GRUB file we render. */
class GrubScriptCheckTest {

    static int check(Path file, StringBuilder output) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("grub-script-check", file.toString()).redirectErrorStream(true).start();
        boolean done = p.waitFor(30, TimeUnit.SECONDS);
        output.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        if (!done) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    @Test
    void grub_script_check_accepts_every_rendered_grub_file(@TempDir Path tmp) throws Exception {
        Peers.requireCommands("grub-script-check");
        List<Rendered> files = new ArrayList<>();
        for (String name : DescriptorLoader.EXAMPLES) {
            ClusterDescriptor d = ExamplesTest.load(name);
            BootMenuRenderer r = new BootMenuRenderer(d, ExamplesTest.TOKENS, Templates.builtIn());
            files.add(r.grubMain());
            for (Machine m : d.machines()) {
                files.add(r.render(m.name(), ArtifactKind.GRUB).orElseThrow());
            }
        }
        int i = 0;
        for (Rendered f : files) {
            Path file = tmp.resolve(i++ + ".cfg");
            Files.writeString(file, f.text());
            StringBuilder out = new StringBuilder();
            assertThat(check(file, out)).as("grub-script-check on %s:\n%s\n%s", f.fileName(), f.text(), out).isZero();
        }
    }

    @Test
    void grub_script_check_is_a_real_judge(@TempDir Path tmp) throws Exception {
        Peers.requireCommands("grub-script-check");
        Path broken = tmp.resolve("broken.cfg");
        Files.writeString(broken, "menuentry 'x' {\n  linux (http,10.0.0.1:8080)/vmlinuz 'unterminated\n");
        assertThat(check(broken, new StringBuilder())).isNotZero();
    }
}
