package io.yoo.installer.tftp.codec;

/** TFTP error codes (RFC 1350 section 5, RFC 2347 for 8). */
public final class ErrorCode {
    private ErrorCode() {}

    public static final int NOT_DEFINED = 0;
    public static final int FILE_NOT_FOUND = 1;
    public static final int ACCESS_VIOLATION = 2;
    public static final int DISK_FULL = 3;
    public static final int ILLEGAL_OPERATION = 4;
    public static final int UNKNOWN_TID = 5;
    public static final int FILE_EXISTS = 6;
    public static final int NO_SUCH_USER = 7;
    /** RFC 2347: the client (e.g. OVMF after reading tsize) terminates after an OACK. */
    public static final int OPTION_REFUSED = 8;
}
