package io.yoo.installer.ipmi.command;

import io.yoo.installer.ipmi.codec.IpmiRequest;
import io.yoo.installer.ipmi.codec.IpmiResponse;

/** Chassis Control (Chassis 0x02). */
public enum ChassisControl {
    POWER_OFF(0x00),
    POWER_ON(0x01),
    POWER_CYCLE(0x02),
    HARD_RESET(0x03),
    SOFT_SHUTDOWN(0x05);

    private final int code;

    ChassisControl(int code) {
        this.code = code;
    }

    public IpmiRequest request() {
        return new IpmiRequest(0x00, 0x02, new byte[] {(byte) code});
    }

    public static void check(IpmiResponse r) throws IpmiCommandException {
        Responses.data(r, "Chassis Control", 0);
    }
}
