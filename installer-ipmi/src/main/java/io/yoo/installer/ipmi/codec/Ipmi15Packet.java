package io.yoo.installer.ipmi.codec;

import java.io.ByteArrayOutputStream;

/**
 * IPMI 1.5 session packets with authentication type NONE, as used outside a session: the
 * "Get Channel Authentication Capabilities" probe every client sends first (it also tells
 * whether the BMC speaks IPMI 2.0). Authenticated 1.5 sessions (MD5, straight password) are not
 * implemented: RMCP+ replaces them and they send the password nearly in clear.
 */
public final class Ipmi15Packet {
    static final int AUTH_NONE = 0x00;

    private Ipmi15Packet() {}

    public static byte[] encode(byte[] lanMessage, int sessionSeq, int sessionId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(14 + lanMessage.length);
        byte[] rmcp = new byte[Rmcp.HEADER_LENGTH];
        Rmcp.writeHeader(rmcp);
        out.writeBytes(rmcp);
        out.write(AUTH_NONE);
        Bytes.putI32le(out, sessionSeq);
        Bytes.putI32le(out, sessionId);
        out.write(lanMessage.length);
        out.writeBytes(lanMessage);
        return out.toByteArray();
    }

    /** Returns the IPMI message inside; rejects authenticated 1.5 packets (not used here). */
    public static byte[] decode(byte[] packet) throws IpmiCodecException {
        Rmcp.checkHeader(packet);
        int authType = packet[4] & 0xFF;
        if (authType != AUTH_NONE) {
            throw new IpmiCodecException("IPMI 1.5 packet with auth type " + authType + " (only NONE is used outside sessions)");
        }
        Bytes.need(packet, 4, 10, "IPMI 1.5 session header");
        int len = packet[13] & 0xFF;
        Bytes.need(packet, 14, len, "IPMI 1.5 message");
        byte[] m = new byte[len];
        System.arraycopy(packet, 14, m, 0, len);
        return m;
    }

    /** True when the datagram is RMCP+ (IPMI 2.0 format) rather than 1.5. */
    public static boolean isRmcpPlus(byte[] packet) {
        return packet.length > 4 && packet[4] == RmcpPlusPacket.AUTH_FORMAT_RMCP_PLUS;
    }
}
