package io.yoo.installer.dhcp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.boot.BootTarget;
import io.yoo.installer.api.net.AddressPool;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.Ipv4Cidr;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.dhcp.codec.DhcpOption;
import io.yoo.installer.dhcp.codec.DhcpOptions;
import io.yoo.installer.dhcp.codec.MessageType;
import io.yoo.installer.dhcp.lease.LeaseStore;
import io.yoo.installer.dhcp.codec.DhcpPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Load balancing in the engine: with a partner alive, DISCOVERs and REQUESTs naming no server are
 * answered only for the clients of this server's buckets, and offers come from its part of the
 * pool; alone (the partner dead), every client, any address.
 */
class LoadBalancedEngineTest {
    static final Ipv4 SERVER = Ipv4.parse("10.77.0.1");
    static final DhcpEngine.Inbound ON_ETH = new DhcpEngine.Inbound(67, SERVER, 3, new Ipv4(0), 68);

    final DhcpStats stats = new DhcpStats();
    final AtomicReference<ServerShare> share = new AtomicReference<>(new ServerShare(0, 2));

    DhcpEngine engine() {
        DhcpSubnet sub = DhcpSubnet.of(Ipv4Cidr.parse("10.77.0.0/24"))
                .withPool(new AddressPool(Ipv4.parse("10.77.0.100"), Ipv4.parse("10.77.0.199")));
        DhcpServerConfig cfg = DhcpServerConfig.builder(SERVER).subnet(sub).build();
        StaticBootPolicy policy = new StaticBootPolicy(Map.of(), req -> new BootTarget.None("plain"), s -> { });
        return new DhcpEngine(cfg, policy, LeaseStore.inMemory(), stats, share::get);
    }

    static MacAddress mac(int i) {
        return new MacAddress(0x525400000000L + i);
    }

    @Test
    void withAPartnerAliveOnlyThisServersBucketsAreAnsweredFromItsPartOfThePool() {
        DhcpEngine e = engine();
        int mine = 0;
        for (int i = 0; i < 64; i++) {
            MacAddress m = mac(i);
            boolean ours = ClientBuckets.bucket(m.toBytes(), 0, 6) % 2 == 0;
            DhcpEngine.Reply r = e.handle(DhcpEngineTest.request(m, MessageType.DISCOVER, DhcpOptions.builder()), ON_ETH, 10);
            if (!ours) {
                assertThat(r).as("%s is the partner's", m).isNull();
                continue;
            }
            mine++;
            assertThat(r).as("%s is ours", m).isNotNull();
            assertThat(r.packet().yiaddr().value() % 2).as("offered from this server's (even) part of the pool").isZero();
            assertThat(e.handle(DhcpEngineTest.request(m, MessageType.REQUEST, DhcpOptions.builder()
                    .ip(DhcpOption.SERVER_ID, SERVER).ip(DhcpOption.REQUESTED_IP, r.packet().yiaddr())), ON_ETH, 10)
                    .packet().messageType()).contains(MessageType.ACK);
        }
        assertThat(mine).as("some of 64 clients are ours, some the partner's").isBetween(16, 48);
        assertThat(stats.peerBuckets.sum()).isEqualTo(64 - mine);
        assertThat(stats.offers.sum()).isEqualTo(mine);
    }

    @Test
    void anInitRebootRequestOfThePartnersBucketIsLeftToItButOneNamingThisServerIsAnswered() {
        DhcpEngine e = engine();
        MacAddress theirs = mac(0);
        for (int i = 0; ClientBuckets.bucket(theirs.toBytes(), 0, 6) % 2 == 0; i++) {
            theirs = mac(i);
        }
        Ipv4 wanted = Ipv4.parse("10.77.0.121");
        assertThat(e.handle(DhcpEngineTest.request(theirs, MessageType.REQUEST, DhcpOptions.builder().ip(DhcpOption.REQUESTED_IP, wanted)),
                ON_ETH, 10)).as("INIT-REBOOT of the partner's client: the partner answers").isNull();
        assertThat(e.handle(DhcpEngineTest.request(theirs, MessageType.REQUEST, DhcpOptions.builder().ip(DhcpOption.SERVER_ID, SERVER)
                .ip(DhcpOption.REQUESTED_IP, wanted)), ON_ETH, 10).packet().messageType())
                .as("a REQUEST naming this server is this server's (RFC 2131)").contains(MessageType.ACK);
    }

