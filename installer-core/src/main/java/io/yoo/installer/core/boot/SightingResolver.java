package io.yoo.installer.core.boot;

import io.yoo.installer.api.boot.Sighting;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.match.MachineMatcher;
import io.yoo.installer.api.net.Ipv4;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Names the machine behind a {@link Sighting} that came without one: TFTP only knows the
 * client's address, so a download of {@code undionly.kpxe} from 10.12.1.7 is matched to the
 * machine reserved at 10.12.1.7 (or to its MAC when the sighting has one).
 */
public final class SightingResolver {
    private final Map<Ipv4, String> byIp = new HashMap<>();
    private final MachineMatcher byMac;

    public SightingResolver(ClusterDescriptor descriptor) {
        for (Machine m : descriptor.machines()) {
            byIp.put(m.ip(), m.name());
        }
        byMac = new MachineMatcher(descriptor.machines());
    }

    public Sighting resolve(Sighting s) {
        if (s.machine().isPresent()) {
            return s;
        }
        Optional<String> name = s.mac().flatMap(mac -> byMac.match(mac, Optional.empty())).map(Machine::name);
        if (name.isEmpty()) {
            name = s.ip().map(byIp::get);
        }
        return name.map(s::withMachine).orElse(s);
    }
}
