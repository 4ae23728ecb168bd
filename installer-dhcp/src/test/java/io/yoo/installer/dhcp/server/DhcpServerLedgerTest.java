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
import io.yoo.installer.dhcp.codec.DhcpOption;
import io.yoo.installer.dhcp.codec.DhcpOptions;
import io.yoo.installer.dhcp.codec.DhcpPacket;
import io.yoo.installer.dhcp.codec.MessageType;
import io.yoo.installer.dhcp.lease.Lease;
import io.yoo.installer.dhcp.lease.LeaseLedger;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lease-ledger seam of {@link DhcpServer} on loopback (a relay at 127.0.0.2, as in
 * DhcpServerReconfigureTest), with an in-memory ledger that behaves as the shared PostgreSQL
 * table does (first bind of an address wins): leases are read before the first answer, an ACK
 * for an address the ledger gives another client leaves as a NAK, and one the ledger could not
 * store does not leave. The real PostgreSQL and real clients: the CLI's SharedLeasesServeTest.
 */
class DhcpServerLedgerTest {
    static final Ipv4 SERVER = Ipv4.parse("127.0.0.1");
    static final Ipv4 RELAY = Ipv4.parse("127.0.0.2");
    static final BootPolicy POLICY = req -> BootDecision.unknown(new BootTarget.TftpFile(SERVER, "undionly.kpxe"));

    /** First bind of an address wins, as the upsert on yoo_lease's primary key. */
    static final class MapLedger implements LeaseLedger {
        final Map<Ipv4, Lease> byAddress = new HashMap<>();
        volatile boolean down;
        final List<Change> committed = new ArrayList<>();

        @Override
        public synchronized List<Lease> load() {
            return List.copyOf(byAddress.values());
        }

        @Override
        public List<Lease> recent() {
            return List.of(); // this test's other server never binds after start
        }

        @Override
        public synchronized List<Lease> commit(List<Change> changes) throws IOException {
            if (down) {
                throw new IOException("connection refused");
            }
            List<Lease> refused = new ArrayList<>();
            for (Change c : changes) {
                Lease l = c.lease();
                Lease held = byAddress.get(l.address());
                if (c.released()) {
                    if (held != null && held.client().equals(l.client())) {
                        byAddress.remove(l.address());
                    }
                } else if (l.state() == Lease.State.OFFERED) {
                    if (held == null) {
                        byAddress.put(l.address(), l);
                    } else if (!held.client().equals(l.client())) {
                        refused.add(held);
                    }
                } else if (held == null || held.client().equals(l.client())) {
                    byAddress.put(l.address(), l);
                } else {
                    refused.add(held);
                }
                committed.add(c);
            }
            return refused;
        }
    }

    @TempDir
    Path dir;
    DatagramSocket relay;
    DhcpServer dhcp;
    final MapLedger ledger = new MapLedger();

