package io.yoo.installer.dhcp.v6.codec;

/** RFC 8415 section 7.3 message types (the ones a server meets). */
public final class Dhcp6MessageType {
    private Dhcp6MessageType() {}

    public static final int SOLICIT = 1;
    public static final int ADVERTISE = 2;
    public static final int REQUEST = 3;
    public static final int CONFIRM = 4;
    public static final int RENEW = 5;
    public static final int REBIND = 6;
    public static final int REPLY = 7;
    public static final int RELEASE = 8;
    public static final int DECLINE = 9;
    public static final int RECONFIGURE = 10;
    public static final int INFORMATION_REQUEST = 11;
    public static final int RELAY_FORW = 12;
    public static final int RELAY_REPL = 13;

    private static final String[] NAMES = {"0", "SOLICIT", "ADVERTISE", "REQUEST", "CONFIRM", "RENEW", "REBIND", "REPLY",
        "RELEASE", "DECLINE", "RECONFIGURE", "INFORMATION-REQUEST", "RELAY-FORW", "RELAY-REPL"};

    public static String name(int type) {
        return type >= 0 && type < NAMES.length ? NAMES[type] : Integer.toString(type);
    }

    public static boolean isRelay(int type) {
        return type == RELAY_FORW || type == RELAY_REPL;
    }
}
