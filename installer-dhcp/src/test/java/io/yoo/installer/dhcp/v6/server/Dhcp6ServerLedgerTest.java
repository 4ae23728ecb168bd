package io.yoo.installer.dhcp.v6.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.boot.BootDecision;
import io.yoo.installer.api.boot.BootPolicy;
import io.yoo.installer.api.boot.BootTarget;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.dhcp.v6.codec.Dhcp6Codec;
import io.yoo.installer.dhcp.v6.codec.Dhcp6Message;
import io.yoo.installer.dhcp.v6.codec.Dhcp6MessageType;
import io.yoo.installer.dhcp.v6.codec.Dhcp6Option;
import io.yoo.installer.dhcp.v6.codec.Dhcp6Options;
import io.yoo.installer.dhcp.v6.codec.Duid;
import io.yoo.installer.dhcp.v6.codec.IaAddress;
import io.yoo.installer.dhcp.v6.codec.IaNa;
import io.yoo.installer.dhcp.v6.codec.Ipv6;
import io.yoo.installer.dhcp.v6.lease.Lease6;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lease-ledger seam of {@link Dhcp6Server} on {@code [::1]}, with an in-memory ledger that
 * behaves as the shared PostgreSQL table does (first bind or claim of an address wins): two
 * servers of a pair never give one pool address to two clients, a claim the ledger refuses is
 * advertised as another address, a REQUEST or RENEW of an address the ledger gives another client
 * does not get it, and a bind the ledger could not store does not leave. The real PostgreSQL:
 * installer-core's JdbcLease6LedgerTest.
 */
class Dhcp6ServerLedgerTest {
    static final Duid DUID_A = Duid.ll(MacAddress.parse("02:00:00:00:c6:0a"));
    static final Duid DUID_B = Duid.ll(MacAddress.parse("02:00:00:00:c6:0b"));
    static final Ipv6 FIRST = Ipv6.parse("fd00:c6::100");
    static final BootPolicy POLICY = req -> BootDecision.unknown(new BootTarget.None("test"));

    final MemoryLease6Ledger ledger = new MemoryLease6Ledger();
    final List<Dhcp6Server> servers = new ArrayList<>();
    final AtomicInteger xid = new AtomicInteger(0x100);
    DatagramSocket client;

    @BeforeEach
    void open() throws Exception {
        client = new DatagramSocket(0, InetAddress.getByName("::1"));
        client.setSoTimeout(3000);
    }

    @AfterEach
    void close() {
        servers.forEach(Dhcp6Server::stop);
        client.close();
    }

    Dhcp6Server start(Duid duid) throws Exception {
        Dhcp6Config cfg = Dhcp6Config.builder(duid)
                .subnet(Dhcp6Subnet.parse("fd00:c6::/64").withRange(FIRST, Ipv6.parse("fd00:c6::1ff"))).ports(0, 546).build();
        Dhcp6Server s = new Dhcp6Server(cfg, POLICY).withLedger(ledger.view());
        servers.add(s);
        s.start();
        return s;
    }

    static Duid clientDuid(int i) {
        return Duid.ll(MacAddress.parse(String.format("52:54:00:c6:%02x:%02x", i >> 8, i & 0xff)));
    }

    static String key(Duid d, int iaid) {
        return d.toHex() + "/" + iaid;
    }

    Dhcp6Message solicit(Duid c) {
        return new Dhcp6Message.Client(Dhcp6MessageType.SOLICIT, xid.incrementAndGet(), Dhcp6Options.builder()
                .put(Dhcp6Option.CLIENTID, c.toBytes()).iaNa(new IaNa(1, 0, 0, List.of(), Optional.empty())).build());
    }

    Dhcp6Message withAddress(int type, Duid c, Duid server, Ipv6 a) {
        return new Dhcp6Message.Client(type, xid.incrementAndGet(), Dhcp6Options.builder()
                .put(Dhcp6Option.CLIENTID, c.toBytes()).put(Dhcp6Option.SERVERID, server.toBytes())
                .iaNa(new IaNa(1, 0, 0, List.of(new IaAddress(a, 0, 0)), Optional.empty())).build());
    }

