package io.yoo.installer.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.testsupport.TempPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real PostgreSQL stopped ({@code pg_ctl stop -m immediate}) under a running state store: the
 * writes made meanwhile are answered {@code queued}, kept in the spool (also across a restart of the
 * store), and replayed when the database is back — each once, in order, with its original time.
 */
class PostgresOutageTest {
    private static TempPostgres pg;
    private static final Instant T0 = Instant.parse("2026-12-05T04:00:00.250Z");

    @TempDir
    Path dir;
    private String schema;
    private final List<JdbcStateStore> stores = new ArrayList<>();

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = TempPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    @BeforeEach
    void createSchema() throws Exception {
        pg.startServerIfStopped();
        schema = "yoo_o_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        pg.sql("CREATE SCHEMA " + schema);
    }

    @AfterEach
    void stopStores() throws Exception {
        stores.forEach(JdbcStateStore::stop);
        pg.startServerIfStopped();
    }

    private JdbcConfig db() {
        return new JdbcConfig(pg.jdbcUrl() + "?currentSchema=" + schema, pg.user(), "");
    }

    private JdbcStateStore store(long spoolBytes) throws Exception {
        JdbcStateStore s = new JdbcStateStore(db()).withSpool(dir.resolve("store-spool.bin"), spoolBytes);
        stores.add(s);
        s.start();
        return s;
    }

    private static ProgressEvent step(int i) {
        return ProgressEvent.callback("node-1", "install-os", EventStatus.STARTED, "step " + i, T0.plusSeconds(i));
    }

    /** (occurred_at ms, detail) of node-1's stored events, in the order stored. */
    private List<String> stored() throws Exception {
        String out = pg.sql("SELECT occurred_at || ' ' || detail FROM " + schema + ".yoo_event WHERE machine = 'node-1' ORDER BY id");
        return Arrays.stream(out.split("\n")).filter(l -> !l.isBlank()).toList();
    }

