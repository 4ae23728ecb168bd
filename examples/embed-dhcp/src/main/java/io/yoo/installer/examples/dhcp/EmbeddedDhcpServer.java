package io.yoo.installer.examples.dhcp;

import io.yoo.installer.api.boot.BootTarget;
import io.yoo.installer.api.boot.NetworkAssignment;
import io.yoo.installer.api.net.AddressPool;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.Ipv4Cidr;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.dhcp.server.DhcpServer;
import io.yoo.installer.dhcp.server.DhcpServerConfig;
import io.yoo.installer.dhcp.server.DhcpSubnet;
import io.yoo.installer.dhcp.server.StaticBootPolicy;
import java.util.List;
import java.util.Map;

/**
 * installer-dhcp embedded alone: no cluster descriptor, no installer-core. One subnet with a
 * dynamic pool, one reserved machine, and the same boot file for every PXE client.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp ... io.yoo.installer.examples.dhcp.EmbeddedDhcpServer IFACE
 * </pre>
 *
 * IFACE must carry {@value #SERVER} (the server's own address); needs root or CAP_NET_BIND_SERVICE
 * for port 67. Prints {@code READY} once it serves; runs until killed.
 */
public final class EmbeddedDhcpServer {
    static final String SERVER = "10.96.0.1";
    static final String SUBNET = "10.96.0.0/24";
    static final String POOL_START = "10.96.0.100";
    static final String POOL_END = "10.96.0.150";
    static final String GATEWAY = "10.96.0.254";
    static final String RESERVED_MAC = "52:54:00:96:00:11";
    static final String RESERVED_IP = "10.96.0.11";
    static final String BOOT_FILE = "undionly.kpxe";

    private EmbeddedDhcpServer() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: EmbeddedDhcpServer IFACE   (IFACE carries " + SERVER + ")");
            System.exit(2);
        }
        Ipv4 me = Ipv4.parse(SERVER);
        DhcpSubnet subnet = DhcpSubnet.of(Ipv4Cidr.parse(SUBNET))
                .withPool(new AddressPool(Ipv4.parse(POOL_START), Ipv4.parse(POOL_END)))
                .withGateway(Ipv4.parse(GATEWAY))
                .withDns(List.of(me));

        // the reservation: this MAC always gets this address, with the subnet's settings
        Ipv4 reservedIp = Ipv4.parse(RESERVED_IP);
        NetworkAssignment reserved = new NetworkAssignment("node1", reservedIp, subnet.cidr(), subnet.gateway(),
                subnet.dns(), "", 3600);

        // what to boot: PXE firmware gets the boot file from this server's TFTP; anything else
        // (an operating system's DHCP client) just an address
        StaticBootPolicy policy = new StaticBootPolicy(Map.of(MacAddress.parse(RESERVED_MAC), reserved),
                request -> request.isNetworkBootFirmware()
                        ? new BootTarget.TftpFile(me, BOOT_FILE)
                        : new BootTarget.None("not a PXE client"),
                sighting -> System.out.println("seen " + sighting));

        DhcpServerConfig config = DhcpServerConfig.builder(me)
                .iface(args[0])
                .subnet(subnet)
                .reserved(policy.reservedAddresses())   // the pool never hands these out
                .build();                                // no leaseDir: leases are kept in memory

        try (DhcpServer dhcp = new DhcpServer(config, policy)) {
            dhcp.start();                                // returns once port 67 is bound
            System.out.println("READY port " + dhcp.port());
            System.out.flush();
            Thread.currentThread().join();               // serve until the process is killed
        }
    }
}
