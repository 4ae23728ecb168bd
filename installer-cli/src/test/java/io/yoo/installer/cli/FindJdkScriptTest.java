package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.testsupport.Peers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code .mvn/find-jdk.sh}, which ./mvnw and ./yoo source to find a JDK 25+ on a machine whose
 * default {@code java} is older (Debian 12: OpenJDK 17). Run by {@code sh} against fake JDK
 * homes, with a PATH holding only the tools the script uses, so the host's own JDKs never leak in.
 */
class FindJdkScriptTest {
    @TempDir
    Path dir;
    Path tools;
    Path jvmDir;

    @BeforeEach
    void tools() throws IOException {
        Peers.requireCommands("sh", "sed", "readlink", "dirname");
        tools = Files.createDirectories(dir.resolve("tools"));
        for (String t : List.of("sed", "readlink", "dirname")) {
            executable(tools.resolve(t), "#!/bin/sh\nexec " + Peers.which(t) + " \"$@\"\n");
        }
        jvmDir = Files.createDirectories(dir.resolve("jvm"));
    }

    @Test
    void javaHomeOfVersion25Wins() throws Exception {
        Path jdk25 = jdk(jvmDir.resolve("temurin-25"), "25.0.1", true);
        jdk(jvmDir.resolve("jdk-26"), "26", true);
        Result r = find(Map.of("JAVA_HOME", jdk25.toString()), null);
        assertThat(r.exit).isZero();
        assertThat(r.javaHome).isEqualTo(jdk25.toString());
    }

    @Test
    void javaOnPathOfVersion25IsUsedWhenJavaHomeIsOlder() throws Exception {
        Path jdk17 = jdk(dir.resolve("jdk17"), "17.0.15", true);
        Path jdk25 = jdk(dir.resolve("elsewhere/jdk25"), "25", true);
        Result r = find(Map.of("JAVA_HOME", jdk17.toString()), linkJava(jdk25));
        assertThat(r.exit).isZero();
        assertThat(r.javaHome).isEqualTo(jdk25.toRealPath().toString());
    }

    @Test
    void newestJdk25OrLaterUnderTheJvmDirectoryWhenJavaHomeIsUnsetAndJavaIs17() throws Exception {
        Path jdk17 = jdk(jvmDir.resolve("java-17-openjdk-amd64"), "17.0.15", true);
        jdk(jvmDir.resolve("temurin-25-jdk-amd64"), "25.0.3", true);
        Path jdk26 = jdk(jvmDir.resolve("jdk-26"), "26.0.1", true);
        jdk(jvmDir.resolve("jre-27"), "27", false); // a runtime without javac cannot build
        Result r = find(Map.of(), linkJava(jdk17));
        assertThat(r.exit).as(r.stderr).isZero();
        assertThat(r.javaHome).isEqualTo(jdk26.toString());
        assertThat(r.stderr).isEmpty();
    }

    @Test
    void versionFromJavaDashVersionWhenTheReleaseFileIsMissing() throws Exception {
        Path jdk = jdk(jvmDir.resolve("custom"), "25.0.2", true);
        Files.delete(jdk.resolve("release"));
        Result r = find(Map.of(), null);
        assertThat(r.exit).as(r.stderr).isZero();
        assertThat(r.javaHome).isEqualTo(jdk.toString());
    }

    @Test
    void noJdk25SaysInOneLineWhatToInstall() throws Exception {
        Path jdk17 = jdk(jvmDir.resolve("java-17-openjdk-amd64"), "17.0.15", true);
        jdk(jvmDir.resolve("java-8"), "1.8.0_412", true);
        Result r = find(Map.of("JAVA_HOME", jdk17.toString()), linkJava(jdk17));
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.javaHome).isEmpty();
        assertThat(r.stderr.strip().lines()).hasSize(1);
        assertThat(r.stderr).startsWith("mvnw: needs a JDK 25 or newer")
                .contains("JAVA_HOME=" + jdk17 + " is Java 17", "java on PATH is Java 17", "temurin-25-jdk");
    }

    /** A fake JDK home: bin/java (answers -version like a real one), bin/javac, release. */
    private static Path jdk(Path home, String version, boolean withJavac) throws IOException {
        Path bin = Files.createDirectories(home.resolve("bin"));
        executable(bin.resolve("java"), "#!/bin/sh\necho 'openjdk version \"" + version + "\" 2025-10-21' >&2\n");
        if (withJavac) {
            executable(bin.resolve("javac"), "#!/bin/sh\n");
        }
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }

    /** A PATH directory whose java is a symlink into {@code home}, like /usr/bin/java on Debian. */
    private Path linkJava(Path home) throws IOException {
        Path onPath = Files.createDirectories(dir.resolve("path-" + home.getFileName()));
        Files.createSymbolicLink(onPath.resolve("java"), home.resolve("bin/java"));
        return onPath;
    }

    private static void executable(Path f, String content) throws IOException {
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Result(int exit, String javaHome, String stderr) {}

    private Result find(Map<String, String> env, Path javaDir) throws Exception {
        Path script = Peers.projectRoot().resolve(".mvn/find-jdk.sh");
        List<String> cmd = new ArrayList<>(List.of(Peers.which("sh").toString(), "-euc",
                ". \"$1\" && yoo_find_jdk mvnw && printf %s \"$JAVA_HOME\"", "sh", script.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> e = new LinkedHashMap<>(env);
        e.put("PATH", (javaDir != null ? javaDir + ":" : "") + tools);
        e.put("YOO_JVM_DIR", jvmDir.toString());
        pb.environment().clear();
        pb.environment().putAll(e);
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
