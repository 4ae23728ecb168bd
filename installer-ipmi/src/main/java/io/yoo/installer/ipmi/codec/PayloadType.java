package io.yoo.installer.ipmi.codec;

/** RMCP+ payload types used by this client (IPMI 2.0 table 13-16). */
public final class PayloadType {
    public static final int IPMI = 0x00;
    public static final int OEM = 0x02;
    public static final int OPEN_SESSION_REQUEST = 0x10;
    public static final int OPEN_SESSION_RESPONSE = 0x11;
    public static final int RAKP_1 = 0x12;
    public static final int RAKP_2 = 0x13;
    public static final int RAKP_3 = 0x14;
    public static final int RAKP_4 = 0x15;

    private PayloadType() {}
}
