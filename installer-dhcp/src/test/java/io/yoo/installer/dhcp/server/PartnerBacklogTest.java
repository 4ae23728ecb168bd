package io.yoo.installer.dhcp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.dhcp.codec.DhcpOptions;
import io.yoo.installer.dhcp.codec.DhcpPacket;
import io.yoo.installer.dhcp.codec.MessageType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What a server keeps of the requests it left to a live partner, and what it answers when that partner dies. */
class PartnerBacklogTest {
    static final DhcpEngine.Inbound RELAYED = new DhcpEngine.Inbound(67, Ipv4.parse("10.77.0.1"), 3, Ipv4.parse("10.78.0.1"), 67);
    static final long T0 = 1_000_000_000L;

    static DhcpPacket discover(MacAddress m, int xid) {
        byte[] chaddr = new byte[16];
        System.arraycopy(m.toBytes(), 0, chaddr, 0, 6);
        return new DhcpPacket(1, 1, 6, 1, xid, 0, 0, DhcpPacket.ZERO, DhcpPacket.ZERO, DhcpPacket.ZERO, Ipv4.parse("10.78.0.1"),
                chaddr, "", "", DhcpOptions.builder().messageType(MessageType.DISCOVER).build());
    }

    /** The first client from {@code from} whose bucket is {@code parity} mod 2. */
    static MacAddress client(int from, int parity) {
        for (int i = from;; i++) {
            MacAddress m = new MacAddress(0x525400000000L + i);
            if (ClientBuckets.bucket(m.toBytes(), 0, 6) % 2 == parity) {
                return m;
            }
        }
    }

    static long ms(long millis) {
        return T0 + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void whenThePartnerDiesItsHeldRequestsAreTakenOldestFirstWithWhereTheyCameFrom() {
        PartnerBacklog b = new PartnerBacklog();
        DhcpPacket first = discover(client(1, 1), 1);
        DhcpPacket second = discover(client(1000, 1), 2);
        b.hold(first, RELAYED, ms(0));
        b.hold(second, RELAYED, ms(300));
        List<PartnerBacklog.Held> taken = b.take(ServerShare.ALL, ms(600));
        assertThat(taken).extracting(PartnerBacklog.Held::packet).containsExactly(first, second);
        assertThat(taken.getFirst().from()).as("relay and interface kept for the answer").isEqualTo(RELAYED);
        assertThat(b.size()).as("taken once").isZero();
    }

    @Test
    void requestsOlderThanTheBoundAreDropped() {
        PartnerBacklog b = new PartnerBacklog();
        DhcpPacket old = discover(client(1, 1), 1);
        DhcpPacket recent = discover(client(1000, 1), 2);
        b.hold(old, RELAYED, ms(0));
        b.hold(recent, RELAYED, ms(500));
        assertThat(b.take(ServerShare.ALL, ms(PartnerBacklog.MAX_AGE_MILLIS + 100))).extracting(PartnerBacklog.Held::packet)
                .containsExactly(recent);
    }

    @Test
    void aRetransmissionIsAnsweredOnceAndTheOldestGoWhenFull() {
        PartnerBacklog b = new PartnerBacklog();
        MacAddress m = client(1, 1);
        DhcpPacket again = discover(m, 7);
        b.hold(discover(m, 7), RELAYED, ms(0));
        b.hold(again, RELAYED, ms(100));
        assertThat(b.take(ServerShare.ALL, ms(200))).extracting(PartnerBacklog.Held::packet).containsExactly(again);
        for (int i = 0; i < PartnerBacklog.CAPACITY + 10; i++) {
            b.hold(discover(m, 1000 + i), RELAYED, ms(300));
        }
        assertThat(b.size()).isEqualTo(PartnerBacklog.CAPACITY);
        assertThat(b.take(ServerShare.ALL, ms(400)).getFirst().packet().xid()).as("the oldest went first").isEqualTo(1010);
    }

    @Test
    void eachRequestLeavingUnansweredIsReportedOnceAndATakenOneNot() {
        List<Integer> unanswered = new ArrayList<>(); // xids
        PartnerBacklog b = new PartnerBacklog(h -> unanswered.add(h.packet().xid()));
        MacAddress m = client(1, 1);
        b.hold(discover(m, 1), RELAYED, ms(0));
        b.expire(ms(PartnerBacklog.MAX_AGE_MILLIS + 1));
        assertThat(unanswered).as("aged out").containsExactly(1);
        b.hold(discover(m, 2), RELAYED, ms(3000));
        b.hold(discover(m, 2), RELAYED, ms(3100));
        assertThat(b.take(ServerShare.ALL, ms(3200))).hasSize(1);
        assertThat(unanswered).as("the earlier copy of a retransmission: its latest is answered").containsExactly(1, 2);
        for (int i = 0; i < PartnerBacklog.CAPACITY + 1; i++) {
            b.hold(discover(m, 100 + i), RELAYED, ms(4000));
        }
        assertThat(unanswered).as("pushed out when full").containsExactly(1, 2, 100);
        b.clear();
        assertThat(unanswered).as("cleared: the rest").hasSize(3 + PartnerBacklog.CAPACITY);
        assertThat(b.size()).isZero();
        b.expire(ms(10_000));
        assertThat(unanswered).as("each once").hasSize(3 + PartnerBacklog.CAPACITY);
    }

    @Test
    void requestsOfBucketsStillAnotherLiveServersStay() {
        PartnerBacklog b = new PartnerBacklog();
        DhcpPacket nowMine = discover(client(1, 0), 1);
        DhcpPacket stillTheirs = discover(client(1, 1), 2);
        b.hold(nowMine, RELAYED, ms(0));
        b.hold(stillTheirs, RELAYED, ms(0));
        assertThat(b.take(new ServerShare(0, 2), ms(100))).extracting(PartnerBacklog.Held::packet).containsExactly(nowMine);
        assertThat(b.size()).isOne();
    }
}
