package io.yoo.installer.core.discovery;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.Ipv4Cidr;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.InstallNetwork;
import io.yoo.installer.core.descriptor.Machine;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The address an enrolled machine gets when the operator names none: the lowest host address of
 * the install subnet that nothing else uses — not the server, the gateway or a DNS server, not
 * inside {@code network.pool} (dynamic leases: a reservation there is a descriptor error), and
 * reserved by no machine. The descriptor's checks then hold for it by construction.
 */
public final class AddressSuggestion {
    private AddressSuggestion() {}

    public static Optional<Ipv4> next(ClusterDescriptor d) {
        InstallNetwork n = d.network();
        Set<Ipv4> taken = new HashSet<>();
        taken.add(n.serverAddress());
        n.serviceAddress().ifPresent(taken::add);
        n.gateway().ifPresent(taken::add);
        taken.addAll(n.dns());
        for (Machine m : d.machines()) {
            m.ipv4().ifPresent(taken::add);
        }
        Ipv4Cidr subnet = n.subnet();
        Ipv4 first = subnet.firstHost();
        long hosts = subnet.lastHost().unsigned() - first.unsigned() + 1;
        for (long i = 0; i < hosts; i++) {
            Ipv4 candidate = first.plus(i);
            if (!taken.contains(candidate) && n.pool().map(p -> !p.contains(candidate)).orElse(true)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
