package io.yoo.installer.tftp;

import io.yoo.installer.tftp.server.TftpServer;
import io.yoo.installer.tftp.server.TftpServerConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs the server in a child JVM inside a test's network namespace: ROOT PORT TIMEOUT_MS. Reads
 * commands on stdin, one a line, and answers each on stdout: {@code listen ADDR} ({@link
 * TftpServer#listenOn}) and {@code unlisten ADDR}.
 */
public final class StandaloneServer {
    private StandaloneServer() {}

    public static void main(String[] args) throws Exception {
        TftpServer s = new TftpServer(TftpServerConfig.defaults(Path.of(args[0]))
                .withBind(InetAddress.ofLiteral("0.0.0.0"), Integer.parseInt(args[1]))
                .withTimeout(Duration.ofMillis(Long.parseLong(args[2])), 8));
        s.start();
        System.out.println("READY " + s.port());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.strip().split(" ");
            try {
                switch (w[0]) {
                    case "listen" -> s.listenOn(InetAddress.ofLiteral(w[1]));
                    case "unlisten" -> s.stopListeningOn(InetAddress.ofLiteral(w[1]));
                    default -> throw new IllegalArgumentException("unknown command " + w[0]);
                }
                System.out.println("DONE " + line.strip());
            } catch (Exception e) {
                System.out.println("FAILED " + line.strip() + ": " + e);
            }
            System.out.flush();
        }
        Thread.sleep(Long.MAX_VALUE); // stdin closed (LossyLinkTest leaves it open anyway): serve until killed
    }
}
