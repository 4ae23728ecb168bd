package io.yoo.installer.ipmi.redfish;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import java.util.List;
import java.util.Optional;

/** A BMC (Manager) network interface. */
public record RedfishManagerNic(String id, Optional<MacAddress> mac, List<Ipv4> ipv4) {
    public RedfishManagerNic {
        ipv4 = List.copyOf(ipv4);
    }
}
