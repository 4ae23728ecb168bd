package io.yoo.installer.dhcp.server;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.yoo.installer.dhcp.server.DhcpServerLedgerTest.MapLedger;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A load-balanced server ({@link DhcpServer#withShare}) on loopback with the in-memory ledger of
 * {@link DhcpServerLedgerTest}: a client of its buckets is offered an address of its part of the
 * pool, claimed, then bound; when its part is full, one of the partner's part, claimed too; a
 * client of the partner's buckets gets no answer.
 */
class LoadBalancedLedgerTest {
    static final Ipv4 SERVER = DhcpServerLedgerTest.SERVER;

    @TempDir
    Path dir;
    DatagramSocket relay;
    DhcpServer dhcp;
    final MapLedger ledger = new MapLedger();

    @BeforeEach
    void relay() throws Exception {
        relay = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(DhcpServerLedgerTest.RELAY.toString()), 0));
        relay.setSoTimeout(3000);
    }

    @AfterEach
    void close() {
        if (dhcp != null) {
            dhcp.stop();
        }
        relay.close();
    }

    void start(ServerShare share) throws Exception {
        start(() -> share);
    }

    void start(Supplier<ServerShare> share) throws Exception {
        DhcpServerConfig cfg = DhcpServerConfig.builder(SERVER).bind(SERVER).ports(relay.getLocalPort(), 68).proxyPort(0)
                .subnet(DhcpSubnet.of(Ipv4Cidr.parse("127.0.0.0/24"))
                        .withPool(new AddressPool(Ipv4.parse("127.0.0.100"), Ipv4.parse("127.0.0.110"))))
                .leaseDir(dir).build();
        dhcp = new DhcpServer(cfg, DhcpServerLedgerTest.POLICY).withLedger(ledger).withShare(share);
        dhcp.start();
    }

    /** A client of the first server's buckets (even bucket). */
    static MacAddress ours(int from) {
        for (int i = from;; i++) {
            MacAddress m = new MacAddress(0x525400000000L + i);
            if (ClientBuckets.bucket(m.toBytes(), 0, 6) % 2 == 0) {
                return m;
            }
        }
    }

    @Test
    void aClientOfItsBucketsIsOfferedAClaimedAddressOfItsPartThenBound() throws Exception {
        start(new ServerShare(0, 2));
        MacAddress m = ours(1);
        DhcpPacket offer = ask(MessageType.DISCOVER, m, null);
        assertThat(offer.yiaddr().value() % 2).as("this server's (even) part of the pool").isZero();
        assertThat(ledger.byAddress.get(offer.yiaddr()).state()).as("claimed").isEqualTo(Lease.State.OFFERED);
        assertThat(ask(MessageType.REQUEST, m, offer.yiaddr()).messageType()).contains(MessageType.ACK);
        assertThat(ledger.byAddress.get(offer.yiaddr()).state()).isEqualTo(Lease.State.BOUND);
    }

    @Test
    void whenItsPartIsFullItOffersAClaimedAddressOfThePartnersPart() throws Exception {
        for (int ip = 100; ip <= 110; ip += 2) { // the even (own) part is taken
            synchronized (ledger) {
                ledger.byAddress.put(Ipv4.parse("127.0.0." + ip), DhcpServerLedgerTest.bound("hw:5254000099" + ip, "127.0.0." + ip));
            }
        }
        start(new ServerShare(0, 2));
        DhcpPacket offer = ask(MessageType.DISCOVER, ours(1), null);
        assertThat(offer.yiaddr().value() % 2).as("from the partner's part: its own is full").isOne();
        assertThat(ledger.byAddress.get(offer.yiaddr()).state()).as("claimed").isEqualTo(Lease.State.OFFERED);
    }

    @Test
    void aClientOfThePartnersBucketGetsNoAnswer() throws Exception {
        start(new ServerShare(1, 2));
        assertThat(askMaybe(MessageType.DISCOVER, ours(1), null)).as("the partner's client").isNull();
        // counted once it leaves the backlog unanswered (aged out: PartnerBacklog.MAX_AGE_MILLIS)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (dhcp.stats().peerBuckets.sum() == 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
        assertThat(dhcp.stats().peerBuckets.sum()).isEqualTo(1);
        assertThat(dhcp.heldForPartner()).isZero();
        assertThat(dhcp.stats().offers.sum()).isZero();
    }

    @Test
    void aRequestLeftToThePartnerIsAnsweredAtOnceWhenThePartnerDies() throws Exception {
        AtomicReference<ServerShare> share = new AtomicReference<>(new ServerShare(1, 2));
        start(share::get);
        MacAddress theirs = ours(1); // an even bucket: the partner's while it lives
        send(MessageType.DISCOVER, theirs, null, 0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (dhcp.heldForPartner() == 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000); // the server holds it when it has left it to the partner
        }
        assertThat(dhcp.heldForPartner()).as("left to the live partner, held").isEqualTo(1);
        share.set(ServerShare.ALL); // the partner is found dead; the client sends nothing more
        DhcpPacket offer = receive();
        assertThat(offer).as("the held DISCOVER answered without the client asking again").isNotNull();
        assertThat(offer.messageType()).contains(MessageType.OFFER);
        assertThat(offer.xid()).as("to the client's transaction").isEqualTo(0x4243);
        assertThat(offer.giaddr()).as("through the relay it came by").isEqualTo(DhcpServerLedgerTest.RELAY);
        assertThat(ledger.byAddress.get(offer.yiaddr()).state()).as("claimed like any offer").isEqualTo(Lease.State.OFFERED);
        // one DISCOVER, counted once: by what the server did with it in the end (yoo_requests_total's HELP)
        assertThat(dhcp.stats().offers.sum()).isEqualTo(1);
        assertThat(dhcp.stats().peerBuckets.sum()).as("not also as left to the partner").isZero();
        assertThat(ask(MessageType.REQUEST, theirs, offer.yiaddr()).messageType()).contains(MessageType.ACK);
    }

    @Test
    void aClientOfThePartnersBucketThatHasWaitedSecondsIsAnsweredThoughThePartnerLives() throws Exception {
        start(new ServerShare(1, 2));
        send(MessageType.DISCOVER, ours(1), null, DhcpEngine.PARTNER_GRACE_SECONDS);
        DhcpPacket offer = receive();
        assertThat(offer).as("secs %d: its server may be deaf", DhcpEngine.PARTNER_GRACE_SECONDS).isNotNull();
        assertThat(offer.messageType()).contains(MessageType.OFFER);
    }

    DhcpPacket ask(MessageType type, MacAddress mac, Ipv4 requested) throws Exception {
        DhcpPacket p = askMaybe(type, mac, requested);
        assertThat(p).as("an answer to the %s", type).isNotNull();
        return p;
    }

    /** One relayed packet and its answer; null when none came within the socket's timeout. */
    DhcpPacket askMaybe(MessageType type, MacAddress mac, Ipv4 requested) throws Exception {
        send(type, mac, requested, 0);
        return receive();
    }

    /** Sends one relayed packet, {@code secs} into the client's attempt. */
    void send(MessageType type, MacAddress mac, Ipv4 requested, int secs) throws Exception {
        byte[] chaddr = new byte[16];
        System.arraycopy(mac.toBytes(), 0, chaddr, 0, 6);
        DhcpOptions.Builder o = DhcpOptions.builder().messageType(type);
        if (requested != null) {
            o.ip(DhcpOption.REQUESTED_IP, requested).ip(DhcpOption.SERVER_ID, SERVER);
        }
        DhcpPacket p = new DhcpPacket(1, 1, 6, 1, 0x4243, secs, 0, DhcpPacket.ZERO, DhcpPacket.ZERO, DhcpPacket.ZERO,
                DhcpServerLedgerTest.RELAY, chaddr, "", "", o.build());
        byte[] out = DhcpCodec.encode(p);
        relay.send(new DatagramPacket(out, out.length, InetAddress.getByName(SERVER.toString()), dhcp.port()));
    }

    /** The next answer at the relay; null when none came within the socket's timeout. */
    DhcpPacket receive() throws Exception {
        byte[] in = new byte[1500];
        DatagramPacket answer = new DatagramPacket(in, in.length);
        try {
            relay.receive(answer);
        } catch (SocketTimeoutException none) {
            return null;
        }
        return DhcpCodec.decode(in, 0, answer.getLength());
    }
}
