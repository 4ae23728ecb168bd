package io.yoo.installer.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.yoo.installer.dhcp.v6.codec.Ipv6;
import io.yoo.installer.dhcp.v6.lease.Lease6;
import io.yoo.installer.dhcp.v6.lease.Lease6Ledger.Change;
import io.yoo.installer.testsupport.TempPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared DHCPv6 lease table (V11, {@code yoo_lease6}) against a real PostgreSQL, as two
 * servers use it (two ledgers, two connections; local: yoo_test on 127.0.0.1, user/password yoo;
 * CI: YOO_TEST_PG_URL/USER/PASSWORD; each test in its own schema, dropped afterwards): the first
 * bind or claim of an address wins, the loser learns the holder, a claim never takes a lease, a
 * client renews its own, an expired row is free, releases and what recent() returns. And the
 * migration on H2 (a single server runs it too), where the ledger itself is refused.
 */
class JdbcLease6LedgerTest {
    private static final Ipv6 X = Ipv6.parse("fd00:c6::100");
    private static final String C1 = "000300015254000000c1/1";
    private static final String C2 = "000300015254000000c2/1";
    private final List<JdbcLease6Ledger> opened = new ArrayList<>();
    private final PostgresTestSchema schemas = new PostgresTestSchema();

    @TempDir
    Path dir;

    private JdbcConfig postgres() {
        return schemas.postgres();
    }

    @AfterEach
    void dropSchema() throws SQLException {
        opened.forEach(JdbcLease6Ledger::stop);
        schemas.drop();
    }

    private JdbcLease6Ledger open(JdbcConfig db) throws SQLException {
        JdbcLease6Ledger l = new JdbcLease6Ledger(db);
        opened.add(l);
        l.start();
        return l;
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static Change bind(String client, Ipv6 ip, long expires) {
        return new Change(new Lease6(client, "525400000001", ip, expires, Lease6.State.BOUND), false);
    }

    private static Change claim(String client, Ipv6 ip) {
        return new Change(new Lease6(client, "525400000001", ip, now() + 5, Lease6.State.OFFERED), false);
    }

    private static Change release(String client, Ipv6 ip) {
        return new Change(new Lease6(client, "-", ip, 0, Lease6.State.BOUND), true);
    }

    @Test
    void theFirstBindOfAnAddressWinsTheOtherServerLearnsItsHolder() throws Exception {
        JdbcConfig db = postgres();
        JdbcLease6Ledger a = open(db);
        JdbcLease6Ledger b = open(db);
        assertThat(a.commit(List.of(bind(C1, X, now() + 3600)))).isEmpty();
        List<Lease6> refused = b.commit(List.of(bind(C2, X, now() + 3600)));
        assertThat(refused).singleElement().satisfies(h -> {
            assertThat(h.client()).isEqualTo(C1);
            assertThat(h.address()).isEqualTo(X);
            assertThat(h.state()).isEqualTo(Lease6.State.BOUND);
        });
        assertThat(b.commit(List.of(bind(C1, X, now() + 7200)))).as("its own client renews through any server").isEmpty();
        Ipv6 y = X.plus(1);
        assertThat(a.commit(List.of(bind(C1 + "0", y, now() - 10)))).isEmpty();
        assertThat(b.commit(List.of(bind(C2, y, now() + 3600)))).as("an expired lease is free").isEmpty();
        assertThat(b.load()).extracting(Lease6::address, Lease6::client)
                .containsExactlyInAnyOrder(tuple(X, C1), tuple(y, C2));
    }

    @Test
    void aClaimTakesOnlyAFreeOrExpiredAddressAndIsNoLease() throws Exception {
        JdbcConfig db = postgres();
        JdbcLease6Ledger a = open(db);
        JdbcLease6Ledger b = open(db);
        assertThat(a.commit(List.of(claim(C1, X)))).isEmpty();
        assertThat(b.commit(List.of(claim(C2, X)))).singleElement()
                .satisfies(h -> assertThat(h.state()).isEqualTo(Lease6.State.OFFERED));
        assertThat(b.commit(List.of(bind(C2, X, now() + 3600)))).as("another client's fresh claim holds").hasSize(1);
        assertThat(a.load()).as("claims are no leases").isEmpty();
        assertThat(a.commit(List.of(bind(C1, X, now() + 3600)))).isEmpty();
        assertThat(b.commit(List.of(claim(C1, X)))).as("its own lease: not refused").isEmpty();
        assertThat(b.load()).singleElement().satisfies(l -> assertThat(l.state()).as("never downgraded").isEqualTo(Lease6.State.BOUND));
    }

    @Test
    void recentReturnsWhatTheOtherServerBoundAndAReleaseFreesOnlyItsClientsAddress() throws Exception {
        JdbcConfig db = postgres();
        JdbcLease6Ledger a = open(db);
        JdbcLease6Ledger b = open(db);
        assertThat(b.load()).isEmpty();
        a.commit(List.of(bind(C1, X, now() + 3600), claim(C1, X.plus(9)),
                new Change(new Lease6("declined", "-", X.plus(2), now() + 600, Lease6.State.DECLINED), false)));
        assertThat(b.recent()).extracting(Lease6::address, Lease6::state).containsExactlyInAnyOrder(
                tuple(X, Lease6.State.BOUND),
                tuple(X.plus(2), Lease6.State.DECLINED));
        a.commit(List.of(release(C2, X)));
        assertThat(rows(db)).as("not C2's to release").contains(X.toString());
        b.commit(List.of(release(C1, X)));
        assertThat(rows(db)).doesNotContain(X.toString());
        assertThat(a.commit(List.of(bind(C2, X, now() + 3600)))).isEmpty();
    }

    @Test
    void twoServersBindingTheSameAddressesAtOnceGiveEachToOneClient() throws Exception {
        JdbcConfig db = postgres();
        JdbcLease6Ledger a = open(db);
        JdbcLease6Ledger b = open(db);
        int n = 60;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Set<Ipv6>>> won = new ArrayList<>();
            for (JdbcLease6Ledger l : List.of(a, b)) {
                String client = l == a ? C1 : C2;
                won.add(pool.submit(() -> {
                    Set<Ipv6> mine = new HashSet<>();
                    for (int i = 0; i < n; i++) {
                        Ipv6 ip = X.plus(i);
                        if (l.commit(List.of(bind(client + i, ip, now() + 3600))).isEmpty()) {
                            mine.add(ip);
                        }
                    }
                    return mine;
                }));
            }
            Set<Ipv6> wonA = won.get(0).get();
            Set<Ipv6> wonB = won.get(1).get();
            Set<Ipv6> both = new HashSet<>(wonA);
            both.retainAll(wonB);
            assertThat(both).as("bound by both servers").isEmpty();
            assertThat(wonA.size() + wonB.size()).isEqualTo(n);
            assertThat(a.load()).hasSize(n);
        } finally {
            pool.shutdownNow();
        }
    }