    private static List<String> expected(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(T0.plusSeconds(i).toEpochMilli() + " step " + i);
        }
        return out;
    }

    @Test
    void writesDuringAnOutageAreQueuedKeptAcrossARestartAndReplayedOnceWithTheirTimes() throws Exception {
        JdbcStateStore store = store(JdbcStateStore.DEFAULT_SPOOL_BYTES);
        assertThat(store.record(step(0)).outcome()).isEqualTo(Outcome.APPLIED);

        pg.stopServer();
        for (int i = 1; i <= 5; i++) {
            assertThat(store.record(step(i)).outcome()).as("event %d while the database is down", i).isEqualTo(Outcome.QUEUED);
        }
        StoreStatus down = store.status();
        assertThat(down.up()).isFalse();
        assertThat(down.queued()).isEqualTo(5);
        assertThat(down.oldest()).contains(T0.plusSeconds(1));
        assertThat(down.describe(T0.plusSeconds(61))).startsWith("DOWN since").contains("5 writes queued (oldest 60 s)");

        store.stop(); // yoo restarts while the database is still away: the spool is a file in its state directory
        try (WriteSpool kept = WriteSpool.open(dir.resolve("store-spool.bin"), JdbcStateStore.DEFAULT_SPOOL_BYTES)) {
            assertThat(kept.count()).isEqualTo(5);
        }

        pg.startServer();
        JdbcStateStore again = store(JdbcStateStore.DEFAULT_SPOOL_BYTES); // replays at start
        assertThat(again.status()).isEqualTo(StoreStatus.UP);
        assertThat(stored()).containsExactlyElementsOf(expected(0, 5));
        assertThat(pg.sql("SELECT count(*) FROM " + schema + ".yoo_event WHERE write_id IS NULL").trim()).isEqualTo("0");
        assertThat(again.machine("node-1").orElseThrow().message()).contains("step 5");
    }

    @Test
    void theQueueDrainsByItselfWhenTheDatabaseIsBack() throws Exception {
        JdbcStateStore store = store(JdbcStateStore.DEFAULT_SPOOL_BYTES);
        store.record(step(0));
        pg.stopServer();
        for (int i = 1; i <= 3; i++) {
            assertThat(store.record(step(i)).outcome()).isEqualTo(Outcome.QUEUED);
        }
        assertThat(store.status().up()).isFalse();

        pg.startServer();
        // reconnect with backoff (at most 10 s between attempts), then replay
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!store.status().equals(StoreStatus.UP) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100); // polls a condition with a deadline
        }
        assertThat(store.status()).isEqualTo(StoreStatus.UP);
        assertThat(store.record(step(4)).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(stored()).containsExactlyElementsOf(expected(0, 4));
    }

    @Test
    void aQueuedWriteThatHadCommittedIsNotStoredTwice() throws Exception {
        JdbcStateStore store = store(JdbcStateStore.DEFAULT_SPOOL_BYTES);
        store.record(step(0));
        store.record(step(1));
        String committedId = pg.sql("SELECT write_id FROM " + schema + ".yoo_event WHERE detail = 'step 1'").trim();
        store.stop();
        // the connection broke after step 1's commit, before we learnt of it: it was spooled as well, then step 2
        try (WriteSpool spool = WriteSpool.open(dir.resolve("store-spool.bin"), JdbcStateStore.DEFAULT_SPOOL_BYTES)) {
            spool.append(new QueuedEvent(committedId, step(1)).encode());
            spool.append(new QueuedEvent(UUID.randomUUID().toString(), step(2)).encode());
        }
        JdbcStateStore again = store(JdbcStateStore.DEFAULT_SPOOL_BYTES);
        assertThat(stored()).containsExactlyElementsOf(expected(0, 2));
        assertThat(again.status().dropped()).as("skipped as already stored, not refused by the unique index").isZero();
    }

    /**
     * The replay reads the batch's machine rows in one statement and its write ids in another, and
     * sends the events as multi-row INSERTs: over several machines, one of them new, with writes
     * that had committed mixed in, each event is stored once, in order, and each machine ends where
     * its last event put it.
     */
    @Test
    void aReplayOverSeveralMachinesWithCommittedWritesMixedInStoresEachEventOnce() throws Exception {
        JdbcStateStore store = store(JdbcStateStore.DEFAULT_SPOOL_BYTES);
        store.record(event("node-1", 0));
        store.record(event("node-2", 1));
        String committed1 = pg.sql("SELECT write_id FROM " + schema + ".yoo_event WHERE detail = 'node-1 step 0'").trim();
        String committed2 = pg.sql("SELECT write_id FROM " + schema + ".yoo_event WHERE detail = 'node-2 step 1'").trim();
        store.stop();
        try (WriteSpool spool = WriteSpool.open(dir.resolve("store-spool.bin"), JdbcStateStore.DEFAULT_SPOOL_BYTES)) {
            spool.append(new QueuedEvent(committed1, event("node-1", 0)).encode());
            for (int i = 2; i < 40; i++) {
                String machine = "node-" + (1 + i % 3); // node-3 is new to the database
                spool.append(new QueuedEvent(UUID.randomUUID().toString(), event(machine, i)).encode());
                if (i == 20) {
                    spool.append(new QueuedEvent(committed2, event("node-2", 1)).encode());
                }
            }
        }
        JdbcStateStore again = store(JdbcStateStore.DEFAULT_SPOOL_BYTES);
        assertThat(again.status().dropped()).isZero();
        for (int m = 1; m <= 3; m++) {
            List<String> want = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                if (1 + i % 3 == m) {
                    want.add("node-" + m + " step " + i);
                }
            }
            String got = pg.sql("SELECT detail FROM " + schema + ".yoo_event WHERE machine = 'node-" + m + "' ORDER BY id");
            assertThat(Arrays.stream(got.split("\n")).filter(l -> !l.isBlank()).toList()).as("node-%d", m).containsExactlyElementsOf(want);
            assertThat(again.machine("node-" + m).orElseThrow().message()).contains(want.getLast());
        }
        assertThat(pg.sql("SELECT count(*) FROM " + schema + ".yoo_event").trim()).isEqualTo("40");
    }

    private static ProgressEvent event(String machine, int i) {
        return ProgressEvent.callback(machine, "install-os", EventStatus.STARTED, machine + " step " + i, T0.plusSeconds(i));
    }

    @Test
    void aFullSpoolRefusesWritesAndCountsThem() throws Exception {
        long room = WriteSpool.HEADER.length + 2L * (WriteSpool.RECORD_OVERHEAD + new QueuedEvent(UUID.randomUUID().toString(), step(1))
                .encode().length);
        JdbcStateStore store = store(room);
        store.record(step(0));
        pg.stopServer();
        assertThat(store.record(step(1)).outcome()).isEqualTo(Outcome.QUEUED);
        assertThat(store.record(step(2)).outcome()).isEqualTo(Outcome.QUEUED);
        assertThatThrownBy(() -> store.record(step(3))).isInstanceOf(StateStoreException.class).hasMessageContaining("spool is full");
        assertThat(store.status().dropped()).isEqualTo(1);
        assertThat(store.status().queued()).isEqualTo(2);
    }

    @Test
    void auditEntriesAndInstallLogsAreNotQueuedButRefusedAndCounted() throws Exception {
        JdbcStateStore store = store(1 << 20);
        store.putLog("node-1", 1, T0, 3, new byte[] {1, 2, 3}); // up: stored
        store.audit(T0, "admin", "machine.reprovision", Optional.of("node-1"), Optional.empty(), Optional.empty());
        assertThat(store.status().dropped()).isZero();
        pg.stopServer();
        assertThatThrownBy(() -> store.putLog("node-1", 2, T0, 3, new byte[] {1, 2, 3})).isInstanceOf(StateStoreException.class);
        assertThatThrownBy(() -> store.audit(T0, "admin", "machine.reprovision", Optional.of("node-1"), Optional.empty(), Optional.empty()))
                .isInstanceOf(StateStoreException.class);
        assertThat(store.status().dropped()).as("each refusal counted (yoo_store_dropped_writes_total)").isEqualTo(2);
    }
}
