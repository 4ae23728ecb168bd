package io.yoo.installer.dhcp.peers;

import io.yoo.installer.api.boot.BootRequest;
import io.yoo.installer.api.boot.BootTarget;
import io.yoo.installer.api.boot.NetworkAssignment;
import io.yoo.installer.api.net.AddressPool;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.Ipv4Cidr;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.dhcp.probe.DhcpProbe;
import io.yoo.installer.dhcp.probe.ProbeAnswer;
import io.yoo.installer.dhcp.probe.RogueDhcpDetector;
import io.yoo.installer.dhcp.server.DhcpServer;
import io.yoo.installer.dhcp.server.DhcpServerConfig;
import io.yoo.installer.dhcp.server.DhcpSubnet;
import io.yoo.installer.dhcp.server.StaticBootPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The DHCP server (or the probe) as a process that tests start inside a network namespace
 * ({@code ip netns exec NS java -cp ... TestServerMain ...}): sockets belong to the namespace of
 * the process that opens them. Prints READY once listening; runs until killed.
 *
 * <pre>
 * --server 10.0.0.1 --subnet 10.0.0.0/24[,POOLSTART-POOLEND][,GATEWAY] --dns 10.0.0.53
 * --iface NAME --lease-dir DIR --mode full|proxy --reserve MAC=IP --boot pxe|always|none
 * --probe IFACE   (run DhcpProbe instead and print one line per answer)
 * --http-base URL --tftp-server IP   (installer-core's boot file selection: only through
 *                                     installer-core's FirmwareServerMain, which supplies it)
 * </pre>
 */
public final class TestServerMain {
    /** What a request is answered with under {@code --http-base}: the request and the TFTP server to name. */
    public interface HttpChain {
        BootTarget select(BootRequest request, Ipv4 tftpServer);
    }

    public static void main(String[] args) throws Exception {
        run(args, base -> {
            throw new IllegalArgumentException("--http-base needs installer-core's boot file selection: run its FirmwareServerMain");
        });
    }

    /** {@code httpChains} makes the {@code --http-base} chain from the base URL (this module has no boot file selection of its own). */
    public static void run(String[] args, Function<String, HttpChain> httpChains) throws Exception {
        TestProcessArgs a = new TestProcessArgs(args);
        if (a.has("--rogue")) {
            String iface = a.one("--rogue", null);
            var detector = new RogueDhcpDetector(new DhcpProbe(iface), iface,
                    Set.of(Ipv4.parse(a.one("--own", null))),
                    a.all("--expected").stream().map(Ipv4::parse).collect(Collectors.toSet()),
                    Duration.ofHours(1), Duration.ofSeconds(3), f -> {});
            for (ProbeAnswer p : detector.runOnce()) {
                System.out.println("FOREIGN " + p.describe());
            }
            System.out.println("DONE");
            return;
        }
        if (a.has("--probe")) {
            List<ProbeAnswer> answers = new DhcpProbe(a.one("--probe", null)).probe(Duration.ofSeconds(3));
            for (ProbeAnswer p : answers) {
                System.out.println("ANSWER " + p.describe());
            }
            System.out.println("DONE " + answers.size());
            return;
        }
        Ipv4 server = Ipv4.parse(a.one("--server", null));
        DhcpServerConfig.Builder b = DhcpServerConfig.builder(server)
                .mode("proxy".equals(a.one("--mode", "full")) ? DhcpServerConfig.Mode.PROXY : DhcpServerConfig.Mode.FULL);
        List<Ipv4> dns = a.all("--dns").stream().map(Ipv4::parse).toList();
        Map<MacAddress, NetworkAssignment> res = new HashMap<>();
        List<DhcpSubnet> subnets = new ArrayList<>();
        for (String s : a.all("--subnet")) {
            String[] f = s.split(",");
            DhcpSubnet sub = DhcpSubnet.of(Ipv4Cidr.parse(f[0])).withDns(dns).withLeaseSeconds(600);
            if (f.length > 1 && !f[1].isEmpty()) {
                String[] p = f[1].split("-");
                sub = sub.withPool(new AddressPool(Ipv4.parse(p[0]), Ipv4.parse(p[1])));
            }
            if (f.length > 2) {
                sub = sub.withGateway(Ipv4.parse(f[2]));
            }
            subnets.add(sub);
            b.subnet(sub);
        }
        for (String r : a.all("--reserve")) {
            String[] f = r.split("=");
            Ipv4 ip = Ipv4.parse(f[1]);
            DhcpSubnet sub = subnets.stream().filter(x -> x.cidr().contains(ip)).findFirst().orElseThrow();
            res.put(MacAddress.parse(f[0]), new NetworkAssignment("host-" + ip.octet(3), ip, sub.cidr(), sub.gateway(),
                    sub.dns(), "", 600));
        }
        a.all("--iface").forEach(b::iface);
        if (a.has("--lease-dir")) {
            b.leaseDir(Path.of(a.one("--lease-dir", null)));
        }
        String boot = a.one("--boot", "pxe");
        HttpChain chain = a.has("--http-base") ? httpChains.apply(a.one("--http-base", null)) : null;
        StaticBootPolicy policy = new StaticBootPolicy(res, req -> chain != null
                ? chain.select(req, a.has("--tftp-server") ? Ipv4.parse(a.one("--tftp-server", null))
                                : req.receivedOn().orElse(server))
                : switch (boot) {
            case "always" -> new BootTarget.TftpFile(req.receivedOn().orElse(server), "undionly.kpxe");
            case "pxe" -> req.isNetworkBootFirmware() ? new BootTarget.TftpFile(req.receivedOn().orElse(server),
                    req.arch().orElse(0) == 0 ? "undionly.kpxe" : "snponly.efi") : new BootTarget.None("not pxe");
            default -> new BootTarget.None("none");
        }, s -> {});
        b.reserved(policy.reservedAddresses());
        DhcpServer dhcp = new DhcpServer(b.build(), policy);
        TestProcessArgs.serveForever(dhcp, dhcp::port, () -> dhcp.leases().boundCount(), dhcp.stats());
    }
}
