package io.yoo.installer.core.assets;

import io.yoo.installer.testsupport.LoopbackDaemon;
import io.yoo.installer.testsupport.Peers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real proxy daemon for tests, on 127.0.0.1 and a free high port: tinyproxy (HTTP proxy,
 * CONNECT) or dante's danted (SOCKS5). Its log shows which requests went through it.
 */
final class ProxyPeer implements AutoCloseable {
    private final LoopbackDaemon daemon;
    private final Path log;

    private ProxyPeer(LoopbackDaemon daemon, Path log) {
        this.daemon = daemon;
        this.log = log;
    }

    int port() {
        return daemon.port();
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
        LoopbackDaemon d = LoopbackDaemon.start("tinyproxy", port -> {
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
            return new ProcessBuilder(Peers.which("tinyproxy").toString(), "-d", "-c", dir.resolve("tinyproxy.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("tinyproxy.out").toFile()).start();
        }, () -> Files.readString(dir.resolve("tinyproxy.out")));
        return new ProxyPeer(d, log);
    }

    /** dante's danted (SOCKS5, no authentication) logging every connection it passes. */
    static ProxyPeer dante(Path dir) throws Exception {
        Peers.requireCommands("danted");
        Path log = dir.resolve("danted.log");
        LoopbackDaemon d = LoopbackDaemon.start("danted", port -> {
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
            return new ProcessBuilder(Peers.which("danted").toString(), "-f", dir.resolve("danted.conf").toString(),
                    "-p", dir.resolve("danted.pid").toString(), "-N", "1")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("danted.out").toFile()).start();
        }, () -> Files.readString(dir.resolve("danted.out")) + (Files.exists(log) ? Files.readString(log) : ""));
        return new ProxyPeer(d, log);
    }

    @Override
    public void close() throws InterruptedException {
        daemon.close();
    }
}
