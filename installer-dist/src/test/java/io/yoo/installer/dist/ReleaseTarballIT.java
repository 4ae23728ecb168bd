package io.yoo.installer.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release tarball as a non-Debian host gets it: unpacked anywhere, bin/yoo runs with the
 * bundled runtime (no JDK in it: no javac, no jdk.compiler), names its commit, validates and
 * renders the packaged descriptor; the unit, man page, completion and docs are inside; and neither
 * the tarball's yoo.jar nor the package's contains the storm load generator.
 */
class ReleaseTarballIT {

    @Test
    void unpackedTarballRunsWithItsOwnRuntime(@TempDir Path dir) throws Exception {
        Path tarball;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            tarball = files.filter(p -> p.getFileName().toString().matches("yoo-.*-linux-x64\\.tar\\.gz")).findFirst().orElseThrow();
        }
        assertThat(run(dir, "tar", "-xzf", tarball.toAbsolutePath().toString(), "-C", dir.toString()).exit).isZero();
        Path home;
        try (Stream<Path> files = Files.list(dir)) {
            home = files.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        Path yoo = home.resolve("bin/yoo");
        assertThat(Files.isExecutable(yoo)).isTrue();
        for (String f : List.of("lib/yoo/yoo.jar", "lib/yoo/runtime/bin/java", "share/yoo/yoo.service", "share/yoo/cluster.yml",
                "share/man/man1/yoo.1.gz", "share/bash-completion/completions/yoo", "share/doc/yoo/README.md",
                "share/doc/yoo/copyright", "share/doc/yoo/examples/production.yml")) {
            assertThat(home.resolve(f)).as(f).exists();
        }
        assertThat(home.resolve("lib/yoo/runtime/bin/javac")).doesNotExist();
        assertThat(Files.readString(home.resolve("lib/yoo/runtime/release"))).doesNotContain("jdk.compiler");
        assertThat(Files.readString(home.resolve("share/yoo/yoo.service"))).contains("ExecStart=/opt/yoo/bin/yoo serve /etc/yoo/cluster.yml");

        Result version = run(dir, yoo.toString(), "--version");
        assertThat(version.exit).as(version.out).isZero();
        assertThat(version.out).containsPattern("yoo \\S+ \\(commit (unknown|[0-9a-f]{7}\\S*)\\)");

        Result validate = run(dir, yoo.toString(), "validate", home.resolve("share/yoo/cluster.yml").toString());
        assertThat(validate.exit).as(validate.out).isZero();
        Result render = run(dir, yoo.toString(), "render", "--example", "production", "--machine", "central-1", "--kind", "ipxe");
        assertThat(render.exit).as(render.out).isZero();
        assertThat(render.out).contains("#!ipxe");

        Result storm = run(dir, yoo.toString(), "storm", "run");
        assertThat(storm.exit).as("no storm subcommand in the shipped jar: " + storm.out).isEqualTo(2);
        assertThat(storm.out).contains("Unmatched argument").doesNotContain("Boot-storm");
        for (Path jar : List.of(home.resolve("lib/yoo/yoo.jar"), Path.of("target/stage/usr/lib/yoo/yoo.jar"))) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                List<String> names = zip.stream().map(ZipEntry::getName).toList();
                assertThat(names).as(jar.toString()).contains("io/yoo/installer/cli/Yoo.class").noneMatch(n -> n.contains("storm"));
            }
        }
    }

    private record Result(int exit, String out) {
    }

    private static Result run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
        return new Result(p.exitValue(), out);
    }
}
