package io.yoo.installer.ipmi.command;

import io.yoo.installer.ipmi.codec.IpmiRequest;
import io.yoo.installer.ipmi.codec.IpmiResponse;

/**
 * Get Channel Authentication Capabilities (App 0x38), sent before any session. Asking with bit 7
 * of the channel byte set requests the IPMI 2.0 extended answer.
 *
 * @param channel         the LAN channel number the BMC answered on (used for LAN parameters)
 * @param ipmi20          the BMC supports RMCP+ sessions
 * @param anonymousLogin  null user with null password is enabled
 */
public record ChannelAuthCapabilities(int channel, boolean ipmi20, boolean anonymousLogin, boolean nullUsers, int oemId) {

    public static IpmiRequest request(int privilege) {
        return new IpmiRequest(0x06, 0x38, new byte[] {(byte) 0x8E, (byte) privilege});
    }

    public static ChannelAuthCapabilities decode(IpmiResponse r) throws IpmiCommandException {
        byte[] d = Responses.data(r, "Get Channel Authentication Capabilities", 8);
        boolean extended = (d[1] & 0x80) != 0;
        boolean v20 = extended && (d[3] & 0x02) != 0;
        int oem = (d[4] & 0xFF) | ((d[5] & 0xFF) << 8) | ((d[6] & 0xFF) << 16);
        return new ChannelAuthCapabilities(d[0] & 0x0F, v20, (d[2] & 0x01) != 0, (d[2] & 0x02) != 0, oem);
    }
}
