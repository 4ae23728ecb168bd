package io.yoo.installer.dhcp.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.net.AddressPool;
import io.yoo.installer.api.net.Ipv4;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaseStoreTest {
    @TempDir
    Path dir;

    @Test
    void flushedLeasesSurviveReopeningAndExpiredOnesAreDropped() throws Exception {
        try (LeaseStore s = LeaseStore.open(dir, 1000)) {
            s.bind("hw:01", "01", Ipv4.parse("10.0.0.5").value(), 5000);
            s.bind("hw:02", "02", Ipv4.parse("10.0.0.6").value(), 1500);
            s.bind("hw:03", "03", Ipv4.parse("10.0.0.7").value(), 5000);
            s.release("hw:03", Ipv4.parse("10.0.0.7").value());
            s.decline(Ipv4.parse("10.0.0.8").value(), 4000);
            s.flush(1000);
            // no close(): as if killed; the journal is already written
            try (LeaseStore t = LeaseStore.open(dir, 2000)) {
                assertThat(t.byClient("hw:01").orElseThrow().address()).isEqualTo(Ipv4.parse("10.0.0.5"));
                assertThat(t.byClient("hw:02")).as("expired at 1500").isEmpty();
                assertThat(t.byClient("hw:03")).as("released").isEmpty();
                assertThat(t.byAddress(Ipv4.parse("10.0.0.8")).orElseThrow().state()).isEqualTo(Lease.State.DECLINED);
            }
        }
        // compaction at open rewrote the journal with live entries only
        assertThat(Files.readAllLines(dir.resolve(LeaseStore.FILE))).hasSize(2);
    }

    @Test
    void tornLastLineIsSkipped() throws Exception {
        Files.writeString(dir.resolve(LeaseStore.FILE), "B 10.0.0.5 5000 01 hw:01\nB 10.0.0.6 50");
        try (LeaseStore s = LeaseStore.open(dir, 1000)) {
            assertThat(s.boundCount()).isEqualTo(1);
        }
    }

    @Test
    void allocationReusesTheClientsAddressAndSkipsExcludedOnes() {
        LeaseStore s = LeaseStore.inMemory();
        AddressPool pool = new AddressPool(Ipv4.parse("10.0.0.1"), Ipv4.parse("10.0.0.3"));
        int a = s.allocate(pool, "c1", 0, 10, ip -> ip == Ipv4.parse("10.0.0.1").value());
        assertThat(new Ipv4(a)).isEqualTo(Ipv4.parse("10.0.0.2"));
        s.bind("c1", "x", a, 100);
        assertThat(s.allocate(pool, "c1", 0, 10, ip -> false)).isEqualTo(a);
        assertThat(new Ipv4(s.allocate(pool, "c2", 0, 10, ip -> ip == Ipv4.parse("10.0.0.1").value())))
                .isEqualTo(Ipv4.parse("10.0.0.3"));
        s.offer("c2", "y", Ipv4.parse("10.0.0.3").value(), 40);
        assertThat(s.allocate(pool, "c3", 0, 10, ip -> ip == Ipv4.parse("10.0.0.1").value())).isZero();
        // after the offer hold and the lease run out, the addresses come back
        assertThat(s.allocate(pool, "c3", 0, 200, ip -> false)).isNotZero();
    }

    /** The listener hears binds, declines and releases (not offers), and on listen() every lease replayed from the journal. */
    @Test
    void listenerHearsBindsDeclinesAndReleasesAndGetsTheReplayedLeases() throws Exception {
        List<String> heard = new ArrayList<>();
        LeaseStore.Listener l = new LeaseStore.Listener() {
            @Override
            public void changed(Lease lease) {
                heard.add(lease.state() + " " + lease.address() + " " + lease.client());
            }

            @Override
            public void released(Ipv4 address) {
                heard.add("RELEASED " + address);
            }
        };
        try (LeaseStore s = LeaseStore.open(dir, 1000)) {
            s.listen(l);
            s.offer("hw:01", "01", Ipv4.parse("10.0.0.5").value(), 1100);
            s.bind("hw:01", "01", Ipv4.parse("10.0.0.5").value(), 5000);
            s.bind("hw:02", "02", Ipv4.parse("10.0.0.6").value(), 5000);
            s.decline(Ipv4.parse("10.0.0.9").value(), 4000);
            s.release("hw:02", Ipv4.parse("10.0.0.6").value());
            s.flush(1000);
        }
        assertThat(heard).containsExactly("BOUND 10.0.0.5 hw:01", "BOUND 10.0.0.6 hw:02", "DECLINED 10.0.0.9 declined",
                "RELEASED 10.0.0.6");
        heard.clear();
        try (LeaseStore t = LeaseStore.open(dir, 2000)) {
            t.listen(l);
        }
        assertThat(heard).contains("BOUND 10.0.0.5 hw:01").doesNotContain("BOUND 10.0.0.6 hw:02");
    }
}
