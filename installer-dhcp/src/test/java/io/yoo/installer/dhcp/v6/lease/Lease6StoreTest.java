package io.yoo.installer.dhcp.v6.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.dhcp.v6.codec.Ipv6;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Lease6StoreTest {
    static final long NOW = 1_800_000_000L;
    static final Ipv6 START = Ipv6.parse("fd00:77::100");
    static final Ipv6 END = Ipv6.parse("fd00:77::1ff");

    @TempDir
    Path dir;

    @Test
    void boundLeasesAndDeclinesSurviveAReopenReleasesAndOffersDoNot() throws Exception {
        try (Lease6Store s = Lease6Store.open(dir, NOW)) {
            s.bind("aa/1", "525400000001", Ipv6.parse("fd00:77::100"), NOW + 7200);
            s.bind("bb/1", "-", Ipv6.parse("fd00:77::101"), NOW + 7200);
            s.bind("cc/1", "-", Ipv6.parse("fd00:77::102"), NOW + 7200);
            s.release("bb/1", Ipv6.parse("fd00:77::101"));
            s.decline(Ipv6.parse("fd00:77::103"), NOW + 600);
            s.offer("dd/1", "-", Ipv6.parse("fd00:77::104"), NOW + 30);
            s.flush(NOW);
            // written before close: what kill -9 leaves behind
            assertThat(Files.readAllLines(dir.resolve(Lease6Store.FILE))).contains(
                    "B fd00:77::100 " + (NOW + 7200) + " 525400000001 aa/1", "R fd00:77::101 bb/1",
                    "D fd00:77::103 " + (NOW + 600));
        }
        try (Lease6Store s = Lease6Store.open(dir, NOW + 10)) {
            assertThat(s.byClient("aa/1").orElseThrow().address()).isEqualTo(Ipv6.parse("fd00:77::100"));
            assertThat(s.byClient("aa/1").orElseThrow().mac()).isEqualTo("525400000001");
            assertThat(s.byAddress(Ipv6.parse("fd00:77::101"))).isEmpty();
            assertThat(s.byAddress(Ipv6.parse("fd00:77::103")).orElseThrow().state()).isEqualTo(Lease6.State.DECLINED);
            assertThat(s.byClient("dd/1")).isEmpty();
            assertThat(s.boundCount()).isEqualTo(2);
            // the next free address skips bound and declined ones
            assertThat(s.allocate(START, END, "ee/1", NOW + 10, a -> false)).isEqualTo(Ipv6.parse("fd00:77::101"));
        }
        try (Lease6Store s = Lease6Store.open(dir, NOW + 100_000)) {
            assertThat(s.all()).as("expired leases are dropped when compacting").isEmpty();
        }
    }

    @Test
    void aTornLastLineIsSkipped() throws Exception {
        Files.writeString(dir.resolve(Lease6Store.FILE), "B fd00:77::100 " + (NOW + 50) + " - aa/1\nB fd00:77::1");
        try (Lease6Store s = Lease6Store.open(dir, NOW)) {
            assertThat(s.all()).hasSize(1);
        }
    }

    @Test
    void allocationFromAHugeRangeProbesOnlyAsManyAddressesAsAreHeld() {
        Lease6Store s = Lease6Store.inMemory();
        Ipv6 start = Ipv6.parse("fd00::");
        Ipv6 end = Ipv6.parse("fd00::ffff:ffff:ffff:ffff");
        for (int i = 0; i < 1000; i++) {
            Ipv6 a = s.allocate(start, end, "c/" + i, NOW, x -> false);
            s.bind("c/" + i, "-", a, NOW + 100);
        }
        assertThat(s.boundCount()).isEqualTo(1000);
        // a range of two with both held: full
        Ipv6 two = Ipv6.parse("fd00::1:0");
        s.bind("x/1", "-", two, NOW + 100);
        s.bind("x/2", "-", two.plus(1), NOW + 100);
        assertThat(s.allocate(two, two.plus(1), "x/3", NOW, x -> false)).isNull();
    }
}
