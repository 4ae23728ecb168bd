package io.yoo.installer.dhcp.server;

import static io.yoo.installer.dhcp.server.DhcpEngineTest.ON_ETH;
import static io.yoo.installer.dhcp.server.DhcpEngineTest.SERVER;
import static io.yoo.installer.dhcp.server.DhcpEngineTest.STRANGER;
import static io.yoo.installer.dhcp.server.DhcpEngineTest.pxe;
import static io.yoo.installer.dhcp.server.DhcpEngineTest.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.boot.DescriptorBootPolicy;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.DescriptorException;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.core.state.MachineState;
import io.yoo.installer.dhcp.codec.DhcpOption;
import io.yoo.installer.dhcp.codec.DhcpOptions;
import io.yoo.installer.dhcp.codec.MessageType;
import io.yoo.installer.dhcp.lease.LeaseStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * server.allowUnknown through the DHCP engine and installer-core's real boot policy, without
 * sockets: a machine in no descriptor gets a dynamic lease from the pool and, only when
 * allowed, the boot chain that ends in the boot menu.
 */
class UnknownMachineDhcpTest {
    final LeaseStore leases = LeaseStore.inMemory();

    DhcpEngine engine(boolean allowUnknown, boolean pool) {
        String yaml = """
                cluster: lab
                architecture: dev
                network: { interface: eth1, server: 10.77.0.1, subnet: 10.77.0.0/24 %s }
                server: { allowUnknown: %s }
                os: { version: 4081.2.0 }
                machines:
                  - { name: node1, mac: "52:54:00:77:01:01", ip: 10.77.0.11 }
                """.formatted(pool ? ", pool: 10.77.0.100-10.77.0.101" : "", allowUnknown);
        ClusterDescriptor d;
        try {
            d = DescriptorLoader.parse(yaml, Path.of("test.yml"), Path.of("/srv/yoo"));
        } catch (DescriptorException e) {
            throw new AssertionError(e.getMessage(), e);
        }
        DescriptorBootPolicy policy = new DescriptorBootPolicy(d, BootUrls.of(SERVER, 8080), new MachineTokens(new byte[32]),
                m -> MachineState.UNKNOWN);
        DhcpSubnet sub = DhcpSubnet.of(d.network().subnet());
        if (pool) {
            sub = sub.withPool(d.network().pool().orElseThrow());
        }
        DhcpServerConfig cfg = DhcpServerConfig.builder(SERVER).subnet(sub).reserved(policy.reservedAddresses()).build();
        return new DhcpEngine(cfg, policy, leases, new DhcpStats());
    }

    static DhcpOptions.Builder ipxe() {
        return pxe().string(DhcpOption.USER_CLASS, "iPXE");
    }

    @Test
    void allowedStrangerLeasesFromThePoolAndIsChainedToTheMenu() {
        DhcpEngine e = engine(true, true);
        DhcpEngine.Reply offer = e.handle(request(STRANGER, MessageType.DISCOVER, pxe()), ON_ETH, 10);
        assertThat(offer.packet().messageType()).contains(MessageType.OFFER);
        Ipv4 ip = offer.packet().yiaddr();
        assertThat(ip).isIn(Ipv4.parse("10.77.0.100"), Ipv4.parse("10.77.0.101"));
        assertThat(offer.packet().file()).isEqualTo("undionly.kpxe");
        assertThat(offer.packet().siaddr()).isEqualTo(SERVER);
        DhcpEngine.Reply ack = e.handle(request(STRANGER, MessageType.REQUEST, pxe().ip(DhcpOption.SERVER_ID, SERVER)
                .ip(DhcpOption.REQUESTED_IP, ip)), ON_ETH, 11);
        assertThat(ack.packet().messageType()).contains(MessageType.ACK);
        assertThat(ack.packet().yiaddr()).isEqualTo(ip);
        assertThat(leases.byAddress(ip)).isPresent();

        // its iPXE asks again: same address, and the chain script (answered with the menu by HTTP)
        DhcpEngine.Reply again = e.handle(request(STRANGER, MessageType.DISCOVER, ipxe()), ON_ETH, 12);
        assertThat(again.packet().yiaddr()).isEqualTo(ip);
        assertThat(again.packet().options().string(DhcpOption.BOOTFILE).orElse(again.packet().file()))
                .isEqualTo("http://10.77.0.1:8080/boot.ipxe");
    }

    @Test
    void refusedStrangerGetsAPlainLeaseWithoutABootFileOrNothingWithoutAPool() {
        DhcpEngine e = engine(false, true);
        DhcpEngine.Reply offer = e.handle(request(STRANGER, MessageType.DISCOVER, pxe()), ON_ETH, 10);
        assertThat(offer.packet().messageType()).contains(MessageType.OFFER);
        assertThat(offer.packet().file()).isEmpty();
        assertThat(offer.packet().options().string(DhcpOption.BOOTFILE)).isEmpty();
        DhcpEngine.Reply viaIpxe = e.handle(request(STRANGER, MessageType.DISCOVER, ipxe()), ON_ETH, 11);
        assertThat(viaIpxe.packet().file()).isEmpty();
        assertThat(viaIpxe.packet().options().string(DhcpOption.BOOTFILE)).isEmpty();

        assertThat(engine(false, false).handle(request(STRANGER, MessageType.DISCOVER, pxe()), ON_ETH, 10)).isNull();
        assertThat(engine(true, false).handle(request(STRANGER, MessageType.DISCOVER, pxe()), ON_ETH, 10))
                .as("allowed, but no pool: no address to give").isNull();
    }
}
