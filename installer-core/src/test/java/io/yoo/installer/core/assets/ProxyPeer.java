package io.yoo.installer.core.assets;

import io.yoo.installer.testsupport.Peers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real proxy daemon for tests, on 127.0.0.1 and a free high port: tinyproxy (HTTP proxy,
 * CONNECT) or dante's danted (SOCKS5). Its log shows which requests went through it.
 */
final class ProxyPeer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private ProxyPeer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    int port() {
        return port;
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * tinyproxy in the foreground; adds {@code Via: 1.1 yoo-test-tinyproxy} to plain HTTP it
     * forwards, and tunnels HTTPS with {@code CONNECT} (no ConnectPort line: any port allowed).
     */
    static ProxyPeer tinyproxy(Path dir) throws Exception {
        Peers.requireCommands("tinyproxy");
        Path log = dir.resolve("tinyproxy.log");
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            Files.writeString(dir.resolve("tinyproxy.conf"), String.join("\n",
                    root() ? "User nobody" : "", root() ? "Group nogroup" : "",
                    "Port " + port, "Listen 127.0.0.1", "Timeout 30",
                    "LogFile \"" + log + "\"", "LogLevel Info", "MaxClients 20",
                    "Allow 127.0.0.1", "ViaProxyName \"yoo-test-tinyproxy\"", ""));
            Files.deleteIfExists(log);
            Files.createFile(log);
            // tinyproxy drops to nobody before writing its log
            log.toFile().setWritable(true, false);
            dir.toFile().setExecutable(true, false);
            Process p = new ProcessBuilder(Peers.which("tinyproxy").toString(), "-d", "-c", dir.resolve("tinyproxy.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("tinyproxy.out").toFile()).start();
            if (waitListening(p, port)) {
                return new ProxyPeer(p, port, log);
            }
            destroy(p);
        }
        throw new IllegalStateException("tinyproxy did not start: " + Files.readString(dir.resolve("tinyproxy.out")));
    }

    /** dante's danted (SOCKS5, no authentication) logging every connection it passes. */
    static ProxyPeer dante(Path dir) throws Exception {
        Peers.requireCommands("danted");
        Path log = dir.resolve("danted.log");
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            Files.writeString(dir.resolve("danted.conf"), String.join("\n",
                    "logoutput: " + log,
                    "internal: 127.0.0.1 port = " + port,
                    "external: 127.0.0.1",
                    "socksmethod: none",
                    "clientmethod: none",
                    root() ? "user.privileged: root" : "", root() ? "user.unprivileged: nobody" : "",
                    "client pass {", "  from: 127.0.0.0/8 to: 0.0.0.0/0", "  log: connect disconnect", "}",
                    "socks pass {", "  from: 127.0.0.0/8 to: 0.0.0.0/0", "  command: connect", "  log: connect disconnect", "}",
                    ""));
            Process p = new ProcessBuilder(Peers.which("danted").toString(), "-f", dir.resolve("danted.conf").toString(),
                    "-p", dir.resolve("danted.pid").toString(), "-N", "1")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("danted.out").toFile()).start();
            if (waitListening(p, port)) {
                return new ProxyPeer(p, port, log);
            }
            destroy(p);
        }
        throw new IllegalStateException("danted did not start: " + Files.readString(dir.resolve("danted.out"))
                + (Files.exists(log) ? Files.readString(log) : ""));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

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

    private static void destroy(Process p) throws InterruptedException {
        // danted forks helper processes: stop those this test started, then the daemon itself
        List<ProcessHandle> children = p.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            children.forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Override
    public void close() throws InterruptedException {
        destroy(process);
    }
}
