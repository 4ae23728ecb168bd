package io.yoo.installer.ipmi.oem;

import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.ipmi.command.IpmiCommandException;
import io.yoo.installer.ipmi.session.IpmiSession;
import java.io.IOException;
import java.util.List;

/**
 * A vendor's OEM command for the host's own NIC MACs, which standard IPMI does not report.
 * Chosen by the IANA manufacturer ID from Get Device ID.
 */
public interface OemMacReader {
    /** True if this reader knows BMCs of the given IANA enterprise number. */
    boolean supports(int manufacturerId);

    String vendor();

    /** The host NIC MACs; an empty list if the BMC has none to report. */
    List<MacAddress> hostMacs(IpmiSession session) throws IOException, IpmiCommandException;

    /** The readers built in: Supermicro. */
    static List<OemMacReader> builtIn() {
        return List.of(new SupermicroMacReader());
    }
}
