package io.yoo.installer.ipmi.scan;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.api.net.SmbiosUuid;
import java.util.List;
import java.util.Optional;

/**
 * What one BMC told the scan. Every field but {@link #address} and {@link #status} may be
 * missing; {@link #problems} says why, one line per failed question.
 *
 * @param address   the address scanned
 * @param protocol  the protocol that answered (the first one asked, if none did)
 * @param bmcIp     the BMC's own idea of its address (LAN parameters / Manager NIC)
 * @param guidHex   the raw System GUID bytes as {@code ipmitool mc guid} prints them
 * @param uuid      the SMBIOS UUID (= DHCP option 97 of this machine's PXE firmware)
 * @param hostMacs  the host's NIC MACs, when the BMC reports them (Redfish, vendor OEM commands)
 */
public record BmcReport(Ipv4 address, ScanStatus status, BmcProtocol protocol, Optional<Ipv4> bmcIp,
        Optional<MacAddress> bmcMac, Optional<String> guidHex, Optional<SmbiosUuid> uuid, Optional<String> serial,
        Optional<String> product, Optional<String> manufacturer, Optional<Boolean> powerOn, List<MacAddress> hostMacs,
        List<String> problems) {

    public BmcReport {
        hostMacs = List.copyOf(hostMacs);
        problems = List.copyOf(problems);
    }

    public boolean reachedBmc() {
        return status == ScanStatus.OK || status == ScanStatus.PARTIAL;
    }

    static BmcReport failed(Ipv4 address, BmcProtocol protocol, ScanStatus status, String problem) {
        return new BmcReport(address, status, protocol, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of(problem));
    }
}