    @BeforeEach
    void relay() throws Exception {
        relay = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(RELAY.toString()), 0));
        relay.setSoTimeout(3000);
    }

    @AfterEach
    void close() {
        if (dhcp != null) {
            dhcp.stop();
        }
        relay.close();
    }

    void start() throws Exception {
        DhcpServerConfig cfg = DhcpServerConfig.builder(SERVER).bind(SERVER).ports(relay.getLocalPort(), 68).proxyPort(0)
                .subnet(DhcpSubnet.of(Ipv4Cidr.parse("127.0.0.0/24"))
                        .withPool(new AddressPool(Ipv4.parse("127.0.0.100"), Ipv4.parse("127.0.0.110"))))
                .leaseDir(dir).build();
        dhcp = new DhcpServer(cfg, POLICY).withLedger(ledger);
        dhcp.start();
    }

    @Test
    void leasesInTheLedgerAreKnownBeforeTheFirstAnswer() throws Exception {
        ledger.byAddress.put(Ipv4.parse("127.0.0.100"), bound("hw:525400000099", "127.0.0.100"));
        start();
        assertThat(ask(MessageType.DISCOVER, mac(1), null).map(DhcpPacket::yiaddr)).contains(Ipv4.parse("127.0.0.101"));
    }

    @Test
    void anAckForAnAddressTheLedgerGivesAnotherClientBecomesANak() throws Exception {
        start();
        Ipv4 offered = ask(MessageType.DISCOVER, mac(1), null).orElseThrow().yiaddr();
        // meanwhile another server bound that address to another client
        synchronized (ledger) {
            ledger.byAddress.put(offered, bound("hw:525400000099", offered.toString()));
        }

        DhcpPacket answer = ask(MessageType.REQUEST, mac(1), offered).orElseThrow(() -> new AssertionError("no answer: ACK withheld"));
        assertThat(answer.messageType()).as("a NAK at once instead of the ACK, so the client starts over now").contains(MessageType.NAK);
        assertThat(answer.yiaddr()).isEqualTo(DhcpPacket.ZERO);
        assertThat(answer.xid()).isEqualTo(0x4242);
        assertThat(answer.options().ip(DhcpOption.SERVER_ID)).contains(SERVER);
        assertThat(dhcp.stats().toString()).contains("acksWithheld=1");
        assertThat(dhcp.leases().byAddress(offered).map(Lease::client)).as("the holder is learnt").contains("hw:525400000099");
        assertThat(ask(MessageType.REQUEST, mac(1), offered).flatMap(DhcpPacket::messageType)).as("asked again: NAK").contains(MessageType.NAK);
        Ipv4 next = ask(MessageType.DISCOVER, mac(1), null).orElseThrow().yiaddr();
        assertThat(next).isNotEqualTo(offered);
        assertThat(ask(MessageType.REQUEST, mac(1), next).flatMap(DhcpPacket::messageType)).contains(MessageType.ACK);
        assertThat(ledger.byAddress.get(next).client()).isEqualTo("hw:525400000001");
    }

    @Test
    void anOfferOfAnAddressTheLedgerGivesAnotherClientIsRewrittenToAFreeOneAndClaimed() throws Exception {
        start();
        // another server bound 127.0.0.100 after this one read the ledger: it learns at its offer's claim
        synchronized (ledger) {
            ledger.byAddress.put(Ipv4.parse("127.0.0.100"), bound("hw:525400000099", "127.0.0.100"));
        }
        DhcpPacket offer = ask(MessageType.DISCOVER, mac(3), null).orElseThrow();
        assertThat(offer.yiaddr()).as("not the address the ledger gives another client").isEqualTo(Ipv4.parse("127.0.0.101"));
        assertThat(ledger.byAddress.get(offer.yiaddr()).state()).as("the offer is claimed").isEqualTo(Lease.State.OFFERED);
        assertThat(dhcp.leases().byAddress(Ipv4.parse("127.0.0.100")).map(Lease::client)).contains("hw:525400000099");
        assertThat(ask(MessageType.REQUEST, mac(3), offer.yiaddr()).flatMap(DhcpPacket::messageType)).contains(MessageType.ACK);
        assertThat(ledger.byAddress.get(offer.yiaddr()).state()).isEqualTo(Lease.State.BOUND);
    }

    @Test
    void whileTheLedgerIsDownNoPoolLeaseIsAckedAndTheRetryAfterItIsBackIs() throws Exception {
        start();
        Ipv4 offered = ask(MessageType.DISCOVER, mac(2), null).orElseThrow().yiaddr();
        ledger.down = true;
        assertThat(ask(MessageType.REQUEST, mac(2), offered)).as("not stored, not ACKed").isEmpty();
        assertThat(ledger.byAddress.values()).as("no lease bound").noneMatch(l -> l.state() == Lease.State.BOUND);
        ledger.down = false;
        assertThat(ask(MessageType.REQUEST, mac(2), offered).flatMap(DhcpPacket::messageType)).contains(MessageType.ACK);
        assertThat(ledger.byAddress).containsKey(offered);
    }

    static Lease bound(String client, String ip) {
        return new Lease(client, client.substring(3), Ipv4.parse(ip), System.currentTimeMillis() / 1000 + 3600, Lease.State.BOUND);
    }

    static MacAddress mac(int n) {
        return MacAddress.parse("52:54:00:00:00:0" + n);
    }

    /** One relayed packet and the answer, or empty when none came within the socket timeout. */
    Optional<DhcpPacket> ask(MessageType type, MacAddress mac, Ipv4 requested) throws Exception {
        byte[] chaddr = new byte[16];
        System.arraycopy(mac.toBytes(), 0, chaddr, 0, 6);
        DhcpOptions.Builder o = DhcpOptions.builder().messageType(type);
        if (requested != null) {
            o.ip(DhcpOption.REQUESTED_IP, requested).ip(DhcpOption.SERVER_ID, SERVER);
        }
        DhcpPacket p = new DhcpPacket(1, 1, 6, 1, 0x4242, 0, 0, DhcpPacket.ZERO, DhcpPacket.ZERO, DhcpPacket.ZERO, RELAY,
                chaddr, "", "", o.build());
        byte[] out = DhcpCodec.encode(p);
        relay.send(new DatagramPacket(out, out.length, InetAddress.getByName(SERVER.toString()), dhcp.port()));
        byte[] in = new byte[1500];
        DatagramPacket answer = new DatagramPacket(in, in.length);
        try {
            relay.receive(answer);
        } catch (SocketTimeoutException none) {
            return Optional.empty();
        }
        return Optional.of(DhcpCodec.decode(in, 0, answer.getLength()));
    }
}
