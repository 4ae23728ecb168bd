package io.yoo.installer.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.testsupport.TempPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Two servers asking a real PostgreSQL for the same shared value at once: it is made once, and
 * the second server gets the first one's value, having waited for it.
 */
class SharedSecretTableTest {
    @Test
    void aValueIsMadeOnceEvenWhenTwoServersAskTogether() throws Exception {
        // own threads: the common pool may have a single worker on a small machine, and the first task blocks
        try (TempPostgres pg = TempPostgres.start(); ExecutorService threads = Executors.newFixedThreadPool(2)) {
            JdbcConfig db = new JdbcConfig(pg.jdbcUrl(), pg.user(), "");
            AtomicInteger made = new AtomicInteger();
            CountDownLatch firstIsMaking = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<SharedSecretTable.Stored> first = CompletableFuture.supplyAsync(() -> call(db, () -> {
                made.incrementAndGet();
                firstIsMaking.countDown();
                await(release); // still making it (RSA keys take seconds) when the second server asks
                return "first";
            }), threads);
            assertThat(firstIsMaking.await(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<SharedSecretTable.Stored> second = CompletableFuture.supplyAsync(() -> call(db, () -> {
                made.incrementAndGet();
                return "second";
            }), threads);
            awaitALockWait(pg); // the second server's INSERT waits on the first one's row
            release.countDown();

            assertThat(first.get(60, TimeUnit.SECONDS)).isEqualTo(new SharedSecretTable.Stored("first", true));
            assertThat(second.get(60, TimeUnit.SECONDS)).isEqualTo(new SharedSecretTable.Stored("first", false));
            assertThat(made).hasValue(1);
            assertThat(new SharedSecretTable(db).read("token-secret")).contains("first");
        }
    }

    private static SharedSecretTable.Stored call(JdbcConfig db, Supplier<String> make) {
        try {
            return new SharedSecretTable(db).getOrCreate("token-secret", make);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch l) {
        try {
            if (!l.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls pg_locks (bounded) until some backend waits for a lock it was not granted. */
    private static void awaitALockWait(TempPostgres pg) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), ""); Statement st = c.createStatement()) {
            while (System.nanoTime() < end) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_locks WHERE NOT granted")) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("the second server never waited for the first one's row");
    }
}
