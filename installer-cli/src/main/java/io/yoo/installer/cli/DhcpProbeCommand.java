package io.yoo.installer.cli;

import io.yoo.installer.dhcp.probe.DhcpProbe;
import io.yoo.installer.dhcp.probe.ProbeAnswer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code yoo dhcp-probe}: who answers DHCP on this interface? */
@Command(name = "dhcp-probe", mixinStandardHelpOptions = true,
        description = "Broadcast a PXE-style DHCPDISCOVER on an interface and list every server that answers.")
public final class DhcpProbeCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "IFACE",
            description = "Interface to probe, e.g. eth1; it needs no address (the probe binds to the device)")
    String positional;

    @Option(names = "--interface", paramLabel = "IFACE", description = "The same as IFACE")
    String option;

    @Spec
    CommandSpec spec;

    @Option(names = "--wait", defaultValue = "3", description = "Seconds to collect answers (default ${DEFAULT-VALUE})")
    int waitSeconds;

    @Override
    public Integer call() throws Exception {
        if (positional == null && option == null) {
            throw new ParameterException(spec.commandLine(), "give the interface to probe: yoo dhcp-probe IFACE (e.g. eth1)");
        }
        if (positional != null && option != null) {
            throw new ParameterException(spec.commandLine(), "give the interface once: IFACE or --interface, not both");
        }
        String iface = positional != null ? positional : option;
        List<ProbeAnswer> answers;
        try {
            answers = new DhcpProbe(iface).probe(Duration.ofSeconds(waitSeconds));
        } catch (IOException e) {
            System.err.println("yoo dhcp-probe: " + e.getMessage());
            return Yoo.EXIT_ENVIRONMENT;
        }
        if (answers.isEmpty()) {
            System.out.println("no DHCP server answered on " + iface + " within " + waitSeconds + " s");
        }
        for (ProbeAnswer a : answers) {
            System.out.println(a.describe());
        }
        return Yoo.EXIT_OK;
    }
}
