package io.yoo.installer.tftp.server;

import io.yoo.installer.tftp.codec.ErrorCode;
import io.yoo.installer.tftp.codec.TftpCodec;
import io.yoo.installer.tftp.codec.TftpPacket;
import io.yoo.installer.tftp.files.Content;
import io.yoo.installer.tftp.negotiation.Negotiated;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One read transfer on its own UDP port (its TID), owned by one {@link EventLoop} thread.
 *
 * <p>Sending: a window of {@code windowSize} blocks (1 = RFC 1350 lock-step), then wait for an
 * ACK. An ACK for the last block of the window opens the next one; an ACK for an earlier block
 * in the window (RFC 7440: the client saw a gap) re-sends from the block after it. An ACK we
 * have already seen is ignored: answering duplicates is what makes the Sorcerer's Apprentice
 * bug (every block sent twice, then four times...); lost packets are recovered by the timer
 * only, with the timeout doubling on each retry.
 *
 * <p>Block numbers are tracked as longs and put on the wire modulo 65536, so files beyond
 * 65535 blocks (32 MiB at 512 B) roll over to 0 as tftp-hpa, atftp, curl and iPXE expect.
 */
final class Transfer {
    private static final Logger log = LoggerFactory.getLogger(Transfer.class);

    final InetSocketAddress client;
    final TftpPacket.ReadRequest request;
    final EventLoop loop;
    private final DatagramChannel channel;
    private final Content content;
    private final boolean virtual;
    private final TftpServer server;
    private final int blockSize;
    private final int windowSize;
    private final long baseTimeoutNanos;
    private final long maxTimeoutNanos;
    private final long size;
    private final long lastBlock;
    private final byte[] oack;
    private final ByteBuffer[] gather = new ByteBuffer[2];

    private SelectionKey key;
    private boolean awaitingOackAck;
    private long acked;
    private long sent;
    private int retries;
    private long timeoutNanos;
    long deadline;
    private boolean closed;
    private volatile boolean progressed;
    private final long started = System.nanoTime();

    Transfer(TftpServer server, EventLoop loop, DatagramChannel channel, InetSocketAddress client,
            TftpPacket.ReadRequest request, Content content, boolean virtual, Negotiated n) {
        this.server = server;
        this.loop = loop;
        this.channel = channel;
        this.client = client;
        this.request = request;
        this.content = content;
        this.virtual = virtual;
        this.blockSize = n.blockSize();
        this.windowSize = n.windowSize();
        this.baseTimeoutNanos = n.timeoutMillis() * 1_000_000L;
        this.maxTimeoutNanos = baseTimeoutNanos * 8;
        this.timeoutNanos = baseTimeoutNanos;
        this.size = content.size();
        this.lastBlock = size / blockSize + 1; // always ends with a short (maybe empty) block
        this.oack = n.needsOack() ? TftpCodec.encode(new TftpPacket.OptionAck(n.acknowledged())) : null;
    }

    /** True once the client acknowledged anything: a later identical RRQ is then a new request. */
    boolean progressed() {
        return progressed;
    }

    /** Runs on the owning loop: registers the channel and sends the first packet. */
    void start() {
        try {
            key = loop.register(channel, this);
        } catch (IOException e) {
            log.warn("tftp {}: cannot register transfer socket: {}", client, e.toString());
            close(false);
            return;
        }
        if (oack != null) {
            awaitingOackAck = true;
            sendOack();
        } else {
            sendWindow(1);
        }
    }

    /**
     * Reads one datagram. Only one: in lock-step there is one ACK pending, and a second read
     * would be an extra syscall per block that returns nothing; if more is queued, the
     * (level-triggered) selector reports the channel again on the next select.
     */
    void readable(ByteBuffer rx) {
        rx.clear();
        int n;
        try {
            n = channel.read(rx);
        } catch (IOException e) {
            // ICMP port unreachable: the client went away
            log.debug("tftp {} {}: {}", client, request.filename(), e.toString());
            close(false);
            return;
        }
        if (n > 0) {
            rx.flip();
            onPacket(rx);
        }
    }

    private void onPacket(ByteBuffer rx) {
        if (rx.remaining() < 4) {
            server.stats.malformed();
            return;
        }
        int opcode = rx.getShort(0) & 0xFFFF;
        if (opcode == TftpPacket.ACK) {
            onAck(rx.getShort(2) & 0xFFFF);
        } else if (opcode == TftpPacket.ERROR) {
            // e.g. OVMF's ERROR 8 right after the OACK: it only wanted tsize
            int code = rx.getShort(2) & 0xFFFF;
            log.debug("tftp {} {}: client sent error {}", client, request.filename(), code);
            server.stats.clientAbort();
            close(false);
        } else {
            server.stats.malformed();
        }
    }

