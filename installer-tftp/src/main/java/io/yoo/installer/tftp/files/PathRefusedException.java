package io.yoo.installer.tftp.files;

/** A requested file name that would escape the root or is not allowed; the message says why. */
public final class PathRefusedException extends Exception {
    private final boolean notFound;

    public PathRefusedException(String message, boolean notFound) {
        super(message);
        this.notFound = notFound;
    }

    /** True when the name was acceptable but no such file exists (TFTP error 1, not 2). */
    public boolean notFound() {
        return notFound;
    }
}
