package io.yoo.installer.ipmi.session;

import java.io.IOException;

/** Nothing answered (timeout after all retries) or the host said nothing listens on the port. */
public final class IpmiUnreachableException extends IOException {
    public IpmiUnreachableException(String message) {
        super(message);
    }
}
