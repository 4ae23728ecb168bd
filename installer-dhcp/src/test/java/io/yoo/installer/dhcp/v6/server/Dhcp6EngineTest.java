package io.yoo.installer.dhcp.v6.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.boot.BootDecision;
import io.yoo.installer.api.boot.BootPolicy;
import io.yoo.installer.api.boot.BootTarget;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.dhcp.v6.codec.Dhcp6Codec;
import io.yoo.installer.dhcp.v6.codec.Dhcp6Message;
import io.yoo.installer.dhcp.v6.codec.Dhcp6MessageType;
import io.yoo.installer.dhcp.v6.codec.Dhcp6Messages;
import io.yoo.installer.dhcp.v6.codec.Dhcp6Option;
import io.yoo.installer.dhcp.v6.codec.Dhcp6Options;
import io.yoo.installer.dhcp.v6.codec.Duid;
import io.yoo.installer.dhcp.v6.codec.IaAddress;
import io.yoo.installer.dhcp.v6.codec.IaNa;
import io.yoo.installer.dhcp.v6.codec.Ipv6;
import io.yoo.installer.dhcp.v6.lease.Lease6;
import io.yoo.installer.dhcp.v6.lease.Lease6Store;
import io.yoo.installer.dhcp.v6.probe.Dhcp6Probe;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Dhcp6EngineTest {
    static final Duid SERVER = Duid.ll(MacAddress.parse("02:00:00:00:00:01"));
    static final long NOW = 1_800_000_000L;
    static final Dhcp6Engine.Inbound DIRECT = new Dhcp6Engine.Inbound(Ipv6.parse("fe80::5054:ff:fe12:3456"), 546, 3,
            Ipv6.parse("fd00:77::1"));
    static final Dhcp6Engine.Inbound FROM_RELAY = new Dhcp6Engine.Inbound(Ipv6.parse("fd00:97::2"), 547, 4,
            Ipv6.parse("fd00:77::1"));

    /** UEFI PXE → TFTP snponly.efi; iPXE → its per-machine script; anything else nothing. */
    static final BootPolicy POLICY = req -> BootDecision.unknown(req.isIpxe()
            ? new BootTarget.HttpUrl("http://[fd00:77::1]:8080/boot/" + req.mac().toHex() + ".ipxe", false)
            : req.isNetworkBootFirmware() ? new BootTarget.TftpFile(Ipv4.parse("10.0.0.1"), "snponly.efi")
            : new BootTarget.None("not a boot client"));

    static Dhcp6Config config() {
        return Dhcp6Config.builder(SERVER)
                .subnet(Dhcp6Subnet.parse("fd00:77::/64").withRange(Ipv6.parse("fd00:77::100"), Ipv6.parse("fd00:77::1ff"))
                        .withDns(List.of(Ipv6.parse("fd00:77::53"))))
                .subnet(Dhcp6Subnet.parse("fd00:98::/64").withRange(Ipv6.parse("fd00:98::100"), Ipv6.parse("fd00:98::101")))
                .reserve(Dhcp6Messages.CLIENT_UUID, Ipv6.parse("fd00:77::10"))
                .reserve(MacAddress.parse("52:54:00:ab:cd:ef"), Ipv6.parse("fd00:98::11"))
                .bootServer(Ipv6.parse("fd00:77::1"))
                .build();
    }

    Lease6Store leases;
    Dhcp6Stats stats;
    Dhcp6Engine engine;

    @BeforeEach
    void setUp() {
        leases = Lease6Store.inMemory();
        stats = new Dhcp6Stats();
        engine = new Dhcp6Engine(config(), POLICY, leases, stats);
    }

    /** Through the codec both ways, as the server does. */
    Dhcp6Engine.Reply handle(Dhcp6Message m, Dhcp6Engine.Inbound in) throws Exception {
        Dhcp6Engine.Reply r = engine.handle(Dhcp6Codec.decode(Dhcp6Codec.encode(m)), in, NOW);
        if (r == null) {
            return null;
        }
        return new Dhcp6Engine.Reply(Dhcp6Codec.decode(Dhcp6Codec.encode(r.message())), r.to(), r.port(), r.ifIndex());
    }

    static Dhcp6Message.Client client(int type, Dhcp6Options.Builder o) {
        return new Dhcp6Message.Client(type, 0x123456, o.build());
    }

    static Dhcp6Options.Builder plain(Duid duid, int iaid) {
        return Dhcp6Options.builder().put(Dhcp6Option.CLIENTID, duid.toBytes()).u16(Dhcp6Option.ELAPSED_TIME, 0)
                .iaNa(new IaNa(iaid, 0, 0, List.of(), Optional.empty()));
    }

    static Dhcp6Options.Builder withAddress(Duid duid, int iaid, Ipv6 a, boolean server) {
        Dhcp6Options.Builder b = Dhcp6Options.builder().put(Dhcp6Option.CLIENTID, duid.toBytes())
                .iaNa(new IaNa(iaid, 0, 0, List.of(new IaAddress(a, 0, 0)), Optional.empty()));
        return server ? b.put(Dhcp6Option.SERVERID, SERVER.toBytes()) : b;
    }

    static final Duid DYN = Duid.parseHex("00030001" + "525400000042");

    static Ipv6 address(Dhcp6Message m) {
        return m.options().iaNas().getFirst().addresses().getFirst().address();
    }

    @Test
    void solicitAdvertiseRequestReplyBindsAnAddressOfTheRange() throws Exception {
        Dhcp6Engine.Reply adv = handle(client(Dhcp6MessageType.SOLICIT, plain(DYN, 9)), DIRECT);
        assertThat(adv.message().type()).isEqualTo(Dhcp6MessageType.ADVERTISE);
        assertThat(adv.to()).isEqualTo(DIRECT.peer());
        assertThat(adv.port()).isEqualTo(546);
        assertThat(adv.ifIndex()).isEqualTo(3);
        Dhcp6Options o = adv.message().options();
        assertThat(o.serverId()).contains(SERVER);
        assertThat(o.clientId()).contains(DYN);
        assertThat(o.get(Dhcp6Option.PREFERENCE)).hasValueSatisfying(p -> assertThat(p).containsExactly((byte) 255));
        assertThat(o.dnsServers()).containsExactly(Ipv6.parse("fd00:77::53"));
        Ipv6 offered = address(adv.message());
        assertThat(offered).isEqualTo(Ipv6.parse("fd00:77::100"));
        IaNa ia = o.iaNas().getFirst();
        assertThat(ia.iaid()).isEqualTo(9);
        assertThat(ia.t1()).isEqualTo(1800);
        assertThat(ia.t2()).isEqualTo(2880);
        assertThat(leases.byAddress(offered).orElseThrow().state()).isEqualTo(Lease6.State.OFFERED);

        Dhcp6Engine.Reply rep = handle(client(Dhcp6MessageType.REQUEST, withAddress(DYN, 9, offered, true)), DIRECT);
        assertThat(rep.message().type()).isEqualTo(Dhcp6MessageType.REPLY);
        assertThat(address(rep.message())).isEqualTo(offered);
        assertThat(rep.message().options().iaNas().getFirst().addresses().getFirst().valid()).isEqualTo(7200);
        Lease6 l = leases.byAddress(offered).orElseThrow();
        assertThat(l.state()).isEqualTo(Lease6.State.BOUND);
        assertThat(l.client()).isEqualTo(DYN.toHex() + "/9");
        assertThat(l.mac()).isEqualTo("525400000042");
        assertThat(l.expires()).isEqualTo(NOW + 7200);

        // a second client gets the next address
        Dhcp6Engine.Reply other = handle(client(Dhcp6MessageType.SOLICIT, plain(Duid.parseHex("00030001525400000043"), 1)), DIRECT);
        assertThat(address(other.message())).isEqualTo(Ipv6.parse("fd00:77::101"));
        assertThat(stats.advertises.sum()).isEqualTo(2);
        assertThat(stats.replies.sum()).isEqualTo(1);
    }

    @Test
    void aYooProbeIsAdvertisedAnAddressThatIsNotHeld() throws Exception {
        Dhcp6Engine.Reply adv = handle(Dhcp6Probe.solicit(Duid.parseHex("00030001020000000077"), 0x42, 1), DIRECT);
        assertThat(adv.message().type()).isEqualTo(Dhcp6MessageType.ADVERTISE);
        Ipv6 offered = address(adv.message());
        assertThat(leases.byAddress(offered)).as("a probe's advertise holds nothing").isEmpty();
        // an ordinary client's advertise is held
        Ipv6 other = address(handle(client(Dhcp6MessageType.SOLICIT, plain(DYN, 9)), DIRECT).message());
        assertThat(leases.byAddress(other).orElseThrow().state()).isEqualTo(Lease6.State.OFFERED);
    }

    @Test
    void rapidCommitSolicitIsAnsweredWithACommittedReply() throws Exception {
        Dhcp6Engine.Reply r = handle(client(Dhcp6MessageType.SOLICIT, plain(DYN, 1).empty(Dhcp6Option.RAPID_COMMIT)), DIRECT);
        assertThat(r.message().type()).isEqualTo(Dhcp6MessageType.REPLY);
        assertThat(r.message().options().rapidCommit()).isTrue();
        assertThat(leases.byAddress(address(r.message())).orElseThrow().state()).isEqualTo(Lease6.State.BOUND);
    }

    @Test
    void rapidCommitCanBeSwitchedOff() throws Exception {
        Dhcp6Config off = Dhcp6Config.builder(SERVER).subnet(config().subnets().getFirst()).rapidCommit(false).build();
        engine = new Dhcp6Engine(off, POLICY, leases, stats);
        Dhcp6Engine.Reply r = handle(client(Dhcp6MessageType.SOLICIT, plain(DYN, 1).empty(Dhcp6Option.RAPID_COMMIT)), DIRECT);
        assertThat(r.message().type()).isEqualTo(Dhcp6MessageType.ADVERTISE);
        assertThat(r.message().options().rapidCommit()).isFalse();
    }

    @Test
    void uefiPxeGetsItsDuidReservationAndATftpBootFileUrl() throws Exception {
        Dhcp6Engine.Reply r = handle(Dhcp6Messages.uefiSolicit(), DIRECT);
        assertThat(address(r.message())).isEqualTo(Ipv6.parse("fd00:77::10"));
        assertThat(r.message().options().bootFileUrl()).contains("tftp://[fd00:77::1]/snponly.efi");
        assertThat(leases.all()).as("reservations are not dynamic leases").isEmpty();
    }

    @Test
    void ipxeGetsItsPerMachineScriptUrl() throws Exception {
        Dhcp6Engine.Reply r = handle(Dhcp6Messages.ipxeSolicit(), DIRECT);
        assertThat(r.message().type()).isEqualTo(Dhcp6MessageType.REPLY); // iPXE asked for rapid commit
        assertThat(r.message().options().bootFileUrl()).contains("http://[fd00:77::1]:8080/boot/525400123456.ipxe");
    }

    @Test
    void aClientThatIsNoBootFirmwareAndDoesNotAskGetsNoBootFileUrl() throws Exception {
        Dhcp6Engine.Reply r = handle(client(Dhcp6MessageType.SOLICIT, plain(DYN, 1)), DIRECT);
        assertThat(r.message().options().bootFileUrl()).isEmpty();
    }

    @Test
    void reservationByMacFromDuidLlt() throws Exception {
        Dhcp6Config c = Dhcp6Config.builder(SERVER).subnet(config().subnets().getFirst())
                .reserve(MacAddress.parse("52:54:00:12:34:56"), Ipv6.parse("fd00:77::12")).build();
        engine = new Dhcp6Engine(c, POLICY, leases, stats);
        Dhcp6Engine.Reply r = handle(client(Dhcp6MessageType.SOLICIT, plain(Dhcp6Messages.CLIENT_LLT, 1)), DIRECT);
        assertThat(address(r.message())).isEqualTo(Ipv6.parse("fd00:77::12"));
    }

    @Test
    void relayedRequestGetsTheReservationOfOption79AndTheReplyGoesBackThroughTheRelay() throws Exception {
        Duid anon = Duid.parseHex("0002000000090102030405"); // DUID-EN: no MAC in it
        Dhcp6Message inner = client(Dhcp6MessageType.SOLICIT, plain(anon, 5));
        Dhcp6Engine.Reply r = handle(Dhcp6Messages.relayed(inner, "fd00:98::1"), FROM_RELAY);
        assertThat(r.to()).isEqualTo(FROM_RELAY.peer());
        assertThat(r.port()).isEqualTo(547);
        Dhcp6Message.Relay repl = (Dhcp6Message.Relay) r.message();
        assertThat(repl.type()).isEqualTo(Dhcp6MessageType.RELAY_REPL);
        assertThat(repl.linkAddress()).isEqualTo(Ipv6.parse("fd00:98::1"));
        assertThat(repl.peerAddress()).isEqualTo(Ipv6.parse("fe80::5054:ff:feab:cdef"));
        assertThat(repl.options().interfaceId()).hasValueSatisfying(id -> assertThat(new String(id)).isEqualTo("eth7"));
        assertThat(repl.relayed().type()).isEqualTo(Dhcp6MessageType.ADVERTISE);
        assertThat(address(repl.relayed())).isEqualTo(Ipv6.parse("fd00:98::11"));
        assertThat(stats.relayed.sum()).isEqualTo(1);

        // another client on that link: the relay's link address picks the range
        Dhcp6Message inner2 = client(Dhcp6MessageType.SOLICIT, plain(DYN, 5));
        Dhcp6Message.Relay noMac = new Dhcp6Message.Relay(Dhcp6MessageType.RELAY_FORW, 0, Ipv6.parse("fd00:98::1"),
                Ipv6.parse("fe80::2"), Dhcp6Options.EMPTY, inner2);
        Dhcp6Engine.Reply r2 = handle(noMac, FROM_RELAY);
        assertThat(address(((Dhcp6Message.Relay) r2.message()).relayed())).isEqualTo(Ipv6.parse("fd00:98::100"));
    }

    @Test
    void twoRelaysDeepTheReplyIsWrappedTwiceAndTheInnermostLinkAddressPicksTheSubnet() throws Exception {
        Dhcp6Message inner = client(Dhcp6MessageType.INFORMATION_REQUEST, Dhcp6Options.builder()
                .put(Dhcp6Option.CLIENTID, DYN.toBytes()));
        Dhcp6Message.Relay first = new Dhcp6Message.Relay(Dhcp6MessageType.RELAY_FORW, 0, Ipv6.parse("fd00:98::1"),
                Ipv6.parse("fe80::9"), Dhcp6Options.EMPTY, inner);
        Dhcp6Message.Relay second = new Dhcp6Message.Relay(Dhcp6MessageType.RELAY_FORW, 1, Ipv6.UNSPECIFIED,
                Ipv6.parse("fd00:98::1"), Dhcp6Options.EMPTY, first);
        Dhcp6Engine.Reply r = handle(second, FROM_RELAY);
        Dhcp6Message.Relay outer = (Dhcp6Message.Relay) r.message();
        assertThat(outer.hopCount()).isEqualTo(1);
        Dhcp6Message.Relay inn = (Dhcp6Message.Relay) outer.relayed();
        assertThat(inn.peerAddress()).isEqualTo(Ipv6.parse("fe80::9"));
        assertThat(inn.relayed().type()).isEqualTo(Dhcp6MessageType.REPLY);
        assertThat(inn.relayed().options().dnsServers()).as("fd00:98::/64 has no DNS").isEmpty();
    }

    @Test
    void relayFromAnUnknownLinkIsDroppedAndCounted() throws Exception {
        Dhcp6Message inner = client(Dhcp6MessageType.SOLICIT, plain(DYN, 5));
        assertThat(handle(Dhcp6Messages.relayed(inner, "2001:db8::1"), FROM_RELAY)).isNull();
        assertThat(stats.unknownLink.sum()).isEqualTo(1);
    }

    @Test
    void renewExtendsAndRebindOfAnAddressHeldByAnotherClientReturnsLifetimesZero() throws Exception {
        Ipv6 a = address(handle(client(Dhcp6MessageType.SOLICIT, plain(DYN, 1).empty(Dhcp6Option.RAPID_COMMIT)), DIRECT)
                .message());
        Dhcp6Engine.Reply renew = engine.handle(client(Dhcp6MessageType.RENEW, withAddress(DYN, 1, a, true)), DIRECT, NOW + 1000);
        IaAddress kept = renew.message().options().iaNas().getFirst().addresses().getFirst();
        assertThat(kept.valid()).isEqualTo(7200);
        assertThat(leases.byAddress(a).orElseThrow().expires()).isEqualTo(NOW + 1000 + 7200);

        Duid thief = Duid.parseHex("00030001525400000099");
        Dhcp6Engine.Reply rebind = handle(client(Dhcp6MessageType.REBIND, withAddress(thief, 1, a, false)), DIRECT);
        IaAddress refused = rebind.message().options().iaNas().getFirst().addresses().getFirst();
        assertThat(refused.address()).isEqualTo(a);
        assertThat(refused.valid()).isZero();
        assertThat(refused.preferred()).isZero();

        Dhcp6Engine.Reply noBinding = handle(client(Dhcp6MessageType.RENEW, Dhcp6Options.builder()
                .put(Dhcp6Option.CLIENTID, thief.toBytes()).put(Dhcp6Option.SERVERID, SERVER.toBytes())
                .iaNa(new IaNa(3, 0, 0, List.of(), Optional.empty()))), DIRECT);
        assertThat(noBinding.message().options().iaNas().getFirst().status().orElseThrow().code())
                .isEqualTo(Dhcp6Option.STATUS_NO_BINDING);
    }

    @Test
    void releaseFreesAndDeclineQuarantines() throws Exception {
        Ipv6 a = address(handle(client(Dhcp6MessageType.SOLICIT, plain(DYN, 1).empty(Dhcp6Option.RAPID_COMMIT)), DIRECT)
                .message());
        Dhcp6Engine.Reply rel = handle(client(Dhcp6MessageType.RELEASE, withAddress(DYN, 1, a, true)), DIRECT);
        assertThat(rel.message().options().status().orElseThrow().code()).isEqualTo(Dhcp6Option.STATUS_SUCCESS);
        assertThat(leases.byAddress(a)).isEmpty();

        Ipv6 b = address(handle(client(Dhcp6MessageType.SOLICIT, plain(DYN, 1).empty(Dhcp6Option.RAPID_COMMIT)), DIRECT)
                .message());
        handle(client(Dhcp6MessageType.DECLINE, withAddress(DYN, 1, b, true)), DIRECT);
        assertThat(leases.byAddress(b).orElseThrow().state()).isEqualTo(Lease6.State.DECLINED);
        Ipv6 c = address(handle(client(Dhcp6MessageType.SOLICIT, plain(DYN, 1)), DIRECT).message());
        assertThat(c).isNotEqualTo(b);
        assertThat(stats.releases.sum()).isEqualTo(1);
        assertThat(stats.declines.sum()).isEqualTo(1);
    }

    @Test
    void confirmSaysWhetherTheAddressesAreOnThisLink() throws Exception {
        Dhcp6Engine.Reply on = handle(client(Dhcp6MessageType.CONFIRM, withAddress(DYN, 1, Ipv6.parse("fd00:77::abc"), false)),
                DIRECT);
        assertThat(on.message().options().status().orElseThrow().code()).isEqualTo(Dhcp6Option.STATUS_SUCCESS);
        Dhcp6Engine.Reply off = handle(client(Dhcp6MessageType.CONFIRM, withAddress(DYN, 1, Ipv6.parse("fd00:99::1"), false)),
                DIRECT);
        assertThat(off.message().options().status().orElseThrow().code()).isEqualTo(Dhcp6Option.STATUS_NOT_ON_LINK);
    }

    @Test
    void informationRequestGetsDnsAndBootFileUrlButNoAddress() throws Exception {
        Dhcp6Engine.Reply r = handle(client(Dhcp6MessageType.INFORMATION_REQUEST, Dhcp6Options.builder()
                .put(Dhcp6Option.CLIENTID, DYN.toBytes()).strings(Dhcp6Option.USER_CLASS, List.of("iPXE"))), DIRECT);
        assertThat(r.message().type()).isEqualTo(Dhcp6MessageType.REPLY);
        assertThat(r.message().options().iaNas()).isEmpty();
        assertThat(r.message().options().dnsServers()).containsExactly(Ipv6.parse("fd00:77::53"));
        assertThat(r.message().options().bootFileUrl()).contains("http://[fd00:77::1]:8080/boot/525400000042.ipxe");
        assertThat(stats.informs.sum()).isEqualTo(1);
    }

    @Test
    void messagesForAnotherServerOrWithoutClientIdAreIgnored() throws Exception {
        Duid other = Duid.ll(MacAddress.parse("02:00:00:00:00:99"));
        Dhcp6Options.Builder req = plain(DYN, 1).put(Dhcp6Option.SERVERID, other.toBytes());
        assertThat(handle(client(Dhcp6MessageType.REQUEST, req), DIRECT)).isNull();
        assertThat(handle(client(Dhcp6MessageType.SOLICIT, Dhcp6Options.builder().u16(Dhcp6Option.ELAPSED_TIME, 0)), DIRECT))
                .isNull();
        assertThat(handle(client(Dhcp6MessageType.ADVERTISE, plain(DYN, 1)), DIRECT)).isNull();
        assertThat(stats.ignored.sum()).isEqualTo(3);
    }

    @Test
    void aFullRangeAnswersNoAddrsAvail() throws Exception {
        Dhcp6Message.Relay r1 = Dhcp6Messages.relayed(client(Dhcp6MessageType.SOLICIT, plain(DYN, 1)
                .empty(Dhcp6Option.RAPID_COMMIT)), "fd00:98::1");
        // option 79 names the reserved MAC: take it out so the range is used
        Dhcp6Message.Relay plainRelay = new Dhcp6Message.Relay(r1.type(), 0, r1.linkAddress(), r1.peerAddress(),
                Dhcp6Options.EMPTY, r1.relayed());
        handle(plainRelay, FROM_RELAY);
        handle(new Dhcp6Message.Relay(r1.type(), 0, r1.linkAddress(), r1.peerAddress(), Dhcp6Options.EMPTY,
                client(Dhcp6MessageType.SOLICIT, plain(Duid.parseHex("00030001525400000044"), 1).empty(Dhcp6Option.RAPID_COMMIT))),
                FROM_RELAY);
        Dhcp6Engine.Reply full = handle(new Dhcp6Message.Relay(r1.type(), 0, r1.linkAddress(), r1.peerAddress(),
                Dhcp6Options.EMPTY, client(Dhcp6MessageType.SOLICIT, plain(Duid.parseHex("00030001525400000045"), 1))),
                FROM_RELAY);
        IaNa ia = ((Dhcp6Message.Relay) full.message()).relayed().options().iaNas().getFirst();
        assertThat(ia.addresses()).isEmpty();
        assertThat(ia.status().orElseThrow().code()).isEqualTo(Dhcp6Option.STATUS_NO_ADDRS_AVAIL);
        assertThat(stats.noAddrs.sum()).isEqualTo(1);
    }
}
