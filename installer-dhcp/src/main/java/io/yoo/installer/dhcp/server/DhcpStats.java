package io.yoo.installer.dhcp.server;

import io.yoo.installer.api.metrics.ServerMetrics;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of what the server did with the datagrams it got, for its log line, tests and
 * {@code yoo serve}'s metrics. The server counts through the methods below; each adds to its field
 * here and reports the same outcome to the {@link ServerMetrics} given with
 * {@link DhcpServer#withMetrics} (exported as {@code yoo_requests_total{protocol="dhcp",outcome}}).
 * That is the only way DHCP counts reach {@code /metrics}: this object stays with one server
 * instance, the {@link ServerMetrics} outlives restarts, so the exported counters never go back.
 */
public final class DhcpStats {
    static final String PROTOCOL = "dhcp";

    /** Every datagram read; not exported (the outcomes break it down). */
    public final LongAdder received = new LongAdder();
    /** Not DHCP or not well-formed (truncated, bad lengths, no cookie): dropped. */
    public final LongAdder malformed = new LongAdder();
    /** Well-formed but not for us (other interface, other server chosen, BOOTREPLY, no subnet). */
    public final LongAdder ignored = new LongAdder();
    public final LongAdder offers = new LongAdder();
    public final LongAdder acks = new LongAdder();
    public final LongAdder naks = new LongAdder();
    public final LongAdder releases = new LongAdder();
    public final LongAdder declines = new LongAdder();
    public final LongAdder informs = new LongAdder();
    public final LongAdder proxyReplies = new LongAdder();
    /** Full offers made in proxy mode to firmware that ignored the proxy offers. */
    public final LongAdder proxyFallbacks = new LongAdder();
    public final LongAdder poolExhausted = new LongAdder();
    /** Requests whose client MAC is multicast/broadcast or all zeros: no NIC has one; never answered. */
    public final LongAdder badClientMac = new LongAdder();
    /** Relayed requests whose giaddr (or link selection) is in none of our subnets: dropped. */
    public final LongAdder unknownRelay = new LongAdder();
    /** Replies the kernel did not take; not exported (the reply was already counted by its outcome). */
    public final LongAdder sendFailures = new LongAdder();
    /**
     * ACKs made (and counted as {@code ack}) but never sent: the shared lease ledger gave the
     * address to another client, or could not store the lease.
     */
    public final LongAdder acksWithheld = new LongAdder();

    private volatile ServerMetrics metrics = ServerMetrics.NOOP;

    /** Where the outcomes are reported from now on (the process's registry in {@code yoo serve}). */
    void reportTo(ServerMetrics m) {
        metrics = m == null ? ServerMetrics.NOOP : m;
    }

    void received() {
        received.increment();
    }

    void malformed() {
        count(malformed, "malformed");
    }

    void ignored() {
        count(ignored, "ignored");
    }

    void offer() {
        count(offers, "offer");
    }

    void ack() {
        count(acks, "ack");
    }

    void nak() {
        count(naks, "nak");
    }

    void release() {
        count(releases, "release");
    }

    void decline() {
        count(declines, "decline");
    }

    void inform() {
        count(informs, "inform");
    }

    void proxyReply() {
        count(proxyReplies, "proxy");
    }

    void proxyFallback() {
        count(proxyFallbacks, "proxy_fallback");
    }

    void poolExhausted() {
        count(poolExhausted, "pool_exhausted");
    }

    void badClientMac() {
        count(badClientMac, "bad_client_mac");
    }

    void unknownRelay() {
        count(unknownRelay, "unknown_relay");
    }

    void sendFailures(long n) {
        sendFailures.add(n);
    }

    void ackWithheld() {
        count(acksWithheld, "ack_withheld");
    }

    private void count(LongAdder counter, String outcome) {
        counter.increment();
        metrics.request(PROTOCOL, outcome);
    }

    @Override
    public String toString() {
        return "received=" + received + " malformed=" + malformed + " ignored=" + ignored + " offers=" + offers
                + " acks=" + acks + " naks=" + naks + " releases=" + releases + " declines=" + declines
                + " informs=" + informs + " proxy=" + proxyReplies + " proxyFallbacks=" + proxyFallbacks
                + " poolExhausted=" + poolExhausted + " badClientMac=" + badClientMac + " unknownRelay=" + unknownRelay
                + " sendFailures=" + sendFailures + " acksWithheld=" + acksWithheld;
    }
}
