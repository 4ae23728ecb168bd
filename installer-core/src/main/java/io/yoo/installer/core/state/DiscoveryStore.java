package io.yoo.installer.core.state;

import io.yoo.installer.core.discovery.DiscoveredMachine;
import io.yoo.installer.core.discovery.Inventory;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Machines found by discovery, kept with the machines' state (table {@code yoo_discovered}). */
public interface DiscoveryStore {

    /**
     * Records a report. A machine that reports again (same MAC, and the same UUID when both have
     * one) has its inventory replaced. When the report's MAC or UUID is already claimed by another
     * machine, both (all) are {@link DiscoveredMachine.Status#HELD held} with the reason, for the
     * operator to sort out: neither can be enrolled by mistake for the other.
     *
     * @return the machine's record as now stored
     */
    DiscoveredMachine report(Inventory inventory, Optional<String> source, Instant at);

    /** Every discovered machine, oldest first. */
    List<DiscoveredMachine> discovered();

    Optional<DiscoveredMachine> discovered(long id);

    /** The newest record of the machine that booted with this MAC (canonical {@code aa:bb:..} form). */
    Optional<DiscoveredMachine> discoveredByMac(String mac);

    /** @return whether a record with that id was there */
    boolean setDiscoveryStatus(long id, DiscoveredMachine.Status status);
}
