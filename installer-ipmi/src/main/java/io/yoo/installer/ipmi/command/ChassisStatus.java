package io.yoo.installer.ipmi.command;

import io.yoo.installer.ipmi.codec.IpmiRequest;
import io.yoo.installer.ipmi.codec.IpmiResponse;

/** Get Chassis Status (Chassis 0x01): power state and faults. */
public record ChassisStatus(boolean powerOn, boolean overload, boolean interlock, boolean powerFault,
        boolean controlFault, int restorePolicy) {

    public static IpmiRequest request() {
        return new IpmiRequest(0x00, 0x01, new byte[0]);
    }

    public static ChassisStatus decode(IpmiResponse r) throws IpmiCommandException {
        byte[] d = Responses.data(r, "Get Chassis Status", 3);
        int b = d[0] & 0xFF;
        return new ChassisStatus((b & 1) != 0, (b & 2) != 0, (b & 4) != 0, (b & 8) != 0, (b & 0x10) != 0, (b >>> 5) & 3);
    }
}
