package io.yoo.installer.cli;

import io.yoo.installer.tftp.server.TftpServer;
import io.yoo.installer.tftp.server.TftpServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code yoo tftp DIR}: the TFTP server alone, serving a directory read-only (also used by the benchmark). */
@Command(name = "tftp", mixinStandardHelpOptions = true,
        description = "Serve a directory read-only over TFTP (RFC 1350/2347/2348/2349/7440) until stopped.")
final class TftpCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ROOT", description = "Directory to serve; nothing outside it is sent.")
    Path root;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Local address to listen on (default: ${DEFAULT-VALUE}).")
    String bind = "0.0.0.0";

    @Option(names = "--tftp-port", description = "UDP port (default: ${DEFAULT-VALUE}; 0 = any free port; the old spelling --port "
            + "is still accepted).")
    int port = 69;

    /** The old spelling, kept so scripts don't break; hidden so help shows one scheme. */
    @Option(names = "--port", hidden = true)
    void oldPort(int p) {
        port = p;
    }

    @Option(names = "--max-blksize", description = "Largest blksize granted (default: ${DEFAULT-VALUE}, MTU-safe; max 65464).")
    int maxBlockSize = TftpServerConfig.DEFAULT_MAX_BLOCK_SIZE;

    @Option(names = "--max-windowsize", description = "Largest RFC 7440 windowsize granted (default: ${DEFAULT-VALUE}).")
    int maxWindowSize = TftpServerConfig.DEFAULT_MAX_WINDOW_SIZE;

    @Option(names = "--timeout-ms", description = "Retransmission timeout without a client timeout option (default: ${DEFAULT-VALUE}).")
    long timeoutMillis = 1000;

    @Option(names = "--retries", description = "Retransmissions before a transfer is dropped (default: ${DEFAULT-VALUE}).")
    int retries = 5;

    @Option(names = "--max-transfers", description = "Concurrent transfers before 'server busy' (default: ${DEFAULT-VALUE}).")
    int maxTransfers = TftpServerConfig.DEFAULT_MAX_TRANSFERS;

    @Option(names = "--event-loops", description = "Selector threads (default: ${DEFAULT-VALUE}: one per core, at most 4).")
    int eventLoops = TftpServerConfig.defaultEventLoops();

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(root)) {
            System.err.println("yoo tftp: " + root + " is not a directory");
            return Yoo.EXIT_USAGE;
        }
        TftpServerConfig config;
        try {
            config = TftpServerConfig.defaults(root)
                    .withBind(InetAddress.ofLiteral(bind), port)
                    .withMaxBlockSize(maxBlockSize)
                    .withMaxWindowSize(maxWindowSize)
                    .withTimeout(Duration.ofMillis(timeoutMillis), retries)
                    .withMaxTransfers(maxTransfers)
                    .withEventLoops(eventLoops);
        } catch (IllegalArgumentException e) {
            System.err.println("yoo tftp: " + e.getMessage());
            return Yoo.EXIT_USAGE;
        }
        TftpServer server = new TftpServer(config);
        try {
            server.start();
        } catch (IOException e) {
            System.err.println("yoo tftp: " + e.getMessage());
            return Yoo.EXIT_ENVIRONMENT;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("yoo tftp: stopping; " + server.stats());
            server.stop();
            stopped.countDown();
        }, "tftp-shutdown"));
        stopped.await();
        return Yoo.EXIT_OK;
    }
}
