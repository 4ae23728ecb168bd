package io.yoo.installer.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.dhcp.lease.Lease;
import io.yoo.installer.dhcp.lease.LeaseLedger.Change;
import io.yoo.installer.testsupport.TempPostgres;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shared DHCPv4 lease table ({@code yoo_lease}) against a real PostgreSQL, as two servers use
 * it (the database of {@link PostgresTestSchema}): the first bind of an address wins and the loser learns
 * the holder, a claim is no lease, a release frees only its client's address; and, on a PostgreSQL
 * of its own, that the ledger survives the database restarting or hanging, as {@link
 * JdbcLease6LedgerTest} shows for DHCPv6.
 */
class JdbcLeaseLedgerTest {
    private static final Ipv4 X = Ipv4.parse("10.9.0.100");
    private static final String C1 = "hw:5254000000c1";
    private static final String C2 = "hw:5254000000c2";
    private final List<JdbcLeaseLedger> opened = new ArrayList<>();
    private final PostgresTestSchema schemas = new PostgresTestSchema();

    @AfterEach
    void dropSchema() throws SQLException {
        opened.forEach(JdbcLeaseLedger::stop);
        schemas.drop();
    }

    private JdbcLeaseLedger open(JdbcConfig db) throws SQLException {
        JdbcLeaseLedger l = new JdbcLeaseLedger(db);
        opened.add(l);
        l.start();
        return l;
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static Change bind(String client, Ipv4 ip, long expires) {
        return new Change(new Lease(client, "525400000001", ip, expires, Lease.State.BOUND), false);
    }

    private static Change claim(String client, Ipv4 ip) {
        return new Change(new Lease(client, "525400000001", ip, now() + 5, Lease.State.OFFERED), false);
    }

    private static Change release(String client, Ipv4 ip) {
        return new Change(new Lease(client, "-", ip, 0, Lease.State.BOUND), true);
    }

    @Test
    void theFirstBindWinsAClaimIsNoLeaseAndAReleaseFreesOnlyItsClientsAddress() throws Exception {
        JdbcConfig db = schemas.postgres();
        JdbcLeaseLedger a = open(db);
        JdbcLeaseLedger b = open(db);
        assertThat(b.load()).isEmpty();
        assertThat(a.commit(List.of(bind(C1, X, now() + 3600), claim(C1, X.plus(9))))).isEmpty();
        assertThat(b.commit(List.of(bind(C2, X, now() + 3600), claim(C2, X.plus(9))))).extracting(Lease::client, Lease::state)
                .containsExactly(tuple(C1, Lease.State.BOUND), tuple(C1, Lease.State.OFFERED));
        assertThat(b.recent()).extracting(Lease::address, Lease::client).containsExactly(tuple(X, C1));
        assertThat(b.leases()).extracting(LeaseRecord::ip).containsExactly(X.toString());
        assertThat(b.commit(List.of(release(C2, X), bind(C2, X, now() + 3600)))).as("not C2's to release").hasSize(1);
        assertThat(a.commit(List.of(release(C1, X)))).isEmpty();
        assertThat(b.commit(List.of(bind(C2, X, now() + 3600)))).isEmpty();
        assertThat(a.load()).extracting(Lease::client).containsExactly(C2);
    }

    /** PostgreSQL restarted (as an HA pair failing over cuts the connections): the ledger connects again by itself. */
    @Test
    void aConnectionThatBrokeIsOpenedAgainWhenTheDatabaseIsBack() throws Exception {
        try (TempPostgres pg = TempPostgres.start()) {
            JdbcLeaseLedger l = open(new JdbcConfig(pg.jdbcUrl(), pg.user(), ""));
            assertThat(l.commit(List.of(bind(C1, X, now() + 3600)))).isEmpty();
            pg.stopServer();
            assertThatThrownBy(() -> l.commit(List.of(bind(C2, X.plus(1), now() + 3600)))).isInstanceOf(IOException.class);
            assertThatThrownBy(l::recent).isInstanceOf(IOException.class);
            pg.startServer();
            assertThat(PostgresTestSchema.eventually(20_000, l::load)).extracting(Lease::client).containsExactly(C1);
            assertThat(l.commit(List.of(bind(C2, X, now() + 3600)))).as("still C1's").hasSize(1);
            assertThat(l.commit(List.of(bind(C2, X.plus(1), now() + 3600)))).isEmpty();
        }
    }

    /**
     * A database that hangs (accepts TCP, never answers): a call waits one socket timeout (5 s, not
     * the state store's 15), the calls after it fail at once until the next try to connect; thawed,
     * the ledger works again.
     */
    @Test
    void aDatabaseThatHangsCostsOneBoundedWaitThenFailsFast() throws Exception {
        try (TempPostgres pg = TempPostgres.start()) {
            JdbcLeaseLedger l = open(new JdbcConfig(pg.jdbcUrl(), pg.user(), ""));
            assertThat(l.commit(List.of(bind(C1, X, now() + 3600)))).isEmpty();
            pg.freeze();
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> l.commit(List.of(bind(C2, X.plus(1), now() + 3600)))).isInstanceOf(IOException.class);
            assertThat(System.nanoTime() - t0).as("one socket timeout").isLessThan(TimeUnit.SECONDS.toNanos(
                    LedgerConnection.SOCKET_SECONDS + 3));
            t0 = System.nanoTime();
            assertThatThrownBy(l::recent).isInstanceOf(IOException.class);
            assertThat(System.nanoTime() - t0).as("no second wait right after the first").isLessThan(
                    TimeUnit.SECONDS.toNanos(JdbcConfig.CONNECT_TIMEOUT_SECONDS + 1));
            pg.thaw();
            assertThat(PostgresTestSchema.eventually(30_000, l::load)).extracting(Lease::client).containsExactly(C1);
        }
    }
}
