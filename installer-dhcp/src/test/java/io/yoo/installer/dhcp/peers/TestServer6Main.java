package io.yoo.installer.dhcp.peers;

import io.yoo.installer.api.boot.BootDecision;
import io.yoo.installer.api.boot.BootPolicy;
import io.yoo.installer.api.boot.BootTarget;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.dhcp.v6.codec.Duid;
import io.yoo.installer.dhcp.v6.codec.Ipv6;
import io.yoo.installer.dhcp.v6.server.Dhcp6Config;
import io.yoo.installer.dhcp.v6.server.Dhcp6Server;
import io.yoo.installer.dhcp.v6.server.Dhcp6Subnet;
import io.yoo.installer.dhcp.v6.probe.Dhcp6Probe;
import io.yoo.installer.dhcp.v6.probe.Probe6Answer;
import io.yoo.installer.dhcp.v6.probe.RogueDhcp6Detector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The DHCPv6 server as a process tests start inside a network namespace. Prints READY once
 * listening and a STATS line every second; runs until killed.
 *
 * <pre>
 * --iface NAME --duid-mac MAC --subnet PREFIX/LEN[,START-END] --dns ADDR --boot-server ADDR
 * --reserve-mac MAC=ADDR --reserve-duid HEX=ADDR --lease-dir DIR --rapid-commit true|false
 * --rogue IFACE --own-mac MAC [--peer-mac MAC]  (probe twice: print every ANSWER, then every FOREIGN one; DONE;
 *                                               a peer's DUID-LL names another server of the same cluster)
 * </pre>
 */
public final class TestServer6Main {
    private TestServer6Main() {}

    public static void main(String[] args) throws Exception {
        TestProcessArgs a = new TestProcessArgs(args);
        if (a.has("--rogue")) {
            String iface = a.one("--rogue", null);
            var detector = new RogueDhcp6Detector(new Dhcp6Probe(iface), iface,
                    a.all("--own-mac").stream().map(m -> Duid.ll(MacAddress.parse(m))).collect(Collectors.toSet()),
                    Set.of(), Duration.ofHours(1), Duration.ofSeconds(3), f -> {});
            Set<Duid> peers = a.all("--peer-mac").stream().map(m -> Duid.ll(MacAddress.parse(m))).collect(Collectors.toSet());
            detector.withPeers(() -> peers);
            List<Probe6Answer> all = new Dhcp6Probe(iface).probe(Duration.ofSeconds(3));
            for (Probe6Answer p : all) {
                System.out.println("ANSWER " + p.describe());
            }
            for (Probe6Answer p : detector.runOnce()) {
                System.out.println("FOREIGN " + p.describe());
            }
            System.out.println("DONE");
            return;
        }
        Dhcp6Config.Builder b = Dhcp6Config.builder(Duid.ll(MacAddress.parse(a.one("--duid-mac", "02:00:00:00:06:01"))));
        List<Ipv6> dns = a.all("--dns").stream().map(Ipv6::parse).toList();
        for (String s : a.all("--subnet")) {
            String[] f = s.split(",");
            Dhcp6Subnet sub = Dhcp6Subnet.parse(f[0]).withDns(dns).withLifetimes(600, 900);
            if (f.length > 1) {
                String[] r = f[1].split("-");
                sub = sub.withRange(Ipv6.parse(r[0]), Ipv6.parse(r[1]));
            }
            b.subnet(sub);
        }
        for (String r : a.all("--reserve-mac")) {
            String[] f = r.split("=");
            b.reserve(MacAddress.parse(f[0]), Ipv6.parse(f[1]));
        }
        for (String r : a.all("--reserve-duid")) {
            String[] f = r.split("=");
            b.reserve(Duid.parseHex(f[0]), Ipv6.parse(f[1]));
        }
        a.all("--iface").forEach(b::iface);
        a.all("--boot-server").forEach(s -> b.bootServer(Ipv6.parse(s)));
        a.all("--lease-dir").forEach(d -> b.leaseDir(Path.of(d)));
        a.all("--rapid-commit").forEach(v -> b.rapidCommit(Boolean.parseBoolean(v)));
        BootPolicy policy = req -> BootDecision.unknown(req.isNetworkBootFirmware()
                ? new BootTarget.TftpFile(Ipv4.parse("0.0.0.0"), "snponly.efi") : new BootTarget.None("not PXE"));
        Dhcp6Server dhcp = new Dhcp6Server(b.build(), policy);
        TestProcessArgs.serveForever(dhcp, dhcp::port, () -> dhcp.leases().boundCount(), dhcp.stats());
    }
}
