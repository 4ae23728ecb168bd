package io.yoo.installer.tftp.server;

import io.yoo.installer.tftp.codec.TftpCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One selector thread serving many transfers (and, on loop 0, the request socket). Buffers are
 * allocated once per loop: a receive buffer, a 4-byte DATA header and a scratch block for
 * content that is not mapped. Other threads hand work in through {@link #submit}.
 *
 * <p>Timeouts: every {@value #TICK_MILLIS} ms the loop sweeps its transfers and fires those
 * whose deadline passed. A sweep is O(transfers of this loop), bounded by maxTransfers, which is
 * cheaper than maintaining a timer structure on every ACK (deadlines move on every packet; here
 * moving one is a field write).
 */
final class EventLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(EventLoop.class);
    static final long TICK_MILLIS = 20;

    final ByteBuffer rx = ByteBuffer.allocateDirect(TftpCodec.MAX_BLOCK_SIZE + 4 + 512);
    final ByteBuffer header = ByteBuffer.allocateDirect(4);
    final ByteBuffer scratch = ByteBuffer.allocateDirect(TftpCodec.MAX_BLOCK_SIZE);

    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<Transfer> transfers = new ArrayList<>();
    private final String name;
    private volatile boolean running = true;
    private Thread thread;

    EventLoop(String name) throws IOException {
        this.name = name;
        this.selector = Selector.open();
    }

    void start() {
        thread = Thread.ofPlatform().name(name).daemon(true).start(this);
    }

    /** Loop 0 also serves the request sockets (the bind address's, and one per {@link TftpServer#listenOn} address). */
    void attachListener(RequestListener l) throws IOException {
        l.channel().register(selector, SelectionKey.OP_READ, l);
        selector.wakeup(); // a select in progress picks the new key up now, not at its next tick
    }

    /**
     * Closes a request socket added at run time, on this loop's thread, and waits (at most 5 s) until
     * it is: a registered channel's socket stays bound until its key is flushed by a select, so this
     * flushes it at once; when this returns, datagrams to its address reach the other sockets.
     */
    void detachListener(RequestListener l) {
        Runnable close = () -> {
            SelectionKey k = l.channel().keyFor(selector);
            if (k != null) {
                k.cancel();
            }
            try {
                l.channel().close();
                selector.selectNow(); // deregisters the cancelled key, which closes the socket
            } catch (IOException e) {
                log.debug("tftp loop {}: closing a listener: {}", name, e.toString());
            }
        };
        if (Thread.currentThread() == thread || thread == null || !running) {
            close.run();
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        submit(() -> {
            try {
                close.run();
            } finally {
                done.countDown();
            }
        });
        try {
            if (!done.await(5, TimeUnit.SECONDS)) {
                log.warn("tftp loop {}: a listener was not closed within 5 s", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void submit(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Called on this loop's thread only. */
    SelectionKey register(DatagramChannel ch, Transfer t) throws IOException {
        transfers.add(t);
        return ch.register(selector, SelectionKey.OP_READ, t);
    }

    @Override
    public void run() {
        long nextSweep = System.nanoTime() + TICK_MILLIS * 1_000_000L;
        while (running) {
            try {
                selector.select(TICK_MILLIS);
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (!k.isValid()) {
                        continue;
                    }
                    Object a = k.attachment();
                    if (a instanceof Transfer t) {
                        t.readable(rx);
                    } else if (a instanceof RequestListener l) {
                        l.readable(rx);
                    }
                }
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                long now = System.nanoTime();
                if (now - nextSweep >= 0) {
                    sweep(now);
                    nextSweep = now + TICK_MILLIS * 1_000_000L;
                }
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException | RuntimeException e) {
                // one bad packet or transfer must not stop the loop serving the others
                log.warn("tftp loop {}: {}", name, e.toString(), e);
            }
        }
    }

    private void sweep(long now) {
        int w = 0;
        for (int i = 0; i < transfers.size(); i++) {
            Transfer t = transfers.get(i);
            if (!t.isClosed() && now - t.deadline >= 0) {
                t.onTimeout(now);
            }
            if (!t.isClosed()) {
                transfers.set(w++, t);
            }
        }
        for (int i = transfers.size() - 1; i >= w; i--) {
            transfers.remove(i);
        }
    }

    void stop() {
        running = false;
        selector.wakeup();
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Transfer t : List.copyOf(transfers)) {
            t.close(false);
        }
        transfers.clear();
        try {
            selector.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
