package io.yoo.installer.core.bmc;

import java.io.IOException;
import java.util.Optional;

/**
 * The machines' BMCs as the server reaches them (the descriptor's {@code bmc:} blocks): the seam
 * between the HTTP API (reprovision, power state) and the IPMI/Redfish clients, which the HTTP
 * module does not depend on. Every call is bounded by the BMC client's own timeouts and retries.
 */
public interface MachineBmcs {
    /** No machine has a BMC. */
    MachineBmcs NONE = machine -> Optional.empty();

    /** The BMC of {@code machine}, when the descriptor gives it one. */
    Optional<Bmc> of(String machine);

    /** One machine's BMC. */
    interface Bmc {
        /** Where and how it is reached, never the password: {@code ipmi://admin@10.0.0.5}. */
        String describe();

        /** Network boot once, then power cycle (power on if off): the machine reinstalls at its next boot. */
        void reprovision() throws IOException;

        /** True when the machine's power is on. */
        boolean powerOn() throws IOException;
    }
}
