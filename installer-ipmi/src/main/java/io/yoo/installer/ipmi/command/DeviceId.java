package io.yoo.installer.ipmi.command;

import io.yoo.installer.ipmi.codec.IpmiRequest;
import io.yoo.installer.ipmi.codec.IpmiResponse;

/**
 * Get Device ID (App 0x01).
 *
 * @param manufacturerId IANA enterprise number of the BMC's maker (e.g. 10876 Supermicro, 674 Dell)
 * @param firmware       "major.minor" as ipmitool prints it
 * @param ipmiVersion    "2.0" etc.
 */
public record DeviceId(int deviceId, int deviceRevision, String firmware, String ipmiVersion, int manufacturerId,
        int productId) {

    public static IpmiRequest request() {
        return new IpmiRequest(0x06, 0x01, new byte[0]);
    }

    public static DeviceId decode(IpmiResponse r) throws IpmiCommandException {
        byte[] d = Responses.data(r, "Get Device ID", 11);
        String fw = (d[2] & 0x7F) + "." + String.format("%02x", d[3] & 0xFF);
        String ver = (d[4] & 0x0F) + "." + ((d[4] & 0xF0) >>> 4);
        int mfr = (d[6] & 0xFF) | ((d[7] & 0xFF) << 8) | ((d[8] & 0x0F) << 16);
        int product = (d[9] & 0xFF) | ((d[10] & 0xFF) << 8);
        return new DeviceId(d[0] & 0xFF, d[1] & 0x0F, fw, ver, mfr, product);
    }
}
