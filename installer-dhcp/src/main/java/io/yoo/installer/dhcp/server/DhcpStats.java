package io.yoo.installer.dhcp.server;

import java.util.concurrent.atomic.LongAdder;

/** Counters of what the server did with the datagrams it got (for logs, metrics and tests). */
public final class DhcpStats {
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
    public final LongAdder sendFailures = new LongAdder();

    @Override
    public String toString() {
        return "received=" + received + " malformed=" + malformed + " ignored=" + ignored + " offers=" + offers
                + " acks=" + acks + " naks=" + naks + " releases=" + releases + " declines=" + declines
                + " informs=" + informs + " proxy=" + proxyReplies + " proxyFallbacks=" + proxyFallbacks
                + " poolExhausted=" + poolExhausted + " badClientMac=" + badClientMac + " unknownRelay=" + unknownRelay
                + " sendFailures=" + sendFailures;
    }
}
