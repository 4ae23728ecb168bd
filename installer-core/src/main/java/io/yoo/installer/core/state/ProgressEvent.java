package io.yoo.installer.core.state;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One thing that happened to a machine, as fed into the state machine: a progress report from the
 * install script, a sighting by a protocol server, or an operator's reprovision request.
 *
 * @param at when the server received it (the server's clock: machines' clocks are not trusted
 *           before time-sync)
 * @param ip the address the machine reported from or was seen with, if known: IPv4 or IPv6 (the
 *           machine record keeps the last of each family)
 */
public record ProgressEvent(
        String machine,
        EventSource source,
        String phase,
        EventStatus status,
        Optional<String> message,
        Optional<String> mac,
        Optional<String> ip,
        Instant at) {

    /** Longest message kept: the tail of a failing step's output is what matters. */
    public static final int MAX_MESSAGE = 4000;

    public ProgressEvent {
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(at, "at");
        if (!InstallPhases.isValidName(phase)) {
            throw new IllegalArgumentException("bad phase '" + phase + "': expected a lower-case name like install-os");
        }
        message = message.map(ProgressEvent::tail);
    }

    public static ProgressEvent callback(String machine, String phase, EventStatus status, String message, Instant at) {
        return new ProgressEvent(machine, EventSource.CALLBACK, phase, status,
                Optional.ofNullable(message).filter(m -> !m.isEmpty()), Optional.empty(), Optional.empty(), at);
    }

    public ProgressEvent withAddress(Optional<String> mac, Optional<String> ip) {
        return new ProgressEvent(machine, source, phase, status, message, mac, ip, at);
    }

    static String tail(String s) {
        return s.length() <= MAX_MESSAGE ? s : "…" + s.substring(s.length() - MAX_MESSAGE + 1);
    }
}
