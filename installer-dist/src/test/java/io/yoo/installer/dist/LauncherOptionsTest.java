package io.yoo.installer.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.testsupport.Peers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launchers' JVM options live in one place, {@code src/deb/jvm.options} (and
 * {@code serve-jvm.options} and {@code cds-jvm.options} for {@code yoo serve}, {@code dhcp-jvm.options}
 * for {@code yoo dhcp}), read as java @argument files: a real JVM
 * takes them, the packaged launcher passes them in order, and no launcher spells a JVM flag
 * itself any more.
 */
class LauncherOptionsTest {
    static final Path ROOT = Peers.projectRoot();
    static final Path OPTIONS = ROOT.resolve("installer-dist/src/deb/jvm.options");
    static final Path SERVE_OPTIONS = ROOT.resolve("installer-dist/src/deb/serve-jvm.options");
    static final Path CDS_OPTIONS = ROOT.resolve("installer-dist/src/deb/cds-jvm.options");

    @TempDir
    Path dir;

    @Test
    void aRealJvmReadsTheServeOptionFilesCommentsAndAll() throws Exception {
        Path archive = dir.resolve("serve.jsa");
        Run r = run(Map.of(), Path.of(System.getProperty("java.home"), "bin", "java").toString(), "@" + OPTIONS, "@" + SERVE_OPTIONS,
                "@" + CDS_OPTIONS, "-XX:SharedArchiveFile=" + archive, "-XX:+PrintFlagsFinal", "-version");
        assertThat(r.exit()).as(r.out()).isZero();
        // (SharedArchiveFile itself is printed empty: the JVM moves it aside once it has taken it)
        assertThat(r.out()).containsPattern("bool UseSerialGC\\s+= true\\s+\\{product\\} \\{command line\\}")
                .containsPattern("bool AutoCreateSharedArchive\\s+= true\\s+\\{product\\} \\{command line\\}")
                .containsPattern("intx TieredStopAtLevel\\s+= 1\\s+\\{product\\} \\{command line\\}");
    }

    /** bin/yoo of the package and the tarball, run with a stand-in runtime that prints what it was given. */
    @Test
    void thePackagedLauncherPassesTheOptionFilesThenYooJavaOptsThenTheJar() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib/yoo"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.copy(ROOT.resolve("installer-dist/src/deb/yoo"), bin.resolve("yoo"));
        Path java = Files.createDirectories(lib.resolve("runtime/bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(bin.resolve("yoo"), PosixFilePermissions.fromString("rwxr-xr-x"));
        String l = lib.toRealPath().toString();

        Run plain = run(Map.of("YOO_JAVA_OPTS", "-Xmx64m"), bin.resolve("yoo").toString(), "validate", "x.yml");
        assertThat(plain.out().lines()).containsExactly("@" + l + "/jvm.options", "-Xmx64m", "-jar", l + "/yoo.jar", "validate", "x.yml");

        Run serve = run(Map.of("YOO_CDS_ARCHIVE", "/var/cache/yoo/yoo-serve.jsa"), bin.resolve("yoo").toString(), "serve", "c.yml");
        assertThat(serve.out().lines()).containsExactly("@" + l + "/jvm.options", "@" + l + "/serve-jvm.options", "@" + l + "/cds-jvm.options",
                "-XX:SharedArchiveFile=/var/cache/yoo/yoo-serve.jsa", "-jar", l + "/yoo.jar", "serve", "c.yml");
        // serve by hand, no archive path: the serve options (C1 only) still, the archive's not (the JVM refuses them alone)
        Run byHand = run(Map.of(), bin.resolve("yoo").toString(), "serve", "c.yml");
        assertThat(byHand.out().lines()).containsExactly("@" + l + "/jvm.options", "@" + l + "/serve-jvm.options",
                "-jar", l + "/yoo.jar", "serve", "c.yml");

        // yoo dhcp: C1 only, and YOO_JAVA_OPTS after it can take C2 back
        Run dhcp = run(Map.of("YOO_JAVA_OPTS", "-XX:TieredStopAtLevel=4"), bin.resolve("yoo").toString(), "dhcp", "--interface", "eth1");
        assertThat(dhcp.out().lines()).containsExactly("@" + l + "/jvm.options", "@" + l + "/dhcp-jvm.options",
                "-XX:TieredStopAtLevel=4", "-jar", l + "/yoo.jar", "dhcp", "--interface", "eth1");
    }

    /** dhcp-jvm.options, read by a real JVM: C1 only. */
    @Test
    void theDhcpOptionFileStopsTheJitAtC1() throws Exception {
        Run run = run(Map.of(), Path.of(System.getProperty("java.home"), "bin", "java").toString(), "@" + OPTIONS, "@" + ROOT.resolve("installer-dist/src/deb/dhcp-jvm.options"),
                "-XX:+PrintFlagsFinal", "-version");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).containsPattern("intx TieredStopAtLevel\\s+= 1\\s+\\{product\\} \\{command line\\}");
    }

    @Test
    void noLauncherSpellsAJvmFlagOfItsOwn() throws IOException {
        for (Path launcher : List.of(ROOT.resolve("yoo"), ROOT.resolve("installer-dist/src/deb/yoo"),
                ROOT.resolve("installer-dist/src/image/build-image.sh"))) {
            String text = Files.readString(launcher);
            assertThat(text).as(launcher.toString()).contains("jvm.options").doesNotContain("-XX:+UseSerialGC")
                    .doesNotContain("-XX:+AutoCreateSharedArchive").doesNotContain("-Xlog:cds").doesNotContain("TieredStopAtLevel");
        }
        assertThat(Files.readString(ROOT.resolve("installer-dist/pom.xml")))
                .contains("<copy file=\"src/deb/jvm.options\" todir=\"${stage}/usr/lib/yoo\"/>")
                .contains("<copy file=\"src/deb/serve-jvm.options\" todir=\"${stage}/usr/lib/yoo\"/>")
                .contains("<copy file=\"src/deb/cds-jvm.options\" todir=\"${stage}/usr/lib/yoo\"/>")
                .contains("<copy file=\"src/deb/dhcp-jvm.options\" todir=\"${stage}/usr/lib/yoo\"/>");
    }

    record Run(int exit, String out) {}

    private Run run(Map<String, String> env, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(cmd))).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().remove("YOO_JAVA_OPTS");
        pb.environment().remove("YOO_CDS_ARCHIVE");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
        return new Run(p.exitValue(), out);
    }
}
