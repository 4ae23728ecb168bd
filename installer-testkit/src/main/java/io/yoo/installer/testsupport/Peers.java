package io.yoo.installer.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests against real peers (dhclient, kea, ipmitool, QEMU, PostgreSQL...) call these first.
 * Locally a missing peer, root or namespace support skips the test with its reason; with
 * {@code -Dyoo.requirePeers=true} (CI) the same condition fails the test, so CI can never be
 * green by skipping.
 */
public final class Peers {
    private Peers() {}

    public static boolean required() {
        return Boolean.getBoolean("yoo.requirePeers");
    }

    /** Skips (or, in CI, fails) unless {@code condition} holds. */
    public static void require(boolean condition, String reason) {
        if (condition) {
            return;
        }
        if (required()) {
            fail("required peer missing (yoo.requirePeers=true): " + reason);
        }
        Assumptions.abort("skipped: " + reason);
    }

    /** Requires each command to be on the PATH (or an absolute executable path). */
    public static void requireCommands(String... commands) {
        for (String c : commands) {
            require(which(c) != null, "'" + c + "' not installed (see .ci/run for the package)");
        }
    }

    public static void requireRoot() {
        require(isRoot(), "needs root (network namespaces, ports < 1024)");
    }

    /** Requires root and a working {@code ip netns}. */
    public static void requireNetns() {
        requireRoot();
        requireCommands("ip");
        require(run(10, "ip", "netns", "list") == 0, "'ip netns' does not work here");
    }

    /** Absolute path of a command, or null. Also looks in /usr/sbin and /sbin. */
    public static Path which(String command) {
        if (command.contains("/")) {
            Path p = Path.of(command);
            return Files.isExecutable(p) ? p : null;
        }
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/local/sbin:/usr/sbin:/sbin";
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** The repository root (for ../shared and examples). */
    public static Path projectRoot() {
        String prop = System.getProperty("yoo.projectRoot");
        Path p = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("mvnw"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the project root (no mvnw above " + Path.of("").toAbsolutePath() + ")");
        }
        return p;
    }

    /** {@code ../shared} beside the repository: test kits and data (read-only in CI). */
    public static Path shared() {
        Path s = projectRoot().resolveSibling("shared");
        String override = System.getenv("YOO_SHARED");
        if (override != null) {
            s = Path.of(override);
        }
        require(Files.isDirectory(s), "shared kit directory " + s + " not found");
        return s;
    }

    /** Whether the tests run as root (some peers need other flags without it, e.g. umoci --rootless). */
    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name")) || uid() == 0;
    }

    private static long uid() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return ((Number) uid).longValue();
        } catch (Exception e) {
            return -1;
        }
    }

    private static int run(int timeoutSeconds, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (Exception e) {
            return -1;
        }
    }
}
