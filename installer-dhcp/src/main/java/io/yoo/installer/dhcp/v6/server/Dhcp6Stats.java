package io.yoo.installer.dhcp.v6.server;

import io.yoo.installer.dhcp.server.OutcomeStats;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the DHCPv6 server did with the datagrams it got, as {@code DhcpStats} for v4 (received,
 * malformed, ignored and the path to the metrics are {@link OutcomeStats}'s); every outcome also
 * goes to the {@code ServerMetrics} given with {@link Dhcp6Server#withMetrics} (protocol {@code dhcp6}).
 */
public final class Dhcp6Stats extends OutcomeStats {
    static final String PROTOCOL = "dhcp6";

    public final LongAdder advertises = new LongAdder();
    /** REPLYs that assign or extend addresses (REQUEST, RENEW, REBIND, rapid-commit SOLICIT). */
    public final LongAdder replies = new LongAdder();
    public final LongAdder releases = new LongAdder();
    public final LongAdder declines = new LongAdder();
    public final LongAdder confirms = new LongAdder();
    public final LongAdder informs = new LongAdder();
    /** IA_NAs answered NoAddrsAvail: the range is full (or there is none and no reservation). */
    public final LongAdder noAddrs = new LongAdder();
    /** Requests that came through a relay (counted besides their outcome). */
    public final LongAdder relayed = new LongAdder();
    /** Relayed requests whose link address is in no served subnet: dropped. */
    public final LongAdder unknownLink = new LongAdder();
    /**
     * Replies already counted (as advertise or reply) that did not leave because of the shared lease
     * ledger: it could not be written, or it still gave the addresses to other clients after every retry.
     */
    public final LongAdder replyWithheld = new LongAdder();

    /**
     * Received batches by size: 1, 2-3, 4-7, ..., 32-63, 64 (the whole batch: a backlog had built
     * up), and the longest run of whole batches in a row (the backlog, in batches, the server had
     * to catch up with). Written by the receiving thread only; read when it has stopped.
     */
    private final long[] batchSizes = new long[7];
    private int fullRun;
    private int longestFullRun;

    public Dhcp6Stats() {
        super(PROTOCOL);
    }

    void advertise() {
        count(advertises, "advertise");
    }

    void reply() {
        count(replies, "reply");
    }

    void release() {
        count(releases, "release");
    }

    void decline() {
        count(declines, "decline");
    }

    void confirm() {
        count(confirms, "confirm");
    }

    void inform() {
        count(informs, "inform");
    }

    void noAddrs() {
        count(noAddrs, "pool_exhausted");
    }

    void relayed() {
        relayed.increment();
    }

    void unknownLink() {
        count(unknownLink, "unknown_relay");
    }

    void replyWithheld() {
        count(replyWithheld, "reply_withheld");
    }

    void batch(int n, int max) {
        batchSizes[Math.min(batchSizes.length - 1, 31 - Integer.numberOfLeadingZeros(Math.max(1, n)))]++;
        fullRun = n >= max ? fullRun + 1 : 0;
        longestFullRun = Math.max(longestFullRun, fullRun);
    }

    void sendFailure() {
        sendFailures(1);
    }

    @Override
    public String toString() {
        return dropped() + " advertises=" + advertises + " replies=" + replies + " releases=" + releases
                + " declines=" + declines + " confirms=" + confirms + " informs=" + informs + " noAddrs=" + noAddrs
                + " relayed=" + relayed + " unknownLink=" + unknownLink + " replyWithheld=" + replyWithheld + " sendFailures=" + sendFailures
                + " batches(1,2-3,..,32-63,64)=" + Arrays.toString(batchSizes) + " longestFullRun=" + longestFullRun;
    }
}
