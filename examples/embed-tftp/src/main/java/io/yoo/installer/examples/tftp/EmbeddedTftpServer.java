package io.yoo.installer.examples.tftp;

import io.yoo.installer.tftp.server.TftpServer;
import io.yoo.installer.tftp.server.TftpServerConfig;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * installer-tftp embedded alone: serves a directory read-only, nothing outside it (no cluster
 * descriptor, no installer-core, no per-machine virtual files).
 *
 * <pre>
 * java -cp ... io.yoo.installer.examples.tftp.EmbeddedTftpServer DIRECTORY [ADDRESS [PORT]]
 * </pre>
 *
 * ADDRESS defaults to 0.0.0.0, PORT to 69 (needs root or CAP_NET_BIND_SERVICE; 0 = any free
 * port). Prints {@code READY port N} once it serves; runs until killed.
 */
public final class EmbeddedTftpServer {
    private EmbeddedTftpServer() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 3 || !Files.isDirectory(Path.of(args[0]))) {
            System.err.println("usage: EmbeddedTftpServer DIRECTORY [ADDRESS [PORT]]");
            System.exit(2);
        }
        InetAddress address = InetAddress.ofLiteral(args.length > 1 ? args[1] : "0.0.0.0");
        int port = args.length > 2 ? Integer.parseInt(args[2]) : 69;

        TftpServerConfig config = TftpServerConfig.defaults(Path.of(args[0]))   // blksize, windowsize, timeouts: defaults
                .withBind(address, port)
                .withMaxTransfers(100);

        try (TftpServer tftp = new TftpServer(config)) {
            tftp.start();                                  // returns once the port is bound
            System.out.println("READY port " + tftp.port());
            System.out.flush();
            Thread.currentThread().join();                 // serve until the process is killed
        }
    }
}
