package io.yoo.installer.cli;

import io.yoo.installer.api.boot.BootTarget;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.boot.BootFileSelector;
import io.yoo.installer.core.boot.BootFiles;
import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.state.MachineState;
import io.yoo.installer.dhcp.server.StaticBootPolicy;
import io.yoo.installer.dhcp.v6.codec.Duid;
import io.yoo.installer.dhcp.v6.codec.Ipv6;
import io.yoo.installer.dhcp.v6.server.Dhcp6Config;
import io.yoo.installer.dhcp.v6.server.Dhcp6Server;
import io.yoo.installer.dhcp.v6.server.Dhcp6Subnet;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code yoo dhcp6}: the DHCPv6 server alone, from flags (stateful IA_NA addresses, reservations,
 * UEFI/iPXE boot file URLs), like {@code yoo dhcp} for IPv4.
 */
@Command(name = "dhcp6", mixinStandardHelpOptions = true,
        description = "Run only the DHCPv6 server (stateful addresses, PXE boot URLs) from command-line flags.")
public final class Dhcp6Command implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--interface", required = true, description = "Interface to serve (ff02::1:2 is joined there)")
    String iface;

    @Option(names = "--server-address", required = true,
            description = "This server's IPv6 address on that link (TFTP boot URLs: tftp://[ADDRESS]/file)")
    String serverAddress;

    @Option(names = "--subnet", required = true, description = "Served prefix, e.g. fd00:77::/64 (repeatable)")
    List<String> subnets = new ArrayList<>();

    @Option(names = "--range", description = "Dynamic range START-END inside one /64, e.g. fd00:77::100-fd00:77::1ff"
            + " (repeatable; goes to the subnet holding it)")
    List<String> ranges = new ArrayList<>();

    @Option(names = "--dns", description = "DNS server (option 23; repeatable)")
    List<String> dns = new ArrayList<>();

    @Option(names = "--reserve", description = "MAC=ADDRESS or DUID-HEX=ADDRESS (repeatable). The MAC is read from"
            + " DUID-LL/LLT or a relay's option 79")
    List<String> reservations = new ArrayList<>();

    @Option(names = "--preferred-lifetime", defaultValue = "3600", description = "Seconds (default ${DEFAULT-VALUE})")
    long preferred;

    @Option(names = "--valid-lifetime", defaultValue = "7200", description = "Seconds (default ${DEFAULT-VALUE})")
    long valid;

    @Option(names = "--lease-dir", description = "Directory of the lease journal leases6.journal (default: memory only)")
    Path leaseDir;

    @Option(names = "--no-rapid-commit", description = "Answer Rapid Commit SOLICITs with an ADVERTISE all the same")
    boolean noRapidCommit;

    @Option(names = "--duid", description = "Server DUID as hex (default: DUID-LL of the interface's MAC)")
    String duid;

    @Option(names = "--dhcp6-port", description = "Server port (default ${DEFAULT-VALUE})")
    int port = 547;

    @Option(names = "--http-base", description = "Boot clients: UEFI PXE gets tftp://[server-address]/snponly.efi,"
            + " iPXE this HTTP base's chain script (e.g. http://[fd00:77::1]:8080)")
    String httpBase;

    @Override
    public Integer call() throws Exception {
        Ipv6 server = parse("--server-address", serverAddress);
        Dhcp6Config.Builder b = Dhcp6Config.builder(serverDuid()).iface(iface).bootServer(server).ports(port, 546)
                .rapidCommit(!noRapidCommit);
        if (leaseDir != null) {
            b.leaseDir(leaseDir);
        }
        List<Ipv6> dnsServers = new ArrayList<>();
        for (String d : dns) {
            dnsServers.add(parse("--dns", d));
        }
        for (String s : subnets) {
            Dhcp6Subnet sub;
            try {
                sub = Dhcp6Subnet.parse(s).withDns(dnsServers).withLifetimes(preferred, valid);
                for (String r : ranges) {
                    String[] ends = r.split("-", 2);
                    if (ends.length != 2) {
                        throw usage("--range '" + r + "': expected START-END like fd00:77::100-fd00:77::1ff");
                    }
                    Ipv6 start = parse("--range", ends[0]);
                    if (sub.contains(start)) {
                        sub = sub.withRange(start, parse("--range", ends[1]));
                    }
                }
            } catch (IllegalArgumentException e) {
                throw usage("--subnet '" + s + "': " + e.getMessage());
            }
            b.subnet(sub);
        }
        for (String r : reservations) {
            String[] f = r.split("=", 2);
            if (f.length != 2) {
                throw usage("--reserve '" + r + "': expected MAC=ADDRESS or DUID-HEX=ADDRESS");
            }
            Ipv6 a = parse("--reserve", f[1]);
            if (f[0].matches("(?i)([0-9a-f]{2}[:-]){5}[0-9a-f]{2}")) {
                b.reserve(MacAddress.parse(f[0].toLowerCase()), a);
            } else {
                try {
                    b.reserve(Duid.parseHex(f[0]), a);
                } catch (IllegalArgumentException e) {
                    throw usage("--reserve '" + r + "': " + f[0] + " is neither a MAC nor a DUID in hex");
                }
            }
        }
        StaticBootPolicy policy = StaticBootPolicy.addressesOnly();
        if (httpBase != null) {
            BootFileSelector selector = new BootFileSelector(new BootUrls(httpBase), new MachineTokens(MachineTokens.newSecret()),
                    BootFiles.DEFAULT.withAllowUnknown(true));
            // the TFTP server the selector names is IPv4; the DHCPv6 engine puts --server-address in the URL instead
            policy = new StaticBootPolicy(Map.of(), req -> {
                BootTarget t = selector.select(req, Optional.empty(), MachineState.UNKNOWN, Ipv4.parse("0.0.0.0"));
                return t;
            }, s -> {});
        }
        Dhcp6Server dhcp = new Dhcp6Server(b.build(), policy);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dhcp.stop();
            done.countDown();
        }));
        dhcp.start();
        done.await();
        return Yoo.EXIT_OK;
    }

    private Duid serverDuid() throws Exception {
        if (duid != null) {
            try {
                return Duid.parseHex(duid);
            } catch (IllegalArgumentException e) {
                throw usage("--duid '" + duid + "': not hex");
            }
        }
        NetworkInterface nif = NetworkInterface.getByName(iface);
        byte[] hw = nif == null ? null : nif.getHardwareAddress();
        if (hw == null || hw.length != 6) {
            throw usage("--interface " + iface + ": no such Ethernet interface here (or give --duid)");
        }
        return Duid.ll(MacAddress.of(hw, 0));
    }

    private Ipv6 parse(String option, String text) {
        try {
            return Ipv6.parse(text);
        } catch (IllegalArgumentException e) {
            throw usage(option + " '" + text + "': not an IPv6 address");
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
