package io.yoo.installer.ipmi.codec;

/** RMCP+ and RAKP message status codes (IPMI 2.0 table 13-15). */
public final class RakpStatus {
    public static final int OK = 0x00;
    public static final int UNAUTHORIZED_NAME = 0x0D;
    public static final int INVALID_INTEGRITY_CHECK = 0x0F;

    private RakpStatus() {}

    public static String describe(int status) {
        String text = switch (status) {
            case 0x00 -> "no errors";
            case 0x01 -> "insufficient resources to create a session";
            case 0x02 -> "invalid session ID";
            case 0x03 -> "invalid payload type";
            case 0x04 -> "invalid authentication algorithm";
            case 0x05 -> "invalid integrity algorithm";
            case 0x06 -> "no matching authentication payload";
            case 0x07 -> "no matching integrity payload";
            case 0x08 -> "inactive session ID";
            case 0x09 -> "invalid role";
            case 0x0A -> "unauthorized role or privilege level requested";
            case 0x0B -> "insufficient resources to create a session at the requested role";
            case 0x0C -> "invalid name length";
            case 0x0D -> "unauthorized name";
            case 0x0E -> "unauthorized GUID";
            case 0x0F -> "invalid integrity check value";
            case 0x10 -> "invalid confidentiality algorithm";
            case 0x11 -> "no cipher suite match with proposed security algorithms";
            case 0x12 -> "illegal or unrecognized parameter";
            default -> "unknown status";
        };
        return String.format("0x%02x (%s)", status, text);
    }

    /** Statuses that mean "wrong user name or password", not "broken BMC". */
    public static boolean isCredentialProblem(int status) {
        return status == UNAUTHORIZED_NAME || status == INVALID_INTEGRITY_CHECK || status == 0x0A || status == 0x09;
    }
}
