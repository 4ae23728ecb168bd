package io.yoo.installer.core.state;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * The one connection of a lease ledger ({@link JdbcLeaseLedger}, {@link JdbcLease6Ledger}): opened
 * again after it broke (PostgreSQL restarted, or its HA pair failed over), at most every
 * {@value #RETRY_MILLIS} ms; reads wait {@value #SOCKET_SECONDS} s at most. Auto-commit is off. Not
 * thread-safe: the ledger calls it under its own lock.
 */
final class LedgerConnection {
    /** How long after a failed connect the next one is tried. */
    static final long RETRY_MILLIS = 2000;
    /** The longest wait for one answer of the database. */
    static final int SOCKET_SECONDS = 5;
    private final JdbcConfig config;
    private final String applicationName;
    private Connection connection; // null: broken, opened again by get()
    private long retryAt = System.nanoTime();

    LedgerConnection(JdbcConfig config, String applicationName) {
        this.config = config;
        this.applicationName = applicationName;
    }

    /** Opens the connection and migrates the schema (the ledger's start: a failure here is the caller's to report). */
    void open() throws SQLException {
        connection = connect();
        connection.setAutoCommit(true);
        SchemaMigrator.migrate(connection, true);
        connection.setAutoCommit(false);
    }

    /**
     * The connection, opened again when the last one broke: at most one try per {@value
     * #RETRY_MILLIS} ms, so while the database is unreachable a DHCP message waits for one connect
     * timeout at most once per period, not each.
     */
    Connection get() throws SQLException {
        if (connection != null) {
            return connection;
        }
        long t = System.nanoTime();
        if (t - retryAt < 0) {
            throw new SQLException("not connected to the state database (next try within " + RETRY_MILLIS + " ms)", "08003");
        }
        Connection c;
        try {
            c = connect();
        } catch (SQLException e) {
            retryAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS); // from the failure: a connect may wait its timeout
            throw e;
        }
        connection = c;
        return c;
    }

    /**
     * A connection whose reads wait {@value #SOCKET_SECONDS} s at most (not the state store's 15):
     * the DHCP server waits for it, once per message that gives a pool address.
     */
    private Connection connect() throws SQLException {
        Connection c = config.connect(JdbcConfig.CONNECT_TIMEOUT_SECONDS, SOCKET_SECONDS, applicationName);
        c.setAutoCommit(false);
        return c;
    }

    /** After a failed call: rolls back, and forgets a connection that broke (the next call opens another). */
    void rollback() {
        if (connection == null) {
            return;
        }
        try {
            connection.rollback();
            if (!connection.isClosed()) {
                return;
            }
        } catch (SQLException ignored) {
            // the connection is gone
        }
        close();
    }

    void close() {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // already
        }
        connection = null;
    }
}
