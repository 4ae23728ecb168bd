package io.yoo.installer.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.testsupport.TempPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two servers' heartbeats on a real PostgreSQL: each row carries the server's DHCPv6 DUID
 * (migration V9), and a server reads the others' DUIDs back, not its own: what its rogue-DHCPv6
 * watch needs to tell the cluster's other servers from foreign ones.
 */
class ServerHeartbeatsDhcp6Test {
    private static final String DUID_A = "0003000102000000a001";
    private static final String DUID_B = "0003000102000000b001";

    @Test
    void eachServerLearnsTheOtherServersDhcp6DuidsButNotItsOwn() throws Exception {
        try (TempPostgres pg = TempPostgres.start()) {
            JdbcConfig db = new JdbcConfig(pg.jdbcUrl(), pg.user(), "");
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "")) {
                SchemaMigrator.migrate(c, true);
            }
            ServerHeartbeats a = new ServerHeartbeats(db, "a", List.of(Ipv4.parse("10.70.0.1")), "test").withDhcp6Duid(DUID_A);
            ServerHeartbeats b = new ServerHeartbeats(db, "b", List.of(Ipv4.parse("10.70.0.2")), "test").withDhcp6Duid(DUID_B);
            ServerHeartbeats v4only = new ServerHeartbeats(db, "c", List.of(Ipv4.parse("10.70.0.3")), "test");
            try {
                a.start();
                b.start(); // its first heartbeat reads a's row
                v4only.start();
                assertThat(b.peerDhcp6Duids()).containsExactly(DUID_A);
                assertThat(v4only.peerDhcp6Duids()).containsExactlyInAnyOrder(DUID_A, DUID_B);
                assertThat(pg.sql("SELECT id || '=' || coalesce(dhcp6_duid, '-') FROM yoo_server ORDER BY id"))
                        .contains("a/10.70.0.1=" + DUID_A, "b/10.70.0.2=" + DUID_B, "c/10.70.0.3=-");
            } finally {
                v4only.stop();
                b.stop();
                a.stop();
            }
        }
    }
}