    void onAck(int wire) {
        if (awaitingOackAck) {
            if (wire == 0) {
                awaitingOackAck = false;
                progress();
                sendWindow(1);
            } else {
                server.stats.duplicateAck();
            }
            return;
        }
        long abs = acked + ((wire - (acked & 0xFFFF)) & 0xFFFF);
        if (abs == acked || abs > sent) {
            // a duplicate (or stale) ACK: never answer it, the timer recovers real losses
            server.stats.duplicateAck();
            return;
        }
        acked = abs;
        progress();
        if (acked == lastBlock) {
            complete();
        } else {
            sendWindow(acked + 1);
        }
    }

    private void progress() {
        progressed = true;
        retries = 0;
        timeoutNanos = baseTimeoutNanos;
    }

    /** Called by the loop's sweep when {@link #deadline} has passed. */
    void onTimeout(long now) {
        if (closed) {
            return;
        }
        if (++retries > server.config().maxRetries()) {
            log.debug("tftp {} {}: no answer after {} retries, giving up at block {}", client, request.filename(), retries - 1, acked);
            server.stats.timedOut();
            sendError(ErrorCode.NOT_DEFINED, "timed out waiting for ACK of block " + ((acked + 1) & 0xFFFF));
            close(false);
            return;
        }
        server.stats.retransmit();
        timeoutNanos = Math.min(timeoutNanos * 2, maxTimeoutNanos);
        if (awaitingOackAck) {
            sendOack();
        } else {
            sendWindow(acked + 1);
        }
    }

    private void sendOack() {
        write(ByteBuffer.wrap(oack), null);
        deadline = System.nanoTime() + timeoutNanos;
    }

    private void sendWindow(long from) {
        long to = Math.min(from + windowSize - 1, lastBlock);
        for (long b = from; b <= to && !closed; b++) {
            sendBlock(b);
        }
        sent = to;
        deadline = System.nanoTime() + timeoutNanos;
    }

    private void sendBlock(long block) {
        long offset = (block - 1) * blockSize;
        int length = (int) Math.min(blockSize, size - offset);
        ByteBuffer data;
        try {
            data = content.read(offset, length, loop.scratch);
        } catch (IOException e) {
            log.warn("tftp {} {}: read failed: {}", client, request.filename(), e.toString());
            sendError(ErrorCode.NOT_DEFINED, "read error");
            close(false);
            return;
        }
        ByteBuffer h = loop.header;
        h.clear();
        TftpCodec.putDataHeader(h, block);
        h.flip();
        write(h, data);
        server.stats.blockSent(length);
    }

    private void write(ByteBuffer first, ByteBuffer second) {
        try {
            if (second == null) {
                channel.write(first);
            } else {
                gather[0] = first;
                gather[1] = second;
                // one datagram from two buffers: header + a view of the mapped file (no copy)
                channel.write(gather);
                gather[1] = null;
            }
        } catch (PortUnreachableException e) {
            log.debug("tftp {} {}: client port closed: {}", client, request.filename(), e.toString());
            close(false);
        } catch (IOException e) {
            // ENOBUFS, EPERM from a firewall...: treat it as a lost packet, the timer resends
            gather[1] = null;
            log.debug("tftp {} {}: send failed: {}", client, request.filename(), e.toString());
        }
    }

    private void sendError(int code, String message) {
        try {
            channel.write(ByteBuffer.wrap(TftpCodec.encode(new TftpPacket.Error(code, message))));
        } catch (IOException e) {
            // the client is gone anyway
        }
    }

    private void complete() {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        log.debug("tftp {} {}: sent {} bytes in {} ms (blksize {}, windowsize {})", client, request.filename(), size,
                elapsed.toMillis(), blockSize, windowSize);
        server.stats.completed();
        close(true);
        try {
            server.listener().completed(new CompletedTransfer(request.filename(), client, size, virtual, blockSize, windowSize, elapsed));
        } catch (RuntimeException e) {
            log.warn("tftp: transfer listener failed for {}: {}", request.filename(), e.toString());
        }
    }

    /** Ends the transfer without telling the client (it started a new request). */
    void abandon() {
        close(false);
    }

    boolean isClosed() {
        return closed;
    }

    void close(boolean completed) {
        if (closed) {
            return;
        }
        closed = true;
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to do
        }
        content.release();
        server.finished(this);
    }

    Map<String, String> options() {
        return request.options();
    }
}
