package io.yoo.installer.core.discovery;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.cluster.LiveCluster;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.DescriptorEditRefused;
import io.yoo.installer.core.state.DiscoveryStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Enrolls a discovered machine: appends it to the descriptor's {@code machinesFrom} file
 * ({@link EnrolledMachinesFile}), reloads the served descriptor ({@link LiveCluster#reload}) and
 * marks the record enrolled. The machine, polling its status, then sees its MAC in the live
 * descriptor and reboots into its install. One edit of the descriptor files at a time, enrollments
 * and address changes alike ({@link LiveCluster#edits}).
 */
public final class Enrollment {
    private final LiveCluster live;
    private final DiscoveryStore store;
    private final Clock clock;

    public Enrollment(LiveCluster live, DiscoveryStore store, Clock clock) {
        this.live = Objects.requireNonNull(live);
        this.store = Objects.requireNonNull(store);
        this.clock = Objects.requireNonNull(clock);
    }

    public EnrolledMachinesFile.Change enroll(long id, EnrollRequest request) throws DescriptorEditRefused {
        // one lock with change-ip: both write these files (LiveCluster.edits)
        return live.edits().exclusive(() -> enrollLocked(id, request));
    }

    private EnrolledMachinesFile.Change enrollLocked(long id, EnrollRequest request) throws DescriptorEditRefused {
        DiscoveredMachine d = store.discovered(id).orElseThrow(() -> refused(DescriptorEditRefused.Kind.NOT_FOUND, "no discovered machine #" + id));
        if (d.status() == DiscoveredMachine.Status.REJECTED) {
            throw refused(DescriptorEditRefused.Kind.CONFLICT, "discovered machine #" + id + " was rejected");
        }
        if (d.status() == DiscoveredMachine.Status.HELD && !othersRejected(d)) {
            throw refused(DescriptorEditRefused.Kind.CONFLICT, "discovered machine #" + id + " is held: " + d.heldReason().orElse("")
                    + "; reject the other machine first");
        }
        ClusterDescriptor current = live.current().descriptor();
        Path descriptor = current.source();
        Path file = current.machinesFrom().orElseThrow(() -> refused(DescriptorEditRefused.Kind.CONFLICT,
                "the descriptor includes no file of enrolled machines: add 'machinesFrom: enrolled.yml' to " + descriptor));
        MacAddress mac = MacAddress.parse(d.mac());
        Optional<String> listed = current.machines().stream().filter(m -> m.macs().contains(mac)).map(m -> m.name()).findFirst();
        if (listed.isPresent()) {
            throw refused(DescriptorEditRefused.Kind.CONFLICT, d.mac() + " is already in the descriptor as " + listed.get());
        }
        Ipv4 ip = request.ip().or(() -> AddressSuggestion.next(current)).orElseThrow(() -> refused(DescriptorEditRefused.Kind.CONFLICT,
                "no free address in the install subnet outside network.pool: give one"));
        EnrolledMachinesFile.Change change;
        try {
            change = EnrolledMachinesFile.append(descriptor, file, d, request, ip, clock.instant());
        } catch (EnrolledMachinesFile.RefusedException e) {
            throw new DescriptorEditRefused(DescriptorEditRefused.Kind.INVALID, e.getMessage(), e.errors());
        }
        if (!live.reload(descriptor)) {
            throw refused(DescriptorEditRefused.Kind.CONFLICT, "written to " + file + ", but the descriptor did not reload (see the server log)");
        }
        store.setDiscoveryStatus(id, DiscoveredMachine.Status.ENROLLED);
        return change;
    }

    private boolean othersRejected(DiscoveredMachine d) {
        return store.discovered().stream().filter(o -> o.id() != d.id())
                .filter(o -> o.mac().equals(d.mac()) || (o.uuid().isPresent() && o.uuid().equals(d.uuid())))
                .allMatch(o -> o.status() == DiscoveredMachine.Status.REJECTED);
    }

    private static DescriptorEditRefused refused(DescriptorEditRefused.Kind kind, String message) {
        return new DescriptorEditRefused(kind, message, List.of());
    }
}
