package io.yoo.installer.core.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chain's TFTP files: mirror first (verified only), then the system's packages; assets/ for GRUB. */
class SecureBootFilesTest {
    @TempDir
    Path dir;

    Path write(String rel, String content) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    String text(SecureBootFiles f, String path) {
        return new String(f.find(path).orElseThrow(() -> new AssertionError("no " + path)), StandardCharsets.US_ASCII);
    }

    @Test
    void verified_mirror_files_win_over_the_system_and_unverified_ones_are_never_served() throws IOException {
        write("assets/secureboot/shimx64.efi", "mirror-shim");
        write("assets/testos/vmlinuz", "kernel");
        write("assets/testos/unverified", "x");
        Path systemGrub = write("sys/grubnetx64.efi.signed", "system-grub");
        Path systemShim = write("sys/shimx64.efi.signed", "system-shim");
        Set<String> verified = Set.of("secureboot/shimx64.efi", "testos/vmlinuz");
        SecureBootFiles f = new SecureBootFiles(rel -> verified.contains(rel) ? Optional.of(dir.resolve("assets").resolve(rel))
                : Optional.empty(), Map.of("shimx64.efi", systemShim, "grubx64.efi", systemGrub, "mmx64.efi", dir.resolve("sys/none")));

        assertThat(text(f, "shimx64.efi")).isEqualTo("mirror-shim");
        assertThat(text(f, "/grubx64.efi")).as("from the package when the mirror has none").isEqualTo("system-grub");
        assertThat(f.find("mmx64.efi")).as("neither mirror nor package").isEmpty();
        assertThat(text(f, "assets/testos/vmlinuz")).isEqualTo("kernel");
        assertThat(f.find("assets/testos/unverified")).isEmpty();
        assertThat(f.find("assets/")).isEmpty();
        assertThat(f.find("snponly.efi")).isEmpty();
        assertThat(f.find("sys/shimx64.efi.signed")).isEmpty();
        assertThat(f.source("grubx64.efi")).contains(systemGrub);
    }
}
