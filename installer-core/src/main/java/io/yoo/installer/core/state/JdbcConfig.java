package io.yoo.installer.core.state;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to reach the state database. The default is an embedded H2 file in the state directory;
 * a PostgreSQL URL lets several servers share one state.
 *
 * <p>The H2 URL sets {@code WRITE_DELAY=0}: by default H2 flushes committed changes up to
 * 500 ms later, and a kill -9 in that window would lose events we already acknowledged.
 */
public record JdbcConfig(String url, String user, String password) {

    public JdbcConfig {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:")) {
            throw new IllegalArgumentException("bad database URL '" + url + "': expected jdbc:postgresql://host/db or jdbc:h2:...");
        }
        user = user == null ? "" : user;
        password = password == null ? "" : password;
    }

    /** Embedded H2 database {@code <stateDir>/yoo.mv.db}. */
    public static JdbcConfig h2File(Path stateDir) {
        return new JdbcConfig("jdbc:h2:file:" + stateDir.toAbsolutePath().resolve("yoo") + ";WRITE_DELAY=0", "yoo", "");
    }

    public boolean isPostgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    @Override
    public String toString() {
        return "JdbcConfig[" + url + ", user=" + user + "]"; // never the password
    }
}
