package io.yoo.installer.core.match;

import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.api.net.SmbiosUuid;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds which descriptor machine a booting client is: by any of its MACs, else by its SMBIOS
 * UUID. DHCP option 97 carries the UUID with its first three fields byte-swapped (SMBIOS 2.6+
 * GUID layout) but older firmware sends it as printed, so both readings are tried. Pure and
 * immutable: build one per descriptor, share it between threads.
 */
public final class MachineMatcher {
    private final Map<MacAddress, Machine> byMac = new HashMap<>();
    private final Map<SmbiosUuid, Machine> byUuid = new HashMap<>();

    public MachineMatcher(List<Machine> machines) {
        for (Machine m : machines) {
            m.macs().forEach(mac -> byMac.putIfAbsent(mac, m));
            m.uuid().ifPresent(u -> byUuid.putIfAbsent(u, m));
        }
    }

    /**
     * @param mac  the client's hardware address
     * @param uuid the UUID as decoded from option 97 with {@link SmbiosUuid#fromWireGuid}, if sent
     */
    public Optional<Machine> match(MacAddress mac, Optional<SmbiosUuid> uuid) {
        Machine m = mac == null ? null : byMac.get(mac);
        if (m != null) {
            return Optional.of(m);
        }
        if (uuid.isPresent()) {
            m = byUuid.get(uuid.get());
            if (m == null) {
                m = byUuid.get(uuid.get().swapped());
            }
        }
        return Optional.ofNullable(m);
    }
}
