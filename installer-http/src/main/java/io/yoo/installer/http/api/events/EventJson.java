package io.yoo.installer.http.api.events;

import io.yoo.installer.core.state.EventSource;
import io.yoo.installer.core.state.EventStatus;
import io.yoo.installer.core.state.MachineState;
import io.yoo.installer.core.state.Outcome;
import io.yoo.installer.core.state.StoredEvent;
import io.yoo.installer.core.state.Transition;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON of one history event, the same in a machine's history ({@code GET /api/v1/machines/{name}},
 * from the store) and in the live stream (a {@link Transition} as it is stored), so the UI's
 * timeline shows both alike. Only a stored event has its {@code id}.
 */
public final class EventJson {
    private EventJson() {}

    /** A stored event, with its id. */
    public static Map<String, Object> of(StoredEvent e) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", e.id());
        return fields(v, e.at(), e.generation(), e.source(), e.phase(), e.status(), e.message(), e.outcome(), e.stateAfter());
    }

    /** The event of a transition just stored (the stream does not carry ids). */
    public static Map<String, Object> of(Transition t) {
        return fields(new LinkedHashMap<>(), t.event().at(), t.after().generation(), t.event().source(), t.event().phase(),
                t.event().status(), t.event().message(), t.outcome(), t.after().state());
    }

    private static Map<String, Object> fields(Map<String, Object> v, Instant at, long generation, EventSource source, String phase,
            EventStatus status, Optional<String> message, Outcome outcome, MachineState stateAfter) {
        v.put("at", at.toString()); // RFC 3339, UTC
        v.put("generation", generation);
        v.put("source", source.key());
        v.put("phase", phase);
        v.put("status", status.key());
        v.put("message", message.orElse(null));
        v.put("outcome", outcome.key());
        v.put("stateAfter", stateAfter.key());
        return v;
    }
}
