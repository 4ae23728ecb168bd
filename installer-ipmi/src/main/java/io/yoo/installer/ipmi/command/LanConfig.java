package io.yoo.installer.ipmi.command;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.ipmi.codec.IpmiRequest;
import io.yoo.installer.ipmi.codec.IpmiResponse;

/** Get LAN Configuration Parameters (Transport 0x02): the BMC's own address and MAC. */
public final class LanConfig {
    public static final int PARAM_IP = 3;
    public static final int PARAM_MAC = 5;
    public static final int PARAM_NETMASK = 6;
    public static final int PARAM_GATEWAY = 12;

    private LanConfig() {}

    public static IpmiRequest request(int channel, int parameter) {
        return new IpmiRequest(0x0C, 0x02, new byte[] {(byte) (channel & 0x0F), (byte) parameter, 0, 0});
    }

    /** Parameter data after the revision byte. */
    public static byte[] decode(IpmiResponse r, int parameter, int length) throws IpmiCommandException {
        byte[] d = Responses.data(r, "Get LAN Configuration Parameter " + parameter, 1 + length);
        byte[] v = new byte[length];
        System.arraycopy(d, 1, v, 0, length);
        return v;
    }

    public static Ipv4 decodeIpv4(IpmiResponse r, int parameter) throws IpmiCommandException {
        return Ipv4.of(decode(r, parameter, 4), 0);
    }

    public static MacAddress decodeMac(IpmiResponse r) throws IpmiCommandException {
        return MacAddress.of(decode(r, PARAM_MAC, 6), 0);
    }
}
