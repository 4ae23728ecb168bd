package io.yoo.installer.dhcp.v6.probe;

import io.yoo.installer.api.lifecycle.Lifecycle;
import io.yoo.installer.dhcp.probe.RogueServerWatch;
import io.yoo.installer.dhcp.v6.codec.Duid;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DHCPv6 twin of {@code RogueDhcpDetector}: probes the link at start and every
 * {@code interval}, and reports every server whose DUID is neither Yoo's own nor expected,
 * loudly (ERROR log and the {@code onForeign} callback). The schedule and the reporting are
 * {@link RogueServerWatch}'s; this class says what is foreign.
 */
public final class RogueDhcp6Detector implements Lifecycle {
    private static final RogueServerWatch.Voice VOICE = new RogueServerWatch.Voice("DHCPv6", "dhcp6-probe", "stop it");

    private static final Logger LOG = LoggerFactory.getLogger(RogueDhcp6Detector.class);

    private final RogueServerWatch<Probe6Answer> watch;
    private final String iface;
    private volatile Supplier<Set<Duid>> peers = Set::of;

    /**
     * @param own      Yoo's own server DUIDs (their answers are not foreign)
     * @param expected other servers that are allowed on this link
     */
    public RogueDhcp6Detector(Dhcp6Probe probe, String iface, Set<Duid> own, Set<Duid> expected, Duration interval,
            Duration wait, Consumer<List<Probe6Answer>> onForeign) {
        Set<Duid> known = Set.copyOf(own);
        Set<Duid> allowed = Set.copyOf(expected);
        this.iface = iface;
        this.watch = new RogueServerWatch<>(VOICE, probe::probe, iface,
                a -> a.serverId().map(id -> !known.contains(id) && !allowed.contains(id)).orElse(true) && notFromPeer(a),
                Probe6Answer::describe, interval, wait, onForeign);
    }

    /** Not an answer of this cluster's other servers (logged at INFO: they answer every client too). */
    private boolean notFromPeer(Probe6Answer a) {
        if (a.serverId().isEmpty() || !peers.get().contains(a.serverId().get())) {
            return true;
        }
        LOG.info("DHCPv6 probe on {}: answered by this cluster's other server(s), not foreign: {}", iface, a.describe());
        return false;
    }

    /**
     * The DUIDs of the other servers of the same cluster (several servers on one database: their
     * heartbeats name them), asked for each answer a probe gets: their answers are not foreign.
     */
    public RogueDhcp6Detector withPeers(Supplier<Set<Duid>> p) {
        this.peers = p;
        return this;
    }

    /** Also called after every probe that ran, with the foreign servers found (empty: none any more). */
    public RogueDhcp6Detector withResults(Consumer<List<Probe6Answer>> listener) {
        watch.results(listener);
        return this;
    }

    @Override
    public String name() {
        return "rogue-dhcp6-detector";
    }

    @Override
    public void start() {
        watch.start();
    }

    /** One probe now; returns the foreign servers seen. */
    public List<Probe6Answer> runOnce() {
        return watch.runOnce();
    }

    public List<Probe6Answer> lastForeign() {
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
