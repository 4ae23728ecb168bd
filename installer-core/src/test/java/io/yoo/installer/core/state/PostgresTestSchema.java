package io.yoo.installer.core.state;

import io.yoo.installer.testsupport.Peers;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The PostgreSQL of the state tests (local: yoo_test on 127.0.0.1, user/password yoo; CI:
 * YOO_TEST_PG_URL/USER/PASSWORD): each test in a schema of its own ({@link #postgres}), dropped
 * afterwards ({@link #drop}); and {@link #eventually}, for a ledger waiting for its database.
 */
final class PostgresTestSchema {
    private static final String URL = env("YOO_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/yoo_test");
    static final String USER = env("YOO_TEST_PG_USER", "yoo");
    static final String PASSWORD = env("YOO_TEST_PG_PASSWORD", "yoo");
    private String schema;

    private static String env(String k, String d) {
        String v = System.getenv(k);
        return v == null || v.isBlank() ? d : v;
    }

    /** A new schema of its own (skips the test, or fails it under yoo.requirePeers, without PostgreSQL). */
    JdbcConfig postgres() {
        String name = "yoo_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(URL + (URL.contains("?") ? "&" : "?") + "connectTimeout=5", USER, PASSWORD);
                Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + name);
            schema = name;
        } catch (SQLException e) {
            Peers.require(false, "PostgreSQL at " + URL + " (user " + USER + ") not reachable: " + e.getMessage());
        }
        return new JdbcConfig(URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema, USER, PASSWORD);
    }

    /** Drops the schema {@link #postgres} made, if it made one. */
    void drop() throws SQLException {
        if (schema == null) {
            return;
        }
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    interface Call<T> {
        T call() throws IOException;
    }

    /** {@code call}'s answer once it stops failing (every 200 ms), or its last failure after {@code millis}. */
    static <T> T eventually(long millis, Call<T> call) throws IOException, InterruptedException {
        long until = System.currentTimeMillis() + millis;
        while (true) {
            try {
                return call.call();
            } catch (IOException e) {
                if (System.currentTimeMillis() > until) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }
}
