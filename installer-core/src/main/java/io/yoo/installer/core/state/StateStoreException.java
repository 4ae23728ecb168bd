package io.yoo.installer.core.state;

/** The state database failed (unreachable, full, timed out); the event was not stored. */
public final class StateStoreException extends RuntimeException {
    public StateStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
