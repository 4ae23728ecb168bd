package io.yoo.installer.ipmi.redfish;

import java.io.IOException;

/** A Redfish request failed; {@link #status()} is the HTTP status or -1 for transport failures. */
public final class RedfishException extends IOException {
    private final int status;

    public RedfishException(String message, int status) {
        super(message);
        this.status = status;
    }

    public RedfishException(String message, Throwable cause) {
        super(message, cause);
        this.status = -1;
    }

    public int status() {
        return status;
    }

    public boolean unauthorized() {
        return status == 401 || status == 403;
    }
}