    /** PostgreSQL restarted (as an HA pair failing over cuts the connections): the ledger connects again by itself. */
    @Test
    void aConnectionThatBrokeIsOpenedAgainWhenTheDatabaseIsBack() throws Exception {
        try (TempPostgres pg = TempPostgres.start()) {
            JdbcLease6Ledger l = open(new JdbcConfig(pg.jdbcUrl(), pg.user(), ""));
            assertThat(l.commit(List.of(bind(C1, X, now() + 3600)))).isEmpty();
            pg.stopServer();
            assertThatThrownBy(() -> l.commit(List.of(bind(C2, X.plus(1), now() + 3600)))).isInstanceOf(IOException.class);
            assertThatThrownBy(l::recent).isInstanceOf(IOException.class);
            pg.startServer();
            assertThat(PostgresTestSchema.eventually(20_000, l::load)).extracting(Lease6::client).containsExactly(C1);
            assertThat(l.commit(List.of(bind(C2, X, now() + 3600)))).as("still C1's").hasSize(1);
            assertThat(l.commit(List.of(bind(C2, X.plus(1), now() + 3600)))).isEmpty();
        }
    }

    /**
     * A database that hangs (accepts TCP, never answers): a call waits one socket timeout, the
     * calls after it fail at once until the next try to connect; thawed, the ledger works again.
     */
    @Test
    void aDatabaseThatHangsCostsOneBoundedWaitThenFailsFast() throws Exception {
        try (TempPostgres pg = TempPostgres.start()) {
            JdbcLease6Ledger l = open(new JdbcConfig(pg.jdbcUrl(), pg.user(), ""));
            assertThat(l.commit(List.of(bind(C1, X, now() + 3600)))).isEmpty();
            pg.freeze();
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> l.commit(List.of(bind(C2, X.plus(1), now() + 3600)))).isInstanceOf(IOException.class);
            long waited = System.nanoTime() - t0;
            assertThat(waited).as("one socket timeout").isLessThan(TimeUnit.SECONDS.toNanos(
                    LedgerConnection.SOCKET_SECONDS + 3));
            t0 = System.nanoTime();
            assertThatThrownBy(l::recent).isInstanceOf(IOException.class);
            assertThat(System.nanoTime() - t0).as("no second wait right after the first").isLessThan(
                    TimeUnit.SECONDS.toNanos(JdbcConfig.CONNECT_TIMEOUT_SECONDS + 1));
            pg.thaw();
            assertThat(PostgresTestSchema.eventually(30_000, l::load)).extracting(Lease6::client).containsExactly(C1);
        }
    }

    private static List<String> rows(JdbcConfig db) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT address FROM yoo_lease6")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void theMigrationRunsOnH2WhereTheLedgerIsRefused() throws Exception {
        JdbcConfig h2 = JdbcConfig.h2File(dir);
        try (Connection c = h2.connect()) {
            SchemaMigrator.migrate(c, false);
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO yoo_lease6 (address, client, mac, lease_state, expires_at, updated_at) "
                        + "VALUES ('fd00:c6::100', '" + C1 + "', '-', 'bound', 1, 1)");
                assertThatThrownBy(() -> st.execute("INSERT INTO yoo_lease6 (address, client, mac, lease_state, expires_at, "
                        + "updated_at) VALUES ('fd00:c6::100', '" + C2 + "', '-', 'bound', 1, 1)"))
                        .as("the address is the primary key").isInstanceOf(SQLException.class);
            }
            assertThat(SchemaMigrator.currentVersion(c)).isEqualTo(11);
        }
        assertThatThrownBy(() -> new JdbcLease6Ledger(h2)).isInstanceOf(IllegalArgumentException.class);
    }
}
