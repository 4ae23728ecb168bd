package io.yoo.installer.ipmi.scan;

/** The outcome for one BMC address. */
public enum ScanStatus {
    /** Everything asked for was answered. */
    OK,
    /** Logged in, but some answers are missing (listed in the report's problems). */
    PARTIAL,
    /** The BMC answered and refused the user name or password. */
    AUTH_FAILED,
    /** Nothing answered, or nothing listens on the port. */
    UNREACHABLE,
    /** Something else went wrong (protocol error, unsupported BMC). */
    ERROR
}
