package io.yoo.installer.dhcp.server;

import io.yoo.installer.dhcp.net.Datagram;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The hand-over between a DHCP server's receiving thread and its sending thread, for DHCPv4
 * ({@link DhcpServer}) and DHCPv6 ({@code Dhcp6Server}) alike: the receiver takes a {@link #free}
 * batch of reply slots, fills it while answering one received batch, and {@link #submit}s it; the
 * sending thread hands each batch to {@code send} (which writes the batch's lease lines, then
 * sends) and gives its slots back. A fixed number of batches are in flight, so a sender far behind
 * (a slow disk) holds the receiver back instead of growing a queue.
 *
 * @param <B> one batch of replies and what its sending needs besides the datagrams
 */
public final class ReplyBatches<B extends ReplyBatches.Batch> {
    private static final long POLL_MILLIS = 200;

    /** The replies of one received batch. */
    public interface Batch {
        Datagram[] datagrams();
    }

    private final BlockingQueue<Datagram[]> free;
    private final BlockingQueue<B> outgoing;
    private final AtomicBoolean receiving = new AtomicBoolean(true);
    private final Consumer<B> send;
    private final Runnable everyPoll;
    private final Thread sender;

    /**
     * Starts the sending thread.
     *
     * @param send      sends one batch (on the sending thread); its slots are reused afterwards
     * @param everyPoll run on the sending thread before each batch and about every 200 ms when idle
     */
    public ReplyBatches(String thread, int batches, int batchSize, int capacity, Consumer<B> send, Runnable everyPoll) {
        this.free = new ArrayBlockingQueue<>(batches);
        for (int b = 0; b < batches; b++) {
            free.add(slots(batchSize, capacity));
        }
        this.outgoing = new ArrayBlockingQueue<>(batches);
        this.send = send;
        this.everyPoll = everyPoll;
        this.sender = Thread.ofPlatform().name(thread).daemon(true).start(this::sendLoop);
    }

    /** {@code n} datagram slots of {@code capacity} bytes (also the receiving side's batch). */
    public static Datagram[] slots(int n, int capacity) {
        Datagram[] d = new Datagram[n];
        for (int i = 0; i < n; i++) {
            d[i] = new Datagram(capacity);
        }
        return d;
    }

    /** A free batch of slots; waits while the sender is behind. Null when {@code running} turned false meanwhile. */
    public Datagram[] free(BooleanSupplier running) throws InterruptedException {
        Datagram[] tx = null;
        while (tx == null && running.getAsBoolean()) {
            tx = free.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
        return tx;
    }

    /** Queues a filled batch for the sending thread (even one without replies: its lease lines get written). */
    public void submit(B batch) throws InterruptedException {
        outgoing.put(batch);
    }

    private void sendLoop() {
        while (receiving.get() || !outgoing.isEmpty()) {
            B b;
            try {
                b = outgoing.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            everyPoll.run();
            if (b == null) {
                continue;
            }
            try {
                send.accept(b);
            } finally {
                free.add(b.datagrams());
            }
        }
    }

    /** The receiver is done: the sending thread sends what is queued and ends; waits up to 5 s for it. */
    public void finish() {
        receiving.set(false);
        try {
            sender.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
