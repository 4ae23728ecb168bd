package io.yoo.installer.api.boot;

import java.util.Optional;

/**
 * The policy's answer to one boot request.
 *
 * @param machine     the descriptor machine this request matched, if any
 * @param reservation the fixed address to give (full DHCP); empty = unknown machine, the DHCP
 *                    server may use its dynamic pool if it has one; empty for a known machine =
 *                    it has no IPv4 address (IPv6-only): no DHCPv4 answer at all
 * @param target      what to boot
 */
public record BootDecision(Optional<String> machine, Optional<NetworkAssignment> reservation, BootTarget target) {

    public static BootDecision unknown(BootTarget target) {
        return new BootDecision(Optional.empty(), Optional.empty(), target);
    }
}
