package io.yoo.installer.storm;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storm's record of what the servers acknowledged and handed out, and its --slice option. */
class StormLedgerTest {
    @Test
    void countsAnAddressAckedToASecondMacAndWritesEachAcknowledgedEventOnce(@TempDir Path dir) throws Exception {
        StormLedger ledger = new StormLedger();
        Ipv4 ip = Ipv4.parse("10.79.1.1");
        ledger.dhcpAck(MacAddress.parse("52:54:01:00:00:01"), ip);
        ledger.dhcpAck(MacAddress.parse("52:54:01:00:00:01"), ip); // the same machine again (iPXE, a reboot)
        assertThat(ledger.addressConflicts()).isZero();
        ledger.dhcpAck(MacAddress.parse("52:54:01:00:00:02"), ip);
        assertThat(ledger.addressConflicts()).isEqualTo(1);

        String m1 = ledger.nextMessage();
        String m2 = ledger.nextMessage();
        assertThat(m1).isNotEqualTo(m2);
        ledger.acked("storm-00000", "time-sync", "started", m1, "applied");
        ledger.acked("storm-00000", "time-sync", "succeeded", m2, "applied");
        Path file = dir.resolve("acked.tsv");
        ledger.write(file);
        assertThat(ledger.eventsAcked()).isEqualTo(2);
        assertThat(Files.readAllLines(file)).containsExactly("storm-00000\ttime-sync\tstarted\t" + m1 + "\tapplied",
                "storm-00000\ttime-sync\tsucceeded\t" + m2 + "\tapplied");
    }

    @Test
    void sliceIsAHalfOpenRangeInsideTheDescriptor() {
        assertThat(StormCommand.Run.parseSlice("0:100", 200)).containsExactly(0, 100);
        assertThat(StormCommand.Run.parseSlice("100:200", 200)).containsExactly(100, 200);
        assertThat(StormCommand.Run.parseSlice("100:201", 200)).isEmpty();
        assertThat(StormCommand.Run.parseSlice("5:5", 200)).isEmpty();
        assertThat(StormCommand.Run.parseSlice(":5", 200)).isEmpty();
        assertThat(StormCommand.Run.parseSlice("5", 200)).isEmpty();
        assertThat(StormCommand.Run.parseSlice("a:b", 200)).isEmpty();
    }
}
