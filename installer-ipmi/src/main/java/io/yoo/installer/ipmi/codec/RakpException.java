package io.yoo.installer.ipmi.codec;

/** The BMC refused the session, or its RAKP answer proved it does not share our password. */
public final class RakpException extends Exception {
    private final boolean credentials;

    public RakpException(String message, boolean credentials) {
        super(message);
        this.credentials = credentials;
    }

    /** True when the cause is the user name or password (not worth retrying with the same ones). */
    public boolean credentials() {
        return credentials;
    }
}
