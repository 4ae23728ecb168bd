package io.yoo.installer.tftp.server;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A read transfer whose last block the client acknowledged.
 *
 * @param file    the requested name as sent by the client (already checked)
 * @param virtual true when it came from {@link VirtualFiles}, not from disk
 */
public record CompletedTransfer(String file, InetSocketAddress client, long bytes, boolean virtual,
        int blockSize, int windowSize, Duration elapsed) {}
