package io.yoo.installer.core.discovery;

import io.yoo.installer.api.net.MacAddress;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What a discovered machine reported about itself, validated by {@link InventoryParser}.
 *
 * @param bootMac the MAC it booted with (the one its enrollment token is bound to)
 * @param uuid    SMBIOS system UUID, when it has a usable one
 * @param serial  SMBIOS serial number, when it has one
 * @param nicMacs the MACs of every NIC it listed (bootMac among them)
 * @param json    the whole inventory, re-written from the validated values only (what is stored and served)
 */
public record Inventory(MacAddress bootMac, Optional<UUID> uuid, Optional<String> serial, Optional<String> vendor,
        Optional<String> product, List<MacAddress> nicMacs, String json) {

    public Inventory {
        nicMacs = List.copyOf(nicMacs);
    }
}
