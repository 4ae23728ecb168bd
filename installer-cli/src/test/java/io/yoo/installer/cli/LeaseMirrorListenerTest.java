package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.core.state.JdbcConfig;
import io.yoo.installer.core.state.JdbcLeaseMirror;
import io.yoo.installer.core.state.JdbcStateStore;
import io.yoo.installer.core.state.LeaseRecord;
import io.yoo.installer.dhcp.lease.LeaseStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DHCP server's lease changes reach the state database (as `yoo serve` wires them). */
class LeaseMirrorListenerTest {
    @TempDir
    Path dir;

    @Test
    void boundDeclinedAndReleasedLeasesReachTheDatabaseAndAJournalReplayResyncsIt() throws Exception {
        JdbcConfig db = JdbcConfig.h2File(dir.resolve("state"));
        JdbcStateStore store = new JdbcStateStore(db);
        store.start();
        JdbcLeaseMirror mirror = new JdbcLeaseMirror(db);
        mirror.start();
        try {
            try (LeaseStore leases = LeaseStore.open(dir.resolve("dhcp"), 1000)) {
                leases.listen(new LeaseMirrorListener(mirror));
                leases.bind("hw:525400000001", "525400000001", Ipv4.parse("10.0.3.100").value(), 5000);
                leases.bind("hw:525400000002", "525400000002", Ipv4.parse("10.0.3.101").value(), 5000);
                leases.decline(Ipv4.parse("10.0.3.102").value(), 4000);
                leases.release("hw:525400000002", Ipv4.parse("10.0.3.101").value());
                leases.flush(1000);
            }
            assertThat(mirror.awaitWritten(10_000)).isTrue();
            assertThat(mirror.leases()).containsExactly(
                    new LeaseRecord("10.0.3.100", "525400000001", "hw:525400000001", "bound", 5000),
                    new LeaseRecord("10.0.3.102", "-", "declined", "declined", 4000));
        } finally {
            mirror.stop();
        }
        // the table lost a row behind the server's back (say, restored from an old backup): the
        // DHCP server's next start reports every lease it holds, and the mirror has it again
        JdbcLeaseMirror again = new JdbcLeaseMirror(db);
        again.start();
        try (var c = java.sql.DriverManager.getConnection(db.url(), db.user(), db.password()); var st = c.createStatement()) {
            st.executeUpdate("DELETE FROM yoo_lease");
        }
        try (LeaseStore leases = LeaseStore.open(dir.resolve("dhcp"), 2000)) {
            leases.listen(new LeaseMirrorListener(again));
            assertThat(again.awaitWritten(10_000)).isTrue();
            assertThat(again.leases()).extracting(LeaseRecord::ip).contains("10.0.3.100").doesNotContain("10.0.3.101");
        } finally {
            again.stop();
            store.stop();
        }
    }
}
