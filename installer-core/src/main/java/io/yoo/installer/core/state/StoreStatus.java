package io.yoo.installer.core.state;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether the state database takes writes now, and what waits for it: for metrics, the health
 * endpoint and the UI banner.
 *
 * @param up        false while the database is unreachable (writes go to the local spool)
 * @param cause     why it is down, when it is
 * @param since     when it went down, when it is
 * @param queued    writes in the spool, waiting for the database
 * @param oldest    the original time of the oldest of them
 * @param dropped   writes refused since start because the spool was full (or damaged at start), or not
 *                  spooled (audit entries, install logs) while the database was unreachable
 */
public record StoreStatus(boolean up, Optional<String> cause, Optional<Instant> since, long queued, Optional<Instant> oldest,
        long dropped) {

    public static final StoreStatus UP = new StoreStatus(true, Optional.empty(), Optional.empty(), 0, Optional.empty(), 0);

    /** Seconds the oldest queued write has waited (0 with none). */
    public double oldestSeconds(Instant now) {
        return oldest.map(o -> Math.max(0, Duration.between(o, now).toMillis() / 1000.0)).orElse(0.0);
    }

    /** One line for people: "up" or what is down and what waits. */
    public String describe(Instant now) {
        if (up && queued == 0) {
            return dropped == 0 ? "up" : "up; " + dropped + " writes dropped since start (spool full)";
        }
        return (up ? "up, replaying" : "DOWN since " + since.map(Instant::toString).orElse("?") + " (" + cause.orElse("?") + ")")
                + "; " + queued + " writes queued" + (queued > 0 ? String.format(" (oldest %.0f s)", oldestSeconds(now)) : "")
                + (dropped > 0 ? "; " + dropped + " dropped (spool full)" : "");
    }
}
