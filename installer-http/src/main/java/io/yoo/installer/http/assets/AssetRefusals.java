package io.yoo.installer.http.assets;

import io.yoo.installer.api.net.Ipv4;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asset requests refused as unverified: one WARN line per file and client (repeats within a
 * minute are not logged again), and the last refusal per client address, so the "failed" event
 * that client reports next can say which file was refused and why (its install script only sees
 * a 404). Both maps are bounded: a client cannot grow them by asking for many paths.
 */
public final class AssetRefusals {
    private static final Logger LOG = LoggerFactory.getLogger(AssetRefusals.class);
    static final int MAX_ENTRIES = 4096;
    static final Duration LOG_AGAIN_AFTER = Duration.ofMinutes(1);
    /** A refusal older than this is not blamed for a failure. */
    static final Duration RELEVANT_FOR = Duration.ofMinutes(30);

    public record Refusal(String path, String reason, Instant at) {
        public String describe() {
            return "the server refused assets/" + path + ": " + reason;
        }
    }

    private final Clock clock;
    private final Map<String, Instant> logged = lru();
    private final Map<Ipv4, Refusal> lastByClient = lru();

    public AssetRefusals() {
        this(Clock.systemUTC());
    }

    AssetRefusals(Clock clock) {
        this.clock = clock;
    }

    private static <K, V> Map<K, V> lru() {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > MAX_ENTRIES;
            }
        };
    }

    /** Called for each refused asset request; {@code who} names the machine when known (for the log). */
    public void refused(Optional<Ipv4> client, String who, String path, String reason) {
        Instant now = clock.instant();
        String key = client.map(Ipv4::toString).orElse("?") + " " + path;
        boolean log;
        synchronized (this) {
            client.ifPresent(c -> lastByClient.put(c, new Refusal(path, reason, now)));
            Instant last = logged.get(key);
            log = last == null || !now.isBefore(last.plus(LOG_AGAIN_AFTER));
            if (log) {
                logged.put(key, now);
            }
        }
        if (log) {
            LOG.warn("404 /assets/{} to {}: {}", path, who, reason);
        }
    }

    /** The latest refusal for this client address, if recent enough to explain a failure. */
    public synchronized Optional<Refusal> recent(Ipv4 client) {
        Refusal r = lastByClient.get(client);
        return r != null && clock.instant().isBefore(r.at().plus(RELEVANT_FOR)) ? Optional.of(r) : Optional.empty();
    }
}
