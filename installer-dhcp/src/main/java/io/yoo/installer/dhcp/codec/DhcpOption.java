package io.yoo.installer.dhcp.codec;

/** Option codes used by Yoo (RFC 2132, 3046, 3527, 4578, 3004; iPXE's 175). */
public final class DhcpOption {
    private DhcpOption() {}

    public static final int PAD = 0;
    public static final int SUBNET_MASK = 1;
    public static final int ROUTER = 3;
    public static final int DNS = 6;
    public static final int HOSTNAME = 12;
    public static final int DOMAIN_NAME = 15;
    public static final int BROADCAST = 28;
    public static final int VENDOR_SPECIFIC = 43;
    public static final int REQUESTED_IP = 50;
    public static final int LEASE_TIME = 51;
    public static final int OVERLOAD = 52;
    public static final int MESSAGE_TYPE = 53;
    public static final int SERVER_ID = 54;
    public static final int PARAMETER_LIST = 55;
    public static final int MESSAGE = 56;
    public static final int MAX_MESSAGE_SIZE = 57;
    public static final int RENEWAL_TIME = 58;
    public static final int REBINDING_TIME = 59;
    public static final int VENDOR_CLASS = 60;
    public static final int CLIENT_ID = 61;
    public static final int TFTP_SERVER = 66;
    public static final int BOOTFILE = 67;
    public static final int USER_CLASS = 77;
    public static final int RELAY_AGENT_INFO = 82;
    public static final int CLIENT_ARCH = 93;
    public static final int CLIENT_NDI = 94;
    public static final int CLIENT_UUID = 97;
    public static final int SUBNET_SELECTION = 118;
    public static final int IPXE_ENCAP = 175;
    public static final int END = 255;

    /** Sub-options of 82 (RFC 3046, 3527). */
    public static final int AGENT_CIRCUIT_ID = 1;
    public static final int AGENT_REMOTE_ID = 2;
    public static final int AGENT_LINK_SELECTION = 5;

    /** Sub-options of 43 for PXE clients (PXE 2.1 spec). */
    public static final int PXE_DISCOVERY_CONTROL = 6;
    public static final int PXE_BOOT_SERVERS = 8;
    public static final int PXE_BOOT_MENU = 9;
    public static final int PXE_MENU_PROMPT = 10;
    public static final int PXE_BOOT_ITEM = 71;

    /** Sub-option of 175: 1 = do not wait for ProxyDHCP offers. */
    public static final int IPXE_NO_PXEDHCP = 176;
}
