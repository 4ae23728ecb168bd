package io.yoo.installer.ipmi.redfish;

import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.api.net.SmbiosUuid;
import java.util.List;
import java.util.Optional;

/**
 * A ComputerSystem as the scan needs it.
 *
 * @param path      the resource path, e.g. {@code /redfish/v1/Systems/1}
 * @param hostMacs  the host's own NICs (permanent MAC when given): physical interfaces only, not
 *                  VLANs and not the host-to-BMC interface
 */
public record RedfishSystem(String path, String id, Optional<SmbiosUuid> uuid, String manufacturer, String model,
        String serial, String powerState, List<MacAddress> hostMacs) {
    public RedfishSystem {
        hostMacs = List.copyOf(hostMacs);
    }
}
