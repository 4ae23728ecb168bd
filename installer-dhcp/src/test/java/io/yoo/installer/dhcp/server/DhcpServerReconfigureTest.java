package io.yoo.installer.dhcp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.boot.BootDecision;
import io.yoo.installer.api.boot.BootPolicy;
import io.yoo.installer.api.boot.BootTarget;
import io.yoo.installer.api.net.AddressPool;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.Ipv4Cidr;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.dhcp.codec.DhcpCodec;
import io.yoo.installer.dhcp.codec.DhcpOptions;
import io.yoo.installer.dhcp.codec.DhcpPacket;
import io.yoo.installer.dhcp.codec.MessageType;
import io.yoo.installer.dhcp.lease.LeaseStore;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DhcpServer#reconfigure} with a real relay agent on loopback: the server listens on
 * 127.0.0.1, the test plays a relay at 127.0.0.2 (giaddr), which is where a relayed answer goes
 * (the relay's address, at the server port). No root, no namespace, no fixed port.
 */
class DhcpServerReconfigureTest {
    static final Ipv4 SERVER = Ipv4.parse("127.0.0.1");
    static final Ipv4 RELAY = Ipv4.parse("127.0.0.2");
    static final Ipv4Cidr NET = Ipv4Cidr.parse("127.0.0.0/24");
    static final BootPolicy POLICY = req -> BootDecision.unknown(new BootTarget.TftpFile(SERVER, "undionly.kpxe"));

    @TempDir
    Path dir;
    DatagramSocket relay;
    DhcpServer dhcp;

    @BeforeEach
    void relay() throws Exception {
        relay = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(RELAY.toString()), 0));
        relay.setSoTimeout(5000);
    }

    @AfterEach
    void close() {
        if (dhcp != null) {
            dhcp.stop();
        }
        relay.close();
    }

    DhcpServerConfig config(String poolAddress, Path leaseDir) {
        return config(poolAddress, poolAddress, leaseDir, Set.of());
    }

    DhcpServerConfig config(String from, String to, Path leaseDir, Set<Ipv4> reserved) {
        return DhcpServerConfig.builder(SERVER).bind(SERVER).ports(relay.getLocalPort(), 68).proxyPort(0)
                .subnet(DhcpSubnet.of(NET).withPool(new AddressPool(Ipv4.parse(from), Ipv4.parse(to))))
                .leaseDir(leaseDir).reserved(reserved).build();
    }

    Ipv4 discover(MacAddress mac) throws Exception {
        byte[] chaddr = new byte[16];
        System.arraycopy(mac.toBytes(), 0, chaddr, 0, 6);
        DhcpPacket p = new DhcpPacket(1, 1, 6, 1, 0x4242, 0, 0, DhcpPacket.ZERO, DhcpPacket.ZERO, DhcpPacket.ZERO, RELAY,
                chaddr, "", "", DhcpOptions.builder().messageType(MessageType.DISCOVER).build());
        byte[] out = DhcpCodec.encode(p);
        relay.send(new DatagramPacket(out, out.length, InetAddress.getByName(SERVER.toString()), dhcp.port()));
        byte[] in = new byte[1500];
        DatagramPacket answer = new DatagramPacket(in, in.length);
        relay.receive(answer);
        DhcpPacket offer = DhcpCodec.decode(in, 0, answer.getLength());
        assertThat(offer.messageType()).contains(MessageType.OFFER);
        return offer.yiaddr();
    }

    @Test
    void newPoolAnswersTheNextPacketOnTheSameSocketWithTheSameLeases() throws Exception {
        dhcp = new DhcpServer(config("127.0.0.100", dir), POLICY);
        dhcp.start();
        int port = dhcp.port();
        LeaseStore leases = dhcp.leases();
        assertThat(discover(MacAddress.parse("52:54:00:00:00:01"))).isEqualTo(Ipv4.parse("127.0.0.100"));

        dhcp.reconfigure(config("127.0.0.150", dir));

        assertThat(discover(MacAddress.parse("52:54:00:00:00:02"))).isEqualTo(Ipv4.parse("127.0.0.150"));
        assertThat(dhcp.port()).isEqualTo(port);
        assertThat(dhcp.leases()).isSameAs(leases);
        assertThat(leases.byAddress(Ipv4.parse("127.0.0.100"))).isPresent(); // the first offer is still held
        assertThat(dhcp.config().subnets().getFirst().pool()).contains(new AddressPool(Ipv4.parse("127.0.0.150"), Ipv4.parse("127.0.0.150")));
    }

    @Test
    void reservedAddressesTakeEffectWithoutRestart() throws Exception {
        dhcp = new DhcpServer(config("127.0.0.100", "127.0.0.101", dir, Set.of()), POLICY);
        dhcp.start();
        int port = dhcp.port();
        LeaseStore leases = dhcp.leases();

        dhcp.reconfigure(config("127.0.0.100", "127.0.0.101", dir, Set.of(Ipv4.parse("127.0.0.100"))));

        assertThat(discover(MacAddress.parse("52:54:00:00:00:03"))).isEqualTo(Ipv4.parse("127.0.0.101"));
        assertThat(dhcp.port()).isEqualTo(port);
        assertThat(dhcp.leases()).isSameAs(leases);
    }

    @Test
    void aNewLeaseDirectoryRestartsTheServerAndKeepsServing(@TempDir Path other) throws Exception {
        dhcp = new DhcpServer(config("127.0.0.100", dir), POLICY);
        dhcp.start();
        LeaseStore before = dhcp.leases();

        dhcp.reconfigure(config("127.0.0.100", other));

        assertThat(dhcp.isRunning()).isTrue();
        assertThat(dhcp.leases()).isNotSameAs(before);
        assertThat(discover(MacAddress.parse("52:54:00:00:00:04"))).isEqualTo(Ipv4.parse("127.0.0.100"));
    }

    @Test
    void beforeStartTheNewConfigIsWhatStartUses() throws Exception {
        dhcp = new DhcpServer(config("127.0.0.100", dir), POLICY);
        dhcp.reconfigure(config("127.0.0.150", dir));
        dhcp.start();
        assertThat(discover(MacAddress.parse("52:54:00:00:00:05"))).isEqualTo(Ipv4.parse("127.0.0.150"));
    }
}
