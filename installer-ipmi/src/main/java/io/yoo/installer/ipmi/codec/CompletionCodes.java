package io.yoo.installer.ipmi.codec;

/** IPMI completion codes (IPMI 2.0 table 5-2), as text for error messages. */
public final class CompletionCodes {
    private CompletionCodes() {}

    public static String describe(int cc) {
        String text = switch (cc) {
            case 0x00 -> "success";
            case 0xC0 -> "node busy";
            case 0xC1 -> "invalid command";
            case 0xC2 -> "command invalid for given LUN";
            case 0xC3 -> "timeout while processing command";
            case 0xC4 -> "out of space";
            case 0xC5 -> "reservation cancelled or invalid";
            case 0xC6 -> "request data truncated";
            case 0xC7 -> "request data length invalid";
            case 0xC8 -> "request data field length limit exceeded";
            case 0xC9 -> "parameter out of range";
            case 0xCA -> "cannot return number of requested data bytes";
            case 0xCB -> "requested sensor, data, or record not present";
            case 0xCC -> "invalid data field in request";
            case 0xCD -> "command illegal for specified sensor or record type";
            case 0xCE -> "command response could not be provided";
            case 0xCF -> "cannot execute duplicated request";
            case 0xD4 -> "insufficient privilege level";
            case 0xD5 -> "command not supported in present state";
            case 0xFF -> "unspecified error";
            default -> cc >= 0x80 && cc <= 0xBE ? "command-specific error" : "unknown";
        };
        return String.format("0x%02x (%s)", cc, text);
    }
}
