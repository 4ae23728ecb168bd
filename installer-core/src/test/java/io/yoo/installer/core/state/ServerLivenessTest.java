package io.yoo.installer.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.testsupport.TempPostgres;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Every wait of the PostgreSQL session locks is bounded ({@link SessionLock}), against a real
 * PostgreSQL: two servers of a pair see each other and split the clients; then PostgreSQL is
 * frozen (SIGSTOP: it accepts TCP and never answers, as a hung database host) and each falls back
 * to answering every client within its bound, a server starting meanwhile starts and stops within
 * it, a lock cannot be confirmed past it; thawed, the pair splits the clients again. And a
 * "database" that is only a listening socket never speaking does not hang a start either.
 */
class ServerLivenessTest {
    private static final String GROUP = "10.71.0.0/24";

    @Test
    void a_frozen_database_costs_each_wait_a_bounded_time_never_a_hang() throws Exception {
        try (TempPostgres pg = TempPostgres.start()) {
            JdbcConfig db = new JdbcConfig(pg.jdbcUrl(), pg.user(), "");
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "")) {
                SchemaMigrator.migrate(c, true);
            }
            ServerHeartbeats ha = new ServerHeartbeats(db, "a", List.of(Ipv4.parse("10.71.0.1")), "test");
            ServerHeartbeats hb = new ServerHeartbeats(db, "b", List.of(Ipv4.parse("10.71.0.2")), "test");
            ServerLiveness a = new ServerLiveness(db, ha.id(), GROUP);
            ServerLiveness b = new ServerLiveness(db, hb.id(), GROUP);
            Duration bound = Duration.ofSeconds(a.worstCaseSeconds() + 1);
            try (SessionLock other = new SessionLock(db, 0x54657374, 7, "yoo test", 2, 3)) {
                ha.start();
                hb.start();
                a.start();
                b.start();
                await("both see two servers alive", Duration.ofSeconds(10), () -> a.get().count() == 2 && b.get().count() == 2);
                assertThat(a.get().index()).isNotEqualTo(b.get().index());
                assertThat(other.hold()).isTrue();

                pg.freeze();
                long frozenAt = System.nanoTime();
                await("each answers every client once it cannot tell", bound.plusMillis(ServerLiveness.POLL_MILLIS),
                        () -> a.get().alone() && b.get().alone());
                System.out.printf("frozen PostgreSQL: the pair fell back to answering every client after %.2f s (bound %d s)%n",
                        (System.nanoTime() - frozenAt) / 1e9, bound.toSeconds());
                long asked = System.nanoTime();
                assertTimeoutPreemptively(bound, () -> assertThatThrownBy(other::hold).isInstanceOf(SQLException.class),
                        "a held lock's confirmation is an error within the bound");
                System.out.printf("frozen PostgreSQL: a lock's confirmation failed after %.2f s%n", (System.nanoTime() - asked) / 1e9);
                assertThat(other.held()).isFalse();

                ServerLiveness c = new ServerLiveness(db, "c/10.71.0.3", GROUP); // a server (re)starting while the database hangs
                assertTimeoutPreemptively(bound, c::start, "start against a frozen database");
                assertThat(c.get().alone()).as("it answers every client").isTrue();
                assertTimeoutPreemptively(bound.plusSeconds(1), c::stop, "stop against a frozen database");

                pg.thaw();
                await("the pair splits the clients again once the database answers", Duration.ofSeconds(20),
                        () -> a.get().count() == 2 && b.get().count() == 2);
                // the frozen session's backend ends (and frees the lock) once it reads the driver's goodbye
                await("the lock is taken again on a new session", Duration.ofSeconds(10), () -> holds(other));
            } finally {
                pg.thaw();
                a.stop();
                b.stop();
                ha.stop();
                hb.stop();
            }
        }
    }

    @Test
    void a_listening_socket_that_never_speaks_does_not_hang_a_start() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) { // connects complete in the backlog; nothing answers
            JdbcConfig db = new JdbcConfig("jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/yoo", "yoo", "");
            ServerLiveness live = new ServerLiveness(db, "a/10.71.0.1", GROUP);
            long t0 = System.nanoTime();
            assertTimeoutPreemptively(Duration.ofSeconds(live.worstCaseSeconds() + 1), live::start, "start against a silent socket");
            System.out.printf("silent database: start returned after %.2f s%n", (System.nanoTime() - t0) / 1e9);
            assertThat(live.get().alone()).isTrue();
            assertTimeoutPreemptively(Duration.ofSeconds(live.worstCaseSeconds() + 2), live::stop, "stop against a silent socket");
        }
    }

    private static boolean holds(SessionLock lock) {
        try {
            return lock.hold();
        } catch (SQLException e) {
            return false;
        }
    }

    /** Polls {@code condition} every 50 ms until it holds, failing after {@code max}. */
    private static void await(String what, Duration max, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError(what + ": not within " + max.toMillis() + " ms");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
