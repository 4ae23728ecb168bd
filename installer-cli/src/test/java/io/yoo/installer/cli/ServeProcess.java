package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code yoo serve} in a child JVM, as the tests that talk to a running server need it: started in
 * a working directory on a descriptor, waited for until it prints its start line
 * ({@code yoo serve: cluster NAME}) or fails the test with its output, its output collected as it
 * comes, and stopped with SIGTERM (its clean shutdown) on close, which fails the test when the
 * server does not stop. One place, so every such test starts and stops the server alike.
 */
final class ServeProcess implements AutoCloseable {
    /** How long a start may take on a loaded machine (the first start also primes DHCP). */
    static final int START_SECONDS = 60;

    private final Process process;
    private final ProcessOutput output;
    private final String cluster;

    private ServeProcess(Process process, String cluster) {
        this.process = process;
        this.output = ProcessOutput.follow(process);
        this.cluster = cluster;
    }

    /** {@code java ... Yoo ARGS}: the CLI in a child JVM on this test's class path. */
    static List<String> javaCommand(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Yoo.class.getName()));
        cmd.addAll(args);
        return cmd;
    }

    /** The arguments after {@code serve} of a server on 127.0.0.1 that needs no privileges. */
    static List<String> onLoopback(Path descriptor, int tftpPort) {
        return List.of(descriptor.toString(), "--unprivileged", "--tftp-port", String.valueOf(tftpPort), "--bind", "127.0.0.1");
    }

    /**
     * Starts {@code yoo serve SERVE_ARGS} in {@code dir} and waits until it serves cluster
     * {@code cluster}.
     */
    static ServeProcess start(Path dir, String cluster, List<String> serveArgs) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("serve"));
        args.addAll(serveArgs);
        ServeProcess s = new ServeProcess(new ProcessBuilder(javaCommand(args)).directory(dir.toFile()).redirectErrorStream(true).start(),
                cluster);
        try {
            s.awaitStarted();
        } catch (AssertionError | InterruptedException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void awaitStarted() throws InterruptedException {
        String banner = "yoo serve: cluster " + cluster;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (output.lines.stream().noneMatch(l -> l.contains(banner))) {
            assertThat(process.isAlive()).as("yoo serve exited; output:\n%s", text()).isTrue();
            assertThat(System.nanoTime()).as("yoo serve did not start within %d s; output:\n%s", START_SECONDS, text()).isLessThan(end);
            Thread.sleep(100);
        }
    }

    /** What the server printed so far (stdout and stderr), a line each; grows while it runs. */
    List<String> lines() {
        return output.lines;
    }

    String text() {
        return String.join("\n", output.lines);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, then waits (bounded) for the exit and for the last of its output. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("yoo serve stops on SIGTERM").isTrue();
        output.reader.join(5000);
    }
}
