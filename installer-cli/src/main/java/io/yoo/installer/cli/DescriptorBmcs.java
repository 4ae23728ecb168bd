package io.yoo.installer.cli;

import io.yoo.installer.core.bmc.MachineBmcs;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.ipmi.codec.CipherSuite;
import io.yoo.installer.ipmi.codec.RakpHandshake;
import io.yoo.installer.ipmi.control.BmcControl;
import io.yoo.installer.ipmi.control.IpmiBmcControl;
import io.yoo.installer.ipmi.control.RedfishBmcControl;
import io.yoo.installer.ipmi.redfish.RedfishConfig;
import io.yoo.installer.ipmi.redfish.TlsTrust;
import io.yoo.installer.ipmi.scan.BmcProtocol;
import io.yoo.installer.ipmi.session.IpmiClientConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The BMCs of {@code yoo serve}'s machines: each machine's {@code bmc:} block in the current
 * descriptor (re-read at every call, so a reload applies), the password from the server's
 * environment ({@code passwordEnv}) or the block. The transport settings are {@code yoo power}'s
 * defaults: IPMI on UDP 623 (or the address's port), cipher suite 3, 1 s per try and 2 retries;
 * Redfish over https 443 with a session login and the system's CA certificates.
 */
final class DescriptorBmcs implements MachineBmcs {
    static final int IPMI_PORT = 623;
    static final int REDFISH_PORT = 443;
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    static final int RETRIES = 2;

    private final Supplier<ClusterDescriptor> descriptor;
    private final Map<String, String> env;

    DescriptorBmcs(Supplier<ClusterDescriptor> descriptor, Map<String, String> env) {
        this.descriptor = descriptor;
        this.env = env;
    }

    @Override
    public Optional<Bmc> of(String machine) {
        ClusterDescriptor d = descriptor.get();
        if (d.machine(machine).flatMap(m -> m.bmc()).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Bmc() {
            @Override
            public String describe() {
                try {
                    return BmcLookup.lookup(d, machine, env).toString();
                } catch (IllegalArgumentException e) {
                    return "bmc of " + machine + " (" + e.getMessage() + ")";
                }
            }

            @Override
            public void reprovision() throws IOException {
                try (BmcControl c = connect(target(d, machine))) {
                    c.reprovision(true);
                }
            }

            @Override
            public boolean powerOn() throws IOException {
                try (BmcControl c = connect(target(d, machine))) {
                    return c.powerOn();
                }
            }
        });
    }

    /** The machine's BMC login; a missing password variable is reported as an I/O failure of that BMC. */
    private BmcLookup.BmcTarget target(ClusterDescriptor d, String machine) throws IOException {
        try {
            return BmcLookup.lookup(d, machine, env);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    static BmcControl connect(BmcLookup.BmcTarget t) throws IOException {
        if (t.protocol() == BmcProtocol.IPMI) {
            return IpmiBmcControl.connect(new IpmiClientConfig(t.address().socketAddress(IPMI_PORT), t.username(), t.password(),
                    CipherSuite.of(3), RakpHandshake.PRIV_ADMINISTRATOR, TIMEOUT, RETRIES));
        }
        return RedfishBmcControl.connect(new RedfishConfig(t.address().uri("https", REDFISH_PORT), t.username(), t.password(),
                RedfishConfig.Auth.SESSION, TlsTrust.system(), TIMEOUT.multipliedBy(RETRIES + 1L).plusSeconds(5)));
    }
}
