package io.yoo.installer.core.state;

import io.yoo.installer.api.boot.Sighting;
import java.time.Instant;
import java.util.Optional;

/** Turns a protocol server's {@link Sighting} into a state-machine event. */
public final class Sightings {
    private Sightings() {}

    /** Empty when the sighting names no descriptor machine (nothing to track). */
    public static Optional<ProgressEvent> toEvent(Sighting s, Instant at) {
        if (s.machine().isEmpty()) {
            return Optional.empty();
        }
        EventSource source = switch (s.protocol()) {
            case DHCP -> EventSource.DHCP;
            case TFTP -> EventSource.TFTP;
            case HTTP -> EventSource.HTTP;
        };
        String phase = source == EventSource.DHCP ? InstallPhases.DHCP : InstallPhases.BOOT_FETCH;
        return Optional.of(new ProgressEvent(s.machine().get(), source, phase, s.failed() ? EventStatus.FAILED : EventStatus.SUCCEEDED,
                Optional.ofNullable(s.what()).filter(w -> !w.isBlank()),
                s.mac().map(Object::toString), s.ip().map(Object::toString).or(s::ipv6), at));
    }
}