    @Test
    void whenThePartnerDiesEveryClientIsAnsweredAndTheWholePoolUsed() {
        DhcpEngine e = engine();
        share.set(ServerShare.ALL);
        boolean odd = false;
        for (int i = 0; i < 64; i++) {
            DhcpEngine.Reply r = e.handle(DhcpEngineTest.request(mac(i), MessageType.DISCOVER, DhcpOptions.builder()), ON_ETH, 10);
            assertThat(r).as("client %d answered", i).isNotNull();
            odd |= r.packet().yiaddr().value() % 2 != 0;
        }
        assertThat(odd).as("the partner's part of the pool too").isTrue();
        assertThat(stats.peerBuckets.sum()).isZero();
    }

    @Test
    void whenItsOwnPartOfThePoolIsFullAServerOffersFromThePartnersPart() {
        DhcpSubnet sub = DhcpSubnet.of(Ipv4Cidr.parse("10.77.0.0/24"))
                .withPool(new AddressPool(Ipv4.parse("10.77.0.100"), Ipv4.parse("10.77.0.103")));
        DhcpEngine e = new DhcpEngine(DhcpServerConfig.builder(SERVER).subnet(sub).build(),
                new StaticBootPolicy(Map.of(), req -> new BootTarget.None("plain"), s -> { }), LeaseStore.inMemory(), stats, share::get);
        int offered = 0;
        for (int i = 0; offered < 4 && i < 200; i++) {
            if (ClientBuckets.bucket(mac(i).toBytes(), 0, 6) % 2 != 0) {
                continue;
            }
            assertThat(e.handle(DhcpEngineTest.request(mac(i), MessageType.DISCOVER, DhcpOptions.builder()), ON_ETH, 10))
                    .as("offer %d of the 4 addresses", offered + 1).isNotNull();
            offered++;
        }
        assertThat(offered).isEqualTo(4);
    }

    @Test
    void aRequestLeftToThePartnerIsHandedToTheBacklogAndAnsweredWhenThePartnerIsDeclaredDead() {
        DhcpEngine e = engine();
        List<DhcpPacket> left = new ArrayList<>();
        e.leavingToPartner((p, in) -> left.add(p));
        MacAddress theirs = mac(0);
        for (int i = 0; ClientBuckets.bucket(theirs.toBytes(), 0, 6) % 2 == 0; i++) {
            theirs = mac(i);
        }
        DhcpPacket discover = DhcpEngineTest.request(theirs, MessageType.DISCOVER, DhcpOptions.builder());
        assertThat(e.handle(discover, ON_ETH, 10)).as("the partner's while it lives").isNull();
        assertThat(left).containsExactly(discover);
        share.set(ServerShare.ALL);
        DhcpEngine.Reply r = e.handle(left.getFirst(), ON_ETH, 11);
        assertThat(r).as("the same request, handed back once the partner is dead").isNotNull();
        assertThat(r.packet().messageType()).contains(MessageType.OFFER);
        assertThat(r.packet().xid()).isEqualTo(discover.xid());
    }

    @Test
    void aClientOfThePartnersBucketWhoseSecsReachTheGraceIsAnswered() {
        DhcpEngine e = engine();
        MacAddress theirs = mac(0);
        for (int i = 0; ClientBuckets.bucket(theirs.toBytes(), 0, 6) % 2 == 0; i++) {
            theirs = mac(i);
        }
        DhcpPacket fresh = DhcpEngineTest.request(theirs, MessageType.DISCOVER, DhcpOptions.builder());
        assertThat(e.handle(fresh, ON_ETH, 10)).as("secs 0").isNull();
        for (int secs : new int[] {DhcpEngine.PARTNER_GRACE_SECONDS - 1, DhcpEngine.PARTNER_GRACE_SECONDS}) {
            DhcpPacket waited = new DhcpPacket(fresh.op(), fresh.htype(), fresh.hlen(), fresh.hops(), fresh.xid(), secs, fresh.flags(),
                    fresh.ciaddr(), fresh.yiaddr(), fresh.siaddr(), fresh.giaddr(), fresh.chaddr(), fresh.sname(), fresh.file(),
                    fresh.options());
            DhcpEngine.Reply r = e.handle(waited, ON_ETH, 10);
            if (secs < DhcpEngine.PARTNER_GRACE_SECONDS) {
                assertThat(r).as("secs %d: still the partner's", secs).isNull();
            } else {
                assertThat(r).as("secs %d: its server may be deaf", secs).isNotNull();
            }
        }
    }
}
