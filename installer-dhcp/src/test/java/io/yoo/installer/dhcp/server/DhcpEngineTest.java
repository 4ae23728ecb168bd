package io.yoo.installer.dhcp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.boot.BootDecision;
import io.yoo.installer.api.boot.BootPolicy;
import io.yoo.installer.api.boot.BootTarget;
import io.yoo.installer.api.boot.NetworkAssignment;
import io.yoo.installer.api.boot.Sighting;
import io.yoo.installer.api.net.AddressPool;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.Ipv4Cidr;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.dhcp.codec.DhcpCodec;
import io.yoo.installer.dhcp.codec.DhcpOption;
import io.yoo.installer.dhcp.codec.DhcpOptions;
import io.yoo.installer.dhcp.codec.DhcpPacket;
import io.yoo.installer.dhcp.codec.MessageType;
import io.yoo.installer.dhcp.lease.Lease;
import io.yoo.installer.dhcp.lease.LeaseStore;
import io.yoo.installer.dhcp.probe.DhcpProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The DHCP state machine without sockets: requests in, replies and their destinations out. */
class DhcpEngineTest {
    static final Ipv4 SERVER = Ipv4.parse("10.77.0.1");
    static final MacAddress KNOWN = MacAddress.parse("52:54:00:77:01:01");
    static final MacAddress STRANGER = MacAddress.parse("52:54:00:00:00:42");
    static final Ipv4Cidr NET = Ipv4Cidr.parse("10.77.0.0/24");
    static final NetworkAssignment RES = new NetworkAssignment("node1", Ipv4.parse("10.77.0.11"), NET,
            Optional.of(Ipv4.parse("10.77.0.254")), List.of(Ipv4.parse("10.77.0.53")), "lab.example", 3600);
    static final DhcpEngine.Inbound ON_ETH = new DhcpEngine.Inbound(67, SERVER, 3, new Ipv4(0), 68);

    final List<Sighting> sightings = new ArrayList<>();
    final DhcpStats stats = new DhcpStats();
    LeaseStore leases = LeaseStore.inMemory();

    DhcpEngine engine(DhcpServerConfig.Mode mode, boolean pool) {
        DhcpSubnet sub = DhcpSubnet.of(NET).withGateway(Ipv4.parse("10.77.0.254"));
        if (pool) {
            sub = sub.withPool(new AddressPool(Ipv4.parse("10.77.0.10"), Ipv4.parse("10.77.0.12")));
        }
        DhcpServerConfig cfg = DhcpServerConfig.builder(SERVER).mode(mode).subnet(sub)
                .subnet(DhcpSubnet.of(Ipv4Cidr.parse("10.88.0.0/24")).withPool(new AddressPool(Ipv4.parse("10.88.0.100"),
                        Ipv4.parse("10.88.0.100"))))
                .reserved(Set.of(RES.address())).proxyFallbackAfter(3).build();
        Consumer<Sighting> obs = sightings::add;
        StaticBootPolicy policy = new StaticBootPolicy(Map.of(KNOWN, RES), req -> req.isNetworkBootFirmware()
                ? new BootTarget.TftpFile(SERVER, "undionly.kpxe") : new BootTarget.None("plain"), obs);
        return new DhcpEngine(cfg, policy, leases, stats);
    }

    static DhcpPacket request(MacAddress mac, MessageType t, DhcpOptions.Builder extra) {
        byte[] chaddr = new byte[16];
        System.arraycopy(mac.toBytes(), 0, chaddr, 0, 6);
        DhcpOptions o = extra.messageType(t).build();
        return new DhcpPacket(1, 1, 6, 0, 0x1234, 0, 0, DhcpPacket.ZERO, DhcpPacket.ZERO, DhcpPacket.ZERO, DhcpPacket.ZERO,
                chaddr, "", "", o);
    }

    static DhcpOptions.Builder pxe() {
        return DhcpOptions.builder().string(DhcpOption.VENDOR_CLASS, "PXEClient:Arch:00000:UNDI:002001")
                .u16(DhcpOption.CLIENT_ARCH, 0);
    }

