package io.yoo.installer.ipmi.oem;

import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.ipmi.codec.IpmiRequest;
import io.yoo.installer.ipmi.codec.IpmiResponse;
import io.yoo.installer.ipmi.command.IpmiCommandException;
import io.yoo.installer.ipmi.session.IpmiSession;
import java.io.IOException;
import java.util.List;

/**
 * Supermicro X9-X12 boards: OEM command NetFn 0x30, cmd 0x21 answers the onboard LAN1 MAC in
 * its last six data bytes ({@code ipmitool raw 0x30 0x21} prints e.g. {@code 00 00 00 0c c4 7a
 * 12 34 56}). This layout is from Supermicro's field notes and operators' reports; it has NOT
 * been tested against real Supermicro hardware here (no such BMC available), only against
 * encoded answers in unit tests.
 */
public final class SupermicroMacReader implements OemMacReader {
    /** IANA enterprise numbers used by Supermicro BMCs. */
    static final int SUPERMICRO = 10876;
    static final int SUPERMICRO_ALT = 47488;

    @Override
    public boolean supports(int manufacturerId) {
        return manufacturerId == SUPERMICRO || manufacturerId == SUPERMICRO_ALT;
    }

    @Override
    public String vendor() {
        return "Supermicro";
    }

    public static IpmiRequest request() {
        return new IpmiRequest(0x30, 0x21, new byte[0]);
    }

    public static List<MacAddress> decode(IpmiResponse r) throws IpmiCommandException {
        if (!r.ok()) {
            throw new IpmiCommandException("Supermicro OEM LAN1 MAC (0x30 0x21)", r.completionCode());
        }
        byte[] d = r.data();
        if (d.length < 6) {
            throw new IpmiCommandException("Supermicro OEM LAN1 MAC: " + d.length + " data bytes, need 6");
        }
        MacAddress mac = MacAddress.of(d, d.length - 6);
        return mac.value() == 0 ? List.of() : List.of(mac);
    }

    @Override
    public List<MacAddress> hostMacs(IpmiSession session) throws IOException, IpmiCommandException {
        return decode(session.execute(request()));
    }
}
