package io.yoo.installer.dhcp.server;

import io.yoo.installer.dhcp.codec.DhcpPacket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The requests of another live server's clients (load balancing, {@link ServerShare}) that this
 * server left unanswered in the last {@value #MAX_AGE_MILLIS} ms, at most {@value #CAPACITY}, so
 * that when that server turns out dead they are answered at once. Why: a server learns of its
 * partner's death at its next liveness check (up to half a second late); a client of the dead
 * server's buckets whose DISCOVER or REQUEST arrived in between would otherwise wait for its own
 * retransmission (RFC 2131 4.1: about 4 s, then 8 s; ISC dhclient: 3-8 s later), which made a
 * failover take up to ~8 s instead of well under one.
 *
 * <p>Why {@value #MAX_AGE_MILLIS} ms: four times the liveness check's period, so a request that
 * arrived just before a death is still held when the death is seen, yet short enough that the
 * client is still waiting on that transaction (an OFFER or ACK to an xid it has given up is
 * ignored by the client, so an older one would only cost an answer). The capacity bounds the
 * memory a flood of the partner's clients can hold (the oldest goes first).
 *
 * <p>Each request held leaves once: taken to be answered, or unanswered (aged out, pushed out
 * when full, a retransmission of one taken, or {@link #clear cleared}), which is reported to the
 * {@code unanswered} consumer given at construction (the server counts it there as
 * {@code peer_bucket}; one answered is counted by its answer).
 *
 * <p>No I/O, no clock: callers give the times ({@link System#nanoTime()}). Thread-safe: a socket's
 * receiving thread holds requests (through the engine), the server port's thread takes them and
 * {@link #expire expires} the old ones.
 */
public final class PartnerBacklog {
    public static final int CAPACITY = 512;
    public static final long MAX_AGE_MILLIS = 2000;
    private static final long MAX_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(MAX_AGE_MILLIS);

    /** One request left to a partner: as decoded (giaddr and relay options in it), where it came in, and when. */
    public record Held(DhcpPacket packet, DhcpEngine.Inbound from, long atNanos) {}

    private final ArrayDeque<Held> held = new ArrayDeque<>(); // oldest first
    private final Consumer<Held> unanswered;

    /** A backlog whose unanswered requests go unreported. */
    public PartnerBacklog() {
        this(h -> { });
    }

    /** A backlog that reports each request leaving it unanswered to {@code unanswered} (under its lock: keep it short). */
    public PartnerBacklog(Consumer<Held> unanswered) {
        this.unanswered = unanswered;
    }

    /** Keeps a request this server left to a live partner, received at {@code nanos}. */
    public synchronized void hold(DhcpPacket p, DhcpEngine.Inbound from, long nanos) {
        dropOlderThan(nanos);
        if (held.size() == CAPACITY) {
            unanswered.accept(held.pollFirst());
        }
        held.addLast(new Held(p, from, nanos));
    }

    /** Lets go, unanswered, of the requests received more than {@value #MAX_AGE_MILLIS} ms before {@code nanos}. */
    public synchronized void expire(long nanos) {
        dropOlderThan(nanos);
    }

    /** Lets go of every request held, unanswered (the server stops). */
    public synchronized void clear() {
        while (!held.isEmpty()) {
            unanswered.accept(held.pollFirst());
        }
    }

    /**
     * The held requests this server answers with {@code share} (after a partner died), received no
     * longer than {@value #MAX_AGE_MILLIS} ms before {@code nanos}, oldest first; they leave the
     * backlog. One per client and transaction: a retransmission is answered once, the latest copy.
     * Requests of buckets still another live server's stay (until they age out).
     */
    public synchronized List<Held> take(ServerShare share, long nanos) {
        dropOlderThan(nanos);
        List<Held> mine = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Iterator<Held> it = held.descendingIterator(); it.hasNext();) {
            Held h = it.next();
            if (share.alone() || share.answers(ClientBuckets.of(h.packet()))) {
                it.remove();
                if (seen.add(transaction(h.packet()))) {
                    mine.add(h);
                } else {
                    unanswered.accept(h); // an earlier copy of a transaction answered by its latest
                }
            }
        }
        Collections.reverse(mine);
        return mine;
    }

    /** How many requests are held. */
    public synchronized int size() {
        return held.size();
    }

    private void dropOlderThan(long nanos) {
        while (!held.isEmpty() && nanos - held.peekFirst().atNanos() > MAX_AGE_NANOS) {
            unanswered.accept(held.pollFirst());
        }
    }

    /** A client's transaction: its hardware address, the xid and the message type (RFC 2131 4.1: a retransmission keeps the xid). */
    private static String transaction(DhcpPacket p) {
        return HexFormat.of().formatHex(p.chaddr(), 0, Math.min(p.hlen(), p.chaddr().length)) + "/" + Integer.toHexString(p.xid())
                + "/" + p.messageType().map(Enum::name).orElse("");
    }
}
