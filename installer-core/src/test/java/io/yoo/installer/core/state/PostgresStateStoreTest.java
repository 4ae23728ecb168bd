package io.yoo.installer.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.boot.Sighting;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store suite against a real PostgreSQL (local: yoo_test on 127.0.0.1, user/password yoo;
 * CI: YOO_TEST_PG_URL/USER/PASSWORD). Each test gets its own schema, dropped afterwards.
 */
class PostgresStateStoreTest extends StateStoreContract {
    private final PostgresTestSchema db = new PostgresTestSchema();
    private JdbcConfig config;

    @BeforeEach
    void createSchema() {
        config = db.postgres();
    }

    @AfterEach
    void dropSchema() throws SQLException {
        db.drop();
    }

    @Override
    protected JdbcConfig config() {
        return config;
    }

    /**
     * Write ids are a per-store random prefix and a counter (no SecureRandom per event): two
     * servers' events, and a restarted server's, never share one, and each fits the column.
     */
    @Test
    void writeIdsOfTwoServersAndARestartAreDistinct() throws Exception {
        JdbcStateStore a = openStore();
        JdbcStateStore b = openStore();
        Instant t0 = Instant.parse("2026-12-05T09:00:00Z");
        for (int i = 0; i < 30; i++) {
            a.record(ProgressEvent.callback("n1", "step-" + i, EventStatus.STARTED, null, t0.plusMillis(i)));
            b.record(ProgressEvent.callback("n2", "step-" + i, EventStatus.STARTED, null, t0.plusMillis(i)));
        }
        a.stop();
        JdbcStateStore again = openStore();
        again.record(ProgressEvent.callback("n1", "step-30", EventStatus.STARTED, null, t0.plusMillis(30)));
        try (Connection c = DriverManager.getConnection(config().url(), PostgresTestSchema.USER, PostgresTestSchema.PASSWORD); Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT write_id), max(length(write_id)), "
                        + "count(DISTINCT left(write_id, 24)) FROM yoo_event")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(61);
            assertThat(rs.getInt(2)).isEqualTo(61);
            assertThat(rs.getInt(3)).isLessThanOrEqualTo(36);
            assertThat(rs.getInt(4)).as("one prefix per store instance").isEqualTo(3);
        }
    }

    /**
     * Two servers on one database (issue #16): a relay copies the machine's DHCP request to both,
     * both answer, and each stores its sighting after the answer. Server B's sighting, made before
     * the machine finished installing through server A, commits after A stored "installed" (B's
     * write queue was behind): it must leave the machine installed, not make it "rebooting".
     * The storm over the pair saw 11 of 1,000 machines end as "rebooting" this way.
     */
    @Test
    void aSightingTheOtherServerCommitsAfterTheInstallFinishedLeavesTheMachineInstalled() throws Exception {
        JdbcStateStore a = openStore();
        JdbcStateStore b = openStore();
        Instant t0 = Instant.parse("2026-12-05T03:00:00Z");
        Sighting ack = new Sighting(Sighting.Protocol.DHCP, Optional.of("n1"), Optional.of(MacAddress.parse("52:54:00:00:00:01")),
                Optional.of(Ipv4.parse("10.0.0.11")), "dhcp-ack");
        a.observe(ack, t0);
        Instant seenByB = t0.plusMillis(2); // B answered the same request a moment later
        int ms = 10;
        for (String phase : InstallPhases.ORDER) {
            a.record(ProgressEvent.callback("n1", phase, EventStatus.STARTED, null, t0.plusMillis(ms += 10)));
            a.record(ProgressEvent.callback("n1", phase, EventStatus.SUCCEEDED, null, t0.plusMillis(ms += 10)));
        }
        a.record(ProgressEvent.callback("n1", InstallPhases.INSTALLED, EventStatus.SUCCEEDED, null, t0.plusMillis(ms += 10)));
        b.observe(ack, seenByB); // committed now, after "installed"
        assertThat(b.machine("n1").orElseThrow().state()).isEqualTo(MachineState.INSTALLED);
        assertThat(a.machine("n1").orElseThrow().state()).isEqualTo(MachineState.INSTALLED);
        List<StoredEvent> history = a.history("n1", 100);
        assertThat(history.getLast().phase()).isEqualTo(InstallPhases.INSTALLED);
        assertThat(history).hasSize(12);
        // the machine's real reboot, seen by either server, still moves it on
        b.observe(ack, t0.plusSeconds(40));
        assertThat(a.machine("n1").orElseThrow().state()).isEqualTo(MachineState.REBOOTING);
    }
}
