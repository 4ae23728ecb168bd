package io.yoo.installer.cli;

import io.yoo.installer.dhcp.probe.DhcpProbe;
import io.yoo.installer.dhcp.probe.ProbeAnswer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code yoo dhcp-probe}: who answers DHCP on this interface? */
@Command(name = "dhcp-probe", mixinStandardHelpOptions = true,
        description = "Broadcast a PXE-style DHCPDISCOVER on an interface and list every server that answers.")
public final class DhcpProbeCommand implements Callable<Integer> {

    @Option(names = "--interface", required = true, description = "Interface to probe, e.g. eth1")
    String iface;

    @Option(names = "--wait", defaultValue = "3", description = "Seconds to collect answers (default ${DEFAULT-VALUE})")
    int waitSeconds;

    @Override
    public Integer call() throws Exception {
        List<ProbeAnswer> answers;
        try {
            answers = new DhcpProbe(iface).probe(Duration.ofSeconds(waitSeconds));
        } catch (java.io.IOException e) {
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