    @Test
    void knownMachineGetsItsReservationNetworkOptionsAndBootFile() {
        DhcpEngine e = engine(DhcpServerConfig.Mode.FULL, false);
        DhcpEngine.Reply offer = e.handle(request(KNOWN, MessageType.DISCOVER, pxe()), ON_ETH, 1000);
        DhcpPacket p = offer.packet();
        assertThat(p.messageType()).contains(MessageType.OFFER);
        assertThat(p.yiaddr()).isEqualTo(RES.address());
        assertThat(p.siaddr()).isEqualTo(SERVER);
        assertThat(p.file()).isEqualTo("undionly.kpxe");
        assertThat(p.options().ip(DhcpOption.SERVER_ID)).contains(SERVER);
        assertThat(p.options().ip(DhcpOption.SUBNET_MASK)).contains(Ipv4.parse("255.255.255.0"));
        assertThat(p.options().ip(DhcpOption.ROUTER)).contains(Ipv4.parse("10.77.0.254"));
        assertThat(p.options().ips(DhcpOption.DNS)).containsExactly(Ipv4.parse("10.77.0.53"));
        assertThat(p.options().string(DhcpOption.HOSTNAME)).contains("node1");
        assertThat(p.options().u32(DhcpOption.LEASE_TIME)).hasValue(3600);
        assertThat(p.options().encapsulated(DhcpOption.IPXE_ENCAP).orElseThrow().u8(DhcpOption.IPXE_NO_PXEDHCP, 0)).isEqualTo(1);
        // broadcast out of the interface it came in on, from the address it came in for
        assertThat(offer.to()).isEqualTo(new Ipv4(-1));
        assertThat(offer.port()).isEqualTo(68);
        assertThat(offer.ifIndex()).isEqualTo(3);
        assertThat(offer.from()).isEqualTo(SERVER);

        DhcpEngine.Reply ack = e.handle(request(KNOWN, MessageType.REQUEST, pxe().ip(DhcpOption.SERVER_ID, SERVER)
                .ip(DhcpOption.REQUESTED_IP, RES.address())), ON_ETH, 1001);
        assertThat(ack.packet().messageType()).contains(MessageType.ACK);
        assertThat(ack.packet().yiaddr()).isEqualTo(RES.address());
        assertThat(sightings).singleElement().satisfies(s -> {
            assertThat(s.machine()).contains("node1");
            assertThat(s.ip()).contains(RES.address());
        });
    }

    @Test
    void unknownMachineWithoutPoolGetsNoAnswer() {
        assertThat(engine(DhcpServerConfig.Mode.FULL, false).handle(request(STRANGER, MessageType.DISCOVER, pxe()), ON_ETH, 1))
                .isNull();
        assertThat(stats.ignored.sum()).isEqualTo(1);
    }

    @Test
    void aKnownMachineWithoutAnIpv4ReservationGetsNoPoolLease() {
        // an IPv6-only machine (issue #19): the policy knows it but reserves no IPv4 address; the pool
        // must not give it one either, or its firmware would boot over IPv4 after all
        DhcpServerConfig cfg = DhcpServerConfig.builder(SERVER).mode(DhcpServerConfig.Mode.FULL)
                .subnet(DhcpSubnet.of(NET).withPool(new AddressPool(Ipv4.parse("10.77.0.10"), Ipv4.parse("10.77.0.12")))).build();
        BootPolicy v6Only = req -> new BootDecision(Optional.of("v6-node"),
                Optional.empty(), new BootTarget.TftpFile(SERVER, "snponly.efi"));
        DhcpEngine e = new DhcpEngine(cfg, v6Only, leases, stats);
        assertThat(e.handle(request(KNOWN, MessageType.DISCOVER, pxe()), ON_ETH, 1)).isNull();
        assertThat(e.handle(request(KNOWN, MessageType.REQUEST, pxe().ip(DhcpOption.REQUESTED_IP, Ipv4.parse("10.77.0.10"))), ON_ETH, 2))
                .isNull();
        assertThat(stats.ignored.sum()).isEqualTo(2);
        // a machine it does not know still gets a pool lease
        assertThat(new DhcpEngine(cfg, req -> BootDecision.unknown(new BootTarget.None("x")), leases, stats)
                .handle(request(STRANGER, MessageType.DISCOVER, pxe()), ON_ETH, 3).packet().yiaddr()).isEqualTo(Ipv4.parse("10.77.0.10"));
    }

