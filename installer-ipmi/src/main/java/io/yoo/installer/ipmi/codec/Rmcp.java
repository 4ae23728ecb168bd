package io.yoo.installer.ipmi.codec;

/**
 * The 4-byte RMCP header (DMTF ASF) every IPMI-over-LAN datagram starts with: version 6,
 * reserved, sequence 0xFF (no RMCP ack wanted), class 7 (IPMI).
 */
public final class Rmcp {
    public static final int PORT = 623;
    public static final int HEADER_LENGTH = 4;
    static final byte VERSION = 0x06;
    static final byte NO_ACK_SEQUENCE = (byte) 0xFF;
    static final byte CLASS_IPMI = 0x07;

    private Rmcp() {}

    static void writeHeader(byte[] out) {
        out[0] = VERSION;
        out[1] = 0;
        out[2] = NO_ACK_SEQUENCE;
        out[3] = CLASS_IPMI;
    }

    static void checkHeader(byte[] packet) throws IpmiCodecException {
        Bytes.need(packet, 0, HEADER_LENGTH + 1, "RMCP header");
        if (packet[0] != VERSION) {
            throw new IpmiCodecException("RMCP version " + (packet[0] & 0xFF) + " is not 6");
        }
        if ((packet[3] & 0x1F) != CLASS_IPMI) {
            throw new IpmiCodecException("RMCP class " + (packet[3] & 0x1F) + " is not IPMI (7)");
        }
    }
}
