package io.yoo.installer.dhcp.codec;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import java.util.Optional;

/**
 * One DHCP/BOOTP message (RFC 2131 section 2), decoded. Build replies with {@link #reply}; turn
 * bytes into packets and back with {@link DhcpCodec}.
 *
 * @param chaddr client hardware address field: 16 bytes, of which {@code hlen} are used
 * @param sname  server host name field (empty when it carried options, see option 52)
 * @param file   boot file name field (empty when it carried options)
 */
public record DhcpPacket(
        int op,
        int htype,
        int hlen,
        int hops,
        int xid,
        int secs,
        int flags,
        Ipv4 ciaddr,
        Ipv4 yiaddr,
        Ipv4 siaddr,
        Ipv4 giaddr,
        byte[] chaddr,
        String sname,
        String file,
        DhcpOptions options) {

    public static final int BOOTREQUEST = 1;
    public static final int BOOTREPLY = 2;
    public static final int FLAG_BROADCAST = 0x8000;
    public static final Ipv4 ZERO = new Ipv4(0);

    public DhcpPacket {
        if (chaddr.length != 16) {
            throw new IllegalArgumentException("chaddr must be 16 bytes");
        }
    }

    /** The Ethernet MAC, when this is an Ethernet client (htype 1, hlen 6). */
    public Optional<MacAddress> mac() {
        return htype == 1 && hlen == 6 ? Optional.of(MacAddress.of(chaddr, 0)) : Optional.empty();
    }

    public Optional<MessageType> messageType() {
        return options.messageType();
    }

    public boolean broadcast() {
        return (flags & FLAG_BROADCAST) != 0;
    }

    public boolean relayed() {
        return giaddr.value() != 0;
    }

    /** A BOOTREPLY to this request: same xid, flags, giaddr and chaddr; fields to fill in. */
    public DhcpPacket reply(Ipv4 yiaddr, Ipv4 siaddr, String file, DhcpOptions options) {
        return new DhcpPacket(BOOTREPLY, htype, hlen, 0, xid, 0, flags, ZERO, yiaddr, siaddr, giaddr, chaddr, "", file,
                options);
    }
}
