package io.yoo.installer.cli;

import io.yoo.installer.ipmi.codec.RakpHandshake;
import io.yoo.installer.ipmi.control.BmcAddress;
import io.yoo.installer.ipmi.control.BmcControl;
import io.yoo.installer.ipmi.control.IpmiBmcControl;
import io.yoo.installer.ipmi.control.RedfishBmcControl;
import io.yoo.installer.ipmi.redfish.RedfishConfig;
import io.yoo.installer.ipmi.scan.BmcProtocol;
import io.yoo.installer.ipmi.session.IpmiClientConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Which BMC a power command talks to: {@code --bmc} directly, or the machine's bmc: block in the descriptor. */
final class BmcTargetOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Mixin
    BmcOptions bmc;

    @Option(names = "--bmc", paramLabel = "ADDRESS",
            description = "The BMC's address: host, host:port, [v6] or [v6]:port (instead of the descriptor's bmc: block).")
    String address;

    @Option(names = "--protocol", paramLabel = "ipmi|redfish", description = "With --bmc: the protocol (default: ${DEFAULT-VALUE}).",
            defaultValue = "ipmi")
    String protocol;

    @Option(names = {"-d", "--descriptor"}, paramLabel = "FILE", description = "The cluster descriptor, as the leading FILE argument "
            + "(default: cluster.yml).")
    Path descriptor;

    @Option(names = "--example", paramLabel = "NAME", completionCandidates = DescriptorSource.ExampleNames.class,
            description = "Use an embedded example descriptor instead of a file: ${COMPLETION-CANDIDATES}.")
    String example;

    /**
     * The BMC of {@code machine}: {@code --bmc}, else the machine's bmc: block in the descriptor
     * given as {@code file} (the optional leading argument), {@code -d FILE} or {@code --example NAME}
     * (at most one of them; default cluster.yml).
     */
    BmcLookup.BmcTarget resolve(String machine, Path file, Map<String, String> env) {
        int given = (file != null ? 1 : 0) + (descriptor != null ? 1 : 0) + (example != null ? 1 : 0);
        if (given > 1) {
            throw new ParameterException(spec.commandLine(), "give one descriptor: FILE, -d FILE or --example NAME");
        }
        if (address != null && given > 0) {
            throw new ParameterException(spec.commandLine(), "give --bmc or a descriptor, not both");
        }
        if (address != null) {
            try {
                return new BmcLookup.BmcTarget(BmcAddress.parse(address), BmcProtocol.parse(protocol), bmc.user, bmc.resolvePassword(env));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        if (example != null) {
            return BmcLookup.lookup(BmcLookup.loadExample(example), machine, env);
        }
        Path f = file != null ? file : descriptor != null ? descriptor : Path.of("cluster.yml");
        return BmcLookup.lookup(BmcLookup.loadDescriptor(f), machine, env);
    }

    /** Connects to the target; a port in its address wins over --ipmi-port / --redfish-port. */
    BmcControl connect(BmcLookup.BmcTarget t) throws IOException {
        BmcAddress a = t.address();
        if (t.protocol() == BmcProtocol.IPMI) {
            return IpmiBmcControl.connect(new IpmiClientConfig(a.socketAddress(bmc.ipmiPort), t.username(), t.password(),
                    bmc.suite(), RakpHandshake.PRIV_ADMINISTRATOR, bmc.timeout(), bmc.retries));
        }
        return RedfishBmcControl.connect(new RedfishConfig(a.uri(bmc.redfishScheme, bmc.redfishPort), t.username(), t.password(),
                bmc.auth(), bmc.trust(), bmc.timeout().multipliedBy(bmc.retries + 1L).plusSeconds(5)));
    }
}
