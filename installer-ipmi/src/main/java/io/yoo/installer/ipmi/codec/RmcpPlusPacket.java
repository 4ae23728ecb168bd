package io.yoo.installer.ipmi.codec;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * An IPMI 2.0 (RMCP+) session packet (IPMI 2.0 section 13.6):
 * <pre>
 * RMCP header | 0x06 | payload type (bit 7 encrypted, bit 6 authenticated) | session ID (LE32)
 *   | session sequence (LE32) | payload length (LE16) | payload
 *   | [integrity pad 0xFF.. | pad length | next header 0x07 | integrity code]   (if authenticated)
 * </pre>
 * The integrity code covers everything from the 0x06 byte to the next-header byte.
 *
 * @param payload the plaintext payload (decrypted when it arrived encrypted)
 */
public record RmcpPlusPacket(int payloadType, boolean encrypted, boolean authenticated, int sessionId, int sequence,
        byte[] payload) {
    static final byte AUTH_FORMAT_RMCP_PLUS = 0x06;
    private static final int SESSION_HEADER = 12;

    public RmcpPlusPacket {
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** A packet outside a session (open session, RAKP): session ID and sequence 0, no protection. */
    public static RmcpPlusPacket clear(int payloadType, byte[] payload) {
        return new RmcpPlusPacket(payloadType, false, false, 0, 0, payload);
    }

    /**
     * Encodes; with {@code crypto} non-null the packet is integrity-protected and, if
     * {@link #encrypted}, its payload encrypted.
     */
    public byte[] encode(SessionCrypto crypto) {
        if ((authenticated || encrypted) && crypto == null) {
            throw new IllegalArgumentException("an authenticated or encrypted packet needs session keys");
        }
        byte[] body = encrypted ? crypto.encrypt(payload) : payload;
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + body.length);
        byte[] rmcp = new byte[Rmcp.HEADER_LENGTH];
        Rmcp.writeHeader(rmcp);
        out.writeBytes(rmcp);
        out.write(AUTH_FORMAT_RMCP_PLUS);
        out.write((encrypted ? 0x80 : 0) | (authenticated ? 0x40 : 0) | (payloadType & 0x3F));
        Bytes.putI32le(out, sessionId);
        Bytes.putI32le(out, sequence);
        Bytes.putU16le(out, body.length);
        out.writeBytes(body);
        if (authenticated) {
            int pad = (4 - (SESSION_HEADER + body.length + 2) % 4) % 4;
            for (int i = 0; i < pad; i++) {
                out.write(0xFF);
            }
            out.write(pad);
            out.write(0x07);
            byte[] sofar = out.toByteArray();
            out.writeBytes(crypto.integrity(sofar, Rmcp.HEADER_LENGTH, sofar.length - Rmcp.HEADER_LENGTH));
        }
        return out.toByteArray();
    }

    /**
     * Decodes and, when the packet says so, checks integrity and decrypts. Throws for anything
     * malformed or forged; OEM payload types are rejected (this client never asks for them).
     */
    public static RmcpPlusPacket decode(byte[] p, SessionCrypto crypto) throws IpmiCodecException {
        Rmcp.checkHeader(p);
        Bytes.need(p, Rmcp.HEADER_LENGTH, SESSION_HEADER, "RMCP+ session header");
        if (p[4] != AUTH_FORMAT_RMCP_PLUS) {
            throw new IpmiCodecException("not an RMCP+ packet (auth type " + (p[4] & 0xFF) + ")");
        }
        int typeByte = p[5] & 0xFF;
        boolean encrypted = (typeByte & 0x80) != 0;
        boolean authenticated = (typeByte & 0x40) != 0;
        int type = typeByte & 0x3F;
        if (type == PayloadType.OEM) {
            throw new IpmiCodecException("OEM explicit payloads are not supported");
        }
        int sessionId = Bytes.i32le(p, 6);
        int sequence = Bytes.i32le(p, 10);
        int len = Bytes.u16le(p, 14);
        int bodyOff = Rmcp.HEADER_LENGTH + SESSION_HEADER;
        Bytes.need(p, bodyOff, len, "RMCP+ payload");
        if ((authenticated || encrypted) && crypto == null) {
            throw new IpmiCodecException("protected RMCP+ packet outside an established session");
        }
        if (authenticated) {
            int pad = (4 - (SESSION_HEADER + len + 2) % 4) % 4;
            int trailer = bodyOff + len + pad + 2;
            int codeLen = crypto.suite().truncatedLength;
            if (p.length != trailer + codeLen) {
                throw new IpmiCodecException("RMCP+ packet: " + p.length + " bytes, integrity trailer expects " + (trailer + codeLen));
            }
            if ((p[trailer - 2] & 0xFF) != pad || p[trailer - 1] != 0x07) {
                throw new IpmiCodecException("RMCP+ packet: bad integrity pad or next header");
            }
            byte[] code = Arrays.copyOfRange(p, trailer, trailer + codeLen);
            if (!crypto.integrityMatches(p, Rmcp.HEADER_LENGTH, trailer - Rmcp.HEADER_LENGTH, code)) {
                throw new IpmiCodecException("RMCP+ packet: integrity check failed");
            }
        } else if (p.length != bodyOff + len) {
            throw new IpmiCodecException("RMCP+ packet: " + (p.length - bodyOff - len) + " trailing bytes");
        }
        byte[] body = Arrays.copyOfRange(p, bodyOff, bodyOff + len);
        byte[] payload = encrypted ? crypto.decrypt(body) : body;
        return new RmcpPlusPacket(type, encrypted, authenticated, sessionId, sequence, payload);
    }
}
