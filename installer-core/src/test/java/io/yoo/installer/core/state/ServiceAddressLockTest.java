package io.yoo.installer.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.testsupport.TempPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service address's lock against a real PostgreSQL: one holder at a time, the holder keeps
 * confirming it, PostgreSQL names the holder, and when the holder's session ends the other takes it.
 */
class ServiceAddressLockTest {
    static TempPostgres pg;
    static JdbcConfig db;

    @BeforeAll
    static void start() throws Exception {
        pg = TempPostgres.start();
        db = new JdbcConfig(pg.jdbcUrl(), pg.user(), "");
    }

    @AfterAll
    static void stop() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void one_server_holds_it_and_the_other_takes_it_when_the_holders_session_ends() throws Exception {
        Ipv4 vip = Ipv4.parse("192.168.77.5"); // negative as an int: the keys must still match pg_locks' unsigned oids
        try (ServiceAddressLock a = new ServiceAddressLock(db, vip, "host-a/192.168.77.1");
                ServiceAddressLock b = new ServiceAddressLock(db, vip, "host-b/192.168.77.2");
                ServiceAddressLock other = new ServiceAddressLock(db, Ipv4.parse("192.168.77.6"), "host-b/192.168.77.2");
                Connection look = DriverManager.getConnection(db.url(), db.user(), db.password())) {
            assertThat(ServiceAddressLock.holder(look, vip)).isEmpty();
            assertThat(a.hold()).isTrue();
            assertThat(b.hold()).as("one holder at a time").isFalse();
            assertThat(a.hold()).as("the holder confirms it").isTrue();
            assertThat(other.hold()).as("another address is another lock").isTrue();
            assertThat(ServiceAddressLock.holder(look, vip)).contains("yoo host-a/192.168.77.1");

            a.close(); // as when its process dies: the session ends
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            boolean taken = false;
            while (!taken && System.nanoTime() < end) {
                taken = b.hold();
                Thread.sleep(taken ? 0 : 100); // polling, bounded by end
            }
            assertThat(taken).as("b takes it once a's session is gone").isTrue();
            assertThat(ServiceAddressLock.holder(look, vip)).contains("yoo host-b/192.168.77.2");
            assertThat(a.hold()).as("a, back, does not take it from b").isFalse();
        }
    }

    @Test
    void a_long_server_id_is_cut_to_what_postgresql_keeps() {
        String id = "a-very-long-host-name-of-a-provisioning-server.example.com/10.12.0.2";
        assertThat(ServiceAddressLock.applicationName(id)).hasSize(63).startsWith("yoo a-very-long");
        assertThat(ServiceAddressLock.applicationName("h/10.0.0.1")).isEqualTo("yoo h/10.0.0.1");
    }
}
