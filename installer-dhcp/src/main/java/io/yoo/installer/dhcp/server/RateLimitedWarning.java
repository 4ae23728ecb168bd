package io.yoo.installer.dhcp.server;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One kind of warning a flood of requests can trigger (an exhausted pool, an unknown relay): the
 * first occurrence is written at once, then at most one line per interval, saying how many were
 * left out since the last line. The counters in {@link DhcpStats} keep the exact numbers.
 */
public final class RateLimitedWarning {
    private final long intervalSeconds;
    private final Consumer<String> sink;
    private long nextAt = Long.MIN_VALUE;
    private long suppressed;

    public RateLimitedWarning(long intervalSeconds, Consumer<String> sink) {
        this.intervalSeconds = intervalSeconds;
        this.sink = sink;
    }

    /** {@code now} in seconds (the engine's clock); the message is built only when written. */
    public synchronized void warn(long now, Supplier<String> message) {
        if (now < nextAt) {
            suppressed++;
            return;
        }
        String more = suppressed == 0 ? "" : " (" + suppressed + " more like it in the last " + intervalSeconds + " s not logged)";
        suppressed = 0;
        nextAt = now + intervalSeconds;
        sink.accept(message.get() + more);
    }
}
