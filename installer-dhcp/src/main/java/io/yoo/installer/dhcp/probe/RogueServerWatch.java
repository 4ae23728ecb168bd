package io.yoo.installer.dhcp.probe;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schedule and the reporting of a rogue server detector, for DHCPv4 ({@link RogueDhcpDetector})
 * and DHCPv6 ({@code RogueDhcp6Detector}) alike: probe at start and then every {@code interval},
 * keep the answers that are foreign, log each at ERROR and hand them to the listeners. What an
 * answer is ({@code A}) and which ones are foreign is the caller's.
 *
 * @param <A> one server's answer to a probe
 */
public final class RogueServerWatch<A> {
    private static final Logger LOG = LoggerFactory.getLogger(RogueServerWatch.class);

    /** One probe of the link: the answers seen within {@code wait}. */
    @FunctionalInterface
    public interface Probe<A> {
        List<A> probe(Duration wait) throws Exception;
    }

    /**
     * How the detector speaks: {@code protocol} in its log lines ({@code DHCP}, {@code DHCPv6}),
     * {@code thread} the name of its thread, {@code advice} what the operator should do about a
     * foreign server.
     */
    public record Voice(String protocol, String thread, String advice) {}

    private final Voice voice;
    private final Probe<A> probe;
    private final String iface;
    private final Predicate<A> foreign;
    private final Function<A, String> describe;
    private final Duration interval;
    private final Duration wait;
    private final Consumer<List<A>> onForeign;
    private ScheduledExecutorService executor;
    private volatile List<A> lastForeign = List.of();
    private volatile Consumer<List<A>> results = found -> { };

    public RogueServerWatch(Voice voice, Probe<A> probe, String iface, Predicate<A> foreign, Function<A, String> describe,
            Duration interval, Duration wait, Consumer<List<A>> onForeign) {
        this.voice = voice;
        this.probe = probe;
        this.iface = iface;
        this.foreign = foreign;
        this.describe = describe;
        this.interval = interval;
        this.wait = wait;
        this.onForeign = onForeign;
    }

    /** Also called after every probe that ran, with the foreign servers found (empty: none any more). */
    public void results(Consumer<List<A>> listener) {
        this.results = listener;
    }

    public synchronized void start() {
        if (executor != null) {
            throw new IllegalStateException("already started");
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name(voice.thread()).daemon(true).unstarted(r));
        executor.scheduleWithFixedDelay(this::runOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One probe now; returns the foreign servers seen (none when the probe failed: it is logged). */
    public List<A> runOnce() {
        try {
            List<A> found = probe.probe(wait).stream().filter(foreign).toList();
            for (A a : found) {
                LOG.error("FOREIGN {} SERVER on {}: {} — machines may boot from it or get wrong addresses; {}",
                        voice.protocol(), iface, describe.apply(a), voice.advice());
            }
            lastForeign = found;
            results.accept(found);
            if (!found.isEmpty()) {
                onForeign.accept(found);
            }
            return found;
        } catch (Exception e) {
            LOG.warn("{} probe on {} failed: {}", voice.protocol(), iface, e.getMessage());
            return List.of();
        }
    }

    public List<A> lastForeign() {
        return lastForeign;
    }

    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }

    public synchronized boolean isRunning() {
        return executor != null;
    }
}
