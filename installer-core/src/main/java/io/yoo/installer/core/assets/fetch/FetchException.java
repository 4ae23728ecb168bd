package io.yoo.installer.core.assets.fetch;

import java.io.IOException;

/** A download failed for good (HTTP error status, retries used up). The message names the URL. */
public final class FetchException extends IOException {
    private final int status;

    public FetchException(String message, int status) {
        super(message);
        this.status = status;
    }

    public FetchException(String message, Throwable cause) {
        super(message, cause);
        this.status = -1;
    }

    /** HTTP status, or -1 for a network failure. */
    public int status() {
        return status;
    }
}
