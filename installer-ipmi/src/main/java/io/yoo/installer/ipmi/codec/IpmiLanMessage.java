package io.yoo.installer.ipmi.codec;

/**
 * The IPMI message inside a LAN session packet (IPMI 2.0 section 13.8): responder address and
 * netFn/LUN, a checksum, requester address and sequence/LUN, command, data, a second checksum.
 * The remote console is software ID 0x81; the BMC is 0x20.
 */
public final class IpmiLanMessage {
    public static final int BMC_ADDRESS = 0x20;
    public static final int CONSOLE_ADDRESS = 0x81;

    private IpmiLanMessage() {}

    /** Encodes a request with the 6-bit requester sequence number {@code rqSeq}. */
    public static byte[] encodeRequest(IpmiRequest request, int rqSeq) {
        byte[] data = request.data();
        byte[] m = new byte[7 + data.length];
        m[0] = (byte) BMC_ADDRESS;
        m[1] = (byte) (request.netFn() << 2);
        m[2] = checksum(m, 0, 2);
        m[3] = (byte) CONSOLE_ADDRESS;
        m[4] = (byte) ((rqSeq & 0x3F) << 2);
        m[5] = (byte) request.command();
        System.arraycopy(data, 0, m, 6, data.length);
        m[m.length - 1] = checksum(m, 3, m.length - 4);
        return m;
    }

    /** Decodes a BMC response; checks both checksums and that it is a response (odd netFn). */
    public static IpmiResponse decodeResponse(byte[] m) throws IpmiCodecException {
        if (m.length < 8) {
            throw new IpmiCodecException("IPMI response: " + m.length + " bytes, need at least 8");
        }
        if (checksum(m, 0, 2) != m[2]) {
            throw new IpmiCodecException("IPMI response: header checksum mismatch");
        }
        if (checksum(m, 3, m.length - 4) != m[m.length - 1]) {
            throw new IpmiCodecException("IPMI response: data checksum mismatch");
        }
        int netFn = (m[1] & 0xFF) >>> 2;
        if ((netFn & 1) == 0) {
            throw new IpmiCodecException(String.format("IPMI response: netFn 0x%02x is a request", netFn));
        }
        byte[] data = new byte[m.length - 8];
        System.arraycopy(m, 7, data, 0, data.length);
        return new IpmiResponse(netFn & ~1, m[5] & 0xFF, (m[4] & 0xFF) >>> 2, m[6] & 0xFF, data);
    }

    /** Two's complement checksum: the bytes plus the checksum sum to zero. */
    static byte checksum(byte[] b, int off, int len) {
        int sum = 0;
        for (int i = off; i < off + len; i++) {
            sum += b[i];
        }
        return (byte) -sum;
    }

    /** Encodes a response (used by tests and simulators; the client never sends one). */
    public static byte[] encodeResponse(IpmiResponse response) {
        byte[] data = response.data();
        byte[] m = new byte[8 + data.length];
        m[0] = (byte) CONSOLE_ADDRESS;
        m[1] = (byte) ((response.netFn() | 1) << 2);
        m[2] = checksum(m, 0, 2);
        m[3] = (byte) BMC_ADDRESS;
        m[4] = (byte) ((response.sequence() & 0x3F) << 2);
        m[5] = (byte) response.command();
        m[6] = (byte) response.completionCode();
        System.arraycopy(data, 0, m, 7, data.length);
        m[m.length - 1] = checksum(m, 3, m.length - 4);
        return m;
    }
}
