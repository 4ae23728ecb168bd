package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.core.descriptor.DescriptorLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** yoo validate warns (exit 0) when a Secure Boot machine's chain is incomplete in the asset mirror. */
class SecureBootValidateTest {
    @TempDir
    Path tmp;

    Path descriptor(boolean secureBoot) throws IOException {
        Path f = tmp.resolve("cluster.yml");
        String text = DescriptorLoader.exampleText("small").replace("os:\n", "os:\n  secureBoot: " + secureBoot + "\n");
        assertThat(text).contains("secureBoot: " + secureBoot);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void a_secure_boot_cluster_with_an_empty_mirror_is_valid_but_warned_about() throws IOException {
        CliTest.Run r = CliTest.yoo("validate", descriptor(true).toString());
        assertThat(r.code()).isEqualTo(Yoo.EXIT_OK);
        assertThat(r.out()).contains(": OK");
        assertThat(r.err()).contains("warning: Secure Boot chain of machines node-1, node-2, node-3 is incomplete in the asset mirror: secureboot/shimx64.efi")
                .contains("secureboot/grubx64.efi").contains("flatcar_production_pxe.vmlinuz");
    }

    @Test
    void without_secure_boot_there_is_no_warning() throws IOException {
        CliTest.Run r = CliTest.yoo("validate", descriptor(false).toString());
        assertThat(r.code()).isEqualTo(Yoo.EXIT_OK);
        assertThat(r.err()).doesNotContain("Secure Boot");
    }
}
