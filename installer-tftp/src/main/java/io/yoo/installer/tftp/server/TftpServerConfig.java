package io.yoo.installer.tftp.server;

import io.yoo.installer.tftp.codec.TftpCodec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a {@link TftpServer} needs. Start from {@link #defaults(Path)} and change what
 * differs with the {@code with*} methods.
 *
 * @param bindAddress   local address to listen on (0.0.0.0 = all); transfer sockets bind here too
 * @param port          UDP port for requests (69; 0 = any free port, see {@link TftpServer#port()})
 * @param root          read-only directory served; nothing outside it is ever sent
 * @param maxBlockSize  clamp for the blksize option; default 1468 fits a 1500-byte Ethernet MTU
 *                      (1500 - 20 IP - 8 UDP - 4 TFTP), max 65464 (RFC 2348)
 * @param maxWindowSize clamp for the windowsize option (RFC 7440)
 * @param timeout       retransmission timeout when the client sends no timeout option; doubles
 *                      on each retry (backoff) up to 8 times its base
 * @param maxRetries    retransmissions of one packet before the transfer is reaped as idle
 * @param maxTransfers  concurrent transfers; the next request gets TFTP error 0 "server busy"
 * @param eventLoops    selector threads sharing the transfers (not one thread per transfer)
 */
public record TftpServerConfig(
        InetAddress bindAddress,
        int port,
        Path root,
        int maxBlockSize,
        int maxWindowSize,
        Duration timeout,
        int maxRetries,
        int maxTransfers,
        int eventLoops) {

    public static final int DEFAULT_MAX_BLOCK_SIZE = 1468;
    public static final int DEFAULT_MAX_WINDOW_SIZE = 64;
    public static final int DEFAULT_MAX_TRANSFERS = 1000;

    public TftpServerConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(timeout, "timeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " outside 0..65535");
        }
        if (maxBlockSize < TftpCodec.MIN_BLOCK_SIZE || maxBlockSize > TftpCodec.MAX_BLOCK_SIZE) {
            throw new IllegalArgumentException("maxBlockSize " + maxBlockSize + " outside 8..65464 (RFC 2348)");
        }
        if (maxWindowSize < 1 || maxWindowSize > 65535) {
            throw new IllegalArgumentException("maxWindowSize " + maxWindowSize + " outside 1..65535 (RFC 7440)");
        }
        if (timeout.toMillis() < 1) {
            throw new IllegalArgumentException("timeout must be at least 1 ms, got " + timeout);
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
        }
        if (maxTransfers < 1) {
            throw new IllegalArgumentException("maxTransfers must be >= 1, got " + maxTransfers);
        }
        if (eventLoops < 1 || eventLoops > 64) {
            throw new IllegalArgumentException("eventLoops " + eventLoops + " outside 1..64");
        }
    }

    /**
     * Port 69 on all addresses, blksize up to 1468, windowsize up to 64, 1 s timeout, 5 retries,
     * 1000 transfers, {@link #defaultEventLoops()} loops.
     */
    public static TftpServerConfig defaults(Path root) {
        return new TftpServerConfig(anyAddress(), 69, root, DEFAULT_MAX_BLOCK_SIZE, DEFAULT_MAX_WINDOW_SIZE,
                Duration.ofSeconds(1), 5, DEFAULT_MAX_TRANSFERS, defaultEventLoops());
    }

    /**
     * One loop per core, at most 4: per-block cost is almost all kernel (sendmsg through the
     * stack), so more loops than cores only add contention. Measured on 2 cores with 200 clients:
     * 2 loops beat 1 clearly (see BENCHMARKS.md).
     */
    public static int defaultEventLoops() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    public TftpServerConfig withBind(InetAddress address, int port) {
        return new TftpServerConfig(address, port, root, maxBlockSize, maxWindowSize, timeout, maxRetries, maxTransfers, eventLoops);
    }

    public TftpServerConfig withMaxBlockSize(int v) {
        return new TftpServerConfig(bindAddress, port, root, v, maxWindowSize, timeout, maxRetries, maxTransfers, eventLoops);
    }

    public TftpServerConfig withMaxWindowSize(int v) {
        return new TftpServerConfig(bindAddress, port, root, maxBlockSize, v, timeout, maxRetries, maxTransfers, eventLoops);
    }

    public TftpServerConfig withTimeout(Duration v, int retries) {
        return new TftpServerConfig(bindAddress, port, root, maxBlockSize, maxWindowSize, v, retries, maxTransfers, eventLoops);
    }

    public TftpServerConfig withMaxTransfers(int v) {
        return new TftpServerConfig(bindAddress, port, root, maxBlockSize, maxWindowSize, timeout, maxRetries, v, eventLoops);
    }

    public TftpServerConfig withEventLoops(int v) {
        return new TftpServerConfig(bindAddress, port, root, maxBlockSize, maxWindowSize, timeout, maxRetries, maxTransfers, v);
    }

    private static InetAddress anyAddress() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
