package io.yoo.installer.dhcp.server;

import io.yoo.installer.api.metrics.ServerMetrics;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the DHCPv4 ({@link DhcpStats}) and DHCPv6 ({@code Dhcp6Stats}) servers share in their
 * counters: every datagram read, the ones dropped as malformed or ignored, the replies the kernel
 * did not take, and the one path of an outcome to {@code /metrics}: {@link #count} adds to the
 * counter here and reports the outcome to the {@link ServerMetrics} given with {@link #reportTo}
 * (exported as {@code yoo_requests_total{protocol,outcome}}). This object stays with one server
 * instance, the {@link ServerMetrics} outlives restarts, so the exported counters never go back.
 */
public abstract class OutcomeStats {
    /** Every datagram read; not exported (the outcomes break it down). */
    public final LongAdder received = new LongAdder();
    /** Not well-formed (truncated, bad lengths, bad option structure, a relay nesting bomb): dropped. */
    public final LongAdder malformed = new LongAdder();
    /** Well-formed but not for us (another interface, another server chosen, a server's message, no subnet). */
    public final LongAdder ignored = new LongAdder();
    /** Replies the kernel did not take; not exported (the reply was already counted by its outcome). */
    public final LongAdder sendFailures = new LongAdder();

    private final String protocol;
    private volatile ServerMetrics metrics = ServerMetrics.NOOP;

    /** @param protocol the {@code protocol} label of the exported outcomes ({@code dhcp}, {@code dhcp6}) */
    protected OutcomeStats(String protocol) {
        this.protocol = protocol;
    }

    /** Where the outcomes are reported from now on (the process's registry in {@code yoo serve}). */
    public final void reportTo(ServerMetrics m) {
        metrics = m == null ? ServerMetrics.NOOP : m;
    }

    public final void received() {
        received.increment();
    }

    public final void malformed() {
        count(malformed, "malformed");
    }

    public final void ignored() {
        count(ignored, "ignored");
    }

    public final void sendFailures(long n) {
        sendFailures.add(n);
    }

    /** Adds one to {@code counter} and reports {@code outcome} (a Prometheus label value: lower case, underscores). */
    protected final void count(LongAdder counter, String outcome) {
        counter.increment();
        metrics.request(protocol, outcome);
    }

    /** {@code received=… malformed=… ignored=…}: the start of the subclass's log line. */
    protected final String dropped() {
        return "received=" + received + " malformed=" + malformed + " ignored=" + ignored;
    }
}
