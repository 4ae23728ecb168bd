package io.yoo.installer.dhcp.probe;

import io.yoo.installer.api.lifecycle.Lifecycle;
import io.yoo.installer.api.net.Ipv4;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes the install network at start and then every {@code interval} and reports every DHCP
 * server that is not Yoo itself, loudly (ERROR log and the {@code onForeign} callback, e.g. the
 * UI's event feed). In proxy mode a foreign full server is expected: pass it in {@code expected}.
 */
public final class RogueDhcpDetector implements Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(RogueDhcpDetector.class);

    private final DhcpProbe probe;
    private final String iface;
    private final Set<Ipv4> own;
    private final Set<Ipv4> expected;
    private final Duration interval;
    private final Duration wait;
    private final Consumer<List<ProbeAnswer>> onForeign;
    private ScheduledExecutorService executor;
    private volatile List<ProbeAnswer> lastForeign = List.of();
    private volatile Consumer<List<ProbeAnswer>> results = found -> { };
    private volatile Supplier<Set<Ipv4>> peers = Set::of;

    /**
     * @param own      Yoo's own server addresses (its answers are not foreign)
     * @param expected servers that are allowed (the existing server in proxy mode)
     */
    public RogueDhcpDetector(DhcpProbe probe, String iface, Set<Ipv4> own, Set<Ipv4> expected, Duration interval,
            Duration wait, Consumer<List<ProbeAnswer>> onForeign) {
        this.probe = probe;
        this.iface = iface;
        this.own = Set.copyOf(own);
        this.expected = Set.copyOf(expected);
        this.interval = interval;
        this.wait = wait;
        this.onForeign = onForeign;
    }

    /**
     * The addresses of the other servers of the same cluster (several servers on one database: their
     * heartbeats name them), asked before each probe: their answers are not foreign.
     */
    public RogueDhcpDetector withPeers(Supplier<Set<Ipv4>> p) {
        this.peers = p;
        return this;
    }

    /** Also called after every probe that ran, with the foreign servers found (empty: none any more). */
    public RogueDhcpDetector withResults(Consumer<List<ProbeAnswer>> listener) {
        this.results = listener;
        return this;
    }

    @Override
    public String name() {
        return "rogue-dhcp-detector";
    }

    @Override
    public synchronized void start() {
        if (executor != null) {
            throw new IllegalStateException("already started");
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("dhcp-probe").daemon(true).unstarted(r));
        executor.scheduleWithFixedDelay(this::runOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One probe now; returns the foreign servers seen. */
    public List<ProbeAnswer> runOnce() {
        try {
            Set<Ipv4> cluster = peers.get();
            List<ProbeAnswer> answers = probe.probe(wait);
            List<ProbeAnswer> fromPeers = answers.stream()
                    .filter(a -> cluster.contains(a.source()) || a.serverId().map(cluster::contains).orElse(false)).toList();
            if (!fromPeers.isEmpty()) {
                LOG.info("DHCP probe on {}: answered by this cluster's other server(s), not foreign: {}", iface,
                        fromPeers.stream().map(ProbeAnswer::describe).toList());
            }
            List<ProbeAnswer> foreign = answers.stream()
                    .filter(a -> !own.contains(a.source()) && a.serverId().map(id -> !own.contains(id)).orElse(true))
                    .filter(a -> !expected.contains(a.source()) && a.serverId().map(id -> !expected.contains(id)).orElse(true))
                    .filter(a -> !fromPeers.contains(a))
                    .toList();
            for (ProbeAnswer a : foreign) {
                LOG.error("FOREIGN DHCP SERVER on {}: {} — machines may boot from it or get wrong addresses; "
                        + "stop it or run Yoo in proxy mode beside it", iface, a.describe());
            }
            lastForeign = foreign;
            results.accept(foreign);
            if (!foreign.isEmpty()) {
                onForeign.accept(foreign);
            }
            return foreign;
        } catch (Exception e) {
            LOG.warn("DHCP probe on {} failed: {}", iface, e.getMessage());
            return List.of();
        }
    }

    public List<ProbeAnswer> lastForeign() {
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
