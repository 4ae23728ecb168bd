package io.yoo.installer.dhcp.server;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of what the DHCPv4 server did with the datagrams it got, for its log line, tests and
 * {@code yoo serve}'s metrics ({@code yoo_requests_total{protocol="dhcp",outcome}} through
 * {@link DhcpServer#withMetrics}); the counters and the path to the metrics both servers share
 * are {@link OutcomeStats}'s.
 */
public final class DhcpStats extends OutcomeStats {
    static final String PROTOCOL = "dhcp";

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
    /**
     * ACKs made (and counted as {@code ack}) but never sent: the shared lease ledger gave the
     * address to another client, or could not store the lease.
     */
    public final LongAdder acksWithheld = new LongAdder();
    /**
     * DISCOVERs and REQUESTs without a server identifier left to another live server of the pair:
     * the client's load-balancing bucket is that server's ({@link ServerShare}). One that this
     * server answers after all, when that partner turns out dead ({@link PartnerBacklog}), is
     * counted by its answer instead; so one held is counted here when it leaves the backlog
     * unanswered (about {@value PartnerBacklog#MAX_AGE_MILLIS} ms later).
     */
    public final LongAdder peerBuckets = new LongAdder();

    public DhcpStats() {
        super(PROTOCOL);
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

    void peerBucket() {
        count(peerBuckets, "peer_bucket");
    }

    void ackWithheld() {
        count(acksWithheld, "ack_withheld");
    }

    @Override
    public String toString() {
        return dropped() + " offers=" + offers
                + " acks=" + acks + " naks=" + naks + " releases=" + releases + " declines=" + declines
                + " informs=" + informs + " proxy=" + proxyReplies + " proxyFallbacks=" + proxyFallbacks
                + " poolExhausted=" + poolExhausted + " badClientMac=" + badClientMac + " unknownRelay=" + unknownRelay
                + " sendFailures=" + sendFailures + " acksWithheld=" + acksWithheld + " peerBuckets=" + peerBuckets;
    }
}
