package io.yoo.installer.core.discovery;

import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.api.net.Ipv4;
import java.util.Optional;

/**
 * Whether a machine that is in no descriptor boots discovery: the one place that answers it, so
 * that every caller (boot decision, by-MAC script, live config, report endpoint) agrees.
 */
public final class Discovery {
    private Discovery() {}

    /**
     * True when {@code server.discovery} is on.
     *
     * @param clientSubnetAddress the address the client was seen on, when known. HOOK: when
     *        {@code network.subnets} lands (another branch), a subnet's own {@code discovery} setting
     *        overrides the server's here, found by this address; until then it is unused.
     */
    public static boolean enabled(ClusterDescriptor d, Optional<Ipv4> clientSubnetAddress) {
        return d.server().discovery();
    }

    /** {@link #enabled(ClusterDescriptor, Optional)} without a client address (the server-wide setting). */
    public static boolean enabled(ClusterDescriptor d) {
        return enabled(d, Optional.empty());
    }
}