    @Test
    void poolNeverHandsOutAReservedAddressAndNaksWhenExhausted() {
        DhcpEngine e = engine(DhcpServerConfig.Mode.FULL, true);
        List<Ipv4> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            MacAddress m = new MacAddress(0x020000000100L + i);
            DhcpEngine.Reply r = e.handle(request(m, MessageType.DISCOVER, DhcpOptions.builder()), ON_ETH, 10);
            if (r != null) {
                got.add(r.packet().yiaddr());
                DhcpEngine.Reply ack = e.handle(request(m, MessageType.REQUEST, DhcpOptions.builder()
                        .ip(DhcpOption.SERVER_ID, SERVER).ip(DhcpOption.REQUESTED_IP, r.packet().yiaddr())), ON_ETH, 10);
                assertThat(ack.packet().messageType()).contains(MessageType.ACK);
            }
        }
        // pool .10-.12 minus the reservation .11
        assertThat(got).containsExactly(Ipv4.parse("10.77.0.10"), Ipv4.parse("10.77.0.12"));
        assertThat(stats.poolExhausted.sum()).isEqualTo(1);
        // someone else asking for a bound address is NAKed
        DhcpEngine.Reply nak = e.handle(request(STRANGER, MessageType.REQUEST, DhcpOptions.builder()
                .ip(DhcpOption.REQUESTED_IP, Ipv4.parse("10.77.0.10"))), ON_ETH, 11);
        assertThat(nak.packet().messageType()).contains(MessageType.NAK);
    }

    @Test
    void releaseFreesAndDeclineQuarantinesAnAddress() {
        DhcpEngine e = engine(DhcpServerConfig.Mode.FULL, true);
        MacAddress a = new MacAddress(0x020000000201L);
        Ipv4 ip = e.handle(request(a, MessageType.DISCOVER, DhcpOptions.builder()), ON_ETH, 10).packet().yiaddr();
        e.handle(request(a, MessageType.REQUEST, DhcpOptions.builder().ip(DhcpOption.REQUESTED_IP, ip)), ON_ETH, 10);
        assertThat(leases.byAddress(ip)).isPresent();
        byte[] chaddr = new byte[16];
        System.arraycopy(a.toBytes(), 0, chaddr, 0, 6);
        DhcpPacket rel = new DhcpPacket(1, 1, 6, 0, 1, 0, 0, ip, DhcpPacket.ZERO, DhcpPacket.ZERO, DhcpPacket.ZERO, chaddr, "",
                "", DhcpOptions.builder().messageType(MessageType.RELEASE).ip(DhcpOption.SERVER_ID, SERVER).build());
        assertThat(e.handle(rel, ON_ETH, 11)).isNull();
        assertThat(leases.byAddress(ip)).isEmpty();

        MacAddress b = new MacAddress(0x020000000202L);
        Ipv4 ip2 = e.handle(request(b, MessageType.DISCOVER, DhcpOptions.builder()), ON_ETH, 12).packet().yiaddr();
        e.handle(request(b, MessageType.DECLINE, DhcpOptions.builder().ip(DhcpOption.REQUESTED_IP, ip2)), ON_ETH, 12);
        assertThat(leases.byAddress(ip2).orElseThrow().state()).isEqualTo(Lease.State.DECLINED);
        Ipv4 ip3 = e.handle(request(b, MessageType.DISCOVER, DhcpOptions.builder()), ON_ETH, 13).packet().yiaddr();
        assertThat(ip3).isNotEqualTo(ip2);
    }

    @Test
    void aYooProbeIsOfferedAnAddressThatStaysFreeForMachines() {
        DhcpEngine e = engine(DhcpServerConfig.Mode.FULL, true);
        MacAddress peer = new MacAddress(0x020000000401L);
        DhcpEngine.Reply offer = e.handle(DhcpProbe.discover(peer, 7), ON_ETH, 10);
        assertThat(offer.packet().messageType()).contains(MessageType.OFFER);
        Ipv4 ip = offer.packet().yiaddr();
        assertThat(leases.byAddress(ip)).as("a probe's offer holds nothing").isEmpty();
        assertThat(leases.addressOf("hw:" + peer.toHex())).isZero();
        // the pool is .10-.12 minus the reservation .11: two machines still get both free addresses
        List<Ipv4> got = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            got.add(e.handle(request(new MacAddress(0x020000000410L + i), MessageType.DISCOVER, DhcpOptions.builder()), ON_ETH, 10)
                    .packet().yiaddr());
        }
        assertThat(got).containsExactlyInAnyOrder(Ipv4.parse("10.77.0.10"), Ipv4.parse("10.77.0.12"));
        // the same DISCOVER without the probe's user class is an ordinary client's, whose offer is held
        MacAddress plain = new MacAddress(0x020000000402L);
        e.handle(request(plain, MessageType.DISCOVER, pxe()), ON_ETH, 10);
        assertThat(stats.poolExhausted.sum()).isEqualTo(1);
    }

    @Test
    void requestForAnotherServerDropsOurOffer() {
        DhcpEngine e = engine(DhcpServerConfig.Mode.FULL, true);
        MacAddress a = new MacAddress(0x020000000301L);
        Ipv4 ip = e.handle(request(a, MessageType.DISCOVER, DhcpOptions.builder()), ON_ETH, 10).packet().yiaddr();
        assertThat(e.handle(request(a, MessageType.REQUEST, DhcpOptions.builder().ip(DhcpOption.SERVER_ID,
                Ipv4.parse("10.77.0.2")).ip(DhcpOption.REQUESTED_IP, ip)), ON_ETH, 10)).isNull();
        assertThat(leases.byAddress(ip)).isEmpty();
    }

    @Test
    void informIsAnsweredUnicastWithoutALease() {
        byte[] chaddr = new byte[16];
        System.arraycopy(STRANGER.toBytes(), 0, chaddr, 0, 6);
        DhcpPacket inform = new DhcpPacket(1, 1, 6, 0, 9, 0, 0, Ipv4.parse("10.77.0.77"), DhcpPacket.ZERO, DhcpPacket.ZERO,
                DhcpPacket.ZERO, chaddr, "", "", DhcpOptions.builder().messageType(MessageType.INFORM).build());
        DhcpEngine.Reply r = engine(DhcpServerConfig.Mode.FULL, false).handle(inform, ON_ETH, 1);
        assertThat(r.packet().messageType()).contains(MessageType.ACK);
        assertThat(r.packet().options().has(DhcpOption.LEASE_TIME)).isFalse();
        assertThat(r.packet().yiaddr()).isEqualTo(DhcpPacket.ZERO);
        assertThat(r.to()).isEqualTo(Ipv4.parse("10.77.0.77"));
    }

    @Test
    void relayedRequestGoesBackToTheRelayAndPicksTheSubnetByGiaddrOrLinkSelection() {
        DhcpEngine e = engine(DhcpServerConfig.Mode.FULL, true);
        byte[] chaddr = new byte[16];
        System.arraycopy(STRANGER.toBytes(), 0, chaddr, 0, 6);
        DhcpPacket viaRelay = new DhcpPacket(1, 1, 6, 1, 7, 0, 0, DhcpPacket.ZERO, DhcpPacket.ZERO, DhcpPacket.ZERO,
                Ipv4.parse("10.88.0.1"), chaddr, "", "", DhcpOptions.builder().messageType(MessageType.DISCOVER).build());
        DhcpEngine.Reply r = e.handle(viaRelay, new DhcpEngine.Inbound(67, SERVER, 3, Ipv4.parse("10.88.0.1"), 67), 1);
        assertThat(r.packet().yiaddr()).isEqualTo(Ipv4.parse("10.88.0.100"));
        assertThat(r.to()).isEqualTo(Ipv4.parse("10.88.0.1"));
        assertThat(r.port()).isEqualTo(67);
        assertThat(r.packet().giaddr()).isEqualTo(Ipv4.parse("10.88.0.1"));

        // giaddr on the server's net, but option 82 sub-option 5 says the client is on 10.88.0.0/24
        MacAddress other = new MacAddress(0x020000000401L);
        System.arraycopy(other.toBytes(), 0, chaddr, 0, 6);
        DhcpPacket linkSel = new DhcpPacket(1, 1, 6, 1, 8, 0, 0, DhcpPacket.ZERO, DhcpPacket.ZERO, DhcpPacket.ZERO,
                Ipv4.parse("10.77.0.2"), chaddr.clone(), "", "", DhcpOptions.builder().messageType(MessageType.DISCOVER)
                        .put(DhcpOption.RELAY_AGENT_INFO, new byte[] {5, 4, 10, 88, 0, 0}).build());
        leases = LeaseStore.inMemory();
        DhcpEngine.Reply r2 = engine(DhcpServerConfig.Mode.FULL, true).handle(linkSel,
                new DhcpEngine.Inbound(67, SERVER, 3, Ipv4.parse("10.77.0.2"), 67), 1);
        assertThat(r2.packet().yiaddr()).isEqualTo(Ipv4.parse("10.88.0.100"));
        assertThat(r2.to()).isEqualTo(Ipv4.parse("10.77.0.2"));
    }

    @Test
    void proxyModeAnswersOnlyPxeClientsWithBootInfoAndNoAddress() {
        DhcpEngine e = engine(DhcpServerConfig.Mode.PROXY, false);
        assertThat(e.handle(request(KNOWN, MessageType.DISCOVER, DhcpOptions.builder()), ON_ETH, 1)).isNull();
        DhcpEngine.Reply r = e.handle(request(KNOWN, MessageType.DISCOVER, pxe()), ON_ETH, 1);
        DhcpPacket p = r.packet();
        assertThat(p.messageType()).contains(MessageType.OFFER);
        assertThat(p.yiaddr()).isEqualTo(DhcpPacket.ZERO);
        assertThat(p.file()).isEqualTo("undionly.kpxe");
        assertThat(p.options().string(DhcpOption.VENDOR_CLASS)).contains("PXEClient");
        assertThat(p.options().encapsulated(DhcpOption.VENDOR_SPECIFIC).orElseThrow().u8(DhcpOption.PXE_DISCOVERY_CONTROL, 0))
                .isEqualTo(8);
        assertThat(p.options().has(DhcpOption.IPXE_ENCAP)).as("iPXE must wait for proxy offers").isFalse();
        assertThat(p.options().has(DhcpOption.LEASE_TIME)).isFalse();
        assertThat(sightings).singleElement().satisfies(s -> assertThat(s.what()).isEqualTo("dhcp-proxy-offer"));

        // port 4011: unicast ACK back to the asking client
        DhcpEngine.Reply boot = e.handle(request(KNOWN, MessageType.REQUEST, pxe()),
                new DhcpEngine.Inbound(4011, SERVER, 3, Ipv4.parse("10.77.0.50"), 68), 2);
        assertThat(boot.packet().messageType()).contains(MessageType.ACK);
        assertThat(boot.packet().file()).isEqualTo("undionly.kpxe");
        assertThat(boot.to()).isEqualTo(Ipv4.parse("10.77.0.50"));
        assertThat(boot.port()).isEqualTo(68);
    }

    @Test
    void proxyFallsBackToAFullOfferForFirmwareThatIgnoresProxyOffers() {
        DhcpEngine e = engine(DhcpServerConfig.Mode.PROXY, false);
        for (int i = 0; i < 3; i++) {
            assertThat(e.handle(request(KNOWN, MessageType.DISCOVER, pxe()), ON_ETH, 100 + i).packet().yiaddr())
                    .isEqualTo(DhcpPacket.ZERO);
        }
        DhcpEngine.Reply full = e.handle(request(KNOWN, MessageType.DISCOVER, pxe()), ON_ETH, 104);
        assertThat(full.packet().yiaddr()).isEqualTo(RES.address());
        assertThat(stats.proxyFallbacks.sum()).isEqualTo(1);
        DhcpEngine.Reply ack = e.handle(request(KNOWN, MessageType.REQUEST, pxe().ip(DhcpOption.SERVER_ID, SERVER)
                .ip(DhcpOption.REQUESTED_IP, RES.address())), ON_ETH, 105);
        assertThat(ack.packet().messageType()).contains(MessageType.ACK);
        assertThat(ack.packet().yiaddr()).isEqualTo(RES.address());
        // a stranger never gets an address from the proxy, however often it asks
        for (int i = 0; i < 6; i++) {
            assertThat(e.handle(request(STRANGER, MessageType.DISCOVER, pxe()), ON_ETH, 200 + i).packet().yiaddr())
                    .isEqualTo(DhcpPacket.ZERO);
        }
    }

    @Test
    void progressingClientResetsTheFallbackCount() {
        DhcpEngine e = engine(DhcpServerConfig.Mode.PROXY, false);
        for (int i = 0; i < 3; i++) {
            e.handle(request(KNOWN, MessageType.DISCOVER, pxe()), ON_ETH, 100);
        }
        // it REQUESTs the other server's offer: it understood the proxy offer
        e.handle(request(KNOWN, MessageType.REQUEST, pxe().ip(DhcpOption.SERVER_ID, Ipv4.parse("10.77.0.2"))), ON_ETH, 101);
        assertThat(e.handle(request(KNOWN, MessageType.DISCOVER, pxe()), ON_ETH, 102).packet().yiaddr())
                .isEqualTo(DhcpPacket.ZERO);
    }

    @Test
    void repliesEncodeToValidPackets() throws Exception {
        DhcpEngine.Reply offer = engine(DhcpServerConfig.Mode.FULL, false).handle(request(KNOWN, MessageType.DISCOVER, pxe()),
                ON_ETH, 1);
        byte[] wire = DhcpCodec.encode(offer.packet());
        assertThat(wire.length).isGreaterThanOrEqualTo(300);
        assertThat(DhcpCodec.decode(wire).options().toString()).isEqualTo(offer.packet().options().toString());
    }

    @Test
    void multicastBroadcastAndZeroClientMacsAreDroppedAndCounted() {
        DhcpEngine e = engine(DhcpServerConfig.Mode.FULL, true);
        List<String> warnings = new ArrayList<>();
        e.warningsTo(warnings::add);
        for (String mac : List.of("01:00:5e:00:00:01", "ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00", "33:33:00:00:00:01")) {
            assertThat(e.handle(request(MacAddress.parse(mac), MessageType.DISCOVER, pxe()), ON_ETH, 1000)).as(mac).isNull();
        }
        assertThat(stats.badClientMac.sum()).isEqualTo(4);
        assertThat(stats.offers.sum()).isZero();
        assertThat(warnings).containsExactly("dropped a DHCP DISCOVER from client MAC 01:00:5e:00:00:01: a multicast, broadcast or"
                + " all-zero MAC is no NIC's");
    }

    /** 1,531 WARN lines in 16 s before: now one line per interval, saying how many were left out; the counter has them all. */
    @Test
    void anExhaustedPoolWarnsOncePerIntervalWithTheCountLeftOut() {
        DhcpEngine e = engine(DhcpServerConfig.Mode.FULL, true);
        List<String> warnings = new ArrayList<>();
        e.warningsTo(warnings::add);
        int offers = 0;
        for (int i = 0; i < 500; i++) {
            MacAddress mac = new MacAddress(0x5254_0010_0000L + i);
            if (e.handle(request(mac, MessageType.DISCOVER, DhcpOptions.builder()), ON_ETH, 1000 + i / 100) != null) {
                offers++;
            }
        }
        assertThat(offers).isEqualTo(2); // 10.77.0.10-12 without the reserved .11
        assertThat(stats.poolExhausted.sum()).isEqualTo(498);
        assertThat(warnings).hasSize(1).first().asString().startsWith("pool 10.77.0.10-10.77.0.12 exhausted: no address for 52:54:00:10:00:02");
        e.handle(request(new MacAddress(0x5254_0011_0000L), MessageType.DISCOVER, DhcpOptions.builder()), ON_ETH, 1000 + DhcpEngine.WARN_INTERVAL);
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(1)).endsWith("no address for 52:54:00:11:00:00 (497 more like it in the last 10 s not logged)");
    }

    @Test
    void aRelayedRequestFromAnUnknownRelayIsDroppedLoggedAndCounted() {
        DhcpEngine e = engine(DhcpServerConfig.Mode.FULL, true);
        List<String> warnings = new ArrayList<>();
        e.warningsTo(warnings::add);
        DhcpPacket p = request(STRANGER, MessageType.DISCOVER, pxe());
        DhcpPacket relayed = new DhcpPacket(p.op(), p.htype(), p.hlen(), 1, p.xid(), p.secs(), p.flags(), p.ciaddr(), p.yiaddr(),
                p.siaddr(), Ipv4.parse("10.99.0.1"), p.chaddr(), p.sname(), p.file(), p.options());
        for (int i = 0; i < 5; i++) {
            assertThat(e.handle(relayed, new DhcpEngine.Inbound(67, SERVER, 3, Ipv4.parse("10.99.0.1"), 67), 2000)).isNull();
        }
        assertThat(stats.unknownRelay.sum()).isEqualTo(5);
        assertThat(warnings).containsExactly("dropped a relayed DHCP DISCOVER from 52:54:00:00:00:42: relay agent 10.99.0.1 is in none"
                + " of the served subnets [10.77.0.0/24, 10.88.0.0/24]");
    }
}
