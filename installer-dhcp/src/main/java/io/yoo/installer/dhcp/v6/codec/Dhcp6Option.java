package io.yoo.installer.dhcp.v6.codec;

/** DHCPv6 option codes (RFC 8415 section 21, RFC 3646, RFC 5970, RFC 6939). */
public final class Dhcp6Option {
    private Dhcp6Option() {}

    public static final int CLIENTID = 1;
    public static final int SERVERID = 2;
    public static final int IA_NA = 3;
    public static final int IA_TA = 4;
    public static final int IAADDR = 5;
    public static final int ORO = 6;
    public static final int PREFERENCE = 7;
    public static final int ELAPSED_TIME = 8;
    public static final int RELAY_MSG = 9;
    public static final int UNICAST = 12;
    public static final int STATUS_CODE = 13;
    public static final int RAPID_COMMIT = 14;
    public static final int USER_CLASS = 15;
    public static final int VENDOR_CLASS = 16;
    public static final int VENDOR_OPTS = 17;
    public static final int INTERFACE_ID = 18;
    public static final int DNS_SERVERS = 23;
    public static final int DOMAIN_LIST = 24;
    public static final int IA_PD = 25;
    public static final int BOOTFILE_URL = 59;
    public static final int BOOTFILE_PARAM = 60;
    public static final int CLIENT_ARCH_TYPE = 61;
    public static final int CLIENT_LINKLAYER_ADDR = 79;

    /** Status codes (RFC 8415 section 21.13). */
    public static final int STATUS_SUCCESS = 0;
    public static final int STATUS_UNSPEC_FAIL = 1;
    public static final int STATUS_NO_ADDRS_AVAIL = 2;
    public static final int STATUS_NO_BINDING = 3;
    public static final int STATUS_NOT_ON_LINK = 4;
    public static final int STATUS_USE_MULTICAST = 5;
}
