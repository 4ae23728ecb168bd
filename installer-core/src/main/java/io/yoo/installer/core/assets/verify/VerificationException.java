package io.yoo.installer.core.assets.verify;

/** A file failed verification: it must never be served. The message says which file and why. */
public final class VerificationException extends Exception {
    public VerificationException(String message) {
        super(message);
    }

    public VerificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
