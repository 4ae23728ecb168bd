package io.yoo.installer.core.descriptor;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.api.net.SmbiosUuid;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One machine of the cluster. It is recognised by any of its MACs or by its SMBIOS UUID.
 *
 * @param name   hostname (a DNS label), unique in the cluster
 * @param labels become Kubernetes node labels, e.g. {@code cabinet: three}, {@code disk: hdd}
 */
public record Machine(
        String name,
        List<MacAddress> macs,
        Optional<SmbiosUuid> uuid,
        Ipv4 ip,
        Role role,
        Map<String, String> labels,
        MachineOverrides overrides,
        Optional<BmcSettings> bmc) {

    public Machine {
        macs = List.copyOf(macs);
        labels = Map.copyOf(labels);
    }

    /** The NIC the machine boots and installs over: the first MAC listed, if any. */
    public Optional<MacAddress> primaryMac() {
        return macs.isEmpty() ? Optional.empty() : Optional.of(macs.getFirst());
    }
}
