package io.yoo.installer.cli;

import io.yoo.installer.api.boot.BootTarget;
import io.yoo.installer.api.net.AddressPool;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.Ipv4Cidr;
import io.yoo.installer.core.boot.BootFileSelector;
import io.yoo.installer.core.boot.BootFiles;
import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.state.MachineState;
import io.yoo.installer.dhcp.server.DhcpServer;
import io.yoo.installer.dhcp.server.DhcpServerConfig;
import io.yoo.installer.dhcp.server.DhcpSubnet;
import io.yoo.installer.dhcp.server.StaticBootPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code yoo dhcp}: the DHCP server alone, from flags, without a cluster descriptor — for trying
 * it out, for a network that only needs PXE boot files, and for the benchmark.
 */
@Command(name = "dhcp", mixinStandardHelpOptions = true,
        description = "Run only the DHCP server (full or proxy mode) from command-line flags.")
public final class DhcpCommand implements Callable<Integer> {
    // usage errors are reported through the CommandLine that runs this command: its writers,
    // colours, usage help and exit code (a fresh CommandLine would print to System.err, unqualified)
    @Spec
    CommandSpec spec;

    @Option(names = "--interface", description = "Interface to serve (repeatable; default: all)")
    List<String> interfaces = new ArrayList<>();

    @Option(names = "--server-address", required = true, description = "This server's address (option 54, next-server)")
    String serverAddress;

    @Option(names = "--subnet", required = true, description = "Served subnet, e.g. 10.77.0.0/24 (repeatable)")
    List<String> subnets = new ArrayList<>();

    @Option(names = "--pool", description = "Dynamic range START-END, e.g. 10.77.0.100-10.77.0.199 (repeatable; goes to the subnet holding it)")
    List<String> pools = new ArrayList<>();

    @Option(names = "--gateway", description = "Router option for the subnet holding it (repeatable)")
    List<String> gateways = new ArrayList<>();

    @Option(names = "--dns", description = "DNS server (repeatable)")
    List<String> dns = new ArrayList<>();

    @Option(names = "--lease-time", defaultValue = "3600", description = "Lease seconds (default ${DEFAULT-VALUE})")
    int leaseTime;

    @Option(names = "--lease-dir", description = "Directory of the lease journal (default: leases in memory only)")
    Path leaseDir;

    @Option(names = "--mode", defaultValue = "full", description = "full or proxy (default ${DEFAULT-VALUE})")
    String mode;

    // an initial value, not defaultValue: picocli would apply a default after the hidden --port set the field
    @Option(names = "--dhcp-port", description = "Server port (default ${DEFAULT-VALUE}; the old spelling --port is still accepted)")
    int port = 67;

    /** The old spelling, kept so scripts don't break; hidden so help shows one scheme. */
    @Option(names = "--port", hidden = true)
    void oldPort(int p) {
        port = p;
    }

    @Option(names = "--http-base", description = "Boot PXE clients: iPXE binaries over TFTP, then this HTTP base's chain script (e.g. http://10.77.0.1:8080)")
    String httpBase;

    @Override
    public Integer call() throws Exception {
        Ipv4 server = Ipv4.parse(serverAddress);
        DhcpServerConfig.Builder b = DhcpServerConfig.builder(server)
                .mode("proxy".equals(mode) ? DhcpServerConfig.Mode.PROXY : DhcpServerConfig.Mode.FULL)
                .ports(port, 68);
        interfaces.forEach(b::iface);
        if (leaseDir != null) {
            b.leaseDir(leaseDir);
        }
        for (String s : subnets) {
            Ipv4Cidr cidr = Ipv4Cidr.parse(s);
            DhcpSubnet sub = DhcpSubnet.of(cidr).withLeaseSeconds(leaseTime);
            for (String p : pools) {
                String[] ends = p.split("-", 2);
                if (ends.length != 2) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--pool '" + p + "': expected START-END like 10.77.0.100-10.77.0.199");
                }
                AddressPool pool = new AddressPool(Ipv4.parse(ends[0]), Ipv4.parse(ends[1]));
                if (cidr.contains(pool.start())) {
                    sub = sub.withPool(pool);
                }
            }
            for (String g : gateways) {
                if (cidr.contains(Ipv4.parse(g))) {
                    sub = sub.withGateway(Ipv4.parse(g));
                }
            }
            if (!dns.isEmpty()) {
                sub = sub.withDns(dns.stream().map(Ipv4::parse).toList());
            }
            b.subnet(sub);
        }
        StaticBootPolicy policy = StaticBootPolicy.addressesOnly();
        if (httpBase != null) {
            BootFileSelector selector = new BootFileSelector(new BootUrls(httpBase), new MachineTokens(MachineTokens.newSecret()),
                    BootFiles.DEFAULT.withAllowUnknown(true));
            policy = new StaticBootPolicy(Map.of(), req -> {
                BootTarget t = selector.select(req, Optional.empty(), MachineState.UNKNOWN, req.receivedOn().orElse(server));
                return t;
            }, s -> {});
        }
        DhcpServer dhcp = new DhcpServer(b.build(), policy);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dhcp.stop();
            done.countDown();
        }));
        dhcp.start();
        done.await();
        return Yoo.EXIT_OK;
    }
}
