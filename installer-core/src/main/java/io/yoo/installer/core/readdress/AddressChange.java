package io.yoo.installer.core.readdress;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.core.cluster.DescriptorEdits;
import io.yoo.installer.core.cluster.LiveCluster;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.DescriptorEditRefused;
import io.yoo.installer.core.descriptor.DescriptorError;
import io.yoo.installer.core.descriptor.DescriptorException;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.descriptor.Role;
import io.yoo.installer.core.state.LeaseRecord;
import io.yoo.installer.core.state.LeaseSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code yoo change-ip}: moves a machine to a new address in the descriptor, the one source of
 * truth. The address is checked ({@link AddressCheck}); the {@code ip:} value is rewritten in
 * place in whichever file lists the machine, the descriptor or its {@code machinesFrom} file
 * ({@link MachineIpLine}: comments and layout kept); the whole descriptor is loaded (a mistake
 * puts the old text back) and reloaded live, so DHCP serves the new reservation at once (a
 * client renewing the old address is NAKed and asks again). Applying it to the installed machine
 * is the caller's next step: a reprovision (its installed network, kubelet's node-ip and the
 * kubeadm join are all rendered from the descriptor's address). Control-plane machines are
 * refused: their address is in etcd's member list, the API server's certificate and, without a
 * separate endpoint, every node's kubeconfig. One edit of the descriptor files at a time, address
 * changes and enrollments alike ({@link LiveCluster#edits}).
 */
public final class AddressChange {
    private final LiveCluster live;
    private final LeaseSource leases;
    private final Clock clock;

    public AddressChange(LiveCluster live, LeaseSource leases, Clock clock) {
        this.live = Objects.requireNonNull(live);
        this.leases = Objects.requireNonNull(leases);
        this.clock = Objects.requireNonNull(clock);
    }

    /** A change made: the machine, its old and new address, the file and line rewritten, a unified diff of that line. */
    public record Change(String name, Ipv4 before, Ipv4 after, Path file, int line, String diff) {}

    public Change change(String name, Ipv4 ip) throws DescriptorEditRefused {
        // one lock with enroll: both write these files (LiveCluster.edits)
        return live.edits().exclusive(() -> changeLocked(name, ip));
    }

    private Change changeLocked(String name, Ipv4 ip) throws DescriptorEditRefused {
        ClusterDescriptor d = live.current().descriptor();
        Machine m = d.machine(name).orElseThrow(() -> refused(DescriptorEditRefused.Kind.NOT_FOUND, "no machine named '" + name + "'", List.of()));
        if (m.ipv6Only()) {
            throw refused(DescriptorEditRefused.Kind.CONFLICT, name + " is IPv6-only (no ip in the descriptor): change-ip moves"
                    + " IPv4 addresses; edit its ipv6 in the descriptor and reprovision it", List.of());
        }
        if (m.role() == Role.CONTROL_PLANE) {
            throw refused(DescriptorEditRefused.Kind.CONFLICT, name + " is a control-plane machine: its address " + m.ip()
                    + " is in etcd's member list, the API server's certificate and the kubeconfig of every node joined through it;"
                    + " change-ip moves workers only (see README, 'Change a machine's address')", List.of());
        }
        List<LeaseRecord> current;
        try {
            current = leases.leases();
        } catch (Exception e) {
            throw refused(DescriptorEditRefused.Kind.CONFLICT, "cannot read the DHCP leases to check " + ip + ": " + e.getMessage(), List.of());
        }
        List<String> problems = AddressCheck.problems(d, m, ip, current, clock.instant().getEpochSecond());
        if (!problems.isEmpty()) {
            throw refused(DescriptorEditRefused.Kind.CONFLICT, name + " cannot move to " + ip, problems);
        }
        Path descriptor = d.source();
        List<Path> files = new ArrayList<>(List.of(descriptor));
        d.machinesFrom().ifPresent(files::add);
        for (Path file : files) {
            Optional<Change> done = rewriteIn(descriptor, file, m, ip);
            if (done.isPresent()) {
                if (!live.reload(descriptor)) {
                    throw refused(DescriptorEditRefused.Kind.CONFLICT, "written to " + file + ", but the descriptor did not reload (see the server log)",
                            List.of());
                }
                return done.get();
            }
        }
        throw refused(DescriptorEditRefused.Kind.INVALID, name + " is served but listed in none of " + files + " (edited since the last reload?)",
                List.of());
    }

    private static Optional<Change> rewriteIn(Path descriptor, Path file, Machine m, Ipv4 ip) throws DescriptorEditRefused {
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            String old = Files.readString(file, StandardCharsets.UTF_8);
            Optional<MachineIpLine.Edit> edit;
            try {
                edit = MachineIpLine.rewrite(old, m.name(), m.ip(), ip);
            } catch (MachineIpLine.NotRewritableException e) {
                throw refused(DescriptorEditRefused.Kind.INVALID, file + ": " + e.getMessage(), List.of());
            }
            if (edit.isEmpty()) {
                return Optional.empty();
            }
            DescriptorEdits.write(file, edit.get().text());
            try {
                DescriptorLoader.load(descriptor);
            } catch (DescriptorException e) {
                DescriptorEdits.write(file, old);
                throw refused(DescriptorEditRefused.Kind.INVALID, "the descriptor would not load with " + m.name() + " at " + ip,
                        e.errors().stream().map(DescriptorError::format).toList());
            }
            MachineIpLine.Edit ed = edit.get();
            String name = file.getFileName().toString();
            String diff = "--- " + name + "\n+++ " + name + "\n@@ -" + ed.line() + ",1 +" + ed.line() + ",1 @@\n-" + ed.before() + "\n+" + ed.after() + "\n";
            return Optional.of(new Change(m.name(), m.ip(), ip, file, ed.line(), diff));
        } catch (IOException e) {
            throw refused(DescriptorEditRefused.Kind.INVALID, "cannot rewrite " + file + ": " + e.getMessage(), List.of());
        }
    }


    private static DescriptorEditRefused refused(DescriptorEditRefused.Kind kind, String message, List<String> errors) {
        return new DescriptorEditRefused(kind, message, errors);
    }
}