    /** Sends {@code m} to {@code s}; its answer, or null when none comes within {@code waitMillis}. */
    Dhcp6Message exchange(Dhcp6Server s, Dhcp6Message m, int waitMillis) throws Exception {
        byte[] out = Dhcp6Codec.encode(m);
        client.send(new DatagramPacket(out, out.length, InetAddress.getByName("::1"), s.port()));
        long until = System.currentTimeMillis() + waitMillis;
        byte[] buf = new byte[2048];
        while (true) {
            long left = until - System.currentTimeMillis();
            if (left <= 0) {
                return null;
            }
            client.setSoTimeout((int) left);
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                client.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            Dhcp6Message r = Dhcp6Codec.decode(buf, 0, p.getLength());
            if (r instanceof Dhcp6Message.Client c && c.transactionId() == ((Dhcp6Message.Client) m).transactionId()) {
                return r;
            }
        }
    }

    Dhcp6Message exchange(Dhcp6Server s, Dhcp6Message m) throws Exception {
        Dhcp6Message r = exchange(s, m, 3000);
        assertThat(r).as("an answer to %s", Dhcp6MessageType.name(m.type())).isNotNull();
        return r;
    }

    /** The addresses of the answer's first IA_NA with a valid lifetime (given, not taken back). */
    static List<Ipv6> given(Dhcp6Message m) {
        return m.options().iaNas().getFirst().addresses().stream().filter(a -> a.valid() > 0).map(IaAddress::address).toList();
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    @Test
    void twoServersOnOneLedgerNeverGiveOneAddressToTwoClients() throws Exception {
        Dhcp6Server a = start(DUID_A);
        Dhcp6Server b = start(DUID_B);
        Set<Ipv6> bound = new HashSet<>();
        int n = 40;
        for (int i = 0; i < n; i++) {
            // each client reaches one server only (the other's answer lost): both pick from the same range
            Dhcp6Server s = i % 2 == 0 ? a : b;
            Duid sid = i % 2 == 0 ? DUID_A : DUID_B;
            Duid c = clientDuid(i);
            Dhcp6Message adv = exchange(s, solicit(c));
            assertThat(adv.type()).isEqualTo(Dhcp6MessageType.ADVERTISE);
            Ipv6 offered = given(adv).getFirst();
            Dhcp6Message rep = exchange(s, withAddress(Dhcp6MessageType.REQUEST, c, sid, offered));
            assertThat(rep.type()).isEqualTo(Dhcp6MessageType.REPLY);
            assertThat(given(rep)).containsExactly(offered);
            assertThat(bound.add(offered)).as("%s given twice (client %d)", offered, i).isTrue();
            assertThat(ledger.rows.get(offered)).satisfies(l -> {
                assertThat(l.client()).isEqualTo(key(c, 1));
                assertThat(l.state()).isEqualTo(Lease6.State.BOUND);
            });
        }
        assertThat(ledger.bound()).hasSize(n);
    }

    @Test
    void aClaimTheLedgerRefusesIsAdvertisedAsAnotherAddress() throws Exception {
        ledger.quiet = true; // the server learns the other server's lease only by its refused claim
        Dhcp6Server a = start(DUID_A);
        ledger.bind("00030001aabbccddeeff/7", FIRST, now() + 3600); // another server's, after this one's load
        Duid c = clientDuid(1);
        Dhcp6Message adv = exchange(a, solicit(c));
        assertThat(given(adv)).containsExactly(FIRST.plus(1));
        assertThat(ledger.refusals).isEqualTo(1);
        assertThat(a.stats().advertises.sum()).as("one ADVERTISE, counted once").isEqualTo(1);
        assertThat(ledger.rows.get(FIRST.plus(1)).client()).isEqualTo(key(c, 1));
        assertThat(ledger.rows.get(FIRST.plus(1)).state()).isEqualTo(Lease6.State.OFFERED);
        assertThat(a.leases().byAddress(FIRST).orElseThrow().client()).as("the holder learnt").isEqualTo("00030001aabbccddeeff/7");
        assertThat(exchange(a, withAddress(Dhcp6MessageType.REQUEST, c, DUID_A, FIRST.plus(1))).type())
                .isEqualTo(Dhcp6MessageType.REPLY);
        assertThat(ledger.rows.get(FIRST.plus(1)).state()).isEqualTo(Lease6.State.BOUND);
    }

    @Test
    void aRequestOrRenewOfAnAddressTheLedgerGivesAnotherClientDoesNotGetIt() throws Exception {
        ledger.quiet = true;
        Dhcp6Server a = start(DUID_A);
        Ipv6 taken = FIRST.plus(0x50);
        ledger.bind("00030001aabbccddeeff/7", taken, now() + 3600);
        Duid c = clientDuid(2);
        Dhcp6Message rep = exchange(a, withAddress(Dhcp6MessageType.REQUEST, c, DUID_A, taken));
        assertThat(rep.type()).isEqualTo(Dhcp6MessageType.REPLY);
        assertThat(given(rep)).doesNotContain(taken).hasSize(1);
        Ipv6 instead = given(rep).getFirst();
        assertThat(ledger.rows.get(instead).client()).isEqualTo(key(c, 1));
        assertThat(ledger.rows.get(taken).client()).isEqualTo("00030001aabbccddeeff/7");

        Ipv6 alsoTaken = FIRST.plus(0x51); // the server has never heard of it: its RENEW is refused by the ledger
        ledger.bind("00030001aabbccddeeff/8", alsoTaken, now() + 3600);
        Dhcp6Message renew = exchange(a, withAddress(Dhcp6MessageType.RENEW, c, DUID_A, alsoTaken));
        IaNa ia = renew.options().iaNas().getFirst();
        assertThat(ia.addresses()).singleElement().satisfies(x -> {
            assertThat(x.address()).isEqualTo(alsoTaken);
            assertThat(x.valid()).as("RFC 8415 18.3.4: not valid any more").isZero();
        });
        assertThat(ledger.rows.get(alsoTaken).client()).isEqualTo("00030001aabbccddeeff/8");
        assertThat(ledger.refusals).isEqualTo(2);
    }

    @Test
    void aDeclineOfItsOwnLeaseIsAnsweredAndTheAddressNotGivenAgain() throws Exception {
        Dhcp6Server a = start(DUID_A);
        Duid c = clientDuid(5);
        Ipv6 got = given(exchange(a, solicit(c))).getFirst();
        assertThat(given(exchange(a, withAddress(Dhcp6MessageType.REQUEST, c, DUID_A, got)))).containsExactly(got);
        // the ledger's row is this client's lease: it refuses the decline (as for DHCPv4), the reply still goes
        Dhcp6Message r = exchange(a, withAddress(Dhcp6MessageType.DECLINE, c, DUID_A, got));
        assertThat(r.type()).isEqualTo(Dhcp6MessageType.REPLY);
        assertThat(a.leases().byAddress(got).orElseThrow().state()).isEqualTo(Lease6.State.DECLINED);
        assertThat(given(exchange(a, solicit(c)))).doesNotContain(got);
    }

    @Test
    void aBindTheLedgerCannotStoreIsNotAnsweredAnAdvertiseLeavesUnclaimed() throws Exception {
        Dhcp6Server a = start(DUID_A);
        ledger.down = true;
        Duid c = clientDuid(3);
        Dhcp6Message adv = exchange(a, solicit(c)); // as the v4 server's OFFER: it leaves unclaimed
        Ipv6 offered = given(adv).getFirst();
        assertThat(exchange(a, withAddress(Dhcp6MessageType.REQUEST, c, DUID_A, offered), 1000)).isNull();
        assertThat(a.stats().replyWithheld.sum()).isEqualTo(1);
        ledger.down = false; // back: the client's retry is committed and answered
        assertThat(given(exchange(a, withAddress(Dhcp6MessageType.REQUEST, c, DUID_A, offered)))).containsExactly(offered);
        assertThat(ledger.rows.get(offered).state()).isEqualTo(Lease6.State.BOUND);
    }

    @Test
    void aServerReadsTheLedgerAtStartAndWhatOthersBindAboutOnceASecond() throws Exception {
        ledger.bind("00030001aabbccddeeff/7", FIRST, now() + 3600);
        Dhcp6Server a = start(DUID_A);
        assertThat(a.leases().byAddress(FIRST).orElseThrow().client()).isEqualTo("00030001aabbccddeeff/7");
        ledger.bind("00030001aabbccddeeff/8", FIRST.plus(1), now() + 3600);
        long until = System.currentTimeMillis() + 5000;
        while (a.leases().byAddress(FIRST.plus(1)).isEmpty() && System.currentTimeMillis() < until) {
            Thread.sleep(50);
        }
        assertThat(a.leases().byAddress(FIRST.plus(1))).as("learnt from recent()").isPresent();
        assertThat(given(exchange(a, solicit(clientDuid(4))))).containsExactly(FIRST.plus(2));
        assertThat(ledger.refusals).as("known before the claim: nothing refused").isZero();
    }
}
