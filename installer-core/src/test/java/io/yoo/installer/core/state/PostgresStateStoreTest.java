package io.yoo.installer.core.state;

import io.yoo.installer.testsupport.Peers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The store suite against a real PostgreSQL (local: yoo_test on 127.0.0.1, user/password yoo;
 * CI: YOO_TEST_PG_URL/USER/PASSWORD). Each test gets its own schema, dropped afterwards.
 */
class PostgresStateStoreTest extends StateStoreContract {
    private static final String URL = env("YOO_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/yoo_test");
    private static final String USER = env("YOO_TEST_PG_USER", "yoo");
    private static final String PASSWORD = env("YOO_TEST_PG_PASSWORD", "yoo");
    private String schema;

    private static String env(String k, String d) {
        String v = System.getenv(k);
        return v == null || v.isBlank() ? d : v;
    }

    @BeforeEach
    void createSchema() {
        String name = "yoo_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(URL + (URL.contains("?") ? "&" : "?") + "connectTimeout=5", USER, PASSWORD);
                Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + name);
            schema = name; // only a schema that exists is dropped: a skipped test leaves nothing to connect for
        } catch (SQLException e) {
            Peers.require(false, "PostgreSQL at " + URL + " (user " + USER + ") not reachable: " + e.getMessage());
        }
    }

    @AfterEach
    void dropSchema() throws SQLException {
        if (schema == null) {
            return;
        }
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Override
    protected JdbcConfig config() {
        return new JdbcConfig(URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema, USER, PASSWORD);
    }
}
