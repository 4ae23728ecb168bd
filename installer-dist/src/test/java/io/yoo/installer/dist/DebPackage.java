package io.yoo.installer.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The .deb this module's build just made (target/yoo_VERSION_amd64.deb). */
final class DebPackage {
    private DebPackage() {
    }

    static Path built() throws IOException {
        Path target = Path.of("target");
        try (Stream<Path> files = Files.list(target)) {
            List<Path> debs = files.filter(p -> p.getFileName().toString().matches("yoo_.*_amd64\\.deb")).toList();
            assertThat(debs).as("exactly one package built in " + target.toAbsolutePath()).hasSize(1);
            return debs.getFirst().toAbsolutePath();
        }
    }
}
