package io.yoo.installer.core.match;

import io.yoo.installer.api.net.MacAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * MACs of machines that the descriptor names only by SMBIOS UUID (a rack scanned from its BMCs
 * knows UUIDs, not NIC MACs). PXE firmware sends the UUID in option 97, but the live system's
 * DHCP client does not: without this memory such a machine would get a pool address after its
 * PXE stage and be refused its own configs. The boot policy learns MAC → machine when it matches
 * by UUID; thread-safe, shared across descriptor reloads.
 */
public final class LearnedMacs {
    private final Map<MacAddress, String> byMac = new ConcurrentHashMap<>();

    public void learn(MacAddress mac, String machine) {
        byMac.put(mac, machine);
    }

    public Optional<String> machineOf(MacAddress mac) {
        return Optional.ofNullable(byMac.get(mac));
    }

    public int size() {
        return byMac.size();
    }
}
