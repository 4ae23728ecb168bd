package io.yoo.installer.ipmi.codec;

/**
 * One IPMI command to the BMC (address 0x20, LUN 0).
 *
 * @param netFn network function (even: request), e.g. 0x06 App, 0x00 Chassis, 0x0A Storage, 0x0C Transport
 */
public record IpmiRequest(int netFn, int command, byte[] data) {
    public IpmiRequest {
        if (netFn < 0 || netFn > 0x3F || command < 0 || command > 0xFF) {
            throw new IllegalArgumentException("netFn 0x" + Integer.toHexString(netFn) + " / cmd 0x" + Integer.toHexString(command) + " out of range");
        }
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public String toString() {
        return String.format("IpmiRequest[netFn=0x%02x, cmd=0x%02x, %d data bytes]", netFn, command, data.length);
    }
}
