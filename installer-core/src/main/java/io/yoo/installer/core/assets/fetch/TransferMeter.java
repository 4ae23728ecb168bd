package io.yoo.installer.core.assets.fetch;

import java.time.Duration;
import java.util.Locale;

/**
 * Rate and ETA of one transfer, and its progress-bar line. Pure (time is passed in) so the
 * rendering is testable without a clock; the CLI redraws the lines.
 */
public final class TransferMeter {
    private final String name;
    private final long total;
    private final long startNanos;
    private final long startBytes;
    private long done;

    public TransferMeter(String name, long total, long resumedFrom, long nowNanos) {
        this.name = name;
        this.total = total;
        this.startNanos = nowNanos;
        this.startBytes = resumedFrom;
        this.done = resumedFrom;
    }

    public synchronized void add(long bytes) {
        done += bytes;
    }

    public synchronized long done() {
        return done;
    }

    /** Bytes per second since the start (resumed bytes do not count). */
    public synchronized double rate(long nowNanos) {
        double secs = Math.max(1e-3, (nowNanos - startNanos) / 1e9);
        return (done - startBytes) / secs;
    }

    /** Remaining time at the current rate; null if unknown. */
    public synchronized Duration eta(long nowNanos) {
        double r = rate(nowNanos);
        if (total < 0 || r <= 0) {
            return null;
        }
        return Duration.ofSeconds((long) Math.ceil(Math.max(0, total - done) / r));
    }

    /** e.g. {@code kubelet  [=========>          ]  48%  52.0 MiB/108.3 MiB  11.2 MiB/s  ETA 0:05} */
    public synchronized String line(long nowNanos, int barWidth) {
        StringBuilder sb = new StringBuilder();
        String shortName = name.length() > 40 ? "…" + name.substring(name.length() - 39) : name;
        sb.append(String.format(Locale.ROOT, "%-40s ", shortName));
        if (total > 0) {
            int filled = (int) Math.min(barWidth, barWidth * done / total);
            sb.append('[').append("=".repeat(Math.max(0, filled - 1))).append(filled > 0 ? (filled == barWidth ? "=" : ">") : "")
                    .append(" ".repeat(barWidth - filled)).append(']');
            sb.append(String.format(Locale.ROOT, " %3d%%", (int) (100 * done / total)));
            sb.append("  ").append(bytes(done)).append('/').append(bytes(total));
        } else {
            sb.append(bytes(done));
        }
        sb.append("  ").append(bytes((long) rate(nowNanos))).append("/s");
        Duration eta = eta(nowNanos);
        if (eta != null) {
            sb.append(String.format(Locale.ROOT, "  ETA %d:%02d", eta.toMinutes(), eta.toSecondsPart()));
        }
        return sb.toString();
    }

    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
