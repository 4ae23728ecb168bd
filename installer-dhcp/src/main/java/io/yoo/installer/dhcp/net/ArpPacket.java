package io.yoo.installer.dhcp.net;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;

/**
 * An ARP packet for IPv4 over Ethernet (RFC 826): the 28 bytes after the Ethernet header. Used to
 * announce an address that moved to this host (gratuitous ARP, RFC 5227 section 3: sender and
 * target protocol address both the moved address), so that neighbours' caches point at our MAC.
 *
 * @param operation {@link #REQUEST} or {@link #REPLY}
 */
public record ArpPacket(int operation, MacAddress senderMac, Ipv4 senderIp, MacAddress targetMac, Ipv4 targetIp) {
    public static final int LENGTH = 28;
    public static final int REQUEST = 1;
    public static final int REPLY = 2;
    /** EtherType of ARP, for the link-layer header. */
    public static final int ETHERTYPE = 0x0806;
    private static final int HTYPE_ETHERNET = 1;
    private static final int PTYPE_IPV4 = 0x0800;
    private static final MacAddress ZERO = new MacAddress(0);

    public ArpPacket {
        if (operation != REQUEST && operation != REPLY) {
            throw new IllegalArgumentException("ARP operation " + operation + " is neither request (1) nor reply (2)");
        }
    }

    /**
     * The announcement as a request ("who has A? tell A", target hardware address zero): what
     * Linux's {@code arping -U} and keepalived send. Hosts that have A in their cache update it.
     */
    public static ArpPacket announcementRequest(MacAddress mac, Ipv4 address) {
        return new ArpPacket(REQUEST, mac, address, ZERO, address);
    }

    /** The announcement as an unsolicited reply ({@code arping -A}), for stacks that only learn from replies. */
    public static ArpPacket announcementReply(MacAddress mac, Ipv4 address) {
        return new ArpPacket(REPLY, mac, address, mac, address);
    }

    /** Sender and target protocol address are the same: an announcement, not a question. */
    public boolean isGratuitous() {
        return senderIp.equals(targetIp);
    }

    public byte[] encode() {
        byte[] b = new byte[LENGTH];
        b[0] = 0;
        b[1] = HTYPE_ETHERNET;
        b[2] = (byte) (PTYPE_IPV4 >>> 8);
        b[3] = (byte) PTYPE_IPV4;
        b[4] = 6;
        b[5] = 4;
        b[6] = 0;
        b[7] = (byte) operation;
        System.arraycopy(senderMac.toBytes(), 0, b, 8, 6);
        System.arraycopy(senderIp.toBytes(), 0, b, 14, 4);
        System.arraycopy(targetMac.toBytes(), 0, b, 18, 6);
        System.arraycopy(targetIp.toBytes(), 0, b, 24, 4);
        return b;
    }

    /**
     * Reads an Ethernet/IPv4 ARP packet.
     *
     * @throws IllegalArgumentException when it is shorter than 28 bytes, not Ethernet/IPv4, or
     *                                  neither a request nor a reply
     */
    public static ArpPacket decode(byte[] b, int offset, int length) {
        if (length < LENGTH || offset < 0 || offset + LENGTH > b.length) {
            throw new IllegalArgumentException("an ARP packet has " + LENGTH + " bytes, got " + length);
        }
        int htype = u16(b, offset);
        int ptype = u16(b, offset + 2);
        if (htype != HTYPE_ETHERNET || ptype != PTYPE_IPV4 || b[offset + 4] != 6 || b[offset + 5] != 4) {
            throw new IllegalArgumentException("not Ethernet/IPv4 ARP: hardware type " + htype + ", protocol 0x"
                    + Integer.toHexString(ptype) + ", lengths " + b[offset + 4] + "/" + b[offset + 5]);
        }
        return new ArpPacket(u16(b, offset + 6), MacAddress.of(b, offset + 8), Ipv4.of(b, offset + 14), MacAddress.of(b, offset + 18),
                Ipv4.of(b, offset + 24));
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | b[i + 1] & 0xff;
    }
}
