package io.yoo.installer.core.discovery;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * A machine in no descriptor that booted discovery and reported its inventory.
 *
 * @param id         the store's number for it (what the API's {@code /discovered/{id}} names)
 * @param mac        the MAC it booted with
 * @param uuid       its SMBIOS UUID, when usable
 * @param serial     its SMBIOS serial, when usable
 * @param status     where the operator's decision stands
 * @param heldReason why it is held (another machine claims its MAC or UUID)
 * @param inventory  the validated inventory JSON ({@link InventoryParser})
 * @param source     the address it reported from
 * @param reports    how many times it reported
 */
public record DiscoveredMachine(long id, String mac, Optional<String> uuid, Optional<String> serial, Status status,
        Optional<String> heldReason, String inventory, Optional<String> source, Instant firstSeen, Instant lastSeen, int reports) {

    /** The operator's decision; {@link #HELD}: two machines claimed one MAC or UUID, the operator must look. */
    public enum Status {
        NEW, HELD, ENROLLED, REJECTED;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status fromKey(String key) {
            return valueOf(key.toUpperCase(Locale.ROOT));
        }
    }
}
