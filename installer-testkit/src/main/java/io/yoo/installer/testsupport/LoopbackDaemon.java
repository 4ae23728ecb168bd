package io.yoo.installer.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real peer daemon for a test (a proxy, a registry...) listening on 127.0.0.1: started on a free
 * port, waited for until the port accepts (bounded), started again on another port when it dies
 * first (another process may take a free port between the probe and the daemon's bind), and
 * stopped with the helper processes it forked. The caller says how to start it on a port.
 */
public final class LoopbackDaemon implements AutoCloseable {
    private static final int ATTEMPTS = 3;

    /** Starts the daemon listening on 127.0.0.1:{@code port} (writes its config, runs it). */
    @FunctionalInterface
    public interface Launcher {
        Process launch(int port) throws IOException;
    }

    private final Process process;
    private final int port;

    private LoopbackDaemon(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * The running daemon, or {@link IllegalStateException} after three attempts, whose
     * message is {@code name} "did not start: " and what {@code why} says (its log, read then).
     */
    public static LoopbackDaemon start(String name, Launcher launcher, Diagnostics why) throws IOException, InterruptedException {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = freePort();
            Process p = launcher.launch(port);
            if (waitListening(p, port)) {
                return new LoopbackDaemon(p, port);
            }
            stop(p);
        }
        throw new IllegalStateException(name + " did not start: " + why.text());
    }

    /** What a daemon that did not start left behind to read (its output, its log). */
    @FunctionalInterface
    public interface Diagnostics {
        String text() throws IOException;
    }

    public int port() {
        return port;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Up to 100 connection attempts (each at most 200 ms apart by 100 ms); false when the process exits. */
    private static boolean waitListening(Process p, int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (!p.isAlive()) {
                return false;
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return true;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        return false;
    }

    /** SIGTERM to the helpers it forked (danted does) and to it; SIGKILL to those left after 5 s. */
    private static void stop(Process p) throws InterruptedException {
        List<ProcessHandle> children = p.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            children.forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop(process);
    }
}
