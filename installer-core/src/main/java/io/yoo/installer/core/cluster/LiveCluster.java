package io.yoo.installer.core.cluster;

import io.yoo.installer.api.boot.BootDecision;
import io.yoo.installer.api.boot.BootPolicy;
import io.yoo.installer.api.boot.BootRequest;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.boot.RequestFamily;
import io.yoo.installer.api.boot.Sighting;
import io.yoo.installer.core.config.secrets.ClusterSecrets;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.DescriptorError;
import io.yoo.installer.core.descriptor.DescriptorException;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.api.lifecycle.Lifecycle;
import io.yoo.installer.core.match.LearnedMacs;
import io.yoo.installer.core.match.MachineDirectory;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.render.ArtifactKind;
import io.yoo.installer.core.render.MachineArtifacts;
import io.yoo.installer.core.render.Rendered;
import io.yoo.installer.core.state.StateStore;
import io.yoo.installer.core.descriptor.DhcpMode;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster {@code yoo serve} serves right now: holds the current {@link ClusterSnapshot} and
 * answers every seam the servers use from it — DHCP's {@link #decide}, TFTP's {@link #virtualFile}
 * and every server's {@link #observe} (the machine is named with the snapshot's index, then the
 * sighting goes to the state store), HTTP's {@link #artifacts()} and {@link #directory()}.
 * {@link #reload} builds a new snapshot and swaps it in one write; each call reads the snapshot
 * once, so it sees the old descriptor or the new one, never a mix. A descriptor with mistakes is
 * refused and the old one kept. Thread-safe.
 *
 * <p>As a {@link Lifecycle}, {@link #start} reads the MACs earlier runs learned (start it after
 * the state store, before the servers).
 */
public final class LiveCluster implements BootPolicy, Lifecycle {
    // the serve command's logger: the reload lines read as they always have ("serve descriptor ... reloaded")
    private static final Logger LOG = LoggerFactory.getLogger("yoo.serve");

    private final MachineTokens tokens;
    private final Supplier<ClusterSecrets> secrets;
    private final StateStore store;
    private final Clock clock;
    private final LearnedMacs learned = new LearnedMacs();
    private final List<Consumer<ClusterSnapshot>> listeners = new CopyOnWriteArrayList<>();
    private final MachineArtifacts artifacts = new LiveArtifacts(RequestFamily.IPV4);
    private final MachineArtifacts artifacts6 = new LiveArtifacts(RequestFamily.IPV6);
    private final MachineDirectory directory = new LiveDirectory();
    private final DescriptorEdits edits = new DescriptorEdits();
    private volatile ClusterSnapshot current;
    private volatile boolean started;

    /**
     * @throws IllegalArgumentException when the descriptor's reservations conflict (see {@link ClusterSnapshot#of})
     */
    public LiveCluster(ClusterDescriptor descriptor, MachineTokens tokens, Supplier<ClusterSecrets> secrets, StateStore store, Clock clock) {
        this.tokens = Objects.requireNonNull(tokens);
        this.secrets = Objects.requireNonNull(secrets);
        this.store = Objects.requireNonNull(store);
        this.clock = clock;
        this.current = snapshotOf(descriptor);
    }

    public LiveCluster(ClusterDescriptor descriptor, MachineTokens tokens, Supplier<ClusterSecrets> secrets, StateStore store) {
        this(descriptor, tokens, secrets, store, Clock.systemUTC());
    }

    private ClusterSnapshot snapshotOf(ClusterDescriptor d) {
        return ClusterSnapshot.of(d, tokens, secrets, store, learned);
    }

    /** The one lock and writer for edits of this cluster's descriptor files (enroll, change-ip). */
    public DescriptorEdits edits() {
        return edits;
    }

    /** The snapshot served now. */
    public ClusterSnapshot current() {
        return current;
    }

    /**
     * Called with each new snapshot right after it is swapped in (e.g. to reconfigure DHCP); a
     * listener that throws makes the reload log "NOT reloaded" with its message.
     */
    public void onSwap(Consumer<ClusterSnapshot> listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    /**
     * Reads {@code file} again and serves it. With mistakes (or conflicting reservations) the
     * descriptor is not taken: the errors are logged with file, line and field, and the old one
     * keeps being served.
     *
     * @return true when the new descriptor is served
     */
    public synchronized boolean reload(Path file) {
        ClusterDescriptor next;
        try {
            next = DescriptorLoader.load(file);
        } catch (DescriptorException e) {
            LOG.error("descriptor {} NOT reloaded, it has {} mistake(s); still serving the previous one:", file, e.errors().size());
            for (DescriptorError error : e.errors()) {
                LOG.error("  {}", error.format());
            }
            return false;
        }
        try {
            swap(snapshotOf(next));
            LOG.info("descriptor {} reloaded: {} machines", file, next.machines().size());
            return true;
        } catch (RuntimeException e) {
            LOG.error("descriptor {} NOT reloaded: {}; still serving the previous one", file, e.getMessage());
            return false;
        }
    }

    /** Serves {@code next} from the next request on and tells the listeners. */
    synchronized void swap(ClusterSnapshot next) {
        current = next;
        for (Consumer<ClusterSnapshot> l : listeners) {
            l.accept(next);
        }
    }

    @Override
    public BootDecision decide(BootRequest request) {
        return current.boot().decide(request);
    }

    @Override
    public Optional<byte[]> virtualFile(String path, Ipv4 client) {
        return current.virtualFile(path, client);
    }

    /** Names the machine with the current index (TFTP knows only the address) and records the sighting, without waiting. */
    @Override
    public void observe(Sighting sighting) {
        store.observeLater(current.machines().resolve(sighting), clock.instant());
    }

    /** What HTTP serves, always from the current snapshot (to a request over IPv4; {@code over} for IPv6). */
    public MachineArtifacts artifacts() {
        return artifacts;
    }

    /** The machines HTTP knows, always from the current snapshot. */
    public MachineDirectory directory() {
        return directory;
    }

    @Override
    public String name() {
        return "cluster";
    }

    /**
     * Seeds the MACs learned in earlier runs for machines the descriptor knows only by UUID: the
     * store remembers the last MAC each machine was seen with.
     */
    @Override
    public void start() {
        ClusterSnapshot s = current;
        for (Machine m : s.descriptor().machines()) {
            if (m.macs().isEmpty() && m.uuid().isPresent()) {
                store.machine(m.name()).flatMap(r -> r.lastMac()).ifPresent(mac -> {
                    try {
                        learned.learn(MacAddress.parse(mac), m.name());
                    } catch (IllegalArgumentException e) {
                        // a stored value that is no MAC: nothing to learn
                    }
                });
            }
        }
        started = true;
    }

    @Override
    public void stop() {
        started = false;
    }

    @Override
    public boolean isRunning() {
        return started;
    }

    /** The current snapshot's artifacts over one family, looked up on each call (a reload swaps them). */
    private final class LiveArtifacts implements MachineArtifacts {
        private final RequestFamily family;

        LiveArtifacts(RequestFamily family) {
            this.family = family;
        }

        private MachineArtifacts now() {
            return current.artifacts().over(family);
        }

        @Override
        public MachineArtifacts over(RequestFamily f) {
            return f == RequestFamily.IPV6 ? artifacts6 : artifacts;
        }

        @Override
        public Optional<Rendered> render(String machine, ArtifactKind kind) {
            return now().render(machine, kind);
        }

        @Override
        public Optional<Rendered> unknownMenu() {
            return now().unknownMenu();
        }

        @Override
        public Optional<Rendered> profileLiveConfig(String profile) {
            return now().profileLiveConfig(profile);
        }

        @Override
        public boolean discoversUnknown() {
            return now().discoversUnknown();
        }

        @Override
        public Optional<Rendered> discoveryScript(MacAddress mac, String enrollmentToken) {
            return now().discoveryScript(mac, enrollmentToken);
        }

        @Override
        public Optional<Rendered> discoveryProgram(MacAddress mac, String enrollmentToken) {
            return now().discoveryProgram(mac, enrollmentToken);
        }

        @Override
        public Optional<Rendered> discoveryLiveConfig(MacAddress mac, String enrollmentToken) {
            return now().discoveryLiveConfig(mac, enrollmentToken);
        }
    }

    private final class LiveDirectory implements MachineDirectory {
        @Override
        public List<Machine> machines() {
            return current.machines().machines();
        }

        @Override
        public Optional<Machine> byName(String name) {
            return current.machines().byName(name);
        }

        @Override
        public Optional<Machine> byMac(MacAddress mac) {
            return current.machines().byMac(mac);
        }

        @Override
        public Optional<Ipv4> reservedAddress(Machine machine) {
            return current.machines().reservedAddress(machine);
        }

        @Override
        public Optional<String> ipv6(Machine machine) {
            return current.descriptor().ipv6Of(machine).map(Object::toString);
        }

        /** Reserved by Yoo's DHCPv6: a descriptor with network.ipv6 and full DHCP. */
        @Override
        public Optional<InetAddress> reservedAddress6(Machine machine) {
            ClusterDescriptor d = current.descriptor();
            if (d.network().dhcpMode() != DhcpMode.FULL) {
                return Optional.empty();
            }
            return d.ipv6().map(v6 -> v6.addresses().get(machine.name())).<InetAddress>map(a -> a.toInet(0));
        }
    }
}
