package io.yoo.installer.core.state;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One kind of warning a failing background loop repeats (the database unreachable, polled every
 * second): the first occurrence is written at once, then at most one line per interval, saying how
 * many were left out since the last line. The same idea as the DHCP engine's (installer-dhcp keeps
 * its own, package-private, on the engine's clock); this one runs on {@link System#nanoTime}.
 */
public final class RateLimitedWarning {
    private final long intervalNanos;
    private final Consumer<String> sink;
    private boolean written;
    private long nextAt;
    private long suppressed;

    /** @param sink where the lines go, e.g. {@code LOG::warn} */
    public RateLimitedWarning(Duration interval, Consumer<String> sink) {
        this.intervalNanos = interval.toNanos();
        this.sink = sink;
    }

    /** Writes {@code message} (built only when written) unless one was written less than the interval ago. */
    public void warn(Supplier<String> message) {
        warn(System.nanoTime(), message);
    }

    synchronized void warn(long nowNanos, Supplier<String> message) {
        if (written && nowNanos - nextAt < 0) {
            suppressed++;
            return;
        }
        String more = suppressed == 0 ? "" : " (" + suppressed + " more like it since the last such line, not logged)";
        suppressed = 0;
        written = true;
        nextAt = nowNanos + intervalNanos;
        sink.accept(message.get() + more);
    }
}
