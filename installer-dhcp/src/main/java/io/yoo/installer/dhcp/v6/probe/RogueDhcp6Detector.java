package io.yoo.installer.dhcp.v6.probe;

import io.yoo.installer.api.lifecycle.Lifecycle;
import io.yoo.installer.dhcp.v6.codec.Duid;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DHCPv6 twin of {@code RogueDhcpDetector}: probes the link at start and every
 * {@code interval}, and reports every server whose DUID is neither Yoo's own nor expected,
 * loudly (ERROR log and the {@code onForeign} callback).
 */
public final class RogueDhcp6Detector implements Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(RogueDhcp6Detector.class);

    private final Dhcp6Probe probe;
    private final String iface;
    private final Set<Duid> own;
    private final Set<Duid> expected;
    private final Duration interval;
    private final Duration wait;
    private final Consumer<List<Probe6Answer>> onForeign;
    private ScheduledExecutorService executor;
    private volatile List<Probe6Answer> lastForeign = List.of();

    /**
     * @param own      Yoo's own server DUIDs (their answers are not foreign)
     * @param expected other servers that are allowed on this link
     */
    public RogueDhcp6Detector(Dhcp6Probe probe, String iface, Set<Duid> own, Set<Duid> expected, Duration interval,
            Duration wait, Consumer<List<Probe6Answer>> onForeign) {
        this.probe = probe;
        this.iface = iface;
        this.own = Set.copyOf(own);
        this.expected = Set.copyOf(expected);
        this.interval = interval;
        this.wait = wait;
        this.onForeign = onForeign;
    }

    @Override
    public String name() {
        return "rogue-dhcp6-detector";
    }

    @Override
    public synchronized void start() {
        if (executor != null) {
            throw new IllegalStateException("already started");
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("dhcp6-probe").daemon(true).unstarted(r));
        executor.scheduleWithFixedDelay(this::runOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One probe now; returns the foreign servers seen. */
    public List<Probe6Answer> runOnce() {
        try {
            List<Probe6Answer> foreign = probe.probe(wait).stream()
                    .filter(a -> a.serverId().map(id -> !own.contains(id) && !expected.contains(id)).orElse(true))
                    .toList();
            for (Probe6Answer a : foreign) {
                LOG.error("FOREIGN DHCPv6 SERVER on {}: {} — machines may boot from it or get wrong addresses; stop it",
                        iface, a.describe());
            }
            lastForeign = foreign;
            if (!foreign.isEmpty()) {
                onForeign.accept(foreign);
            }
            return foreign;
        } catch (Exception e) {
            LOG.warn("DHCPv6 probe on {} failed: {}", iface, e.getMessage());
            return List.of();
        }
    }

    public List<Probe6Answer> lastForeign() {
        return lastForeign;
    }

    @Override
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

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
