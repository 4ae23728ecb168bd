package io.yoo.installer.dhcp.v6.server;

import io.yoo.installer.api.metrics.ServerMetrics;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the DHCPv6 server did with the datagrams it got, as {@code DhcpStats} for v4; every
 * outcome also goes to the {@link ServerMetrics} given (protocol {@code dhcp6}).
 */
public final class Dhcp6Stats {
    static final String PROTOCOL = "dhcp6";

    public final LongAdder received = new LongAdder();
    /** Not a well-formed DHCPv6 message (bad lengths, bad option structure, relay nesting bomb): dropped. */
    public final LongAdder malformed = new LongAdder();
    /** Well-formed but not for us (another server's id, a server message, no client id, no subnet). */
    public final LongAdder ignored = new LongAdder();
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
    /** Replies the kernel did not take. */
    public final LongAdder sendFailures = new LongAdder();

    private volatile ServerMetrics metrics = ServerMetrics.NOOP;

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

    void sendFailure() {
        sendFailures.increment();
    }

    private void count(LongAdder counter, String outcome) {
        counter.increment();
        metrics.request(PROTOCOL, outcome);
    }

    @Override
    public String toString() {
        return "received=" + received + " malformed=" + malformed + " ignored=" + ignored + " advertises=" + advertises
                + " replies=" + replies + " releases=" + releases + " declines=" + declines + " confirms=" + confirms
                + " informs=" + informs + " noAddrs=" + noAddrs + " relayed=" + relayed + " unknownLink=" + unknownLink
                + " sendFailures=" + sendFailures;
    }
}
