package io.yoo.installer.api.lifecycle;

/**
 * The one way every server in Yoo Installer is started and stopped (DHCP, TFTP, HTTP, the state
 * store, background probes). The CLI, the tests and embedders all wire servers through this.
 *
 * <p>Contract: {@link #start()} returns once the server is ready to serve (its sockets are bound),
 * or throws; calling it twice is an error. {@link #stop()} is idempotent, releases every socket
 * and thread, and may be called on a server that never started.
 */
public interface Lifecycle extends AutoCloseable {

    /** Short name for logs and errors, e.g. {@code "dhcp"}. */
    String name();

    /** Binds sockets and starts serving; returns when ready. */
    void start() throws Exception;

    /** Stops serving and releases all resources; idempotent. */
    void stop();

    boolean isRunning();

    @Override
    default void close() {
        stop();
    }
}
