package io.yoo.installer.core.state;

import java.time.Instant;
import java.util.Optional;

/** One entry of a machine's history as the store keeps it. */
public record StoredEvent(
        long id,
        String machine,
        int generation,
        Instant at,
        EventSource source,
        String phase,
        EventStatus status,
        Optional<String> message,
        Outcome outcome,
        MachineState stateAfter) {}
