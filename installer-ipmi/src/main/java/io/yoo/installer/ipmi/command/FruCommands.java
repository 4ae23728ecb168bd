package io.yoo.installer.ipmi.command;

import io.yoo.installer.ipmi.codec.IpmiRequest;
import io.yoo.installer.ipmi.codec.IpmiResponse;

/** Get FRU Inventory Area Info (Storage 0x10) and Read FRU Data (Storage 0x11). */
public final class FruCommands {
    /** Completion codes meaning "ask for fewer bytes at once". */
    public static final int CC_CANNOT_RETURN_BYTES = 0xCA;
    public static final int CC_OUT_OF_RANGE = 0xC9;
    public static final int CC_LENGTH_INVALID = 0xC7;
    public static final int CC_TRUNCATED = 0xC8;

    private FruCommands() {}

    public static IpmiRequest areaInfoRequest(int device) {
        return new IpmiRequest(0x0A, 0x10, new byte[] {(byte) device});
    }

    /** The FRU area size in bytes. */
    public static int decodeAreaSize(IpmiResponse r) throws IpmiCommandException {
        byte[] d = Responses.data(r, "Get FRU Inventory Area Info", 3);
        return (d[0] & 0xFF) | ((d[1] & 0xFF) << 8);
    }

    public static IpmiRequest readRequest(int device, int offset, int count) {
        return new IpmiRequest(0x0A, 0x11, new byte[] {(byte) device, (byte) offset, (byte) (offset >>> 8), (byte) count});
    }

    /** The bytes read (may be fewer than asked). */
    public static byte[] decodeRead(IpmiResponse r) throws IpmiCommandException {
        byte[] d = Responses.data(r, "Read FRU Data", 1);
        int n = d[0] & 0xFF;
        if (n > d.length - 1) {
            throw new IpmiCommandException("Read FRU Data: says " + n + " bytes, carries " + (d.length - 1));
        }
        byte[] out = new byte[n];
        System.arraycopy(d, 1, out, 0, n);
        return out;
    }
}
