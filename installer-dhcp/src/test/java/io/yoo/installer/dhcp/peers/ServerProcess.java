package io.yoo.installer.dhcp.peers;

import io.yoo.installer.testsupport.NetNs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A {@link TestServerMain} running inside a namespace; its output is kept for assertions. */
final class ServerProcess implements AutoCloseable {
    final Process process;
    final List<String> output = new CopyOnWriteArrayList<>();

    private ServerProcess(Process process) {
        this.process = process;
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // process ended
            }
        });
    }

    /** Starts the server in {@code ns} and waits until it listens. */
    static ServerProcess start(NetNs ns, String... args) throws Exception {
        ServerProcess s = new ServerProcess(launch(ns, args));
        s.await("READY", 30);
        return s;
    }

    /** Starts another server main ({@code TestServer6Main}) in {@code ns} and waits until it prints READY. */
    static ServerProcess start(NetNs ns, Class<?> main, String... args) throws Exception {
        ServerProcess s = new ServerProcess(launch(ns, main, args));
        s.await("READY", 30);
        return s;
    }

    /** Runs the probe in {@code ns}; returns its output once done. */
    static List<String> probe(NetNs ns, String iface) throws Exception {
        ServerProcess s = new ServerProcess(launch(ns, "--probe", iface));
        s.await("DONE", 30);
        s.process.waitFor(5, TimeUnit.SECONDS);
        return new ArrayList<>(s.output);
    }

    /** Runs {@code main} in {@code ns} until it prints DONE; returns its output. */
    static List<String> runToDone(NetNs ns, Class<?> main, String... args) throws Exception {
        ServerProcess s = new ServerProcess(launch(ns, main, args));
        s.await("DONE", 30);
        s.process.waitFor(5, TimeUnit.SECONDS);
        return new ArrayList<>(s.output);
    }

    /** Runs the rogue detector once in {@code ns}; returns its output. */
    static List<String> rogue(NetNs ns, String... args) throws Exception {
        ServerProcess s = new ServerProcess(launch(ns, args));
        s.await("DONE", 30);
        s.process.waitFor(5, TimeUnit.SECONDS);
        return new ArrayList<>(s.output);
    }

    private static Process launch(NetNs ns, String... args) throws IOException {
        return launch(ns, TestServerMain.class, args);
    }

    private static Process launch(NetNs ns, Class<?> main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(ns.prefixed(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                main.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    void await(String prefix, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (output.stream().anyMatch(l -> l.startsWith(prefix))) {
                return;
            }
            if (!process.isAlive() && output.stream().noneMatch(l -> l.startsWith(prefix))) {
                Thread.sleep(200);
                throw new IllegalStateException("server process exited " + process.exitValue() + ": " + String.join("\n", output));
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no '" + prefix + "' within " + seconds + " s: " + String.join("\n", output));
    }

    void awaitLine(Predicate<String> p, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (output.stream().anyMatch(p)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no matching line within " + seconds + " s: " + String.join("\n", output));
    }

    String lastStats() {
        for (int i = output.size() - 1; i >= 0; i--) {
            if (output.get(i).startsWith("STATS")) {
                return output.get(i);
            }
        }
        return "";
    }

    /** kill -9: no shutdown hook, no flush, no close. */
    void kill9() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        try {
            kill9();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
