package io.yoo.installer.dhcp.probe;

import io.yoo.installer.api.lifecycle.Lifecycle;
import io.yoo.installer.api.net.Ipv4;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes the install network at start and then every {@code interval} and reports every DHCP
 * server that is not Yoo itself, loudly (ERROR log and the {@code onForeign} callback, e.g. the
 * UI's event feed). In proxy mode a foreign full server is expected: pass it in {@code expected}.
 * The schedule and the reporting are {@link RogueServerWatch}'s; this class says what is foreign.
 */
public final class RogueDhcpDetector implements Lifecycle {
    private static final RogueServerWatch.Voice VOICE = new RogueServerWatch.Voice("DHCP", "dhcp-probe",
            "stop it or run Yoo in proxy mode beside it");

    private static final Logger LOG = LoggerFactory.getLogger(RogueDhcpDetector.class);

    private final RogueServerWatch<ProbeAnswer> watch;
    private final String iface;
    private volatile Supplier<Set<Ipv4>> peers = Set::of;

    /**
     * @param own      Yoo's own server addresses (its answers are not foreign)
     * @param expected servers that are allowed (the existing server in proxy mode)
     */
    public RogueDhcpDetector(DhcpProbe probe, String iface, Set<Ipv4> own, Set<Ipv4> expected, Duration interval,
            Duration wait, Consumer<List<ProbeAnswer>> onForeign) {
        Set<Ipv4> known = Set.copyOf(own);
        Set<Ipv4> allowed = Set.copyOf(expected);
        this.iface = iface;
        this.watch = new RogueServerWatch<>(VOICE, probe::probe, iface,
                a -> notIn(a, known) && notIn(a, allowed) && notFromPeer(a), ProbeAnswer::describe, interval, wait, onForeign);
    }

    /** Not an answer of this cluster's other servers (logged at INFO: they answer every client too). */
    private boolean notFromPeer(ProbeAnswer a) {
        if (notIn(a, peers.get())) {
            return true;
        }
        LOG.info("DHCP probe on {}: answered by this cluster's other server(s), not foreign: {}", iface, a.describe());
        return false;
    }

    /** Neither the answer's source nor the server id it names is in {@code servers}. */
    private static boolean notIn(ProbeAnswer a, Set<Ipv4> servers) {
        return !servers.contains(a.source()) && a.serverId().map(id -> !servers.contains(id)).orElse(true);
    }

    /**
     * The addresses of the other servers of the same cluster (several servers on one database: their
     * heartbeats name them), asked for each answer a probe gets: their answers are not foreign.
     */
    public RogueDhcpDetector withPeers(Supplier<Set<Ipv4>> p) {
        this.peers = p;
        return this;
    }

    /** Also called after every probe that ran, with the foreign servers found (empty: none any more). */
    public RogueDhcpDetector withResults(Consumer<List<ProbeAnswer>> listener) {
        watch.results(listener);
        return this;
    }

    @Override
    public String name() {
        return "rogue-dhcp-detector";
    }

    @Override
    public void start() {
        watch.start();
    }

    /** One probe now; returns the foreign servers seen. */
    public List<ProbeAnswer> runOnce() {
        return watch.runOnce();
    }

    public List<ProbeAnswer> lastForeign() {
        return watch.lastForeign();
    }

    @Override
    public void stop() {
        watch.stop();
    }

    @Override
    public boolean isRunning() {
        return watch.isRunning();
    }
}
